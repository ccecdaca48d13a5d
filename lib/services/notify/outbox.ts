// The one way a message is queued for sending: a row in the outbox (deliveries), written in the
// caller's transaction. It is sent after the change that produced it committed, and only then;
// the leader's delivery worker sends it through the named channel, retries with backoff and
// records every outcome on the row.
import type { Tx } from "@/lib/db/client";
import { outgoingMessageSchema, type OutgoingMessage } from "@/lib/domain/notify/message";
import { announce } from "@/lib/realtime/bus";

export interface DeliveryRequest {
  cutoverId: string | null;
  /** A channel integration, by name. */
  channel: string;
  /** What produced it: "announcement", "binding:<event>", "escalation", "checkin", "approval". */
  source: string;
  /** What it is about, as in the audit log ("rollback:<id>", "decision:<id>"). */
  subject: string;
  message: OutgoingMessage;
  /** An email address, for email channels; null sends to the channel's own destination. */
  recipient?: string | null;
  /** Who or what caused it, as the audit log names actors. */
  createdBy: string;
}

export async function enqueueDelivery(tx: Tx, req: DeliveryRequest): Promise<{ deliveryId: string }> {
  const message = outgoingMessageSchema.parse(req.message);
  const row = await tx.delivery.create({
    data: { cutoverId: req.cutoverId, channel: req.channel, source: req.source, subject: req.subject, message, recipient: req.recipient ?? null, createdBy: req.createdBy },
    select: { id: true },
  });
  // The room sees it queued (delivered to it only if the caller's change commits).
  if (req.cutoverId) await announce(tx, { type: "delivery.state", cutoverId: req.cutoverId, actor: req.createdBy.slice(0, 200), subject: `delivery:${row.id}` });
  return { deliveryId: row.id };
}
