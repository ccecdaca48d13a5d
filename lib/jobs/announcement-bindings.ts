// The leader's job that turns recorded events into announcements: it follows the audit log from
// a cursor kept in the database (job_cursors), so a new leader continues where the old one
// stopped, and matches the actions the bindings follow (lib/domain/notify/announcements.ts).
// A bound template is sent at once (automatic) or offered to the room (recommend):
// lib/services/announcements.ts fireBindings, one firing row per template and audit event.
//
// Why the cursor lags: audit ids come from a sequence, and a transaction that took its id earlier
// may commit after one that took a later id. The cursor only moves past events older than
// SETTLE_MS (far longer than any transaction of the app may last), so such a late row is still
// ahead of it; the events of the last SETTLE_MS are read again each run, and the unique firing
// row makes that harmless. Nothing is missed and nothing is sent twice.
import { db } from "@/lib/db/client";
import { bindingEventOf, BOUND_AUDIT_ACTIONS, reasonOf } from "@/lib/domain/notify/announcements";
import { backfillAnnouncementTemplates, fireBindings } from "@/lib/services/announcements";
import { startTicker } from "./ticker";

export const CURSOR_NAME = "announcement-bindings";
export const SETTLE_MS = 120_000;
const BATCH = 200;

/** One pass: every bound event after the cursor, up to a batch. Safe to run twice at once (the cursor row is locked). */
export async function runBindingsOnce(opts: { log?: (line: string) => void; settleMs?: number } = {}): Promise<{ scanned: number; fired: number; cursor: bigint }> {
  const log = opts.log ?? (() => {});
  return db().$transaction(
    async (tx) => {
      const locked = await tx.$queryRawUnsafe<{ position: bigint }[]>("SELECT position FROM job_cursors WHERE name = $1 FOR UPDATE", CURSOR_NAME);
      if (!locked[0]) {
        // A database the migration's row is missing from: start at its present end (what was recorded before announces nothing).
        await tx.$executeRawUnsafe(`INSERT INTO job_cursors (name, position, updated_at) SELECT $1, COALESCE(MAX(id), 0), now() FROM audit_events ON CONFLICT (name) DO NOTHING`, CURSOR_NAME);
        return { scanned: 0, fired: 0, cursor: 0n };
      }
      const from = BigInt(locked[0].position);
      const rows = await tx.$queryRawUnsafe<{ id: bigint; cutover_id: string; action: string; subject: string; after: unknown; rehearsal: boolean }[]>(
        `SELECT id, cutover_id, action, subject, after, rehearsal FROM audit_events
          WHERE id > $1::bigint AND cutover_id IS NOT NULL AND action = ANY($2::text[])
          ORDER BY id LIMIT ${BATCH}`,
        from.toString(),
        [...BOUND_AUDIT_ACTIONS],
      );
      let fired = 0;
      for (const r of rows) {
        const event = bindingEventOf(r.action);
        if (!event) continue;
        fired += await fireBindings(tx, { auditEventId: BigInt(r.id), cutoverId: r.cutover_id, event, reason: reasonOf(r), rehearsal: r.rehearsal }, log);
      }
      const settled = await tx.$queryRawUnsafe<{ id: bigint | null }[]>(`SELECT MAX(id) AS id FROM audit_events WHERE at < now() - make_interval(secs => $1)`, (opts.settleMs ?? SETTLE_MS) / 1000);
      let next = settled[0]?.id === null || settled[0]?.id === undefined ? from : BigInt(settled[0].id);
      // A full batch: later events wait for the next pass, so the cursor stays at the last one read.
      const last = rows.at(-1);
      if (rows.length === BATCH && last && BigInt(last.id) < next) next = BigInt(last.id);
      if (next > from) await tx.$executeRawUnsafe("UPDATE job_cursors SET position = $2::bigint, updated_at = now() WHERE name = $1", CURSOR_NAME, next.toString());
      return { scanned: rows.length, fired, cursor: next > from ? next : from };
    },
    { timeout: 30_000, maxWait: 10_000 },
  );
}

/** The leader job: cutovers made before templates were rows get theirs, then a pass every tick. */
export function startAnnouncementBindings(opts: { log: (line: string) => void; tickMs?: number }): () => Promise<void> {
  return startTicker({
    name: "announcements",
    everyMs: opts.tickMs ?? 1000,
    log: opts.log,
    before: async () => {
      const n = await backfillAnnouncementTemplates();
      if (n > 0) opts.log(`announcements: default templates added to ${n} cutover(s)`);
    },
    round: async (stopped) => {
      for (;;) {
        const r = await runBindingsOnce({ log: (l) => opts.log(`announcements: ${l}`) });
        if (r.scanned < BATCH || stopped()) break;
      }
    },
  });
}
