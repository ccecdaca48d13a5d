// A cutover document with a bit of everything, for the export tests (lib/domain/export*.test.ts).
import type { CutoverDocument, ExportedItem } from "@/lib/schemas/export";

export const item = (title: string, ownerRole: ExportedItem["ownerRole"], plannedTime: string | null = null, state: "open" | "done" = "open"): ExportedItem => ({
  title,
  description: null,
  commands: null,
  ownerRole,
  critical: false,
  plannedTime,
  plannedAt: null,
  state,
  addedReason: null,
  lastSignOff: null,
});

export const trigger = { unit: "%" as const, system: "new" as const, keepFiringForSeconds: 0, shiftToPercent: null, mode: "recommend" as const, errorPolicy: "pause" as const, errorRollbackAfter: null, enabled: true, description: null, state: "inactive" as const };

export const alertTrigger = { keepFiringForSeconds: 0, shiftToPercent: null, mode: "automatic" as const, errorPolicy: "pause" as const, errorRollbackAfter: null, enabled: true, description: null, state: "inactive" as const };

export const DOCUMENT: CutoverDocument = {
  format: "cutover-war-room/cutover",
  version: 2,
  exportedAt: "2026-03-14T10:30:00.000Z",
  cutover: {
    id: "7d4c1d0e-9a39-4a4c-8f2e-0a5a0c2c1f00",
    name: "Payments: Python → Go",
    systemFrom: "payments-py",
    systemTo: "payments-go",
    tZero: "2026-03-14T12:00:00.000Z",
    timeZone: "Europe/Berlin",
    state: "draft",
    mode: "live",
    trafficPercent: 0,
    startedAt: null,
    prometheusSource: "lab-prometheus",
    routerIntegration: "edge-haproxy",
    pollIntervalMs: 5000,
    sampleRetentionDays: 14,
  },
  members: [{ name: "Dana", role: "DATABASE_DBA" }],
  links: [{ label: "Bridge", url: "https://meet.example.com/war room (1)" }],
  escalation: [
    { level: "L1", who: "On-call engineer", after: "5 min", criticalOnly: false },
    { level: "L2", who: "Head of platform", after: "15 min", criticalOnly: true },
  ],
  phases: [
    {
      name: "Preparation",
      plannedAt: "T-2h",
      sections: [
        { name: "Database", items: [item("Take a database backup", "DATABASE_DBA", "T-2h", "done"), item("Freeze schema changes", "BACKEND_LEAD", "T-1:30")] },
        { name: "Empty", items: [] },
      ],
      decisions: [],
    },
    {
      name: "Canary",
      plannedAt: null,
      sections: [{ name: "Go", items: [item("Shift 10% of traffic", "DEPLOYMENT_LEAD", "T+0:00"), item("Watch *the* error rate | <b>now</b>", "ON_CALL")] }],
      decisions: [
        {
          title: "Proceed to 50 %",
          requiredRoles: ["DEPLOYMENT_LEAD"],
          targetPercent: 50,
          state: "pending",
          openedAt: null,
          decidedAt: null,
          reason: null,
          gates: [
            { metric: "Error rate", unit: "%", successCriterion: false, condition: { kind: "threshold", system: "new", op: "<", value: 1, windowSec: 1800 } },
            { metric: "Latency p95", unit: "ms", successCriterion: false, condition: { kind: "ratio", op: "<=", factor: 1.2, windowSec: 600 } },
          ],
          votes: [],
        },
      ],
    },
  ],
  successCriteria: [{ metric: "Cache hit rate", unit: "%", successCriterion: true, condition: { kind: "threshold", system: "new", op: ">", value: 80, windowSec: 3600 } }],
  metrics: [
    { name: "Error rate", unit: "%", system: "both", queryOld: "x", queryNew: "y", direction: "above", warningThreshold: 1, criticalThreshold: 5 },
    { name: "Latency p95", unit: "ms", system: "both", queryOld: null, queryNew: null, direction: "above", warningThreshold: 500, criticalThreshold: 1000 },
    { name: "Disk free", unit: "%", system: "both", queryOld: null, queryNew: null, direction: "below", warningThreshold: 20, criticalThreshold: null },
  ],
  trafficSteps: [{ percent: 0, decision: null }, { percent: 50, decision: "Proceed to 50 %" }],
  triggers: [
    { ...trigger, metric: "Error rate", comparison: ">", threshold: 5, forSeconds: 300, severity: "immediate", action: "rollback" },
    { ...trigger, metric: "Latency p95", unit: "ms", comparison: ">", threshold: 1000, forSeconds: 90, severity: "graceful", action: "shift", shiftToPercent: 10 },
  ],
  alertTriggers: [
    { ...alertTrigger, alertName: "PaymentsDown", forSeconds: 0, severity: "immediate", action: "rollback" },
    { ...alertTrigger, alertName: "payments_latency:p99_high", forSeconds: 120, severity: "graceful", action: "shift", shiftToPercent: 10 },
  ],
  rollbackHooks: [{ name: "Flip the flag", integration: "flags-hook" }],
  contacts: [{ name: "Pager rota", role: "ON_CALL", phone: "+1 555 0100", chatHandle: "@oncall", email: null, escalationOrder: 0 }],
  risks: [{ title: "Replica lag | backfill", probability: "medium", impact: "high", mitigation: "Throttle the backfill", ownerRole: null, status: "open" }],
  timeline: [
    { title: "Freeze writes - all regions", details: "Announce in #launch\nConfirm with the DBA", ownerRole: "DEPLOYMENT_LEAD", plannedStart: "2026-03-14T11:30:00.000Z", plannedFinish: null, actualStart: null, actualFinish: null },
    { title: "Shift 10 %", details: null, ownerRole: "DEPLOYMENT_LEAD", plannedStart: "2026-03-14T12:05:00.000Z", plannedFinish: null, actualStart: null, actualFinish: null },
  ],
};
