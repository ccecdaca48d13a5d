// What a dead process left behind: a rollback still marked running (its lease is free: the owner's
// session ended) or a traffic change still marked requested (its traffic lock is free). Nothing will
// ever finish them, so they are closed honestly: the router's real split is read back, written in
// the audit row and announced, and the recorded split follows the router only when it was read
// (otherwise it stays, and the audit row says "unknown").
// Two callers: the next press or shift of that cutover (it takes over at once), and each process at
// start (reconcileTraffic). The closing updates are conditional (still running / still requested),
// so two processes closing the same rows at once record them once.
import { db, sql } from "@/lib/db/client";
import { tryLocks, type Lease } from "@/lib/db/cutover-lock";
import { shortReason } from "@/lib/integrations/schemas";
import { recordChange } from "../audit";
import { routerOf, type Mover, type Routing } from "./routing";

/** How long reading the split back may take: a hanging router must not hold up the takeover long. */
const READ_BACK_MS = 2_000;

/** The actor of what the start-up check records: no person asked for it. */
export const RECONCILER: Mover = { userId: null, name: "warroom (start-up check)", role: null };

export interface SettleOptions {
  cutoverId: string;
  mover: Mover;
  /**
   * Close running rollbacks: true when the caller holds the cutover's rollback lease (their owner
   * is dead); "try" when it found the lease free and gave it back: it is tried again on `lease`
   * just before writing, so the lease is not held while the router is read (a press meanwhile
   * takes over instead of joining a rollback nobody runs).
   */
  rollbacks: boolean | "try";
  lease?: Lease;
  /**
   * Close requested changes: the caller holds the cutover's traffic lock. `except` is the caller's
   * own change; `bumpFence` when the caller took the lock without a fence of its own (a writer that
   * lost its lock but still runs can then record nothing).
   */
  changes: false | { except?: string; bumpFence: boolean };
  routing?: Routing;
  requestId?: string;
}

export interface Settled {
  rollbacks: string[];
  changes: string[];
  /** The split the router answered, null when it could not be read. */
  routerPercent: number | null;
  /** The recorded split afterwards. */
  recordedPercent: number;
}

interface Left {
  mode: string;
  traffic_percent: number;
  rollbacks: { id: string; started_at: string; user_id: string | null; hooks: number }[];
  changes: { id: string; from_percent: number; to_percent: number; requested_at: string }[];
}

const LEFT = `SELECT c.mode::text AS mode, c.traffic_percent,
    COALESCE((SELECT json_agg(json_build_object('id', r.id, 'started_at', r.started_at, 'user_id', r.user_id, 'hooks', jsonb_array_length(r.hook_results)) ORDER BY r.started_at)
              FROM rollbacks r WHERE r.cutover_id = c.id AND r.state = 'running' AND $2), '[]') AS rollbacks,
    COALESCE((SELECT json_agg(json_build_object('id', t.id, 'from_percent', t.from_percent, 'to_percent', t.to_percent, 'requested_at', t.requested_at) ORDER BY t.requested_at)
              FROM traffic_changes t WHERE t.cutover_id = c.id AND t.state = 'requested' AND $3 AND t.id IS DISTINCT FROM $4::uuid), '[]') AS changes
  FROM cutovers c WHERE c.id = $1`;

async function readBack(cutoverId: string, routing: Routing | undefined): Promise<{ percent: number | null; error: string | null }> {
  try {
    const { router } = routing ?? (await routerOf(cutoverId));
    return { percent: await router.read(AbortSignal.timeout(READ_BACK_MS)), error: null };
  } catch (err) {
    return { percent: null, error: shortReason((err as Error).message) };
  }
}

/** Closes what the dead owners of this cutover's rollback lease / traffic lock left; see the file's head. */
export async function settleDeadWork(opts: SettleOptions): Promise<Settled> {
  const { rows } = await sql().query<Left>(LEFT, [opts.cutoverId, opts.rollbacks !== false, opts.changes !== false, opts.changes ? (opts.changes.except ?? null) : null]);
  const left = rows[0];
  if (!left) return { rollbacks: [], changes: [], routerPercent: null, recordedPercent: 0 };
  if (left.rollbacks.length === 0 && left.changes.length === 0) return { rollbacks: [], changes: [], routerPercent: null, recordedPercent: left.traffic_percent };

  // Under the locks: nobody else moves this router while it is read.
  const real = await readBack(opts.cutoverId, opts.routing);
  // Someone took the lease since (a press taking over): theirs to close.
  if (opts.rollbacks === "try" && left.rollbacks.length > 0 && !(await opts.lease?.try("rollback"))) left.rollbacks = [];
  const router = real.percent ?? "unknown";
  const rehearsal = left.mode === "rehearsal";
  const { cutoverId, mover, requestId } = opts;
  const actor = { cutoverId, actorId: mover.userId, actorName: mover.name, role: mover.role, requestId, rehearsal };
  const why = "the process running it ended before it finished";

  // The recorded split follows the router only under the traffic lock, and only when it was read.
  const recorded = opts.changes && real.percent !== null ? real.percent : left.traffic_percent;
  return db().$transaction(async (tx) => {
    const split = { routerPercent: router, recordedBefore: left.traffic_percent, recordedPercent: recorded, ...(real.error ? { readError: real.error } : {}) };
    const changes: string[] = [];
    for (const c of left.changes) {
      const error = `abandoned: ${why}; the router reads ${router === "unknown" ? `an unknown split (${real.error ?? "not read"})` : `${router} %`}`;
      const closed = await tx.trafficChange.updateMany({ where: { id: c.id, state: "requested" }, data: { state: "failed", error: error.slice(0, 2000), finishedAt: new Date() } });
      if (closed.count === 0) continue;
      changes.push(c.id);
      await recordChange(
        tx,
        { ...actor, action: "traffic.change_abandoned", subject: `traffic:${c.id}`, before: { percent: c.from_percent, target: c.to_percent, requestedAt: c.requested_at }, after: { state: "failed", ...split } },
        { type: "traffic.change_abandoned", cutoverId, actor: mover.name, subject: `traffic:${c.id}` },
      );
    }
    const rollbacks: string[] = [];
    for (const r of left.rollbacks) {
      const note = { name: "rollback owner", ok: false, output: `abandoned: ${why}; the router reads ${router === "unknown" ? "an unknown split" : `${router} %`}` };
      const current = await tx.rollback.findUnique({ where: { id: r.id }, select: { hookResults: true } });
      const hooks = Array.isArray(current?.hookResults) ? current.hookResults : [];
      const closed = await tx.rollback.updateMany({ where: { id: r.id, state: "running" }, data: { state: "abandoned", finishedAt: new Date(), hookResults: [...hooks, note] } });
      if (closed.count === 0) continue;
      rollbacks.push(r.id);
      await recordChange(
        tx,
        { ...actor, action: "rollback.abandoned", subject: `rollback:${r.id}`, before: { state: "running", startedAt: r.started_at, hooksFinished: r.hooks }, after: { state: "abandoned", ...split } },
        { type: "rollback.abandoned", cutoverId, actor: mover.name, subject: `rollback:${r.id}` },
      );
    }
    // Written with what it closed, never on its own (another process closed them first: theirs).
    if (opts.changes && rollbacks.length + changes.length > 0 && recorded !== left.traffic_percent) {
      await tx.cutover.update({ where: { id: cutoverId }, data: { trafficPercent: recorded, ...(opts.changes.bumpFence ? { fence: { increment: 1 } } : {}) } });
    }
    return { rollbacks, changes, routerPercent: real.percent, recordedPercent: rollbacks.length + changes.length > 0 ? recorded : left.traffic_percent };
  });
}

export interface Reconciled extends Settled {
  cutoverId: string;
}

/**
 * At start: every cutover where a rollback is running or a change requested with its lease / lock
 * free (its process is dead) is settled. Live owners (another process) keep theirs. Returns what
 * was closed.
 */
export async function reconcileTraffic(opts: { log?: (line: string) => void } = {}): Promise<Reconciled[]> {
  const { rows } = await sql().query<{ cutover_id: string }>(
    "SELECT cutover_id FROM rollbacks WHERE state = 'running' UNION SELECT cutover_id FROM traffic_changes WHERE state = 'requested'",
  );
  const done: Reconciled[] = [];
  for (const { cutover_id: cutoverId } of rows) {
    // One cutover that cannot be settled now (its database row vanished, a query failed) does not
    // stop the others or the start: the next press of that cutover settles it.
    const lease = await tryLocks(cutoverId, ["rollback", "traffic"]).catch((err: Error) => {
      opts.log?.(`cutover ${cutoverId}: what a dead process left could not be checked: ${shortReason(err.message)}`);
      return null;
    });
    if (!lease) continue;
    try {
      if (!lease.holds("rollback") && !lease.holds("traffic")) continue;
      // A free lease means a dead owner; it is given back while the router is read (see "try").
      const dead = lease.holds("rollback");
      await lease.unlock("rollback");
      const settled = await settleDeadWork({ cutoverId, mover: RECONCILER, rollbacks: dead ? "try" : false, lease, changes: lease.holds("traffic") ? { bumpFence: true } : false });
      if (settled.rollbacks.length + settled.changes.length === 0) continue;
      done.push({ cutoverId, ...settled });
      opts.log?.(
        `cutover ${cutoverId}: closed ${settled.rollbacks.length} abandoned rollback(s) and ${settled.changes.length} abandoned traffic change(s); the router reads ${settled.routerPercent ?? "an unknown split"}${settled.routerPercent === null ? "" : " %"}`,
      );
    } catch (err) {
      opts.log?.(`cutover ${cutoverId}: what a dead process left could not be closed: ${shortReason((err as Error).message)}`);
    } finally {
      await lease.release();
    }
  }
  return done;
}
