// What an outgoing message is, whatever carries it (a Slack-compatible webhook, a signed JSON
// webhook, an email). Plain text only: every channel renders it in its own form (Slack blocks with
// this text as the fallback, an email's subject and body, a JSON document).
import { z } from "zod";

export const SEVERITIES = ["info", "warning", "critical"] as const;
export type Severity = (typeof SEVERITIES)[number];

export const outgoingMessageSchema = z.object({
  /** One line: a Slack header, an email subject, the JSON document's title. */
  title: z.string().min(1).max(200),
  /** The body as plain text; the fallback wherever richer forms are not shown. */
  text: z.string().max(8000),
  /** Key facts shown side by side where the channel can (phase, traffic split, a metric). */
  fields: z.array(z.object({ label: z.string().min(1).max(100), value: z.string().max(500) })).max(20).optional(),
  /** Buttons or links ("Open the room", "Vote GO"): absolute http(s) URLs of this app. */
  links: z.array(z.object({ label: z.string().min(1).max(100), url: z.url({ protocol: /^https?$/ }) })).max(10).optional(),
  severity: z.enum(SEVERITIES).optional(),
});
export type OutgoingMessage = z.output<typeof outgoingMessageSchema>;
