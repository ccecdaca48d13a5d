// A generic JSON webhook: the message as a JSON document, POSTed through the guarded outbound
// client and signed like webhook hooks and routers (x-warroom-signature: sha256=<HMAC of the
// body>). x-warroom-delivery names the delivery, so a receiver can drop a repeated attempt.
import type { OutgoingMessage } from "@/lib/domain/notify/message";
import { signBody } from "@/lib/adapters/signer";
import { OutboundError, outboundRequest } from "@/lib/net/outbound";
import type { WebhookChannelConfig } from "./config";
import { DeliveryError, fromOutboundError, httpStatusError } from "./delivery-error";

export interface WebhookDocument {
  type: "warroom.message";
  deliveryId: string;
  recipient: string | null;
  sentAt: string;
  message: OutgoingMessage;
}

export function webhookDocument(message: OutgoingMessage, target: { deliveryId: string; recipient: string | null }, sentAt: Date): WebhookDocument {
  return { type: "warroom.message", deliveryId: target.deliveryId, recipient: target.recipient, sentAt: sentAt.toISOString(), message };
}

export async function sendWebhook(config: WebhookChannelConfig, message: OutgoingMessage, target: { deliveryId: string; recipient: string | null }): Promise<void> {
  const body = JSON.stringify(webhookDocument(message, target, new Date()));
  const headers: Record<string, string> = { "content-type": "application/json", "x-warroom-delivery": target.deliveryId };
  if (config.secret) headers["x-warroom-signature"] = signBody(body, config.secret);
  let res;
  try {
    // The answer's body is never read: a webhook's answer is its status.
    res = await outboundRequest(config.url, { method: "POST", headers, body, timeoutMs: config.timeoutMs });
  } catch (err) {
    if (err instanceof OutboundError) throw fromOutboundError(err);
    throw new DeliveryError("the request could not be sent", false);
  }
  if (!res.ok) throw httpStatusError(res.status, res.where);
}
