// A Slack-compatible incoming webhook: the message as Block Kit blocks (a header, the text, the
// fields side by side, link buttons) with the plain-text `text` every client falls back to. Sent
// with @slack/webhook through the guarded outbound client (its fetch is outboundFetch): the
// address policy is checked at connect time, redirects are refused and the exchange is bounded.
import { IncomingWebhook, IncomingWebhookHTTPError, IncomingWebhookRequestError, type IncomingWebhookSendArguments } from "@slack/webhook";
import type { OutgoingMessage } from "@/lib/domain/notify/message";
import { OutboundError, outboundFetch } from "@/lib/net/outbound";
import type { SlackChannelConfig } from "./config";
import { DeliveryError, fromOutboundError, httpStatusError } from "./delivery-error";
import { plainText } from "./plain-text";

// Block Kit's limits: a header's text, a section's text, a field, a button's label.
const HEADER_MAX = 150;
const SECTION_MAX = 3000;
const FIELD_MAX = 2000;
const FIELDS_PER_SECTION = 10;
const BUTTON_MAX = 75;

const cut = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);
/** Slack's mrkdwn treats these three as control characters: a message's text is shown as typed. */
export const escapeMrkdwn = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

const SEVERITY_WORD = { info: null, warning: "Warning", critical: "Critical" } as const;

export function slackPayload(message: OutgoingMessage): IncomingWebhookSendArguments {
  const blocks: NonNullable<IncomingWebhookSendArguments["blocks"]> = [];
  const severity = message.severity ? SEVERITY_WORD[message.severity] : null;
  blocks.push({ type: "header", text: { type: "plain_text", text: cut(severity ? `${severity}: ${message.title}` : message.title, HEADER_MAX), emoji: false } });
  const text = escapeMrkdwn(message.text);
  for (let i = 0; i < text.length; i += SECTION_MAX) blocks.push({ type: "section", text: { type: "mrkdwn", text: text.slice(i, i + SECTION_MAX) } });
  const fields = message.fields ?? [];
  for (let i = 0; i < fields.length; i += FIELDS_PER_SECTION) {
    blocks.push({
      type: "section",
      fields: fields.slice(i, i + FIELDS_PER_SECTION).map((f) => ({ type: "mrkdwn" as const, text: cut(`*${escapeMrkdwn(f.label)}*\n${escapeMrkdwn(f.value) || "—"}`, FIELD_MAX) })),
    });
  }
  const links = message.links ?? [];
  if (links.length) {
    blocks.push({
      type: "actions",
      elements: links.map((l, i) => ({ type: "button" as const, action_id: `link-${i}`, text: { type: "plain_text" as const, text: cut(l.label, BUTTON_MAX), emoji: false }, url: l.url })),
    });
  }
  return { text: plainText(message), blocks };
}

export async function sendSlack(config: SlackChannelConfig, message: OutgoingMessage): Promise<void> {
  const where = new URL(config.url).host;
  // The client's own retries are off: the delivery worker retries, and records each attempt.
  const hook = new IncomingWebhook(config.url, { fetch: (url, init) => outboundFetch(url, init ?? {}, config.timeoutMs), timeout: config.timeoutMs, retryConfig: { retries: 0 } });
  try {
    await hook.send(slackPayload(message));
  } catch (err) {
    if (err instanceof IncomingWebhookHTTPError) throw httpStatusError(err.statusCode, where);
    const cause = err instanceof IncomingWebhookRequestError ? err.original : err;
    if (cause instanceof OutboundError) throw fromOutboundError(cause);
    // The client's timeout fired before ours: the same bounded wait, said the same way.
    if (cause instanceof Error && (cause.name === "TimeoutError" || cause.name === "AbortError")) throw new DeliveryError(`${where} did not answer within ${config.timeoutMs} ms`, false);
    throw new DeliveryError(`the message could not be sent to ${where}`, false);
  }
}
