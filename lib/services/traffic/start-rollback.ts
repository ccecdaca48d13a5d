// One-click rollback: 100 % to old (with retries), then the hooks in order. The claim of a running
// rollback and its announcement are one statement; the split goes through changeSplit.
import { z } from "zod";
import { db, sql } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import type { Role } from "@/lib/domain/roles";
import { shortReason } from "@/lib/integrations/schemas";
import { BUS_CHANNEL, busPayload } from "@/lib/realtime/bus";
import type { rollbackInput } from "@/lib/schemas/room";
import { recordChange } from "../audit";
import { auditRole, type AuthorizingCall } from "../context";
import { changeSplit } from "./change-split";
import { routerFrom, type Mover, type RouterSettings } from "./routing";
import { runRollbackHooks } from "./run-rollback-hooks";

const ABANDONED_AFTER_MS = 120_000;
const JOIN_FINISHED_WITHIN_MS = 5_000;

export interface RollbackState extends RouterSettings {
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
  void runRollbackHooks(claim.id, input.cutoverId, mover, input, state.mode === "rehearsal").catch((err: unknown) => console.error("[warroom] rollback hooks failed:", err));
  return { rollbackId: claim.id, joined: false as const, durationMs: split.durationMs, from: split.from };
}

/** The rollback button and POST /rollback: one read of roles and state, the table decides, then startRollback. */
export async function rollback(call: AuthorizingCall, input: z.output<typeof rollbackInput>) {
  const state = await rollbackState(input.cutoverId, call.actor.id);
  const roles = call.authorize(state.roles);
  return startRollback({ userId: call.actor.id, name: call.actor.name, role: auditRole(call.actor, roles) }, { cutoverId: input.cutoverId, reason: input.reason, requestId: call.requestId }, state);
}
