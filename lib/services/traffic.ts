// Moving traffic: shift to the next step (gated by its go/no-go decision), one-click rollback, and
// the settings behind them (steps, router, hooks). A change is applied, read back, and only then
// recorded; a failed or unverified change is recorded as failed and announced to the room, and the
// recorded split stays the true one.
import { ExponentialBackoff, handleAll, retry } from "cockatiel";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { db, sql } from "@/lib/db/client";
import { withTrafficLock } from "@/lib/db/cutover-lock";
import { AppError } from "@/lib/errors";
import type { TrafficRouter } from "@/lib/domain/ports";
import { createRouter } from "@/lib/adapters/traffic";
import { runHook } from "@/lib/adapters/hooks";
import { integrationChoices, requireIntegration, resolveIntegration, resolveRouter } from "@/lib/integrations/resolve";
import { shortReason } from "@/lib/integrations/schemas";
import { can } from "@/lib/domain/permissions";
import { isEnded } from "@/lib/domain/cutover-state";
import { announce, BUS_CHANNEL, busPayload } from "@/lib/realtime/bus";
import { recordChange } from "./audit";
import type { Role } from "@/lib/domain/roles";
import type { HookResult, TrafficView } from "@/lib/schemas/views";
import { hookInput, removeInput, rollbackInput, routerInput, shiftInput, trafficStepsInput, cutoverOnly } from "@/lib/schemas/room";
import { auditRole, requireFound, withCutover, type Actor, type AuthorizingCall, type Call, type CutoverContext } from "./context";

/** Who moves traffic: a person, or a trigger acting on its own. */
export interface Mover {
  userId: string | null;
  name: string;
  role: string | null;
}

interface RouterSettings {
  router_integration: string | null;
  mode: string;
}

/** A cutover's router, resolved through the integrations catalog; `label` names it without its settings. */
export interface Routing {
  router: TrafficRouter;
  rehearsal: boolean;
  label: string;
}

async function routerFrom(c: RouterSettings): Promise<Routing> {
  if (!c.router_integration) throw new AppError("bad_request", "No router is configured for this cutover: pick one under Traffic");
  const found = await resolveRouter(c.router_integration);
  if (!found) throw new AppError("bad_request", `The router "${c.router_integration}" is no longer defined: pick another one under Traffic`);
  return { router: createRouter(found.config), rehearsal: c.mode === "rehearsal", label: `router "${found.name}" (${found.kind})` };
}

async function routerOf(cutoverId: string): Promise<Routing> {
  const { rows } = await sql().query<RouterSettings>({ name: "router-of", text: "SELECT router_integration, mode::text AS mode FROM cutovers WHERE id = $1", values: [cutoverId] });
  if (!rows[0]) throw new AppError("not_found", "No such cutover");
  return routerFrom(rows[0]);
}

/**
 * The one path every split change takes: lock + fence, record the request, apply and verify with
 * retries, then record the new split with the fence check. Throws AppError("router_failed") when
 * the router fails or the split cannot be verified.
 */
export async function changeSplit(opts: {
  cutoverId: string;
  toPercent: number;
  mover: Mover;
  reason: string;
  override?: boolean;
  note?: string | null;
  triggerId?: string | null;
  attempts?: number;
  auditAction?: string;
  /** Clock start for the reported duration (a rollback counts from the click). */
  startedAt?: number;
  /** The router when the caller already read the cutover's settings (saves a round trip). */
  routing?: Routing;
  /** The rollback this change belongs to. */
  rollbackId?: string;
  /** The request that asked for the change; one is made up for changes nobody asked for (triggers). */
  requestId?: string;
}) {
  const { router, rehearsal, label } = opts.routing ?? (await routerOf(opts.cutoverId));
  const started = opts.startedAt ?? Date.now();
  const requestId = opts.requestId ?? randomUUID();
  const request = { toPercent: opts.toPercent, userId: opts.mover.userId, override: opts.override ?? false, note: opts.note ?? null, triggerId: opts.triggerId ?? null };
  return withTrafficLock(opts.cutoverId, 15_000, request, async (f) => {
    const change = { id: f.changeId };
    const meta = { cutoverId: opts.cutoverId, requestId, reason: opts.reason, fence: f.fence.toString(), rehearsal };
    const policy = retry(handleAll, { maxAttempts: Math.max(0, (opts.attempts ?? 1) - 1), backoff: new ExponentialBackoff({ initialDelay: 100, maxDelay: 2000 }) });
    try {
      await policy.execute(async () => {
        await router.set(opts.toPercent, meta, AbortSignal.timeout(10_000));
        const v = await router.verify(opts.toPercent, AbortSignal.timeout(10_000));
        if (!v.ok) throw new Error(`the split could not be verified: ${v.detail}`);
      });
    } catch (err) {
      // The room (Observers included) reads this: the router's name and a short reason, never its settings.
      const message = `${label}: ${shortReason((err as Error).message)}`;
      await db().trafficChange.update({ where: { id: change.id }, data: { state: "failed", error: message.slice(0, 2000), finishedAt: new Date(), durationMs: Date.now() - started } });
      await db().$transaction((tx) =>
        recordChange(
          tx,
          { cutoverId: opts.cutoverId, actorId: opts.mover.userId, actorName: opts.mover.name, role: opts.mover.role, action: "traffic.change_failed", subject: `traffic:${change.id}`, before: { percent: f.currentPercent }, after: { target: opts.toPercent, error: message }, requestId, rehearsal },
          { type: "traffic.failed", cutoverId: opts.cutoverId, actor: opts.mover.name, data: { from: f.currentPercent, to: opts.toPercent, error: message.slice(0, 500) } },
        ),
      );
      throw new AppError("router_failed", `Traffic was not moved to ${opts.toPercent} %: ${message}`);
    }
    const durationMs = Date.now() - started;
    const committed = await f.commit(opts.toPercent, {
      changeId: change.id,
      durationMs,
      rollbackId: opts.rollbackId ?? null,
      audit: {
        actorId: opts.mover.userId,
        actorName: opts.mover.name,
        role: opts.mover.role,
        action: opts.auditAction ?? "traffic.shifted",
        subject: `traffic:${change.id}`,
        before: { percent: f.currentPercent },
        after: { percent: opts.toPercent, durationMs, override: opts.override ?? false, note: opts.note ?? null, reason: opts.reason, triggerId: opts.triggerId ?? null },
        requestId,
        rehearsal,
      },
      event: { type: "traffic.shifted", cutoverId: opts.cutoverId, actor: opts.mover.name, subject: `traffic:${change.id}`, data: { from: f.currentPercent, to: opts.toPercent, durationMs } },
    });
    if (!committed) {
      await db().trafficChange.update({ where: { id: change.id }, data: { state: "failed", error: "fenced out: another writer changed traffic meanwhile", finishedAt: new Date() } });
      throw new AppError("conflict", "Another writer changed this cutover's traffic meanwhile: this change was not recorded", undefined, "concurrent_change");
    }
    return { changeId: change.id, from: f.currentPercent, to: opts.toPercent, durationMs };
  });
}

export type ShiftPlan = { target: number; gated: string | null; role: string | null };

/** In the cutover's transaction: where the shift goes, and whether it needs (and may take) an override. */
export async function planShift(ctx: CutoverContext, input: z.output<typeof shiftInput>): Promise<ShiftPlan> {
  const c = await ctx.tx.cutover.findUniqueOrThrow({ where: { id: input.cutoverId }, select: { trafficPercent: true, state: true, trafficSteps: { orderBy: { position: "asc" } } } });
  if (isEnded(c.state)) throw new AppError("conflict", `The cutover is ${c.state.replace("_", " ")}: traffic is no longer moved from here`, undefined, "cutover_ended");
  const steps = c.trafficSteps.map((s) => s.percent);
  const target = input.toPercent ?? steps.find((p) => p > c.trafficPercent);
  if (target === undefined) throw new AppError("conflict", `Already at the last step (${c.trafficPercent} %)`);
  if (target === c.trafficPercent) throw new AppError("conflict", `Traffic is already at ${target} %`);
  const isStep = steps.includes(target);
  let gated: string | null = null;
  if (target > c.trafficPercent) {
    const step = c.trafficSteps.find((s) => s.percent === target);
    const decision = step?.decisionId
      ? await ctx.tx.decisionPoint.findUnique({ where: { id: step.decisionId } })
      : await ctx.tx.decisionPoint.findFirst({ where: { cutoverId: input.cutoverId, targetPercent: target }, orderBy: { decidedAt: { sort: "desc", nulls: "last" } } });
    if (!isStep) gated = `${target} % is not a planned step`;
    else if (decision && decision.state !== "proceed") gated = `the go/no-go decision "${decision.title}" is ${decision.state}, not PROCEED`;
  }
  if (gated) {
    if (!input.override) throw new AppError("conflict", `Cannot shift to ${target} %: ${gated}. An override needs a note.`, undefined, "override_required");
    if (!ctx.can("traffic.override")) throw new AppError("forbidden", "Not allowed to override the traffic plan");
    if (!input.note) throw new AppError("bad_request", "An override needs a note", undefined, "note_required");
  }
  return { target, gated, role: auditRole(ctx.actor, ctx.roles) };
}

/** After the plan committed: moves the traffic (never inside a transaction). */
export function applyShift(plan: ShiftPlan, input: z.output<typeof shiftInput>, call: Call) {
  return changeSplit({
    cutoverId: input.cutoverId,
    toPercent: plan.target,
    mover: { userId: call.actor.id, name: call.actor.name, role: plan.role },
    reason: plan.gated ? `override: ${input.note}` : `shift to ${plan.target} %`,
    override: plan.gated !== null,
    note: input.note,
    requestId: call.requestId,
  });
}

const ABANDONED_AFTER_MS = 120_000;
const JOIN_FINISHED_WITHIN_MS = 5_000;

interface RollbackState extends RouterSettings {
  roles: Role[];
  traffic_percent: number;
  running_id: string | null;
  running_started_at: Date | null;
  recent_id: string | null;
  recent_started_at: Date | null;
}

// Everything a rollback decides on, in one round trip: the caller's roles, the router, the split,
// the rollback running now and the last one finished within JOIN_FINISHED_WITHIN_MS.
const ROLLBACK_STATE = {
  name: "rollback-state",
  text: `SELECT c.router_integration, c.mode::text AS mode, c.traffic_percent,
         ARRAY(SELECT m.role::text FROM cutover_members m WHERE m.cutover_id = c.id AND m.user_id = $2 ORDER BY m.role) AS roles,
         run.id AS running_id, run.started_at AS running_started_at, rec.id AS recent_id, rec.started_at AS recent_started_at
    FROM cutovers c
    LEFT JOIN LATERAL (SELECT id, started_at FROM rollbacks WHERE cutover_id = c.id AND state = 'running' ORDER BY started_at DESC LIMIT 1) run ON true
    LEFT JOIN LATERAL (SELECT id, started_at FROM rollbacks WHERE cutover_id = c.id AND state IN ('completed', 'completed_with_errors')
                        AND started_at > now() - make_interval(secs => $3) ORDER BY started_at DESC LIMIT 1) rec ON true
   WHERE c.id = $1`,
};

// The claim: one running rollback per cutover (partial unique index), announced in the same statement.
const CLAIM = {
  name: "rollback-claim",
  text: `WITH ins AS (
      INSERT INTO rollbacks (id, cutover_id, user_id, trigger_id, reason, state, hook_results, started_at)
      VALUES (gen_random_uuid(), $1::uuid, $2::uuid, $3::uuid, $4, 'running', '[]', now())
      ON CONFLICT (cutover_id) WHERE state = 'running' DO NOTHING RETURNING id, started_at)
    SELECT id, started_at, pg_notify('${BUS_CHANNEL}', replace($5, '__ROLLBACK__', id::text)) IS NULL AS announced FROM ins`,
};

async function rollbackState(cutoverId: string, userId: string | null): Promise<RollbackState> {
  const { rows } = await sql().query<RollbackState>({ ...ROLLBACK_STATE, values: [cutoverId, userId, JOIN_FINISHED_WITHIN_MS / 1000] });
  if (!rows[0]) throw new AppError("not_found", "No such cutover, or you are not a member of it");
  return rows[0];
}

/**
 * One-click rollback: 100 % to old (with retries), then the hooks in order, each result announced.
 * Idempotent: while one runs, every other request joins it (a partial unique index allows one
 * running rollback per cutover). Resolves when the split is verified; hooks continue after.
 * The path to the router is three plain SQL round trips (state, claim, lock + fence + request).
 */
export async function startRollback(mover: Mover, input: { cutoverId: string; reason: string | null; triggerId?: string | null; requestId?: string }, known?: RollbackState) {
  let state = known ?? (await rollbackState(input.cutoverId, mover.userId));
  // A rollback whose process died never finishes: let a new one take over after two minutes.
  if (state.running_id && state.running_started_at && Date.now() - state.running_started_at.getTime() > ABANDONED_AFTER_MS) {
    await sql().query("UPDATE rollbacks SET state = 'abandoned', finished_at = now() WHERE id = $1 AND state = 'running'", [state.running_id]);
    state = await rollbackState(input.cutoverId, mover.userId);
  }
  if (state.running_id && state.running_started_at) return { rollbackId: state.running_id, joined: true as const };
  // Two people pressing at once, where the first rollback finished before the second request
  // arrived (a fast router takes a few ms): the second joins that one instead of running again.
  if (state.recent_id && state.traffic_percent === 0) return { rollbackId: state.recent_id, joined: true as const };

  const announcement = busPayload({ type: "rollback.started", cutoverId: input.cutoverId, actor: mover.name, subject: "rollback:__ROLLBACK__", data: { reason: input.reason } });
  const { rows } = await sql().query<{ id: string; started_at: Date }>({ ...CLAIM, values: [input.cutoverId, mover.userId, input.triggerId ?? null, input.reason, announcement] });
  const claimed = rows[0];
  if (!claimed) {
    // Someone claimed it between our read and our insert: join theirs.
    const now = await rollbackState(input.cutoverId, mover.userId);
    if (now.running_id) return { rollbackId: now.running_id, joined: true as const };
    if (now.recent_id) return { rollbackId: now.recent_id, joined: true as const };
    throw new AppError("conflict", "Another rollback of this cutover started and ended at the same moment: check the traffic tab", undefined, "concurrent_change");
  }
  const claim = { id: claimed.id, startedAt: claimed.started_at.getTime() };

  let split;
  try {
    const routing = await routerFrom(state);
    split = await changeSplit({
      cutoverId: input.cutoverId,
      toPercent: 0,
      mover,
      reason: `rollback${input.reason ? `: ${input.reason}` : ""}`,
      triggerId: input.triggerId,
      attempts: 5,
      auditAction: "rollback.split_verified",
      startedAt: claim.startedAt,
      routing,
      rollbackId: claim.id,
      requestId: input.requestId,
    });
  } catch (err) {
    const message = err instanceof AppError ? err.message : shortReason((err as Error).message);
    await db().$transaction(async (tx) => {
      await tx.rollback.update({ where: { id: claim.id }, data: { state: "failed", finishedAt: new Date(), hookResults: [{ name: "traffic split", ok: false, output: message }] } });
      await recordChange(
        tx,
        { cutoverId: input.cutoverId, actorId: mover.userId, actorName: mover.name, role: mover.role, action: "rollback.failed", subject: `rollback:${claim.id}`, after: { error: message }, requestId: input.requestId, rehearsal: state.mode === "rehearsal" },
        { type: "rollback.failed", cutoverId: input.cutoverId, actor: mover.name, subject: `rollback:${claim.id}`, data: { error: message.slice(0, 500) } },
      );
    });
    throw err;
  }
  void runHooks(claim.id, input.cutoverId, mover, input, state.mode === "rehearsal").catch((err: unknown) => console.error("[warroom] rollback hooks failed:", err));
  return { rollbackId: claim.id, joined: false as const, durationMs: split.durationMs, from: split.from };
}

/** The rollback button and POST /rollback: one read of roles and state, the table decides, then startRollback. */
export async function rollback(call: AuthorizingCall, input: z.output<typeof rollbackInput>) {
  const state = await rollbackState(input.cutoverId, call.actor.id);
  const roles = call.authorize(state.roles);
  return startRollback({ userId: call.actor.id, name: call.actor.name, role: auditRole(call.actor, roles) }, { cutoverId: input.cutoverId, reason: input.reason, requestId: call.requestId }, state);
}

async function runHooks(rollbackId: string, cutoverId: string, mover: Mover, input: { reason: string | null; requestId?: string }, rehearsal: boolean) {
  const reason = input.reason;
  const hooks = await db().rollbackHook.findMany({ where: { cutoverId }, orderBy: { position: "asc" } });
  const results: { name: string; ok: boolean; output: string; durationMs: number }[] = [];
  for (const hook of hooks) {
    await db().$transaction((tx) => announce(tx, { type: "rollback.hook_started", cutoverId, subject: `rollback:${rollbackId}`, data: { name: hook.name } }));
    const found = hook.integration ? await resolveIntegration(hook.integration) : null;
    const r =
      found?.type === "hook"
        ? await runHook(found.kind, found.config, { WARROOM_CUTOVER_ID: cutoverId, WARROOM_ROLLBACK_ID: rollbackId, WARROOM_REASON: reason ?? "" })
        : { ok: false, status: "integration not defined", output: `the hook integration "${hook.integration ?? ""}" is no longer defined`, durationMs: 0 };
    results.push({ name: hook.name, ...r, output: r.output.slice(-1000) });
    await db().$transaction(async (tx) => {
      await tx.rollback.update({ where: { id: rollbackId }, data: { hookResults: results } });
      // Hook output stays with the people who edit hooks (the traffic view); the room hears the outcome.
      await announce(tx, { type: "rollback.hook_finished", cutoverId, subject: `rollback:${rollbackId}`, data: { name: hook.name, ok: r.ok, status: r.status, durationMs: r.durationMs } });
    });
  }
  const ok = results.every((r) => r.ok);
  await db().$transaction(async (tx) => {
    await tx.rollback.update({ where: { id: rollbackId }, data: { state: ok ? "completed" : "completed_with_errors", finishedAt: new Date() } });
    await tx.cutover.updateMany({ where: { id: cutoverId, state: "in_progress" }, data: { state: "rolled_back", endedAt: new Date() } });
    await recordChange(
      tx,
      { cutoverId, actorId: mover.userId, actorName: mover.name, role: mover.role, action: "rollback.completed", subject: `rollback:${rollbackId}`, after: { hooks: results.map((r) => ({ name: r.name, ok: r.ok })) }, requestId: input.requestId, rehearsal },
      { type: "rollback.completed", cutoverId, subject: `rollback:${rollbackId}`, data: { ok, hooks: results.length } },
    );
  });
}

export async function setTrafficSteps(ctx: CutoverContext, input: z.output<typeof trafficStepsInput>) {
  const before = await ctx.tx.trafficStep.findMany({ where: { cutoverId: input.cutoverId }, orderBy: { position: "asc" } });
  await ctx.tx.trafficStep.deleteMany({ where: { cutoverId: input.cutoverId } });
  await ctx.tx.trafficStep.createMany({ data: input.steps.map((percent, position) => ({ cutoverId: input.cutoverId, percent, position, decisionId: before.find((b) => b.percent === percent)?.decisionId ?? null })) });
  await ctx.record("traffic.steps_updated", `cutover:${input.cutoverId}`, { before: before.map((b) => b.percent), after: input.steps });
  return { steps: input.steps };
}

export async function setRouter(ctx: CutoverContext, input: z.output<typeof routerInput>) {
  const picked = input.integration === null ? null : await requireIntegration(input.integration, "router");
  const before = await ctx.tx.cutover.findUniqueOrThrow({ where: { id: input.cutoverId }, select: { routerIntegration: true } });
  await ctx.tx.cutover.update({ where: { id: input.cutoverId }, data: { routerIntegration: picked?.name ?? null } });
  await ctx.record("router.updated", `cutover:${input.cutoverId}`, { before: { integration: before.routerIntegration }, after: { integration: picked?.name ?? null, kind: picked?.kind ?? null } });
  return { integration: picked?.name ?? null, kind: picked?.kind ?? null };
}

/** "Test connection", after the table allowed it: reads the split the router holds now; answers the percent or a short reason. */
export async function testRouter(input: z.output<typeof cutoverOnly>) {
  const { router, label } = await routerOf(input.cutoverId);
  try {
    return { percent: await router.read(AbortSignal.timeout(5000)) };
  } catch (err) {
    throw new AppError("router_failed", `${label} did not answer: ${shortReason((err as Error).message)}`);
  }
}

export async function addHook(ctx: CutoverContext, input: z.output<typeof hookInput>) {
  const picked = await requireIntegration(input.integration, "hook");
  const position = await ctx.tx.rollbackHook.count({ where: { cutoverId: input.cutoverId } });
  const h = await ctx.tx.rollbackHook.create({ data: { cutoverId: input.cutoverId, name: input.name, integration: picked.name, position } });
  await ctx.record("rollback_hook.added", `hook:${h.id}`, { after: { name: h.name, integration: picked.name, kind: picked.kind } });
  return { hookId: h.id };
}

export async function removeHook(ctx: CutoverContext, input: z.output<typeof removeInput>) {
  const h = requireFound(await ctx.tx.rollbackHook.findFirst({ where: { id: input.id, cutoverId: input.cutoverId } }), "Hook");
  await ctx.tx.rollbackHook.delete({ where: { id: h.id } });
  await ctx.tx.rollbackHook.updateMany({ where: { cutoverId: input.cutoverId, position: { gt: h.position } }, data: { position: { decrement: 1 } } });
  await ctx.record("rollback_hook.removed", `hook:${h.id}`, { before: { name: h.name, integration: h.integration } });
  return { hookId: h.id };
}

/**
 * The traffic tab: split, steps, the router and hooks by name and kind (never their settings),
 * recent changes and rollbacks. Hook output and the catalog's choices only for those who edit them.
 */
export async function getTrafficView(actor: Actor, raw: z.input<typeof cutoverOnly>): Promise<TrafficView> {
  const input = cutoverOnly.parse(raw);
  const view = await withCutover(actor, input.cutoverId, "cutover.view", async (ctx) => {
    const editor = can(ctx.roles, "router.edit");
    const c = await ctx.tx.cutover.findUniqueOrThrow({
      where: { id: input.cutoverId },
      select: {
        trafficPercent: true,
        mode: true,
        routerIntegration: true,
        trafficSteps: { orderBy: { position: "asc" }, select: { percent: true, decisionId: true } },
        rollbackHooks: { orderBy: { position: "asc" } },
        trafficChanges: { orderBy: { requestedAt: "desc" }, take: 20 },
        rollbacks: { orderBy: { startedAt: "desc" }, take: 5 },
        triggers: { orderBy: { forSeconds: "asc" }, include: { metric: { select: { name: true, unit: true } } } },
      },
    });
    return {
      editor,
      percent: c.trafficPercent,
      rehearsal: c.mode === "rehearsal",
      steps: c.trafficSteps,
      routerIntegration: c.routerIntegration,
      hooks: c.rollbackHooks.map((h) => ({ id: h.id, name: h.name, integration: h.integration, position: h.position })),
      changes: c.trafficChanges.map((t) => ({ id: t.id, from: t.fromPercent, to: t.toPercent, state: t.state, override: t.override, note: t.note, error: t.error, durationMs: t.durationMs, triggerId: t.triggerId, requestedAt: t.requestedAt.toISOString(), finishedAt: t.finishedAt?.toISOString() ?? null })),
      rollbacks: c.rollbacks.map((r) => ({ id: r.id, state: r.state, reason: r.reason, durationMs: r.durationMs, hookResults: editor ? (r.hookResults as HookResult[]) : (r.hookResults as HookResult[]).map(({ name, ok, durationMs }) => ({ name, ok, durationMs })), triggerId: r.triggerId, startedAt: r.startedAt.toISOString(), finishedAt: r.finishedAt?.toISOString() ?? null })),
      triggers: c.triggers.map((t) => ({
        id: t.id,
        metric: t.metric.name,
        unit: t.metric.unit,
        metricId: t.metricId,
        system: t.system,
        comparison: t.comparison,
        threshold: t.threshold,
        forSeconds: t.forSeconds,
        keepFiringForSeconds: t.keepFiringForSeconds,
        severity: t.severity,
        action: t.action,
        shiftToPercent: t.shiftToPercent,
        mode: t.mode,
        errorRollbackAfter: t.errorRollbackAfter,
        enabled: t.enabled,
        state: t.state,
        pendingSince: t.pendingSince?.toISOString() ?? null,
        firedAt: t.firedAt?.toISOString() ?? null,
        lastOutcome: t.lastOutcome,
        description: t.description,
      })),
    };
  });
  // Names and kinds only: resolved outside the transaction (the file is read from memory).
  const kindOf = async (name: string | null) => (name ? ((await resolveIntegration(name))?.kind ?? null) : null);
  const { routerIntegration, editor, ...rest } = view;
  return {
    ...rest,
    router: routerIntegration ? { name: routerIntegration, kind: await kindOf(routerIntegration) } : null,
    hooks: await Promise.all(view.hooks.map(async (h) => ({ ...h, kind: await kindOf(h.integration) }))),
    editable: editor,
    choices: editor ? { routers: await integrationChoices("router"), hooks: await integrationChoices("hook") } : null,
  };
}
export type { TrafficView };
