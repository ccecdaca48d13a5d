// Router settings, one per cutover: a zod discriminated union on `kind`. The values are written
// into runtime-API commands, nginx configuration and process arguments, so every name that ends
// up in one of those is restricted to a safe alphabet here: a backend called "x; disable server"
// or an upstream called "app { }" must be refused at the edge, not escaped later.
import { z } from "zod";

/** HAProxy proxy/server names: HAProxy itself allows letters, digits, "-", "_", ".", ":". */
const haproxyName = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_.:-]+$/, "use letters, digits, '-', '_', '.', ':' (HAProxy names)");

/** nginx `host:port` (or `[v6]:port`): no spaces, braces or semicolons can reach the config. */
const hostPort = z
  .string()
  .regex(/^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]):\d{1,5}$/, "expected host:port, e.g. 10.0.0.5:8080")
  .refine((s) => {
    const port = Number(s.slice(s.lastIndexOf(":") + 1));
    return port >= 1 && port <= 65535;
  }, "port must be 1..65535");

const httpUrl = z.url({ protocol: /^https?$/, error: "expected an http(s) URL" });

const argv = z.array(z.string()).min(1, "the command needs at least the program").refine((a) => a.length === 0 || a[0]!.length > 0, "the program name is empty");

const timeout = (defaultMs: number) => z.number().int().min(50).max(10 * 60_000).default(defaultMs);

export const HaproxyRouterConfigSchema = z.object({
  kind: z.literal("haproxy"),
  /** Runtime API (stats socket with `level admin`): a unix socket path or a TCP address. */
  socket: z.union([
    z.string().min(1),
    z.object({ host: z.string().min(1), port: z.number().int().min(1).max(65535) }),
  ]),
  backend: haproxyName,
  oldServer: haproxyName,
  newServer: haproxyName,
  /**
   * The file HAProxy loads at start (`server-state-file` + `load-server-state-from-file`). After
   * every change the adapter writes `show servers state` into it, so a reload keeps the split.
   * Without it a reload silently returns to the weights in haproxy.cfg.
   */
  stateFile: z.string().min(1).optional(),
  timeoutMs: timeout(2000),
});

export const NginxRouterConfigSchema = z.object({
  kind: z.literal("nginx"),
  /** The file this adapter owns; nginx.conf must `include` it (not through a glob that also matches `*.previous`). */
  upstreamFile: z.string().min(1),
  upstreamName: z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/, "use letters, digits, '-', '_', '.'"),
  oldServer: hostPort,
  newServer: hostPort,
  nginxBinary: z.string().min(1).default("nginx"),
  /** Passed as `-c`; without it nginx uses its compiled-in default. */
  configFile: z.string().min(1).optional(),
  /** The master's pid file; without it the `pid` directive of configFile, then nginx's compiled-in path. */
  pidFile: z.string().min(1).optional(),
  /**
   * Optional, recommended: a local address (e.g. 127.0.0.1:8099, a port nothing else uses) where
   * the upstream file also opens a tiny status server answering with the generation and split of
   * the configuration nginx runs. verify() then reads the split back from nginx itself instead of
   * trusting the file. Without it, verify() relies on the file and on nginx's worker processes.
   */
  statusListen: hostPort.optional(),
  /** Bounds the wait for the new workers (and `nginx -t` when they are late) and for the old workers to exit. */
  reloadTimeoutMs: timeout(5000),
});

export const WebhookRouterConfigSchema = z.object({
  kind: z.literal("webhook"),
  url: httpUrl,
  /** HMAC-SHA256 key; never leaves the server (see redactRouterConfig). */
  secret: z.string().min(16, "use a secret of at least 16 characters"),
  /** GET returning `{ "percent": n }`: the split in force. */
  readUrl: httpUrl.optional(),
  timeoutMs: timeout(5000),
  headerName: z
    .string()
    .regex(/^[A-Za-z0-9-]+$/, "an HTTP header name")
    .default("x-warroom-signature"),
});

export const CommandRouterConfigSchema = z.object({
  kind: z.literal("command"),
  /** argv, run without a shell; the target is in WARROOM_TARGET_PERCENT (see command.ts). */
  setCommand: argv,
  /** argv printing the percent in force (0..100) on stdout. */
  readCommand: argv.optional(),
  timeoutMs: timeout(30_000),
});

export const RouterConfigSchema = z.discriminatedUnion("kind", [
  HaproxyRouterConfigSchema,
  NginxRouterConfigSchema,
  WebhookRouterConfigSchema,
  CommandRouterConfigSchema,
]);

/** Parsed settings (defaults filled in). */
export type RouterConfig = z.output<typeof RouterConfigSchema>;
/** Settings as stored or typed in (defaults optional). */
export type RouterConfigInput = z.input<typeof RouterConfigSchema>;
export type RouterKind = RouterConfig["kind"];
export type HaproxyRouterConfig = z.output<typeof HaproxyRouterConfigSchema>;
export type NginxRouterConfig = z.output<typeof NginxRouterConfigSchema>;
export type WebhookRouterConfig = z.output<typeof WebhookRouterConfigSchema>;
export type CommandRouterConfig = z.output<typeof CommandRouterConfigSchema>;

export const REDACTED = "••••";

/** What the browser may see: the settings with every secret replaced, plus whether there was one. */
export type RedactedRouterConfig = RouterConfig & { hasSecret: boolean };

// Field names that hold credentials wherever they appear (today only the webhook's `secret`,
// but a future `password` or `apiToken` field is covered without touching this function).
const SECRET_KEY = /secret|password|passwd|token|api[-_]?key|credential|private[-_]?key/i;
// `--token=abc`, `--password abc`, `TOKEN=abc` inside a command's argv.
const SECRET_FLAG = /^(-{1,2}[A-Za-z0-9_-]*(?:secret|password|passwd|token|api[-_]?key|credential)[A-Za-z0-9_-]*)(=.*)?$/i;
const SECRET_ENV = /^([A-Za-z0-9_]*(?:SECRET|PASSWORD|PASSWD|TOKEN|API_?KEY|CREDENTIAL)[A-Za-z0-9_]*)=.+$/i;

/**
 * The settings with secrets replaced by "••••": secret-named fields, credentials in URLs
 * (user:password@ and secret-named query parameters) and secret flags in command argv.
 * `hasSecret` says whether anything was hidden, so the UI can show "a secret is set".
 */
export function redactRouterConfig(config: RouterConfig): RedactedRouterConfig {
  const found = { secret: false };
  const out = redactValue(config, found) as RouterConfig;
  return { ...out, hasSecret: found.secret };
}

function redactValue(value: unknown, found: { secret: boolean }, key = ""): unknown {
  if (typeof value === "string") {
    if (SECRET_KEY.test(key)) {
      found.secret = true;
      return REDACTED;
    }
    if (/^https?:\/\//i.test(value)) return redactUrl(value, found);
    return value;
  }
  if (Array.isArray(value)) {
    // argv: a secret flag hides its own `=value` or the next element.
    if (value.every((v) => typeof v === "string")) return redactArgvInto(value as string[], found);
    return value.map((v) => redactValue(v, found));
  }
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactValue(v, found, k)]));
  }
  return value;
}

function redactUrl(value: string, found: { secret: boolean }): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return value;
  }
  let changed = false;
  if (url.username || url.password) {
    url.username = REDACTED;
    url.password = "";
    changed = true;
  }
  for (const name of [...url.searchParams.keys()]) {
    if (SECRET_KEY.test(name) || /^(key|sig|signature|auth)$/i.test(name)) {
      url.searchParams.set(name, REDACTED);
      changed = true;
    }
  }
  if (!changed) return value;
  found.secret = true;
  return url.toString();
}

function redactArgvInto(args: string[], found: { secret: boolean }): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const flag = SECRET_FLAG.exec(arg);
    const env = SECRET_ENV.exec(arg);
    if (flag && flag[2] !== undefined) {
      out.push(`${flag[1]}=${REDACTED}`);
      found.secret = true;
    } else if (flag && i + 1 < args.length) {
      out.push(arg, REDACTED);
      found.secret = true;
      i++;
    } else if (env) {
      out.push(`${env[1]}=${REDACTED}`);
      found.secret = true;
    } else if (/^https?:\/\//i.test(arg)) {
      out.push(redactUrl(arg, found));
    } else {
      // A script given to `sh -c` can carry a URL with credentials or a `TOKEN=…` inside it.
      const inline = redactInline(arg);
      if (inline !== arg) found.secret = true;
      out.push(inline);
    }
  }
  return out;
}

/**
 * Any settings object (a rollback hook's, an integration's) with secret-named fields, URL
 * credentials and secret argv flags replaced, as redactRouterConfig does for routers.
 */
export function redactSettings<T>(value: T): { value: T; hasSecret: boolean } {
  const found = { secret: false };
  return { value: redactValue(value, found) as T, hasSecret: found.secret };
}

/** How much of a program's output is kept (the tail: errors come last). */
export const OUTPUT_CAP = 1000;

const TEXT_URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]{0,20}:\/\/)[^\s/@]{1,200}@/gi;
const TEXT_SECRET_ASSIGNMENT = /([A-Za-z0-9_.-]{0,40}(?:secret|password|passwd|token|api[-_]?key|credential|private[-_]?key)[A-Za-z0-9_.-]{0,40})(["']?\s{0,3}[:=]\s{0,3}["']?)[^\s"'&,;]{1,500}/gi;
const TEXT_AUTH_SCHEME = /\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]{6,}/g;

/** URL credentials, `name=value` secrets and `Bearer …` values inside a longer text. */
function redactInline(text: string): string {
  if (text.length > 20_000) return REDACTED;
  return text
    .replace(TEXT_URL_CREDENTIALS, `$1${REDACTED}@`)
    .replace(TEXT_SECRET_ASSIGNMENT, `$1$2${REDACTED}`)
    .replace(TEXT_AUTH_SCHEME, `$1 ${REDACTED}`);
}

/**
 * A program's output as it may be stored and shown: the tail only (OUTPUT_CAP characters),
 * control characters removed, and credentials hidden: URL user info, `token=…`/`password: …`
 * assignments, `Bearer …` values, and every value in `known` (the secrets the program was given).
 * Capped before the patterns run, so their cost is bounded whatever the program printed.
 */
export function redactOutput(text: string, known: readonly string[] = []): string {
  let t = text.length > OUTPUT_CAP * 4 ? text.slice(-OUTPUT_CAP * 4) : text;
  for (const k of known) if (k.length >= 4) t = t.split(k).join(REDACTED);
  t = redactInline(t.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, ""));
  return t.length > OUTPUT_CAP ? `…${t.slice(-OUTPUT_CAP)}` : t;
}

/** The secret values in a settings object (secret-named fields, argv flag values), for redactOutput. */
export function secretValues(value: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown, key = ""): void => {
    if (typeof v === "string") {
      if (SECRET_KEY.test(key)) out.push(v);
      return;
    }
    if (Array.isArray(v)) {
      if (v.every((x) => typeof x === "string")) {
        const args = v as string[];
        for (let i = 0; i < args.length; i++) {
          const flag = SECRET_FLAG.exec(args[i]!);
          const env = SECRET_ENV.exec(args[i]!);
          if (flag && flag[2] !== undefined) out.push(flag[2].slice(1));
          else if (flag && i + 1 < args.length) out.push(args[++i]!);
          else if (env) out.push(args[i]!.slice(env[1]!.length + 1));
        }
      } else v.forEach((x) => walk(x));
      return;
    }
    if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) walk(x, k);
  };
  walk(value);
  return out.filter((s) => s.length >= 4);
}

/** argv for logs and describe(): secrets hidden, arguments quoted when they contain spaces. */
export function formatArgv(args: string[]): string {
  const ignored = { secret: false };
  return redactArgvInto(args, ignored)
    .map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : JSON.stringify(a)))
    .join(" ");
}

/** A URL for logs and describe(): no user info, no query string (either can carry a key). */
export function safeUrl(value: string): string {
  try {
    const url = new URL(value);
    return `${url.protocol}//${url.host}${url.pathname}`;
  } catch {
    return "(invalid URL)";
  }
}

// ---- small helpers shared by the adapters (no I/O, so this module stays safe to import anywhere)

/** Splits are whole percents, as in the cutover plan; anything else is a caller bug. */
export function assertPercent(percent: number): void {
  if (!Number.isInteger(percent) || percent < 0 || percent > 100) {
    throw new Error(`traffic split must be a whole percent 0..100, got ${String(percent)}`);
  }
}

/**
 * One signal for "the caller gave up or our own time limit passed", and a way to tell the two
 * apart afterwards so the error can say which one happened.
 */
export function deadline(timeoutMs: number, signal?: AbortSignal): { signal: AbortSignal; timedOut: () => boolean } {
  const timer = AbortSignal.timeout(timeoutMs);
  return {
    signal: signal ? AbortSignal.any([signal, timer]) : timer,
    timedOut: () => timer.aborted && !signal?.aborted,
  };
}
