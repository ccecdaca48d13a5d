// Sending what the outbox holds: the leader's delivery worker (lib/jobs/delivery-worker.ts) calls
// deliverDue on every tick. Each claimed row is sent through its channel (lib/adapters/notify),
// never inside a transaction, and then its outcome is recorded in one: delivered, queued again
// with backoff (lib/domain/notify/retry.ts), or failed with a reason the room may read. Every
// outcome writes an audit row (actor "delivery") and tells the room (delivery.state).
import { db } from "@/lib/db/client";
import { claimDueDeliveries, type ClaimedDelivery } from "@/lib/db/delivery-claim";
import { outgoingMessageSchema } from "@/lib/domain/notify/message";
import { afterFailure, DEFAULT_RETRY_POLICY, failureReason, type RetryPolicy } from "@/lib/domain/notify/retry";
import { DeliveryError, send } from "@/lib/adapters/notify/channel";
import { resolveChannel } from "@/lib/integrations/resolve";
import { shortReason } from "@/lib/integrations/schemas";
import { recordChange } from "../audit";

/** Who the audit log names for what the worker records. */
export const DELIVERY_ACTOR = "delivery";

// Longer than any one attempt can take (the longest channel timeout, twice for SMTP's whole
// exchange): a row `sending` for longer was left by a sender that died, and is claimed again.
export const SENDING_LEASE_MS = 150_000;

export interface DeliverOptions {
  /** The clock (tests move it instead of waiting). */
  now?: () => Date;
  policy?: RetryPolicy;
  leaseMs?: number;
  /** Rows claimed per round. */
  limit?: number;
  log?: (line: string) => void;
}

type Outcome = { ok: true } | { ok: false; reason: string; permanent: boolean };

async function attempt(d: ClaimedDelivery, policy: RetryPolicy, log: (line: string) => void): Promise<Outcome> {
  if (d.attempts > policy.maxAttempts) return { ok: false, reason: "the sender stopped while sending it and no attempts are left", permanent: true };
  const message = outgoingMessageSchema.safeParse(d.message);
  if (!message.success) return { ok: false, reason: "the stored message is malformed", permanent: true };
  const channel = await resolveChannel(d.channel);
  if ("missing" in channel) return { ok: false, reason: channel.missing, permanent: true };
  try {
    await send(channel, message.data, { deliveryId: d.id, recipient: d.recipient });
    return { ok: true };
  } catch (err) {
    if (err instanceof DeliveryError) return { ok: false, reason: shortReason(err.message), permanent: err.permanent };
    // A bug, not a refusal: the room gets a plain reason, the log the detail.
    log(`delivery ${d.id}: ${(err as Error).stack ?? String(err)}`);
    return { ok: false, reason: "the message could not be sent (see the server log)", permanent: false };
  }
}

async function record(d: ClaimedDelivery, outcome: Outcome, at: Date, policy: RetryPolicy): Promise<void> {
  let data: { state: "delivered" | "queued" | "failed"; deliveredAt?: Date; nextAttemptAt?: Date; lastError: string | null };
  let action: "delivery.sent" | "delivery.retrying" | "delivery.failed";
  if (outcome.ok) {
    data = { state: "delivered", deliveredAt: at, lastError: null };
    action = "delivery.sent";
  } else {
    const next = afterFailure(d.attempts, at, { permanent: outcome.permanent }, policy);
    if (next.kind === "retry") {
      data = { state: "queued", nextAttemptAt: next.at, lastError: outcome.reason };
      action = "delivery.retrying";
    } else {
      data = { state: "failed", lastError: failureReason(outcome.reason, Math.min(d.attempts, policy.maxAttempts), next.why) };
      action = "delivery.failed";
    }
  }
  await db().$transaction(async (tx) => {
    // Only the claim that made this attempt records it: if the lease ran out and another sender
    // claimed the row again, that claim's outcome is the one that counts.
    const updated = await tx.delivery.updateMany({ where: { id: d.id, state: "sending", attempts: d.attempts }, data });
    if (updated.count === 0) return;
    const cutover = d.cutoverId ? await tx.cutover.findUnique({ where: { id: d.cutoverId }, select: { mode: true } }) : null;
    const subject = `delivery:${d.id}`;
    await recordChange(
      tx,
      {
        cutoverId: d.cutoverId,
        actorId: null,
        actorName: DELIVERY_ACTOR,
        role: null,
        action,
        subject,
        after: { channel: d.channel, state: data.state, attempt: d.attempts, ...(data.nextAttemptAt && { nextAttemptAt: data.nextAttemptAt.toISOString() }), ...(data.lastError && { error: data.lastError }) },
        rehearsal: cutover?.mode === "rehearsal",
      },
      // The bus carries a cutover's events only: a delivery of no cutover is in the audit log alone.
      d.cutoverId ? { type: "delivery.state", cutoverId: d.cutoverId, actor: DELIVERY_ACTOR, subject } : null,
    );
  });
}

/** Claims the due deliveries, sends them side by side and records each outcome; returns how many were claimed. */
export async function deliverDue(opts: DeliverOptions = {}): Promise<number> {
  const clock = opts.now ?? (() => new Date());
  const policy = opts.policy ?? DEFAULT_RETRY_POLICY;
  const log = opts.log ?? ((line: string) => console.error(`[warroom] ${line}`));
  const claimed = await claimDueDeliveries({ now: clock(), leaseMs: opts.leaseMs ?? SENDING_LEASE_MS, limit: opts.limit ?? 20 });
  await Promise.all(
    claimed.map(async (d) => {
      const outcome = await attempt(d, policy, log);
      try {
        await record(d, outcome, clock(), policy);
      } catch (err) {
        // The row stays `sending` and is claimed again once its lease ends: a message is never lost.
        log(`delivery ${d.id}: recording the outcome failed: ${(err as Error).message}`);
      }
    }),
  );
  return claimed.length;
}
