// Input schemas of the room's commands, shared by server actions, REST routes and sockets.
import { z } from "zod";
import { EXCLUDE_PATTERN } from "@/lib/domain/runbook/preview";
import { ALERT_NAME } from "@/lib/domain/alerts";
import { ERROR_ROLLBACK_AFTER, GATE_WINDOW_SEC, POLL_INTERVAL_MS, SAMPLE_RETENTION_DAYS, TEXT, TRIGGER_SECONDS } from "@/lib/domain/limits";
import { METRIC_UNITS } from "@/lib/domain/metrics";
import { isHttpUrl } from "@/lib/domain/request-input";
import { roleSchema } from "@/lib/domain/roles";
import { checkSteps } from "@/lib/domain/traffic-steps";
import { integrationName } from "./integrations";

export const id = z.string().uuid("must be an id");
const name = (label: string, max: number = TEXT.name) => z.string().trim().min(1, `${label} is required`).max(max, `${label} is at most ${max} characters`);
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `at most ${max} characters`)
    .optional()
    .nullable()
    .transform((v) => (v ? v : null));
export const reason = z.string().trim().min(1, "A reason is required").max(TEXT.note, `at most ${TEXT.note} characters`);
export const timeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, "Unknown time zone");

// Times a cutover may be planned at: anything outside is a typo, and outside what PostgreSQL and
// JavaScript dates both hold near their ends.
export const EARLIEST_TIME = new Date("1970-01-01T00:00:00Z");
export const LATEST_TIME = new Date("2200-01-01T00:00:00Z");
const tZero = z.coerce
  .date({ error: "T-0 must be a date and time" })
  .min(EARLIEST_TIME, "T-0 must be after 1970")
  .max(LATEST_TIME, "T-0 must be before 2200");

export const createCutoverInput = z.object({
  name: name("Name"),
  systemFrom: name("Old system", TEXT.short),
  systemTo: name("New system", TEXT.short),
  tZero,
  timeZone: timeZone.default("UTC"),
  mode: z.enum(["live", "rehearsal"]).default("live"),
  /** A markdown runbook whose checklists, schedule and risks become the plan. */
  runbook: z.string().max(1_000_000, "The runbook is larger than 1 MB").optional().nullable(),
  /** A template to start from instead (lib/services/templates.ts): "builtin:…" or a team template's id. */
  template: z.string().trim().max(100, "Unknown template").optional().nullable(),
  /** What of the runbook to leave out: "kind:rules", "phase:2", "section:1.0" (see lib/domain/runbook/preview.ts). */
  exclude: z.array(z.string().regex(EXCLUDE_PATTERN, 'Use "kind:<kind>", "phase:<n>" or "section:<phase>.<section>"')).max(2_000).default([]),
});
/** `POST /api/v1/cutovers?dryRun=1`: the preview of a runbook; the cutover's other fields are not needed. */
export const previewCutoverInput = z.object({
  runbook: z.string().max(1_000_000, "The runbook is larger than 1 MB").refine((v) => v.trim() !== "", "Paste a runbook to preview"),
  exclude: createCutoverInput.shape.exclude,
});
export const cloneCutoverInput = z.object({ cutoverId: id, name: name("Name"), tZero });
export const cutoverOnly = z.object({ cutoverId: id });
// Forcing a completion past its blockers (traffic not at 100 %, a rollback running) must say why.
export const completeCutoverInput = z
  .object({ cutoverId: id, force: z.boolean().default(false), note: optionalText(TEXT.note) })
  .refine((i) => !i.force || !!i.note, { message: "A note is required to force the completion", path: ["note"] });
export const abortCutoverInput = z.object({ cutoverId: id, reason });

export const addPhaseInput = z.object({ cutoverId: id, name: name("Phase name"), plannedAt: optionalText(50), reason: optionalText(TEXT.note) });
export const renameInput = z.object({ cutoverId: id, id, name: name("Name") });
export const removeInput = z.object({ cutoverId: id, id });
export const moveInput = z.object({ cutoverId: id, id, direction: z.enum(["up", "down"]) });
export const addSectionInput = z.object({ cutoverId: id, phaseId: id, name: name("Section name"), reason: optionalText(TEXT.note) });
export const addItemInput = z.object({
  cutoverId: id,
  sectionId: id,
  title: name("Item title", TEXT.title),
  ownerRole: roleSchema,
  plannedTime: optionalText(TEXT.short),
  description: optionalText(TEXT.description),
  critical: z.boolean().default(false),
  reason: optionalText(TEXT.note),
});
export const updateItemInput = z.object({
  cutoverId: id,
  id,
  title: name("Item title", TEXT.title).optional(),
  ownerRole: roleSchema.optional(),
  // Absent means unchanged (undefined after parsing); empty or null clears.
  plannedTime: optionalText(TEXT.short).optional(),
  description: optionalText(TEXT.description).optional(),
  critical: z.boolean().optional(),
});

export const signOffInput = z.object({ cutoverId: id, itemId: id, note: optionalText(TEXT.note), expectedVersion: z.number().int().nonnegative().optional() });
export const undoInput = z.object({ cutoverId: id, itemId: id, reason, expectedVersion: z.number().int().nonnegative().optional() });
export const notApplicableInput = undoInput;

export const memberInput = z.object({ cutoverId: id, email: z.string().trim().toLowerCase().email("Enter a valid email"), role: roleSchema });
export const removeMemberInput = z.object({ cutoverId: id, userId: id, role: roleSchema });

export const timelineEntryInput = z.object({
  cutoverId: id,
  title: name("Step title", TEXT.stepTitle),
  plannedStart: name("Planned start", TEXT.short),
  plannedFinish: optionalText(TEXT.short),
  ownerRole: roleSchema,
  details: optionalText(TEXT.description),
});
export const timelineProgressInput = z.object({ cutoverId: id, entryId: id, step: z.enum(["start", "finish"]) });

export const contactInput = z.object({
  cutoverId: id,
  role: roleSchema,
  name: name("Name"),
  phone: optionalText(TEXT.phone),
  chatHandle: optionalText(TEXT.short),
  email: optionalText(TEXT.email).refine((v) => v === null || z.email().safeParse(v).success, "Enter a valid email"),
  escalationOrder: z.number().int().min(0).max(100).default(0),
});
// Absolute http(s) links only: "/\evil.com" and "//evil.com" leave the site, javascript: runs.
const safeUrl = z.string().trim().max(2000).refine(isHttpUrl, "Links must be absolute http:// or https:// URLs");
export const linksInput = z.object({ cutoverId: id, links: z.array(z.object({ label: name("Label", TEXT.short), url: safeUrl })).max(50) });
export const escalationInput = z.object({
  cutoverId: id,
  escalation: z.array(z.object({ level: name("Level", TEXT.short), who: name("Who", 200), after: name("After", 50), criticalOnly: z.boolean().optional() })).max(20),
});

const riskLevel = z.enum(["low", "medium", "high", "critical"]);
export const riskInput = z.object({
  cutoverId: id,
  id: id.optional(),
  title: name("Risk", TEXT.title),
  probability: riskLevel,
  impact: riskLevel,
  mitigation: optionalText(TEXT.description),
  ownerRole: roleSchema.nullable().optional(),
  status: z.enum(["open", "mitigated", "accepted", "occurred", "closed"]).default("open"),
});

export const decisionInput = z.object({
  cutoverId: id,
  phaseId: id,
  title: name("Decision", TEXT.stepTitle),
  requiredRoles: z.array(roleSchema).min(1, "At least one role must vote").max(7),
  targetPercent: z.number().int().min(0).max(100).nullable().optional(),
});
export const openVoteInput = z.object({ cutoverId: id, decisionId: id });
export const voteInput = z.object({ cutoverId: id, decisionId: id, choice: z.enum(["go", "no_go"]), comment: optionalText(TEXT.note), role: roleSchema.optional() });
export const abortDecisionInput = z.object({ cutoverId: id, decisionId: id, reason });

export const auditQuery = z.object({
  cutoverId: id,
  action: z.string().trim().max(100).optional(),
  actor: z.string().trim().max(200).optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const tokenInput = z.object({ name: name("Token name", TEXT.short) });
export const revokeTokenInput = z.object({ tokenId: id });

const promql = z.string().trim().max(TEXT.query, "at most 10,000 characters");
export const metricInput = z.object({
  cutoverId: id,
  id: id.optional(),
  name: name("Metric name", TEXT.short),
  unit: z.enum(METRIC_UNITS),
  system: z.enum(["old", "new", "both"]).default("both"),
  queryOld: promql.optional().nullable(),
  queryNew: promql.optional().nullable(),
  direction: z.enum(["above", "below"]).default("above"),
  warningThreshold: z.number().finite().nullable().optional(),
  criticalThreshold: z.number().finite().nullable().optional(),
});
export const metricsSettingsInput = z.object({
  cutoverId: id,
  /** The Prometheus source by integration name; null: the server's default source, if any. */
  prometheusSource: integrationName.nullable(),
  pollIntervalMs: z.number().int().min(POLL_INTERVAL_MS.min, "Poll at most once a second").max(POLL_INTERVAL_MS.max).default(POLL_INTERVAL_MS.default),
  sampleRetentionDays: z.number().int().min(SAMPLE_RETENTION_DAYS.min).max(SAMPLE_RETENTION_DAYS.max).default(SAMPLE_RETENTION_DAYS.default),
});
export const gateInput = z.object({
  cutoverId: id,
  metricId: id,
  decisionId: id.nullable().optional(),
  successCriterion: z.boolean().default(false),
  condition: z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("threshold"), system: z.enum(["old", "new"]), op: z.enum(["<", "<=", ">", ">="]), value: z.number().finite(), windowSec: z.number().int().min(GATE_WINDOW_SEC.min).max(GATE_WINDOW_SEC.max) }),
    z.object({ kind: z.literal("ratio"), op: z.enum(["<", "<=", ">", ">="]), factor: z.number().finite().positive(), windowSec: z.number().int().min(GATE_WINDOW_SEC.min).max(GATE_WINDOW_SEC.max) }),
  ]),
});
export const testQueryInput = z.object({ cutoverId: id, query: promql.min(1, "The query is empty") });
export const metricsViewQuery = z.object({ cutoverId: id, rangeSec: z.coerce.number().int().min(60).max(7 * 86_400).default(900) });

export const shiftInput = z.object({
  cutoverId: id,
  /** Omitted: the next planned step. */
  toPercent: z.number().int().min(0, "0-100 %").max(100, "0-100 %").optional(),
  override: z.boolean().default(false),
  note: optionalText(TEXT.note),
});
export const rollbackInput = z.object({ cutoverId: id, reason: optionalText(TEXT.note) });
export const trafficStepsInput = z.object({
  cutoverId: id,
  // The rule lives in lib/domain/traffic-steps.ts, which the room's form applies too.
  steps: z.array(z.number()).superRefine((steps, ctx) => {
    const verdict = checkSteps(steps);
    if (!verdict.ok) ctx.addIssue({ code: "custom", message: verdict.error });
  }),
});
/** The router a cutover moves, picked by integration name (null: none). */
export const routerInput = z.object({ cutoverId: id, integration: integrationName.nullable() });
export const hookInput = z.object({
  cutoverId: id,
  name: name("Hook name", 200),
  /** The rollback hook integration this step runs. */
  integration: integrationName,
});
// A trigger watches a metric (metricId) or an Alertmanager alert by name (alertName, see lib/domain/alerts.ts).
export const triggerInput = z.object({
  cutoverId: id,
  id: id.optional(),
  conditionKind: z.enum(["metric", "alert"]).default("metric"),
  metricId: id.optional(),
  alertName: z.string().regex(ALERT_NAME, "an alert name: letters, digits, _ : . - (at most 200)").optional(),
  system: z.enum(["old", "new"]).default("new"),
  // Metric triggers only (an alert trigger's condition is "firing").
  comparison: z.enum(["<", "<=", ">", ">="]).optional(),
  threshold: z.number().finite().optional(),
  forSeconds: z.number().int().min(TRIGGER_SECONDS.min).max(TRIGGER_SECONDS.max),
  keepFiringForSeconds: z.number().int().min(TRIGGER_SECONDS.min).max(TRIGGER_SECONDS.max).default(0),
  severity: z.enum(["immediate", "graceful"]),
  action: z.enum(["rollback", "shift", "alert"]),
  shiftToPercent: z.number().int().min(0).max(100).nullable().optional(),
  mode: z.enum(["automatic", "recommend"]).default("recommend"),
  errorRollbackAfter: z.number().int().min(ERROR_ROLLBACK_AFTER.min).max(ERROR_ROLLBACK_AFTER.max).nullable().optional(),
  description: optionalText(500),
  enabled: z.boolean().default(true),
}).superRefine((t, issue) => {
  if (t.conditionKind === "metric" && !t.metricId) issue.addIssue({ code: "custom", path: ["metricId"], message: "a metric trigger needs its metric" });
  if (t.conditionKind === "metric" && t.comparison === undefined) issue.addIssue({ code: "custom", path: ["comparison"], message: "a metric trigger needs its comparison" });
  if (t.conditionKind === "metric" && t.threshold === undefined) issue.addIssue({ code: "custom", path: ["threshold"], message: "a metric trigger needs its threshold" });
  if (t.conditionKind === "alert" && !t.alertName) issue.addIssue({ code: "custom", path: ["alertName"], message: "an alert trigger needs the alert's name" });
});
export const triggerConfirmInput = z.object({ cutoverId: id, triggerId: id });
