// One writer moves a cutover's traffic at a time, whatever the number of app processes: a
// session-level PostgreSQL advisory lock per cutover, held on a dedicated connection around the
// whole change, plus a fencing number bumped when the lock is taken. The change is recorded only
// if the fence is still ours, so a process that lost its lock (its connection died mid-change)
// can never record a stale change over a newer one.
import pg from "pg";
import { AppError } from "@/lib/errors";
import { announce, type BusEvent } from "@/lib/realtime/bus";

let pool: pg.Pool | null = null;
function lockPool() {
  pool ??= new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10, connectionTimeoutMillis: 3000 });
  pool.on("error", () => {});
  return pool;
}

export async function closeLockPool() {
  const p = pool;
  pool = null;
  await p?.end().catch(() => {});
}

export interface ChangeRecord {
  changeId: string;
  durationMs: number;
  audit: { actorId: string | null; actorName: string; role: string | null; action: string; subject: string; before: unknown; after: unknown; rehearsal: boolean };
  event: Omit<BusEvent, "at">;
}

export interface FencedChange {
  fence: bigint;
  currentPercent: number;
  /**
   * In one transaction: the new split, the change marked verified, its audit event and the room's
   * announcement; only if no other writer took the lock since (false means fenced out).
   */
  commit(toPercent: number, record: ChangeRecord): Promise<boolean>;
}

export async function withTrafficLock<T>(cutoverId: string, waitMs: number, fn: (change: FencedChange) => Promise<T>): Promise<T> {
  const client = await lockPool().connect();
  let locked = false;
  try {
    await client.query(`SET lock_timeout = ${Math.max(1, Math.round(waitMs))}`);
    try {
      await client.query("SELECT pg_advisory_lock(hashtext('traffic'), hashtext($1))", [cutoverId]);
      locked = true;
    } catch (err) {
      if ((err as { code?: string }).code === "55P03") throw new AppError("conflict", "Another traffic change of this cutover is in progress: try again when it finishes");
      throw err;
    }
    const bumped = await client.query<{ fence: string; traffic_percent: number }>("UPDATE cutovers SET fence = fence + 1 WHERE id = $1 RETURNING fence, traffic_percent", [cutoverId]);
    const row = bumped.rows[0];
    if (!row) throw new AppError("not_found", "No such cutover");
    const fence = BigInt(row.fence);
    return await fn({
      fence,
      currentPercent: row.traffic_percent,
      async commit(toPercent, record) {
        await client.query("BEGIN");
        try {
          const r = await client.query("UPDATE cutovers SET traffic_percent = $2, updated_at = now() WHERE id = $1 AND fence = $3", [cutoverId, toPercent, fence.toString()]);
          if (r.rowCount !== 1) {
            await client.query("ROLLBACK");
            return false;
          }
          await client.query("UPDATE traffic_changes SET state = 'verified', duration_ms = $2, finished_at = now() WHERE id = $1", [record.changeId, record.durationMs]);
          const a = record.audit;
          await client.query(
            "INSERT INTO audit_events (cutover_id, actor_id, actor_name, role, action, subject, before, after, rehearsal) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            [cutoverId, a.actorId, a.actorName, a.role, a.action, a.subject, JSON.stringify(a.before ?? null), JSON.stringify(a.after ?? null), a.rehearsal],
          );
          await announce({ $executeRawUnsafe: (q: string, ...v: unknown[]) => client.query(q, v).then((x) => x.rowCount ?? 0) }, record.event);
          await client.query("COMMIT");
          return true;
        } catch (err) {
          await client.query("ROLLBACK").catch(() => {});
          throw err;
        }
      },
    });
  } finally {
    if (locked) await client.query("SELECT pg_advisory_unlock(hashtext('traffic'), hashtext($1))", [cutoverId]).catch(() => {});
    client.release();
  }
}
