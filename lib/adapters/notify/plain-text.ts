// A message as plain text: Slack's fallback `text`, an email's text part. Title, body, then the
// fields one per line and the links with their addresses.
import type { OutgoingMessage } from "@/lib/domain/notify/message";

export function plainText(message: OutgoingMessage, opts: { title?: boolean } = {}): string {
  const parts: string[] = [];
  if (opts.title !== false) parts.push(message.title);
  if (message.text) parts.push(message.text);
  if (message.fields?.length) parts.push(message.fields.map((f) => `${f.label}: ${f.value}`).join("\n"));
  if (message.links?.length) parts.push(message.links.map((l) => `${l.label}: ${l.url}`).join("\n"));
  return parts.join("\n\n");
}
