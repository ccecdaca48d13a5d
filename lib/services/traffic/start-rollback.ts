// One-click rollback: 100 % to old (with retries), then the hooks in order. The claim of a running
// rollback, its lease and its announcement are one statement; the split goes through changeSplit.
// The lease (lib/db/cutover-lock.ts) is held from the claim until the hooks finished and dies with
// this process: a later press that finds the row running but the lease free takes over at once.
import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { db, sql } from "@/lib/db/client";
import { KEEPALIVE_SQL, openLease, tryLocks, tryLockSql, type Lease } from "@/lib/db/cutover-lock";
import { AppError } from "@/lib/errors";
import type { Role } from "@/lib/domain/roles";
import { shortReason } from "@/lib/integrations/schemas";
import { BUS_CHANNEL, busPayload } from "@/lib/realtime/bus";
import type { rollbackInput } from "@/lib/schemas/room";
import { recordChange } from "../audit";
import { auditRole, type AuthorizingCall } from "../context";
import { changeSplit } from "./change-split";
import { settleDeadWork } from "./reconcile";
import { actorOf, routerFrom, type Mover, type RouterSettings } from "./routing";
import { runRollbackHooks } from "./run-rollback-hooks";

// A rollback whose hooks failed is joined only by presses this close to it (people pressing at
// once); a later press runs the rollback again, which retries its hooks.
const JOIN_FINISHED_WITHIN_MS = 5_000;
// Pauses before reading the state again when the lease was busy but nothing could be joined yet
// (another press is between taking the lease and committing its claim, or a rollback is finishing).
const RETRY_PAUSES_MS = [2, 10, 50, 200];

export interface RollbackState extends RouterSettings {
  roles: Role[];
  traffic_percent: number;
  running_id: string | null;
  running_started_at: Date | null;
  recent_id: string | null;
  recent_started_at: Date | null;
  recent_state: string | null;
  recent_duration_ms: number | null;
}

/**
 * The finished rollback a press joins instead of running again: one rollback per episode (from the
 * last shift up to the rollback). The latest rollback of the cutover, if it completed and no shift
 * towards new has been made since it began; one that completed with errors only within
 * JOIN_FINISHED_WITHIN_MS (secs: that many seconds). The caller also requires the split at 0.
 */
const episodeRollbackSql = (cutover: string, secs: string) => `SELECT r.id, r.started_at, r.state::text AS state, r.duration_ms FROM rollbacks r
   WHERE r.cutover_id = ${cutover} AND r.state IN ('completed', 'completed_with_errors')
     AND (r.state = 'completed' OR r.started_at > now() - make_interval(secs => ${secs}))
     AND r.started_at = (SELECT max(l.started_at) FROM rollbacks l WHERE l.cutover_id = r.cutover_id)
     AND NOT EXISTS (SELECT 1 FROM traffic_changes t WHERE t.cutover_id = r.cutover_id AND t.to_percent > 0 AND t.state <> 'failed' AND t.requested_at > r.started_at)
   LIMIT 1`;

// Everything a rollback decides on, in one round trip: the caller's roles, the router, the split,
// the rollback running now and the finished one of this episode.
const ROLLBACK_STATE = {
  name: "rollback-state",
  text: `SELECT c.router_integration, c.mode::text AS mode, c.traffic_percent,
         ARRAY(SELECT m.role::text FROM cutover_members m WHERE m.cutover_id = c.id AND m.user_id = $2 ORDER BY m.role) AS roles,
         run.id AS running_id, run.started_at AS running_started_at, rec.id AS recent_id, rec.started_at AS recent_started_at,
         rec.state AS recent_state, rec.duration_ms AS recent_duration_ms
    FROM cutovers c
    LEFT JOIN LATERAL (SELECT id, started_at FROM rollbacks WHERE cutover_id = c.id AND state = 'running' ORDER BY started_at DESC LIMIT 1) run ON true
    LEFT JOIN LATERAL (${episodeRollbackSql("c.id", "$3")}) rec ON true
   WHERE c.id = $1`,
};

// The claim, on the lease's connection: the lease (unless $6 says it is held already), then one
// running rollback per cutover (partial unique index), announced in the same statement. The
// episode's finished rollback, with the split at 0, is joined instead, checked here again: a press
// whose state read came before another one claimed, ran and finished (a fast router takes a few ms)
// must not run a second time. Always one row: whether the lease is ours, the claimed rollback (null
// when one is running or the episode's is joined), and the episode's finished one.
const CLAIM = {
  name: "rollback-claim",
  text: `WITH l AS MATERIALIZED (SELECT ${KEEPALIVE_SQL} AS k, $6::bool OR ${tryLockSql("rollback", "$1")} AS leased),
    rec AS (SELECT e.id, e.state, e.duration_ms FROM (${episodeRollbackSql("$1::uuid", "$7")}) e JOIN cutovers c ON c.id = $1::uuid WHERE c.traffic_percent = 0),
    ins AS (
      INSERT INTO rollbacks (id, cutover_id, user_id, trigger_id, reason, state, hook_results, started_at)
      SELECT gen_random_uuid(), $1::uuid, $2::uuid, $3::uuid, $4, 'running', '[]', now() FROM l WHERE l.leased AND NOT EXISTS (SELECT 1 FROM rec)
      ON CONFLICT (cutover_id) WHERE state = 'running' DO NOTHING RETURNING id, started_at)
    SELECT l.leased, ins.id, ins.started_at, (SELECT id FROM rec) AS recent_id, (SELECT state FROM rec) AS recent_state, (SELECT duration_ms FROM rec) AS recent_duration_ms,
           CASE WHEN ins.id IS NOT NULL THEN pg_notify('${BUS_CHANNEL}', replace($5, '__ROLLBACK__', ins.id::text)) IS NULL END AS announced
      FROM l LEFT JOIN ins ON true`,
};

async function rollbackState(cutoverId: string, userId: string | null): Promise<RollbackState> {
  const { rows } = await sql().query<RollbackState>({ ...ROLLBACK_STATE, values: [cutoverId, userId, JOIN_FINISHED_WITHIN_MS / 1000] });
  if (!rows[0]) throw new AppError("not_found", "No such cutover, or you are not a member of it");
  return rows[0];
}

/** How a finished rollback that a press joined ended: ok unless a hook failed; its split's duration. */
type JoinedFinished = { ok: boolean; durationMs: number | null };
type Started = { rollbackId: string; joined: true; finished?: JoinedFinished } | { rollbackId: string; joined: false; durationMs: number; from: number };
type RollbackInput = { cutoverId: string; reason: string | null; triggerId?: string | null; requestId?: string };
const joined = (rollbackId: string) => ({ rollbackId, joined: true as const });
/** The episode's rollback has finished: the press joins it and is told how it ended (nothing more will be announced). */
const joinedFinished = (rollbackId: string, state: string | null, durationMs: number | null): Started => ({ rollbackId, joined: true, finished: { ok: state === "completed", durationMs } });

/**
 * One-click rollback: 100 % to old (with retries), then the hooks in order, each result announced.
 * Idempotent: while one runs, every other request joins it (a partial unique index allows one
 * running rollback per cutover, and its owner holds the cutover's rollback lease). A running row
 * whose lease is free was left by a dead process: it is closed (the router's split read back and
 * recorded) and this press takes over. Resolves when the split is verified; hooks continue after.
 * The path to the router is three plain SQL round trips (state, lease + claim, lock + fence +
 * request); one more (the lease check) only when a rollback is marked running, and taking over
 * from a dead owner also reads the router back (at most 2 s) and records what it left.
 */
export async function startRollback(mover: Mover, input: RollbackInput, known?: RollbackState): Promise<Started> {
  let state = known ?? (await rollbackState(input.cutoverId, mover.userId));
  for (const pause of [...RETRY_PAUSES_MS, null]) {
    const started = await tryStart(mover, input, state);
    if (started) return started;
    if (pause === null) break;
    await sleep(pause);
    state = await rollbackState(input.cutoverId, mover.userId);
  }
  throw new AppError("conflict", "Another rollback of this cutover is starting or finishing: check the traffic tab, and press again if traffic is not back on old", undefined, "concurrent_change");
}

/** One attempt; null when the lease was busy with nothing to join yet (the caller reads the state again). */
async function tryStart(mover: Mover, input: RollbackInput, state: RollbackState): Promise<Started | null> {
  let lease: Lease | null = null;
  if (state.running_id) {
    // Is its owner alive? Its lease says so; the traffic lock is tried with it, to close a change
    // the dead owner left requested.
    lease = await tryLocks(input.cutoverId, ["rollback", "traffic"]);
    if (!lease.holds("rollback")) {
      void lease.release();
      return joined(state.running_id);
    }
    try {
      const settled = await settleDeadWork({ cutoverId: input.cutoverId, mover, rollbacks: true, changes: lease.holds("traffic") ? { bumpFence: true } : false, requestId: input.requestId });
      await lease.unlock("traffic");
      // It finished (its owner gave the lease back) between the read and the check: decide again.
      if (!settled.rollbacks.includes(state.running_id)) {
        await lease.release();
        return null;
      }
    } catch (err) {
      await lease.release();
      throw err;
    }
  } else if (state.recent_id && state.traffic_percent === 0) {
    // This episode's rollback has finished (two people pressing at once, the first done before the
    // second request arrived: a fast router takes a few ms; or a press seconds later, nothing
    // shifted since): the press joins that one instead of running the rollback again.
    return joinedFinished(state.recent_id, state.recent_state, state.recent_duration_ms);
  }

  lease ??= await openLease(input.cutoverId, { spare: true });
  const owned = lease;
  let claim: { id: string; startedAt: number };
  try {
    const announcement = busPayload({ type: "rollback.started", cutoverId: input.cutoverId, ...actorOf(mover), subject: "rollback:__ROLLBACK__", data: { reason: input.reason } });
    const { rows } = await owned.query<{ leased: boolean; id: string | null; started_at: Date | null; recent_id: string | null; recent_state: string | null; recent_duration_ms: number | null }>(CLAIM, [
      input.cutoverId,
      mover.userId,
      input.triggerId ?? null,
      input.reason,
      announcement,
      owned.holds("rollback"),
      JOIN_FINISHED_WITHIN_MS / 1000,
    ]);
    const row = rows[0];
    if (row?.leased) owned.took("rollback");
    if (row?.recent_id && !row.id) {
      await owned.release();
      return joinedFinished(row.recent_id, row.recent_state, row.recent_duration_ms);
    }
    if (!row?.id || !row.started_at) {
      // The lease is someone else's (their claim is about to be visible), or a rollback is marked
      // running that the state read did not show: decide again from a fresh read.
      await owned.release();
      return null;
    }
    claim = { id: row.id, startedAt: row.started_at.getTime() };
  } catch (err) {
    await owned.release();
    throw err;
  }

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
    try {
      await db().$transaction(async (tx) => {
        await tx.rollback.update({ where: { id: claim.id }, data: { state: "failed", finishedAt: new Date(), hookResults: [{ name: "traffic split", ok: false, output: message }] } });
        await recordChange(
          tx,
          { cutoverId: input.cutoverId, actorId: mover.userId, actorName: mover.name, role: mover.role, action: "rollback.failed", subject: `rollback:${claim.id}`, after: { error: message }, requestId: input.requestId, rehearsal: state.mode === "rehearsal" },
          { type: "rollback.failed", cutoverId: input.cutoverId, actor: mover.name, subject: `rollback:${claim.id}`, data: { error: message.slice(0, 500) } },
        );
      });
    } finally {
      await owned.release();
    }
    throw err;
  }
  void runRollbackHooks(claim.id, input.cutoverId, mover, input, state.mode === "rehearsal")
    .catch((err: unknown) => console.error("[warroom] rollback hooks failed:", err))
    .finally(() => owned.release());
  return { rollbackId: claim.id, joined: false, durationMs: split.durationMs, from: split.from };
}

/** The rollback button and POST /rollback: one read of roles and state, the table decides, then startRollback. */
export async function rollback(call: AuthorizingCall, input: z.output<typeof rollbackInput>) {
  const state = await rollbackState(input.cutoverId, call.actor.id);
  const roles = call.authorize(state.roles);
  return startRollback({ userId: call.actor.id, name: call.actor.name, role: auditRole(call.actor, roles) }, { cutoverId: input.cutoverId, reason: input.reason, requestId: call.requestId }, state);
}
