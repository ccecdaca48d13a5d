// The settings of each kind of channel (where outgoing messages go): a Slack-compatible incoming
// webhook, a signed JSON webhook, an SMTP server. Pure zod, no I/O: the integrations catalog
// (lib/integrations/schemas.ts) and the operator's file parse with these; the senders in this
// folder receive what they produced. Every timeout is bounded, so a hanging target costs one
// attempt, never a stuck worker.
import { z } from "zod";

const httpUrl = z.url({ protocol: /^https?$/, error: "expected an http(s) URL" });
const timeoutMs = z.number().int().min(100).max(60_000).default(10_000);
const email = z.email({ error: "expected an email address" }).max(254);

export const CHANNEL_KINDS = ["slack", "webhook", "email"] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

export const slackChannelConfig = z.object({
  /** The incoming webhook's URL: its path is the credential, so it is stored as a secret. */
  url: httpUrl,
  timeoutMs,
});

export const webhookChannelConfig = z.object({
  url: httpUrl,
  /** Signs the body (x-warroom-signature: sha256=…), as webhook hooks and routers do. */
  secret: z.string().min(16, "the signing secret needs 16 or more characters").max(500).optional(),
  timeoutMs,
});

export const emailChannelConfig = z
  .object({
    host: z.string().trim().min(1).max(253),
    port: z.number().int().min(1).max(65535).default(587),
    /** "tls": TLS from the first byte (port 465); "starttls": upgrade required; "none": plain (a local relay). */
    security: z.enum(["tls", "starttls", "none"]).default("starttls"),
    from: email,
    /** Where a message goes when its delivery names no recipient. */
    to: z.array(email).min(1).max(50),
    username: z.string().min(1).max(200).optional(),
    password: z.string().min(1).max(1000).optional(),
    timeoutMs,
  })
  .refine((c) => (c.username === undefined) === (c.password === undefined), { message: "give both the user name and the password, or neither", path: ["password"] });

export type SlackChannelConfig = z.output<typeof slackChannelConfig>;
export type WebhookChannelConfig = z.output<typeof webhookChannelConfig>;
export type EmailChannelConfig = z.output<typeof emailChannelConfig>;

export type ChannelConfig =
  | { kind: "slack"; config: SlackChannelConfig }
  | { kind: "webhook"; config: WebhookChannelConfig }
  | { kind: "email"; config: EmailChannelConfig };

export const CHANNEL_CONFIG_SCHEMAS = { slack: slackChannelConfig, webhook: webhookChannelConfig, email: emailChannelConfig } as const;

/** Credentials per kind: stored encrypted, never shown back, never in an audit row. */
export const CHANNEL_SECRET_FIELDS: Record<ChannelKind, readonly string[]> = {
  slack: ["url"],
  webhook: ["secret"],
  email: ["username", "password"],
};
