// One writer moves a cutover's traffic at a time, whatever the number of app processes: a
// session-level PostgreSQL advisory lock per cutover, held on a dedicated connection around the
// whole change, plus a fencing number bumped when the lock is taken. The change is recorded only
// if the fence is still ours, so a process that lost its lock (its connection died mid-change)
// can never record a stale change over a newer one.
// This file only takes the lock and checks the fence: what the change records (its audit row, the
// room's announcement) is the caller's, passed in as part of the fenced statement.
import type pg from "pg";
import { AppError } from "@/lib/errors";
import { createPool } from "./pool";

let pool: pg.Pool | null = null;
function lockPool() {
  // The factory registers the one error listener: an idle connection that dies (a database
  // restart) must not crash the process; the next lock gets a fresh one.
  pool ??= createPool({ connectionString: process.env.DATABASE_URL ?? "", name: "traffic-lock", max: 10, connectionTimeoutMillis: 3000 });
  return pool;
}

export async function closeLockPool() {
  const p = pool;
  pool = null;
  await p?.end().catch(() => {});
}

/** The first statement parameter a fenced write may use: $1 … $3 are the lock's (cutover, split, fence). */
export const FENCED_FIRST_PARAM = 4;

/**
 * What the caller writes when the fence holds, in the same statement as the new split: `with` is a
 * list of CTEs (no leading WITH) that reads the one-row relation `fenced` (empty when another
 * writer took the lock since) and parameters from $FENCED_FIRST_PARAM on, filled by `values`;
 * `select` is the final select list, evaluated once per row of `fenced` (e.g. the pg_notify).
 */
export interface FencedWrite {
  with: string;
  select: string;
  values: unknown[];
}

export interface FencedChange {
  fence: bigint;
  currentPercent: number;
  /** The requested change's row, written in the same round trip as the lock and the fence. */
  changeId: string;
  /**
   * In one statement: the new split and the caller's writes, only if no other writer took the lock
   * since (false means fenced out: nothing was written).
   */
  commit(toPercent: number, write: FencedWrite): Promise<boolean>;
}

export interface RequestedChange {
  toPercent: number;
  userId: string | null;
  override: boolean;
  note: string | null;
  triggerId: string | null;
}

// One round trip: wait for the cutover's lock (bounded by lock_timeout), bump the fence, and record
// the change as requested with the fence it runs under. The CTE with the volatile lock function is
// materialised, so the lock is held before the fence is bumped.
const LOCK_AND_REQUEST = `
  WITH l AS MATERIALIZED (SELECT set_config('lock_timeout', $2, false) AS t, pg_advisory_lock(hashtext('traffic'), hashtext($1::text)) AS locked),
  f AS (UPDATE cutovers c SET fence = fence + 1 FROM l WHERE c.id = $1::uuid RETURNING c.fence, c.traffic_percent)
  INSERT INTO traffic_changes (id, cutover_id, user_id, from_percent, to_percent, state, override, note, fence, trigger_id, requested_at)
  SELECT gen_random_uuid(), $1::uuid, $3::uuid, f.traffic_percent, $4, 'requested', $5, $6, f.fence, $7::uuid, now() FROM f
  RETURNING id, fence, from_percent`;

// The fence check: the split is written only while the fence is ours; the caller's CTEs follow.
const commitSql = (write: FencedWrite) =>
  `WITH fenced AS (UPDATE cutovers SET traffic_percent = $2, updated_at = now() WHERE id = $1 AND fence = $3 RETURNING id)${write.with ? `, ${write.with}` : ""}
  SELECT ${write.select || "true"} FROM fenced`;

export async function withTrafficLock<T>(cutoverId: string, waitMs: number, request: RequestedChange, fn: (change: FencedChange) => Promise<T>): Promise<T> {
  const client = await lockPool().connect();
  try {
    let row: { id: string; fence: string; from_percent: number } | undefined;
    try {
      const r = await client.query<{ id: string; fence: string; from_percent: number }>(LOCK_AND_REQUEST, [
        cutoverId,
        String(Math.max(1, Math.round(waitMs))),
        request.userId,
        request.toPercent,
        request.override,
        request.note,
        request.triggerId,
      ]);
      // The lock is taken even when the cutover is missing (no row): it is released below.
      row = r.rows[0];
    } catch (err) {
      if ((err as { code?: string }).code === "55P03") throw new AppError("conflict", "Another traffic change of this cutover is in progress: try again when it finishes", undefined, "concurrent_change");
      throw err;
    }
    if (!row) throw new AppError("not_found", "No such cutover");
    const fence = BigInt(row.fence);
    return await fn({
      fence,
      currentPercent: row.from_percent,
      changeId: row.id,
      async commit(toPercent, write) {
        const r = await client.query(commitSql(write), [cutoverId, toPercent, fence.toString(), ...write.values]);
        return r.rowCount === 1;
      },
    });
  } finally {
    // Unlocking does not hold up the answer: the next writer of this cutover waits for it anyway.
    // Always asked, even when the locking statement failed: a session lock taken by a statement that
    // failed afterwards is still held, and this connection goes back to the pool.
    const release = async () => {
      await client.query("SELECT pg_advisory_unlock(hashtext('traffic'), hashtext($1))", [cutoverId]).catch(() => {});
      client.release();
    };
    void release();
  }
}
