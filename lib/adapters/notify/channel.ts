// The one port every outgoing message goes through: send(channel, message, target) picks the
// sender of the channel's kind (the only place that branches on it). A failure is a DeliveryError
// whose message may be stored and shown; `permanent` says whether retrying could help.
import type { OutgoingMessage } from "@/lib/domain/notify/message";
import type { ChannelConfig } from "./config";
import { sendEmail } from "./email";
import { sendSlack } from "./slack";
import { sendWebhook } from "./webhook";

export { DeliveryError } from "./delivery-error";

export interface DeliveryTarget {
  deliveryId: string;
  /** An email address for email channels; null sends to the channel's own destination. */
  recipient: string | null;
}

export async function send(channel: ChannelConfig, message: OutgoingMessage, target: DeliveryTarget): Promise<void> {
  switch (channel.kind) {
    case "slack":
      return sendSlack(channel.config, message);
    case "webhook":
      return sendWebhook(channel.config, message, target);
    case "email":
      return sendEmail(channel.config, message, target.recipient);
  }
}
