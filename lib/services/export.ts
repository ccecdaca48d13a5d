// Downloads of a cutover: its plan (markdown runbook or the whole state as JSON), the audit log
// (oldest first, as a post-mortem reads it) and the timeline with its drift, as CSV or JSON. The
// shaping is lib/domain/export.ts; this reads rows under the same access rule as everything else
// (cutover.view / audit.view).
import { z } from "zod";
import { exportAudit, exportPlan, exportQuery, exportTimeline, type ExportAuditEvent, type ExportFile } from "@/lib/domain/export";
import type { Comparison, GateCondition, MetricUnit } from "@/lib/domain/metrics";
import type { Role } from "@/lib/domain/roles";
import { AppError } from "@/lib/errors";
import type { Tx } from "@/lib/db/client";
import { CUTOVER_DOCUMENT_FORMAT, CUTOVER_DOCUMENT_VERSION, type CutoverDocument, type ExportedGate } from "@/lib/schemas/export";
import { id } from "@/lib/schemas/room";
import { withCutover, type Actor } from "./context";

export const exportInput = z.object({ cutoverId: id }).and(exportQuery);

/** Far more than a cutover writes (a whole demo day is a few thousand events); past it, page the audit API. */
export const EXPORT_MAX_EVENTS = 200_000;
const PAGE = 5_000;

export async function exportCutover(actor: Actor, raw: unknown, now: Date = new Date()): Promise<ExportFile> {
  const q = exportInput.parse(raw);
  if (q.what === "plan") {
    const format = q.format;
    return withCutover(actor, q.cutoverId, "cutover.view", async (ctx) => exportPlan(await readCutoverDocument(ctx.tx, q.cutoverId, now), format));
  }
  if (q.what === "timeline") {
    return withCutover(actor, q.cutoverId, "cutover.view", async (ctx) => {
      const entries = await ctx.tx.timelineEntry.findMany({ where: { cutoverId: q.cutoverId }, orderBy: { position: "asc" } });
      return exportTimeline(ctx.cutover, entries, q.format, now);
    });
  }
  return withCutover(actor, q.cutoverId, "audit.view", async (ctx) => {
    const events: ExportAuditEvent[] = [];
    let after: bigint | undefined;
    for (;;) {
      const page = await ctx.tx.auditEvent.findMany({
        where: { cutoverId: q.cutoverId, ...(after !== undefined && { id: { gt: after } }) },
        orderBy: { id: "asc" },
        take: PAGE,
        select: { id: true, at: true, actorName: true, role: true, action: true, subject: true, before: true, after: true, requestId: true, rehearsal: true },
      });
      for (const e of page) events.push({ ...e, id: e.id.toString() });
      if (events.length > EXPORT_MAX_EVENTS) throw new AppError("bad_request", `The audit log has more than ${EXPORT_MAX_EVENTS} events: page through GET /api/v1/cutovers/{id}/audit instead`);
      if (page.length < PAGE) break;
      after = page.at(-1)!.id;
    }
    return exportAudit(ctx.cutover, events, q.format, now);
  });
}

const iso = (d: Date | null) => (d === null ? null : d.toISOString());
const links = z.array(z.object({ label: z.string(), url: z.string() }));
const escalation = z.array(z.object({ level: z.string(), who: z.string(), after: z.string(), criticalOnly: z.boolean().optional() }));

/**
 * The whole plan and state of one cutover as the export document. Every field is picked by name
 * (no spread of a row): members by name and role, integrations by name, nothing else of theirs.
 */
export async function readCutoverDocument(tx: Tx, cutoverId: string, now: Date): Promise<CutoverDocument> {
  const c = await tx.cutover.findUniqueOrThrow({
    where: { id: cutoverId },
    include: {
      members: { orderBy: [{ role: "asc" }, { createdAt: "asc" }], select: { role: true, user: { select: { name: true } } } },
      phases: {
        orderBy: { position: "asc" },
        include: {
          sections: {
            orderBy: { position: "asc" },
            include: { items: { orderBy: { position: "asc" }, include: { signOffs: { orderBy: { createdAt: "desc" }, take: 1, include: { user: { select: { name: true } } } } } } },
          },
          decisions: { orderBy: [{ openedAt: "asc" }, { title: "asc" }], include: { votes: { orderBy: { createdAt: "asc" }, include: { user: { select: { name: true } } } } } },
        },
      },
      gates: { include: { metric: { select: { name: true, unit: true } } }, orderBy: { id: "asc" } },
      metrics: { orderBy: [{ position: "asc" }, { name: "asc" }] },
      trafficSteps: { orderBy: { position: "asc" }, include: { decision: { select: { title: true } } } },
      // Selected field by field: the document's trigger is these and nothing else of the row.
      triggers: {
        select: {
          metric: { select: { name: true, unit: true } },
          alertName: true,
          ...{ system: true, comparison: true, threshold: true, forSeconds: true, keepFiringForSeconds: true, severity: true, action: true, shiftToPercent: true },
          ...{ mode: true, errorPolicy: true, errorRollbackAfter: true, enabled: true, description: true, state: true },
        },
        orderBy: [{ severity: "asc" }, { threshold: "asc" }],
      },
      rollbackHooks: { orderBy: { position: "asc" } },
      contacts: { orderBy: [{ escalationOrder: "asc" }, { name: "asc" }] },
      risks: { orderBy: { title: "asc" } },
      timeline: { orderBy: { position: "asc" } },
    },
  });
  const gate = (g: (typeof c.gates)[number]): ExportedGate => ({
    metric: g.metric.name,
    unit: g.metric.unit as MetricUnit,
    successCriterion: g.successCriterion,
    condition: g.condition as GateCondition,
  });
  return {
    format: CUTOVER_DOCUMENT_FORMAT,
    version: CUTOVER_DOCUMENT_VERSION,
    ...(c.mode === "rehearsal" && { label: "REHEARSAL" as const }),
    exportedAt: now.toISOString(),
    cutover: {
      id: c.id,
      name: c.name,
      systemFrom: c.systemFrom,
      systemTo: c.systemTo,
      tZero: c.tZero.toISOString(),
      timeZone: c.timeZone,
      state: c.state,
      mode: c.mode,
      trafficPercent: c.trafficPercent,
      startedAt: iso(c.startedAt),
      prometheusSource: c.prometheusSource,
      routerIntegration: c.routerIntegration,
      pollIntervalMs: c.pollIntervalMs,
      sampleRetentionDays: c.sampleRetentionDays,
    },
    members: c.members.map((m) => ({ name: m.user.name, role: m.role as Role })),
    links: links.catch([]).parse(c.links).map((l) => ({ label: l.label, url: l.url })),
    escalation: escalation.catch([]).parse(c.escalation).map((e) => ({ level: e.level, who: e.who, after: e.after, criticalOnly: e.criticalOnly ?? false })),
    phases: c.phases.map((p) => ({
      name: p.name,
      plannedAt: p.plannedAt,
      sections: p.sections.map((s) => ({
        name: s.name,
        items: s.items.map((i) => {
          const last = i.signOffs[0];
          return {
            title: i.title,
            description: i.description,
            commands: i.commands,
            ownerRole: i.ownerRole as Role,
            critical: i.critical,
            plannedTime: i.plannedTime,
            plannedAt: iso(i.plannedAt),
            state: i.state,
            addedReason: i.addedReason,
            lastSignOff: last ? { by: last.user.name, role: last.role as Role, kind: last.kind, note: last.note, at: last.createdAt.toISOString() } : null,
          };
        }),
      })),
      decisions: p.decisions.map((d) => ({
        title: d.title,
        requiredRoles: d.requiredRoles as Role[],
        targetPercent: d.targetPercent,
        state: d.state,
        openedAt: iso(d.openedAt),
        decidedAt: iso(d.decidedAt),
        reason: d.reason,
        gates: c.gates.filter((g) => g.decisionId === d.id).map(gate),
        votes: d.votes.map((v) => ({ role: v.role as Role, choice: v.choice, by: v.user.name, comment: v.comment, at: v.createdAt.toISOString() })),
      })),
    })),
    successCriteria: c.gates.filter((g) => g.decisionId === null).map(gate),
    metrics: c.metrics.map((m) => ({
      name: m.name,
      unit: m.unit as MetricUnit,
      system: m.system,
      queryOld: m.queryOld,
      queryNew: m.queryNew,
      direction: m.direction,
      warningThreshold: m.warningThreshold,
      criticalThreshold: m.criticalThreshold,
    })),
    trafficSteps: c.trafficSteps.map((s) => ({ percent: s.percent, decision: s.decision?.title ?? null })),
    // A trigger watches a metric or an alert (conditionKind alert: no metric, an alert's name).
    triggers: c.triggers.flatMap(({ metric, comparison, alertName: _alert, ...rule }) => (metric ? [{ ...rule, metric: metric.name, unit: metric.unit as MetricUnit, comparison: comparison as Comparison }] : [])),
    alertTriggers: c.triggers.flatMap(({ metric, alertName, system: _s, comparison: _c, threshold: _t, ...rule }) => (!metric && alertName ? [{ ...rule, alertName }] : [])),
    rollbackHooks: c.rollbackHooks.map((h) => ({ name: h.name, integration: h.integration })),
    contacts: c.contacts.map((k) => ({ name: k.name, role: k.role as Role, phone: k.phone, chatHandle: k.chatHandle, email: k.email, escalationOrder: k.escalationOrder })),
    risks: c.risks.map((r) => ({ title: r.title, probability: r.probability, impact: r.impact, mitigation: r.mitigation, ownerRole: r.ownerRole as Role | null, status: r.status })),
    timeline: c.timeline.map((e) => ({
      title: e.title,
      details: e.details,
      ownerRole: e.ownerRole as Role,
      plannedStart: e.plannedStart.toISOString(),
      plannedFinish: iso(e.plannedFinish),
      actualStart: iso(e.actualStart),
      actualFinish: iso(e.actualFinish),
    })),
  };
}
