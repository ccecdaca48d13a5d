// What an integration of the catalog is (a router, a rollback hook or a Prometheus source, by
// name), which settings each kind takes, which of them are secrets, and which kinds an
// administrator may define through the app. No I/O: the server configuration file, the service
// and the tests all parse with these.
import { z } from "zod";
import { RouterConfigSchema, type RouterConfig } from "@/lib/adapters/traffic/config";
import { commandHookConfig, webhookHookConfig } from "@/lib/adapters/hooks";
import { CHANNEL_CONFIG_SCHEMAS, CHANNEL_SECRET_FIELDS, type ChannelConfig, type ChannelKind } from "@/lib/adapters/notify/config";

export const INTEGRATION_TYPES = ["router", "hook", "prometheus", "channel"] as const;
export type IntegrationType = (typeof INTEGRATION_TYPES)[number];
export const INTEGRATION_KINDS = ["haproxy", "nginx", "webhook", "command", "prometheus", "slack", "email"] as const;
export type IntegrationKind = (typeof INTEGRATION_KINDS)[number];

export { integrationName } from "@/lib/schemas/integrations";

const httpUrl = z.url({ protocol: /^https?$/, error: "expected an http(s) URL" });

export const prometheusAuthSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("none") }),
  z.object({ kind: z.literal("bearer"), token: z.string().min(1).max(4000) }),
  z.object({ kind: z.literal("basic"), username: z.string().min(1).max(200), password: z.string().min(1).max(1000) }),
]);

export const PrometheusSourceConfigSchema = z.object({
  url: httpUrl,
  auth: prometheusAuthSchema.optional(),
  timeoutMs: z.number().int().min(100).max(60_000).default(3000),
});
export type PrometheusSourceConfig = z.output<typeof PrometheusSourceConfigSchema>;

export type HookKind = "command" | "webhook";
export type HookConfig = { kind: "command"; config: z.output<typeof commandHookConfig> } | { kind: "webhook"; config: z.output<typeof webhookHookConfig> };

/** A parsed integration: what resolve() hands to the adapters. */
export type IntegrationSettings =
  | { type: "router"; kind: RouterConfig["kind"]; config: RouterConfig }
  | ({ type: "hook" } & HookConfig)
  | { type: "prometheus"; kind: "prometheus"; config: PrometheusSourceConfig }
  | ({ type: "channel" } & ChannelConfig);

const KINDS_OF: Record<IntegrationType, readonly IntegrationKind[]> = {
  router: ["haproxy", "nginx", "webhook", "command"],
  hook: ["command", "webhook"],
  prometheus: ["prometheus"],
  channel: ["slack", "webhook", "email"],
};

/** Field names holding credentials, per type and kind: stored encrypted, never in `config`. */
export function secretFields(type: IntegrationType, kind: IntegrationKind): readonly string[] {
  if (type === "channel") return CHANNEL_SECRET_FIELDS[kind as ChannelKind] ?? [];
  if (kind === "webhook") return ["secret"];
  if (type === "prometheus") return ["auth"];
  return [];
}

function firstIssue(error: z.ZodError): string {
  const i = error.issues[0];
  return i ? `${i.path.map(String).join(".") || "config"}: ${i.message}` : "invalid settings";
}

/** Settings of any kind (as the operator's file may hold them), defaults filled in. */
export function parseIntegrationSettings(type: IntegrationType, kind: string, config: unknown): { ok: true; value: IntegrationSettings } | { ok: false; error: string } {
  if (!(KINDS_OF[type] as readonly string[]).includes(kind)) return { ok: false, error: `a ${type} is one of: ${KINDS_OF[type].join(", ")}` };
  const raw = config && typeof config === "object" && !Array.isArray(config) ? (config as Record<string, unknown>) : {};
  if (type === "router") {
    const r = RouterConfigSchema.safeParse({ ...raw, kind });
    return r.success ? { ok: true, value: { type, kind: r.data.kind, config: r.data } } : { ok: false, error: firstIssue(r.error) };
  }
  if (type === "hook") {
    if (kind === "command") {
      const r = commandHookConfig.safeParse(raw);
      return r.success ? { ok: true, value: { type, kind, config: r.data } } : { ok: false, error: firstIssue(r.error) };
    }
    const r = webhookHookConfig.safeParse(raw);
    return r.success ? { ok: true, value: { type, kind: "webhook", config: r.data } } : { ok: false, error: firstIssue(r.error) };
  }
  if (type === "channel") {
    const r = CHANNEL_CONFIG_SCHEMAS[kind as ChannelKind].safeParse(raw);
    return r.success ? { ok: true, value: { type, kind, config: r.data } as IntegrationSettings } : { ok: false, error: firstIssue(r.error) };
  }
  const r = PrometheusSourceConfigSchema.safeParse(raw);
  return r.success ? { ok: true, value: { type, kind: "prometheus", config: r.data } } : { ok: false, error: firstIssue(r.error) };
}

export const FILE_ONLY = "defined only in the server configuration file";

/**
 * Why an administrator may not define these settings through the app, or null when they may.
 * Whatever runs a program or names a path on the server belongs to the operator's file: command
 * routers and hooks, nginx (binary, configuration, pid and upstream files), HAProxy over a unix
 * socket or with a state file.
 */
export function fileOnlyReason(type: IntegrationType, kind: string, config: unknown): string | null {
  const c = (config && typeof config === "object" ? config : {}) as Record<string, unknown>;
  if (kind === "command") return `Command ${type}s are ${FILE_ONLY}`;
  if (kind === "nginx") return `nginx routers are ${FILE_ONLY}`;
  if (type === "router" && kind === "haproxy") {
    if (typeof c.socket !== "object" || c.socket === null) return `HAProxy over a unix socket is ${FILE_ONLY}: give the runtime API as { host, port }`;
    if (c.stateFile !== undefined) return `An HAProxy state file is ${FILE_ONLY}`;
  }
  for (const field of ["url", "readUrl"]) {
    const v = c[field];
    if (typeof v !== "string") continue;
    try {
      const u = new URL(v);
      if (u.username || u.password) return `${field}: put credentials in the secret or auth fields, not in the URL`;
      for (const param of u.searchParams.keys()) {
        if (/secret|password|passwd|token|api[-_]?key|credential|^key$|^sig$|^signature$|^auth$/i.test(param)) return `${field}: put the ${param} in the secret or auth fields, not in the URL`;
      }
    } catch {
      /* the schema says what is wrong with it */
    }
  }
  return null;
}

/** Where a URL-bearing integration sends its secret: changing it means the secret must be given again. */
export function destinations(config: Record<string, unknown>): string {
  // An SMTP server's host and port are where its user name and password go.
  const origins = ["url", "readUrl", "socket", "host", "port"].map((f) => {
    const v = config[f];
    if (typeof v === "string") {
      try {
        return new URL(v).origin;
      } catch {
        return v;
      }
    }
    if (typeof v === "number") return String(v);
    return v && typeof v === "object" ? JSON.stringify(v) : "";
  });
  return origins.join(" ");
}

/**
 * A failure as the room may see it: one line, short, URLs cut to their origin. Adapters' messages
 * can quote what a remote end answered; none of that is echoed beyond this.
 */
export function shortReason(message: string): string {
  const line = (message.split("\n")[0] ?? "").replace(/https?:\/\/[^\s"'<>]+/gi, (u) => {
    try {
      return new URL(u).origin;
    } catch {
      return "(URL)";
    }
  });
  // A server path (a runtime socket, a state file) is the operator's business, not the room's:
  // only its last part is kept, enough to tell which one failed.
  const pathless = line.replace(/(^|[\s"'(=])\/(?:[\w.@+-]+\/)+([\w.@+-]+)/g, "$1…/$2");
  // eslint-disable-next-line no-control-regex
  const clean = pathless.replace(/[\u0000-\u001f\u007f]/g, " ").trim();
  return clean.length > 160 ? `${clean.slice(0, 157)}…` : clean;
}

/** A URL fit for a list or an audit row: no user info, no query string. */
export function displayUrl(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  try {
    const u = new URL(value);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return "(invalid URL)";
  }
}

/**
 * What an administrator's list and the audit log may show of an integration's settings: no
 * secret, no URL credentials or query strings. File-defined command argv and paths are shown
 * only as their program name, since the file, not this page, is where they are managed.
 */
export function describeSettings(type: IntegrationType, kind: string, config: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config)) {
    if ((secretFields(type, kind as IntegrationKind) as string[]).includes(k)) continue;
    if (/secret|password|token|credential/i.test(k)) continue;
    if (k === "url" || k === "readUrl") out[k] = displayUrl(v);
    // An email channel's default recipients: addresses the administrator typed, shown in full.
    else if (k === "to" && Array.isArray(v)) out[k] = v.filter((a) => typeof a === "string").join(", ");
    else if (Array.isArray(v) || k === "setCommand" || k === "readCommand" || k === "argv") out[k] = Array.isArray(v) && typeof v[0] === "string" ? `${v[0].split("/").pop()} …` : "…";
    else if (typeof v === "string" && (v.startsWith("/") || k.endsWith("File") || k === "nginxBinary")) out[k] = "(path in the server configuration)";
    else out[k] = v;
  }
  return out;
}
