// What the room's tabs read, described once: the services declare these as their return types
// (so a change to a view is a change here, not an accident of inference) and the browser imports
// the same types. Views carry names and kinds of integrations, never their settings.
// Pure: no I/O, safe to import from client components.
import { z } from "zod";
import { CUTOVER_STATES } from "@/lib/domain/cutover-state";
import { decisionSnapshotSchema, gateSchema, voteSchema } from "@/lib/domain/decision";
import { roleSchema } from "@/lib/domain/roles";

const isoTime = z.string();
const nullableIso = isoTime.nullable();

/** An integration a planner may pick: name and kind, never its settings. */
export const integrationChoiceSchema = z.object({ name: z.string(), kind: z.string(), source: z.enum(["file", "db"]) });

// --- traffic ----------------------------------------------------------------------------------

/** A hook's result: editors see its output, everyone else whether it passed. */
export const hookResultSchema = z.object({
  name: z.string(),
  ok: z.boolean(),
  durationMs: z.number().optional(),
  status: z.string().optional(),
  output: z.string().optional(),
});

export type HookResult = z.infer<typeof hookResultSchema>;

export const trafficTriggerSchema = z.object({
  id: z.string(),
  metric: z.string(),
  unit: z.string(),
  /** null for an alert trigger (conditionKind "alert", alertName set). */
  metricId: z.string().nullable(),
  conditionKind: z.enum(["metric", "alert"]),
  alertName: z.string().nullable(),
  system: z.string(),
  comparison: z.string(),
  threshold: z.number(),
  forSeconds: z.number().int(),
  keepFiringForSeconds: z.number().int(),
  severity: z.enum(["immediate", "graceful"]),
  action: z.enum(["rollback", "shift", "alert"]),
  shiftToPercent: z.number().int().nullable(),
  mode: z.enum(["automatic", "recommend"]),
  errorRollbackAfter: z.number().int().nullable(),
  enabled: z.boolean(),
  state: z.enum(["inactive", "pending", "firing"]),
  pendingSince: nullableIso,
  firedAt: nullableIso,
  lastOutcome: z.string().nullable(),
  description: z.string().nullable(),
});

export const trafficViewSchema = z.object({
  percent: z.number().int().min(0).max(100),
  rehearsal: z.boolean(),
  steps: z.array(z.object({ percent: z.number().int(), decisionId: z.string().nullable() })),
  router: z.object({ name: z.string(), kind: z.string().nullable() }).nullable(),
  hooks: z.array(z.object({ id: z.string(), name: z.string(), integration: z.string().nullable(), position: z.number().int(), kind: z.string().nullable() })),
  changes: z.array(
    z.object({
      id: z.string(),
      from: z.number().int(),
      to: z.number().int(),
      state: z.enum(["requested", "applied", "verified", "failed"]),
      override: z.boolean(),
      note: z.string().nullable(),
      error: z.string().nullable(),
      durationMs: z.number().nullable(),
      triggerId: z.string().nullable(),
      requestedAt: isoTime,
      finishedAt: nullableIso,
    }),
  ),
  rollbacks: z.array(
    z.object({
      id: z.string(),
      state: z.string(),
      reason: z.string().nullable(),
      durationMs: z.number().nullable(),
      hookResults: z.array(hookResultSchema),
      triggerId: z.string().nullable(),
      startedAt: isoTime,
      finishedAt: nullableIso,
    }),
  ),
  triggers: z.array(trafficTriggerSchema),
  /** Whether the caller edits the router and hooks (and so sees hook output and the choices). */
  editable: z.boolean(),
  choices: z.object({ routers: z.array(integrationChoiceSchema), hooks: z.array(integrationChoiceSchema) }).nullable(),
});
export type TrafficView = z.infer<typeof trafficViewSchema>;

// --- metrics ----------------------------------------------------------------------------------

export const sampleSchema = z.discriminatedUnion("status", [
  z.object({ at: z.number(), status: z.literal("ok"), value: z.number() }),
  z.object({ at: z.number(), status: z.enum(["no_data", "error"]), value: z.null(), reason: z.string() }),
]);

export const tileStateSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("current"), level: z.enum(["ok", "warning", "critical"]), value: z.number(), at: z.number() }),
  z.object({ kind: z.enum(["stale", "no_data", "error"]), lastValue: z.number().nullable(), since: z.number().nullable(), reason: z.string() }),
]);

const seriesSchema = z.object({ samples: z.array(sampleSchema), tile: tileStateSchema, backfilled: z.boolean() }).nullable();

export const metricsViewSchema = z.object({
  /** The server's clock when the view was read (ms): the browser lines its clock up with it. */
  now: z.number(),
  rangeSec: z.number().int(),
  settings: z.object({
    prometheusSource: z.string().nullable(),
    defaultSource: z.string().nullable(),
    pollIntervalMs: z.number().int(),
    sampleRetentionDays: z.number().int(),
    choices: z.array(integrationChoiceSchema).nullable(),
  }),
  metrics: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      /** One of METRIC_UNITS when written through the room; stored as text. */
      unit: z.string(),
      system: z.enum(["old", "new", "both"]),
      queryOld: z.string().nullable(),
      queryNew: z.string().nullable(),
      direction: z.enum(["above", "below"]),
      warningThreshold: z.number().nullable(),
      criticalThreshold: z.number().nullable(),
      old: seriesSchema,
      new: seriesSchema,
    }),
  ),
  markers: z.array(z.object({ at: z.number(), kind: z.enum(["traffic", "decision"]), label: z.string() })),
  successCriteria: z.array(gateSchema),
  gates: z.array(z.object({ id: z.string(), metricId: z.string(), decisionId: z.string().nullable(), successCriterion: z.boolean(), label: z.string() })),
});
export type MetricsView = z.infer<typeof metricsViewSchema>;

// --- the cutover ------------------------------------------------------------------------------

const role = roleSchema;
const evaluationSchema = z.object({
  outcome: z.enum(["proceed", "abort", "waiting"]),
  missingRoles: z.array(role),
  failingGates: z.array(gateSchema),
  noGoVotes: z.array(voteSchema.extend({ comment: z.string().nullish() })),
  reason: z.string(),
});

/** What names a cutover wherever it is shown: in the list and at the head of the room. */
const cutoverHeaderSchema = z.object({
  id: z.string(),
  name: z.string(),
  systemFrom: z.string(),
  systemTo: z.string(),
  tZero: isoTime,
  timeZone: z.string(),
  trafficPercent: z.number().int(),
});

/** The whole state of one cutover as the browser receives it (dates as ISO strings). */
export const cutoverStateSchema = cutoverHeaderSchema.extend({
  state: z.string(),
  mode: z.string(),
  fence: z.string(),
  myRoles: z.array(role),
  links: z.array(z.object({ label: z.string(), url: z.string() })),
  escalation: z.array(z.object({ level: z.string(), who: z.string(), after: z.string(), criticalOnly: z.boolean().optional() })),
  members: z.array(z.object({ id: z.string(), role, userId: z.string(), user: z.object({ id: z.string(), name: z.string(), email: z.string() }) })),
  startedAt: nullableIso,
  phases: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      position: z.number().int(),
      plannedAt: nullableIso,
      sections: z.array(
        z.object({
          id: z.string(),
          name: z.string(),
          position: z.number().int(),
          /** What the imported runbook said here that became no item: shown as text. */
          notes: z.array(z.string()),
          items: z.array(
            z.object({
              id: z.string(),
              title: z.string(),
              description: z.string().nullable(),
              ownerRole: role,
              critical: z.boolean(),
              plannedTime: z.string().nullable(),
              plannedAt: nullableIso,
              addedReason: z.string().nullable(),
              state: z.enum(["open", "done", "not_applicable"]),
              version: z.number().int(),
              signOffs: z.array(z.object({ id: z.string(), kind: z.string(), role, note: z.string().nullable(), override: z.boolean(), createdAt: isoTime, user: z.object({ name: z.string() }) })),
            }),
          ),
        }),
      ),
    }),
  ),
  timeline: z.array(
    z.object({ id: z.string(), title: z.string(), details: z.string().nullable(), ownerRole: role, plannedStart: isoTime, plannedFinish: nullableIso, actualStart: nullableIso, actualFinish: nullableIso }),
  ),
  contacts: z.array(z.object({ id: z.string(), role, name: z.string(), phone: z.string().nullable(), chatHandle: z.string().nullable(), email: z.string().nullable(), escalationOrder: z.number().int() })),
  risks: z.array(z.object({ id: z.string(), title: z.string(), probability: z.string(), impact: z.string(), mitigation: z.string().nullable(), ownerRole: role.nullable(), status: z.string() })),
  decisions: z.array(
    z.object({
      id: z.string(),
      phaseId: z.string(),
      title: z.string(),
      requiredRoles: z.array(role),
      targetPercent: z.number().int().nullable(),
      state: z.enum(["pending", "voting", "proceed", "abort"]),
      reason: z.string().nullable(),
      openedAt: nullableIso,
      decidedAt: nullableIso,
      snapshot: decisionSnapshotSchema.nullable(),
      votes: z.array(z.object({ id: z.string(), role, choice: z.enum(["go", "no_go"]), comment: z.string().nullable(), createdAt: isoTime, user: z.object({ name: z.string() }) })),
      /** Live gates now; for a closed decision the snapshot is what counted. */
      gates: z.array(gateSchema),
      evaluation: evaluationSchema,
    }),
  ),
  trafficSteps: z.array(z.object({ id: z.string(), percent: z.number().int(), position: z.number().int() })),
});
export type CutoverStateJson = z.infer<typeof cutoverStateSchema>;

/** One row of the cutover list. */
export const cutoverSummarySchema = cutoverHeaderSchema.extend({
  state: z.enum(CUTOVER_STATES),
  mode: z.enum(["live", "rehearsal"]),
});
export type CutoverSummary = z.infer<typeof cutoverSummarySchema>;

// --- the audit log ----------------------------------------------------------------------------

/** One audit row as the Audit tab reads it (the id as text: it is a bigint). */
export const auditRowSchema = z.object({
  id: z.string(),
  cutoverId: z.string().nullable(),
  actorId: z.string().nullable(),
  actorName: z.string(),
  role: z.string().nullable(),
  action: z.string(),
  subject: z.string(),
  before: z.unknown(),
  after: z.unknown(),
  requestId: z.string().nullable(),
  rehearsal: z.boolean(),
  at: isoTime,
});
export type AuditRow = z.infer<typeof auditRowSchema>;

/** The administrators' integrations page: what each integration is and who uses it, never a secret. */
export const integrationsViewSchema = z.object({
  changes: z.array(z.object({ at: isoTime, actor: z.string(), action: z.string(), subject: z.string() })),
  integrations: z.array(
    z.object({
      name: z.string(),
      type: z.enum(["router", "hook", "prometheus", "channel"]),
      kind: z.string(),
      source: z.enum(["file", "db"]),
      /** The settings without their secret fields. */
      settings: z.record(z.string(), z.unknown()),
      /** The stored settings of an administrator's integration (secrets live apart); null for the file's. */
      config: z.record(z.string(), z.unknown()).nullable(),
      hasSecret: z.boolean(),
      usedBy: z.number().int(),
    }),
  ),
  allowHosts: z.array(z.object({ host: z.string(), note: z.string().nullable(), source: z.enum(["file", "db"]) })),
});
export type IntegrationsView = z.infer<typeof integrationsViewSchema>;
