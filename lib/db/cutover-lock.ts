// One writer moves a cutover's traffic at a time, whatever the number of app processes: a
// session-level PostgreSQL advisory lock per cutover, held on a dedicated connection around the
// whole change, plus a fencing number bumped when the lock is taken. The change is recorded only
// if the fence is still ours, so a process that lost its lock (its connection died mid-change)
// can never record a stale change over a newer one.
// This file only takes the lock and checks the fence: what the change records (its audit row, the
// room's announcement) is the caller's, passed in as part of the fenced statement.
//
// Beside it, the rollback lease: a running rollback is owned through a second session-level lock
// per cutover, held on its own connection from the claim until its hooks finished. It dies with
// its process (PostgreSQL ends the session), so "the lease is free while a row says running"
// means the owner is dead, at once, with no timeout to wait out.
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

/** The locks a cutover has: its traffic lock (one writer of the split) and its rollback lease. */
export type CutoverLock = "traffic" | "rollback";

const lockArgs = (kind: CutoverLock, param: string) => `hashtext('${kind}'), hashtext(${param}::text)`;

/** SQL that tries a cutover's lock without waiting (true when taken), for a statement run through a Lease. */
export const tryLockSql = (kind: CutoverLock, param: string) => `pg_try_advisory_lock(${lockArgs(kind, param)})`;

/**
 * SQL (a text value) that makes PostgreSQL probe this session's TCP connection after 10 s idle,
 * every 5 s, 3 times: a host that vanishes without closing its connections (power loss, a network
 * partition) loses its locks within about 25 s instead of the kernel's two hours. Set in the same
 * statement that takes a lock, so it costs no round trip; Unix-socket sessions ignore it.
 */
export const KEEPALIVE_SQL = `concat(set_config('tcp_keepalives_idle', '10', false), set_config('tcp_keepalives_interval', '5', false), set_config('tcp_keepalives_count', '3', false))`;

/**
 * A dedicated connection that holds (some of) a cutover's locks until released. Session-level
 * locks stack (taking one twice needs two unlocks), so the holder keeps count of what it took and
 * a connection whose unlock failed is discarded, never handed back to the pool still locked.
 */
export class Lease {
  private readonly held = new Set<CutoverLock>();
  private released = false;
  private lostWith: Error | null = null;
  // A lease sits idle on its connection for as long as the hooks run: if PostgreSQL ends the
  // session meanwhile (a restart), pg reports it as an 'error' event, which must not crash the
  // process; the locks went with the session.
  private readonly onLost = (err: Error) => {
    this.lostWith = err;
    this.held.clear();
  };

  constructor(
    readonly cutoverId: string,
    private readonly client: pg.PoolClient,
  ) {
    client.on("error", this.onLost);
  }

  holds(kind: CutoverLock): boolean {
    return this.held.has(kind);
  }

  /** Whether its connection died (every lock it held died with it). */
  get lost(): boolean {
    return this.lostWith !== null;
  }

  /** Notes a lock that a statement run through query() took (its tryLockSql answered true). */
  took(kind: CutoverLock): void {
    this.held.add(kind);
  }

  query<R extends pg.QueryResultRow>(statement: string | pg.QueryConfig, values: unknown[]): Promise<pg.QueryResult<R>> {
    return typeof statement === "string" ? this.client.query<R>(statement, values) : this.client.query<R>({ ...statement, values });
  }

  /** Tries one more of the cutover's locks without waiting (one round trip); true when it is held now. */
  async try(kind: CutoverLock): Promise<boolean> {
    if (this.held.has(kind)) return true;
    const { rows } = await this.client.query<{ got: boolean }>(`SELECT ${tryLockSql(kind, "$1")} AS got`, [this.cutoverId]);
    if (rows[0]?.got) this.held.add(kind);
    return this.held.has(kind);
  }

  async unlock(kind: CutoverLock): Promise<void> {
    if (!this.held.delete(kind)) return;
    try {
      await this.client.query(`SELECT pg_advisory_unlock(${lockArgs(kind, "$1")})`, [this.cutoverId]);
    } catch (err) {
      this.discard(err as Error);
      throw err;
    }
  }

  /** Gives every lock back and the connection to the pool; never throws. */
  async release(): Promise<void> {
    if (this.released) return;
    if (this.lostWith) return this.discard(this.lostWith);
    try {
      for (const kind of [...this.held]) await this.unlock(kind);
    } catch {
      return;
    }
    this.released = true;
    this.client.removeListener("error", this.onLost);
    this.client.release();
  }

  private discard(err: Error) {
    if (this.released) return;
    this.released = true;
    this.held.clear();
    this.client.removeListener("error", this.onLost);
    // Destroyed, not returned: whatever it still held dies with its session.
    this.client.release(err);
  }
}

/**
 * A Lease holding nothing yet: its first statement tries the locks (see tryLockSql). `spare`: the
 * caller takes the traffic lock right after (a rollback), which needs a second connection; after an
 * idle spell (the pool closes idle connections) both are opened at once, not one after the other.
 */
export async function openLease(cutoverId: string, opts: { spare?: boolean } = {}): Promise<Lease> {
  const p = lockPool();
  if (opts.spare && p.idleCount < 2 && p.waitingCount === 0) void p.connect().then((c) => c.release(), () => {});
  return new Lease(cutoverId, await p.connect());
}

/**
 * One round trip: tries the cutover's locks of `kinds` without waiting. lease.holds() tells which
 * were free; release() the lease in every case.
 */
export async function tryLocks(cutoverId: string, kinds: readonly CutoverLock[]): Promise<Lease> {
  const lease = await openLease(cutoverId);
  try {
    const { rows } = await lease.query<Record<CutoverLock, boolean>>(`SELECT ${KEEPALIVE_SQL} AS keepalive, ${kinds.map((k) => `${tryLockSql(k, "$1")} AS ${k}`).join(", ")}`, [cutoverId]);
    for (const k of kinds) if (rows[0]?.[k]) lease.took(k);
  } catch (err) {
    await lease.release();
    throw err;
  }
  return lease;
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
   * Other changes of this cutover still marked requested: their writers no longer hold the lock
   * (their process died), so nothing will ever finish them; the caller closes them.
   */
  abandoned: number;
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
  WITH l AS MATERIALIZED (SELECT set_config('lock_timeout', $2, false) AS t, ${KEEPALIVE_SQL} AS k, pg_advisory_lock(${lockArgs("traffic", "$1")}) AS locked),
  f AS (UPDATE cutovers c SET fence = fence + 1 FROM l WHERE c.id = $1::uuid RETURNING c.fence, c.traffic_percent)
  INSERT INTO traffic_changes (id, cutover_id, user_id, from_percent, to_percent, state, override, note, fence, trigger_id, requested_at)
  SELECT gen_random_uuid(), $1::uuid, $3::uuid, f.traffic_percent, $4, 'requested', $5, $6, f.fence, $7::uuid, now() FROM f
  RETURNING id, fence, from_percent,
    (SELECT count(*) FROM traffic_changes s WHERE s.cutover_id = $1::uuid AND s.state = 'requested')::int AS abandoned`;

// The fence check: the split is written only while the fence is ours; the caller's CTEs follow.
const commitSql = (write: FencedWrite) =>
  `WITH fenced AS (UPDATE cutovers SET traffic_percent = $2, updated_at = now() WHERE id = $1 AND fence = $3 RETURNING id)${write.with ? `, ${write.with}` : ""}
  SELECT ${write.select || "true"} FROM fenced`;

export async function withTrafficLock<T>(cutoverId: string, waitMs: number, request: RequestedChange, fn: (change: FencedChange) => Promise<T>): Promise<T> {
  const client = await lockPool().connect();
  // The connection idles while the router is called: a session PostgreSQL ends meanwhile is an
  // 'error' event that must not crash the process (the fence keeps the change from being recorded).
  let lost: Error | null = null;
  const onLost = (err: Error) => (lost = err);
  client.on("error", onLost);
  try {
    let row: { id: string; fence: string; from_percent: number; abandoned: number } | undefined;
    try {
      const r = await client.query<{ id: string; fence: string; from_percent: number; abandoned: number }>(LOCK_AND_REQUEST, [
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
      abandoned: row.abandoned,
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
      const unlocked = await client.query(`SELECT pg_advisory_unlock(${lockArgs("traffic", "$1")})`, [cutoverId]).then(
        () => null,
        (err: Error) => err,
      );
      client.removeListener("error", onLost);
      // A connection that may still hold the lock is destroyed, not pooled.
      client.release(lost ?? unlocked ?? undefined);
    };
    void release();
  }
}
