// Claiming due deliveries of the outbox (deliveries) for the sender, in one statement: due rows
// are locked with SKIP LOCKED (two senders never take the same row), marked `sending` with the
// attempt counted, and given a lease in next_attempt_at. A row still `sending` once its lease has
// passed was left by a sender that died (a leader that went away mid-send): it is due again and
// claimed like a queued one.
import { sql } from "./client";

export interface ClaimedDelivery {
  id: string;
  cutoverId: string | null;
  channel: string;
  message: unknown;
  recipient: string | null;
  /** This attempt's number (1-based), counted by the claim. */
  attempts: number;
}

export async function claimDueDeliveries(opts: { now: Date; leaseMs: number; limit: number }): Promise<ClaimedDelivery[]> {
  const r = await sql().query<{ id: string; cutover_id: string | null; channel: string; message: unknown; recipient: string | null; attempts: number }>(
    `UPDATE deliveries d
        SET state = 'sending', attempts = d.attempts + 1, next_attempt_at = $1::timestamptz + ($2::int * interval '1 millisecond')
       FROM (SELECT id FROM deliveries
              WHERE state IN ('queued', 'sending') AND next_attempt_at <= $1::timestamptz
              ORDER BY next_attempt_at
              LIMIT $3
              FOR UPDATE SKIP LOCKED) due
      WHERE d.id = due.id
  RETURNING d.id, d.cutover_id, d.channel, d.message, d.recipient, d.attempts`,
    [opts.now.toISOString(), Math.round(opts.leaseMs), opts.limit],
  );
  return r.rows.map((row) => ({ id: row.id, cutoverId: row.cutover_id, channel: row.channel, message: row.message, recipient: row.recipient, attempts: row.attempts }));
}
