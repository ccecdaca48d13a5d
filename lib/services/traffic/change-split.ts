// The one path every split change takes (a shift, a rollback, a trigger): lock + fence, record the
// request, apply and verify with retries, then record the new split under the fence. A change is
// applied, read back, and only then recorded; a failed or unverified change is recorded as failed
// and announced to the room, and the recorded split stays the true one.
import { ExponentialBackoff, handleAll, retry } from "cockatiel";
import { randomUUID } from "node:crypto";
import { db } from "@/lib/db/client";
import { auditRowSql, type Announcement, type AuditEntry } from "@/lib/db/audit-sql";
import { FENCED_FIRST_PARAM, withTrafficLock, type FencedWrite } from "@/lib/db/cutover-lock";
import { AppError } from "@/lib/errors";
import { shortReason } from "@/lib/integrations/schemas";
import { recordChange } from "../audit";
import { settleDeadWork } from "./reconcile";
import { routerOf, type Mover, type Routing } from "./routing";

export interface ChangeRecord {
  changeId: string;
  durationMs: number;
  /** The rollback this change belongs to: its duration is written in the same statement. */
  rollbackId?: string | null;
  /** The change's audit row (its cutover is the locked one). */
  audit: Omit<AuditEntry, "cutoverId">;
  event: Announcement;
}

// Under the fence ($FENCED_FIRST_PARAM on): $4 change, $5 duration, $6 rollback, then the audit row
// and its announcement (the SQL twin of recordChange), written only if the fence held.
const P = FENCED_FIRST_PARAM;
const AUDIT = auditRowSql(P + 3, "fenced");
const VERIFIED = `t AS (UPDATE traffic_changes SET state = 'verified', duration_ms = $${P + 1}, finished_at = now() WHERE id = $${P} AND EXISTS (SELECT 1 FROM fenced) RETURNING id),
  r AS (UPDATE rollbacks SET duration_ms = $${P + 1} WHERE id = $${P + 2}::uuid AND EXISTS (SELECT 1 FROM fenced) RETURNING id),
  a AS (${AUDIT.insert} RETURNING id)`;
const VERIFIED_SELECT = `${AUDIT.notify} IS NULL AS announced, (SELECT count(*) FROM t) AS changes, (SELECT count(*) FROM a) AS audits`;

/**
 * What a verified split records, in the commit's single statement (one round trip): the change
 * marked verified, the rollback's duration, the audit row and the room's announcement.
 */
export function verifiedSplit(cutoverId: string, record: ChangeRecord): FencedWrite {
  return {
    with: VERIFIED,
    select: VERIFIED_SELECT,
    values: [record.changeId, record.durationMs, record.rollbackId ?? null, ...AUDIT.values({ ...record.audit, cutoverId }, record.event)],
  };
}

/** Throws AppError("router_failed") when the router fails or the split cannot be verified. */
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
    if (f.abandoned > 0) {
      // Left requested by a writer whose process died: closed with the router's real split before
      // this change moves it, and this change starts from that split when it was read.
      const settled = await settleDeadWork({ cutoverId: opts.cutoverId, mover: opts.mover, rollbacks: false, changes: { except: change.id, bumpFence: false }, routing: { router, rehearsal, label }, requestId });
      if (settled.changes.length > 0 && settled.recordedPercent !== f.currentPercent) {
        await db().trafficChange.update({ where: { id: change.id }, data: { fromPercent: settled.recordedPercent } });
        f = { ...f, currentPercent: settled.recordedPercent };
      }
    }
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
    const committed = await f.commit(
      opts.toPercent,
      verifiedSplit(opts.cutoverId, {
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
      }),
    );
    if (!committed) {
      await db().trafficChange.update({ where: { id: change.id }, data: { state: "failed", error: "fenced out: another writer changed traffic meanwhile", finishedAt: new Date() } });
      throw new AppError("conflict", "Another writer changed this cutover's traffic meanwhile: this change was not recorded", undefined, "concurrent_change");
    }
    return { changeId: change.id, from: f.currentPercent, to: opts.toPercent, durationMs };
  });
}
