// The JSON export of a cutover: its whole plan and state as one document. Every object is strict,
// so a field nobody listed here (a user's email, an integration's secret or settings) cannot reach
// the file by a spread further up: the export parses its document with this schema before writing.
// Integrations appear by name only, members by name and role, as the room shows them.
import { z } from "zod";
import { METRIC_UNITS } from "@/lib/domain/metrics";
import { roleSchema } from "@/lib/domain/roles";
import { metricsViewSchema, trafficTriggerSchema } from "./views";

export const CUTOVER_DOCUMENT_FORMAT = "cutover-war-room/cutover";
/** 2: alert triggers (`alertTriggers`) joined the document. */
export const CUTOVER_DOCUMENT_VERSION = 2;

const iso = z.iso.datetime({ offset: true });
const comparison = z.enum(["<", "<=", ">", ">="]);

export const gateConditionSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("threshold"), system: z.enum(["old", "new"]), op: comparison, value: z.number(), windowSec: z.number().int() }),
  z.strictObject({ kind: z.literal("ratio"), op: comparison, factor: z.number(), windowSec: z.number().int() }),
]);

export const exportedGate = z.strictObject({
  metric: z.string(),
  unit: z.enum(METRIC_UNITS),
  successCriterion: z.boolean(),
  condition: gateConditionSchema,
});

export const exportedItem = z.strictObject({
  title: z.string(),
  description: z.string().nullable(),
  commands: z.string().nullable(),
  ownerRole: roleSchema,
  critical: z.boolean(),
  plannedTime: z.string().nullable(),
  plannedAt: iso.nullable(),
  state: z.enum(["open", "done", "not_applicable"]),
  addedReason: z.string().nullable(),
  /** The latest sign-off (or undo, or n/a), as the room shows it. */
  lastSignOff: z.strictObject({ by: z.string(), role: roleSchema, kind: z.enum(["sign_off", "not_applicable", "undo"]), note: z.string().nullable(), at: iso }).nullable(),
});

export const exportedDecision = z.strictObject({
  title: z.string(),
  requiredRoles: z.array(roleSchema),
  targetPercent: z.number().int().nullable(),
  state: z.enum(["pending", "voting", "proceed", "abort"]),
  openedAt: iso.nullable(),
  decidedAt: iso.nullable(),
  reason: z.string().nullable(),
  gates: z.array(exportedGate),
  votes: z.array(z.strictObject({ role: roleSchema, choice: z.enum(["go", "no_go"]), by: z.string(), comment: z.string().nullable(), at: iso })),
});

export const exportedPhase = z.strictObject({
  name: z.string(),
  plannedAt: z.string().nullable(),
  sections: z.array(z.strictObject({ name: z.string(), items: z.array(exportedItem) })),
  decisions: z.array(exportedDecision),
});

// A metric as the metrics view shows it, without its id and series.
export const exportedMetric = metricsViewSchema.shape.metrics.element
  .pick({ name: true, system: true, queryOld: true, queryNew: true, direction: true, warningThreshold: true, criticalThreshold: true })
  .extend({ unit: z.enum(METRIC_UNITS) })
  .strict();

// The rule as the traffic view shows it, less its runtime (ids, pending/fired times, outcomes).
export const exportedTrigger = trafficTriggerSchema
  .pick({ metric: true, threshold: true, forSeconds: true, keepFiringForSeconds: true, severity: true, action: true, shiftToPercent: true, mode: true, errorRollbackAfter: true, enabled: true, description: true, state: true })
  .extend({ unit: z.enum(METRIC_UNITS), system: z.enum(["old", "new"]), comparison, errorPolicy: z.enum(["pause", "rollback_after"]) })
  .strict();

/** A trigger on an Alertmanager alert: the alert's name instead of a metric, comparison and threshold. */
export const exportedAlertTrigger = trafficTriggerSchema
  .pick({ forSeconds: true, keepFiringForSeconds: true, severity: true, action: true, shiftToPercent: true, mode: true, errorRollbackAfter: true, enabled: true, description: true, state: true })
  .extend({ alertName: z.string(), errorPolicy: z.enum(["pause", "rollback_after"]) })
  .strict();

export const exportedContact = z.strictObject({
  name: z.string(),
  role: roleSchema,
  phone: z.string().nullable(),
  chatHandle: z.string().nullable(),
  email: z.string().nullable(),
  escalationOrder: z.number().int(),
});

export const exportedRisk = z.strictObject({
  title: z.string(),
  probability: z.enum(["low", "medium", "high", "critical"]),
  impact: z.enum(["low", "medium", "high", "critical"]),
  mitigation: z.string().nullable(),
  ownerRole: roleSchema.nullable(),
  status: z.enum(["open", "mitigated", "accepted", "occurred", "closed"]),
});

export const exportedTimelineEntry = z.strictObject({
  title: z.string(),
  details: z.string().nullable(),
  ownerRole: roleSchema,
  plannedStart: iso,
  plannedFinish: iso.nullable(),
  actualStart: iso.nullable(),
  actualFinish: iso.nullable(),
});

export const cutoverDocument = z.strictObject({
  format: z.literal(CUTOVER_DOCUMENT_FORMAT),
  version: z.literal(CUTOVER_DOCUMENT_VERSION),
  /** "REHEARSAL" on top of a rehearsal's export, as on every other export. */
  label: z.literal("REHEARSAL").optional(),
  exportedAt: iso,
  cutover: z.strictObject({
    id: z.string(),
    name: z.string(),
    systemFrom: z.string(),
    systemTo: z.string(),
    tZero: iso,
    timeZone: z.string(),
    state: z.enum(["draft", "scheduled", "in_progress", "completed", "rolled_back", "aborted"]),
    mode: z.enum(["live", "rehearsal"]),
    trafficPercent: z.number().int(),
    startedAt: iso.nullable(),
    /** Integrations by name: their settings and secrets stay with the administrators. */
    prometheusSource: z.string().nullable(),
    routerIntegration: z.string().nullable(),
    pollIntervalMs: z.number().int(),
    sampleRetentionDays: z.number().int(),
  }),
  members: z.array(z.strictObject({ name: z.string(), role: roleSchema })),
  links: z.array(z.strictObject({ label: z.string(), url: z.string() })),
  escalation: z.array(z.strictObject({ level: z.string(), who: z.string(), after: z.string(), criticalOnly: z.boolean() })),
  phases: z.array(exportedPhase),
  /** Gates that belong to no decision: the cutover's own success criteria. */
  successCriteria: z.array(exportedGate),
  metrics: z.array(exportedMetric),
  trafficSteps: z.array(z.strictObject({ percent: z.number().int(), decision: z.string().nullable() })),
  triggers: z.array(exportedTrigger),
  /** Triggers on an Alertmanager alert (version 2). */
  alertTriggers: z.array(exportedAlertTrigger),
  rollbackHooks: z.array(z.strictObject({ name: z.string(), integration: z.string() })),
  contacts: z.array(exportedContact),
  risks: z.array(exportedRisk),
  timeline: z.array(exportedTimelineEntry),
});

export type CutoverDocument = z.infer<typeof cutoverDocument>;
export type ExportedGate = z.infer<typeof exportedGate>;
export type ExportedAlertTrigger = z.infer<typeof exportedAlertTrigger>;
export type ExportedPhase = z.infer<typeof exportedPhase>;
export type ExportedItem = z.infer<typeof exportedItem>;
export type ExportedTrigger = z.infer<typeof exportedTrigger>;
