// Rollback triggers: rules per cutover, evaluated with the pure state machine in lib/domain/triggers:
// metric rules by the poller's leader on every poll, alert rules (an Alertmanager alert firing) by
// the leader's alert job and whenever an alert changes status. A firing rule acts once per episode: automatically
// (rollback or shift) or as a recommendation the Deployment Lead confirms with one click.
import { z } from "zod";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { firesAt, stepTrigger, type TriggerRule, type TriggerRuntime } from "@/lib/domain/triggers";
import type { Comparison, Sample } from "@/lib/domain/metrics";
import { ALERT_CONDITION, alertSample } from "@/lib/domain/alerts";
import { ACTIVE_STATES } from "@/lib/domain/cutover-state";
import { announce } from "@/lib/realtime/bus";
import { removeInput, triggerConfirmInput, triggerInput } from "@/lib/schemas/room";
import type { PolledSample } from "@/lib/domain/metrics";
import { recordChange } from "./audit";
import { auditRole, requireFound, type Call, type CutoverContext } from "./context";
import { changeSplit } from "./traffic/change-split";
import type { Mover } from "./traffic/routing";
import { startRollback } from "./traffic/start-rollback";
import { enqueueApprovalLinks } from "./action-links";
import { openIncident, resolveIncident } from "./incidents";

function ruleOf(t: { comparison: string; threshold: number; forSeconds: number; keepFiringForSeconds: number; errorRollbackAfter: number | null; errorPolicy: string }): TriggerRule {
  return { comparison: t.comparison as Comparison, threshold: t.threshold, forSec: t.forSeconds, keepFiringForSec: t.keepFiringForSeconds, errorRollbackAfter: t.errorPolicy === "rollback_after" ? t.errorRollbackAfter : null };
}

export function describeTrigger(t: { comparison: string; threshold: number; forSeconds: number; action: string; shiftToPercent: number | null; system: string; alertName?: string | null }, metric: { name: string; unit: string } | null) {
  const action = t.action === "rollback" ? "roll back" : t.action === "shift" ? `shift new to ${t.shiftToPercent} %` : "alert the room";
  if (!metric) return `alert ${t.alertName ?? "?"} firing for ${t.forSeconds} s → ${action}`;
  return `${metric.name} (${t.system}) ${t.comparison} ${t.threshold} ${metric.unit} for ${t.forSeconds} s → ${action}`;
}

export async function saveTrigger(ctx: CutoverContext, input: z.output<typeof triggerInput>) {
  if (input.action === "shift" && (input.shiftToPercent === null || input.shiftToPercent === undefined)) throw new AppError("bad_request", "A shift trigger needs the percent to shift new to");
  const { cutoverId, id, errorRollbackAfter, metricId, alertName, ...rest } = input;
  const watched =
    input.conditionKind === "alert"
      ? { metricId: null, alertName: alertName!, ...ALERT_CONDITION, system: "new" as const }
      : { metricId: requireFound(await ctx.tx.metricDefinition.findFirst({ where: { id: metricId, cutoverId } }), "Metric").id, alertName: null, comparison: input.comparison!, threshold: input.threshold! };
  const shiftToPercent = input.action === "shift" ? input.shiftToPercent! : null;
  const metric = watched.metricId ? await ctx.tx.metricDefinition.findUniqueOrThrow({ where: { id: watched.metricId }, select: { name: true, unit: true } }) : null;
  const description = input.description ?? describeTrigger({ ...rest, ...watched, shiftToPercent }, metric);
  const data = { ...rest, ...watched, shiftToPercent, errorPolicy: errorRollbackAfter ? ("rollback_after" as const) : ("pause" as const), errorRollbackAfter: errorRollbackAfter ?? null, description };
  if (id) {
    const before = requireFound(await ctx.tx.rollbackTrigger.findFirst({ where: { id, cutoverId } }), "Trigger");
    // Editing a rule starts it afresh: the old episode no longer describes it.
    await ctx.tx.rollbackTrigger.update({ where: { id }, data: { ...data, state: "inactive", pendingSince: null, firedAt: null, consecutiveErrors: 0, evaluatedAt: null, version: { increment: 1 } } });
    await ctx.record("trigger.updated", `trigger:${id}`, { before: { description: before.description }, after: { description: data.description, mode: data.mode } });
    return { triggerId: id };
  }
  const t = await ctx.tx.rollbackTrigger.create({ data: { cutoverId, ...data } });
  await ctx.record("trigger.added", `trigger:${t.id}`, { after: { description: data.description, mode: data.mode, severity: data.severity } });
  return { triggerId: t.id };
}

export async function removeTrigger(ctx: CutoverContext, input: z.output<typeof removeInput>) {
  const t = requireFound(await ctx.tx.rollbackTrigger.findFirst({ where: { id: input.id, cutoverId: input.cutoverId } }), "Trigger");
  await ctx.tx.rollbackTrigger.delete({ where: { id: t.id } });
  await ctx.record("trigger.removed", `trigger:${t.id}`, { before: { description: t.description } });
  return { triggerId: t.id };
}

async function act(t: { id: string; cutoverId: string; action: string; shiftToPercent: number | null; description: string | null }, mover: Mover, requestId?: string) {
  const reason = `trigger: ${t.description ?? t.id}`;
  if (t.action === "rollback") return startRollback(mover, { cutoverId: t.cutoverId, reason, triggerId: t.id, requestId });
  if (t.action === "shift" && t.shiftToPercent !== null) return changeSplit({ cutoverId: t.cutoverId, toPercent: t.shiftToPercent, mover, reason, triggerId: t.id, attempts: 3, auditAction: "traffic.shifted_by_trigger", requestId });
  return null;
}

/** Whoever the table lets confirm a trigger confirms its recommended action with one click. */
export async function confirmTrigger(ctx: CutoverContext, input: z.output<typeof triggerConfirmInput>) {
  const row = requireFound(await ctx.tx.rollbackTrigger.findFirst({ where: { id: input.triggerId, cutoverId: input.cutoverId } }), "Trigger");
  if (row.state !== "firing") throw new AppError("conflict", "This trigger is not firing any more: nothing to confirm");
  await ctx.record("trigger.confirmed", `trigger:${row.id}`, { after: { description: row.description } });
  return { trigger: row, role: auditRole(ctx.actor, ctx.roles) };
}

/** After the confirmation committed: the trigger's action (never inside a transaction). */
export function actOnConfirmed(confirmed: Awaited<ReturnType<typeof confirmTrigger>>, _input: unknown, call: Call) {
  return act(confirmed.trigger, { userId: call.actor.id, name: call.actor.name, role: confirmed.role }, call.requestId);
}

type EvaluatedTrigger = Awaited<ReturnType<typeof triggersToEvaluate>>[number];

function triggersToEvaluate(where: { cutoverId?: string; conditionKind: "metric" | "alert" }) {
  return db().rollbackTrigger.findMany({
    where: { ...where, enabled: true, ...(where.conditionKind === "alert" && { cutover: { state: { in: [...ACTIVE_STATES] } } }) },
    include: { metric: { select: { name: true, unit: true } }, cutover: { select: { mode: true } } },
  });
}

/**
 * Advances one rule by one sample, for both kinds of condition: the step is written only if nobody
 * wrote the rule since it was read (its version) and only for a sample newer than the last one
 * evaluated; the action runs only after that write won. So two evaluators on the same samples (the
 * old leader still finishing a poll while the new one starts, a split-brain moment, the endpoint
 * reacting to an alert while the leader's job ticks) fire a rule once per episode, never twice.
 */
async function evaluateTrigger(t: EvaluatedTrigger, sample: Sample, at: number): Promise<void> {
  if (t.evaluatedAt && t.evaluatedAt.getTime() >= at) return;
  const rt: TriggerRuntime = { state: t.state, pendingSince: t.pendingSince?.getTime() ?? null, firedAt: t.firedAt?.getTime() ?? null, lastBreachAt: t.lastBreachAt?.getTime() ?? null, consecutiveErrors: t.consecutiveErrors };
  const rule = ruleOf(t);
  const step = stepTrigger(rule, rt, sample, at);
  const changed = step.next.state !== t.state || step.outcome !== t.lastOutcome;
  const cutoverId = t.cutoverId;
  const won = await db().$transaction(async (tx) => {
    // Conditional on the version we read (an edit by a planner bumps it too, see saveTrigger).
    const updated = await tx.rollbackTrigger.updateMany({
      where: { id: t.id, version: t.version },
      data: {
        state: step.next.state,
        pendingSince: step.next.pendingSince === null ? null : new Date(step.next.pendingSince),
        firedAt: step.next.firedAt === null ? null : new Date(step.next.firedAt),
        lastBreachAt: step.next.lastBreachAt === null ? null : new Date(step.next.lastBreachAt),
        consecutiveErrors: step.next.consecutiveErrors,
        lastOutcome: step.outcome,
        evaluatedAt: new Date(at),
        version: { increment: 1 },
      },
    });
    if (updated.count !== 1) return false;
    if (step.fire) {
      await recordChange(tx, {
        cutoverId,
        actorId: null,
        actorName: `trigger: ${t.description ?? t.id}`,
        role: null,
        action: "trigger.fired",
        subject: `trigger:${t.id}`,
        before: { state: t.state },
        after: { state: "firing", value: sample.value, reason: step.fireReason, mode: t.mode, action: t.action, notice: step.notice, ...(t.alertName && { alert: t.alertName }) },
        rehearsal: t.cutover.mode === "rehearsal",
      });
      if (t.mode === "recommend" && (t.action === "rollback" || t.action === "shift")) await enqueueApprovalLinks(tx, { kind: "trigger", cutoverId, trigger: t }, `trigger: ${t.description ?? t.id}`);
    }
    // An immediate-severity rule is the runbooks' critical trigger: firing opens an incident
    // the escalation ladder pages until someone acknowledges it; it resolves when the rule stops.
    const subject = `trigger:${t.id}`;
    if (step.fire && t.severity === "immediate") {
      await openIncident(tx, { cutoverId, subject, severity: "critical", title: `Critical trigger fired: ${describeTrigger(t, t.metric)}`, openedBy: `trigger: ${t.description ?? t.id}`, rehearsal: t.cutover.mode === "rehearsal" });
    } else if (t.state === "firing" && step.next.state === "inactive") {
      await resolveIncident(tx, { cutoverId, subject, resolvedBy: `trigger: ${t.description ?? t.id}`, rehearsal: t.cutover.mode === "rehearsal" });
    }
    if (changed || step.fire) {
      await announce(tx, {
        type: "trigger.state",
        cutoverId,
        subject: `trigger:${t.id}`,
        data: { triggerId: t.id, state: step.next.state, outcome: step.outcome, firesAt: firesAt(rule, step.next), fired: step.fire, mode: t.mode, action: t.action, notice: step.notice, description: t.description, metric: t.metric?.name ?? `alert ${t.alertName ?? ""}`, value: sample.value },
      });
    }
    return true;
  });
  if (won && step.fire && t.mode === "automatic" && t.action !== "alert") {
    await act(t, { userId: null, name: `trigger: ${t.description ?? t.id}`, role: null }).catch((err: unknown) => console.error(`[warroom] trigger ${t.id} action failed: ${(err as Error).message}`));
  }
}

/** Called by the poller with each poll's samples: advances every metric rule of the cutover. */
export async function evaluateTriggers(cutoverId: string, samples: PolledSample[], at: number): Promise<void> {
  for (const t of await triggersToEvaluate({ cutoverId, conditionKind: "metric" })) {
    const polled = samples.find((s) => s.metricId === t.metricId && s.system === t.system);
    if (polled) await evaluateTrigger(t, polled.sample, at);
  }
}

/**
 * Advances every alert rule (of one cutover, or of every active cutover): its sample is the number
 * of alerts of its name firing now in that cutover (lib/domain/alerts.ts alertSample). Run every
 * second by the leader (lib/jobs/alert-triggers.ts) and at once when an alert changes status.
 */
export async function evaluateAlertTriggers(at: number, cutoverId?: string): Promise<void> {
  const triggers = await triggersToEvaluate({ cutoverId, conditionKind: "alert" });
  if (triggers.length === 0) return;
  const firing = await db().alert.groupBy({ by: ["cutoverId", "alertname"], where: { status: "firing", cutoverId: { in: [...new Set(triggers.map((t) => t.cutoverId))] }, alertname: { in: [...new Set(triggers.map((t) => t.alertName!))] } }, _count: { _all: true } });
  const count = (t: EvaluatedTrigger) => firing.find((f) => f.cutoverId === t.cutoverId && f.alertname === t.alertName)?._count._all ?? 0;
  for (const t of triggers) await evaluateTrigger(t, alertSample(count(t), at), at);
}
