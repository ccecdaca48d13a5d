// THE client for every request the server makes to somewhere else (Prometheus, webhook routers,
// webhook rollback hooks, announcements). A web user can name the URL, so:
// - every address a name resolves to is checked in the socket's own `lookup`, i.e. at connect
//   time, against the address policy (lib/net/policy.ts) and the allow-list: a name that resolved
//   to a public address when it was saved and to 127.0.0.1 now (DNS rebinding) is refused, and
//   no connection is opened at all;
// - redirects are never followed (a 3xx is an error): a signed body or a credential is sent only
//   to the URL that was configured and checked;
// - the whole exchange is bounded in time and the answer in size (read as a stream, cut off
//   past maxBytes);
// - errors are OutboundError with a short message naming host:port only, never the URL's
//   credentials, query or path, and never a byte of the answer.
import dns from "node:dns";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { currentAllowList } from "./allow-list";
import { checkAddress, parseAddress, unbracket } from "./policy";

export type OutboundErrorCode =
  | "refused" // the policy: a non-public address that is not allow-listed
  | "invalid_url"
  | "invalid_request"
  | "timeout"
  | "aborted"
  | "too_large"
  | "redirect"
  | "connection_refused"
  | "not_found"
  | "not_json"
  | "network";

/** An outbound request that did not produce an answer; the message is safe to show and to store. */
export class OutboundError extends Error {
  constructor(
    readonly code: OutboundErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "OutboundError";
  }
}

export interface OutboundInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Bounds the whole exchange: resolving, connecting, sending and reading the answer. */
  timeoutMs: number;
  /** The answer is cut off (and the request fails) past this many bytes. Default 1 MiB. */
  maxBytes?: number;
  signal?: AbortSignal;
}

export interface OutboundResponse {
  status: number;
  /** 2xx */
  ok: boolean;
  headers: Headers;
  /** host:port of the URL, for messages ("HTTP 502 from prom.example:9090"). */
  where: string;
  text(): string;
  /** The body parsed as JSON; OutboundError("not_json") when it is not. */
  json(): unknown;
}

export const DEFAULT_MAX_BYTES = 1024 * 1024;

/** "HTTP 502 from prom.example:9090": what a caller says about an answer it does not accept. */
export function statusMessage(res: Pick<OutboundResponse, "status" | "where">): string {
  return `HTTP ${res.status} from ${res.where}`;
}

/** Throws OutboundError("refused") unless every address `host` resolved to may be reached. */
export async function assertAddressesAllowed(host: string, addresses: readonly string[]): Promise<void> {
  if (addresses.length === 0) throw new OutboundError("not_found", `host not found: ${host}`);
  // Public addresses need no allow-list: only look it up (maybe a database read) when needed.
  if (addresses.every((a) => checkAddress(host, a, []) === null)) return;
  const entries = await currentAllowList();
  for (const a of addresses) {
    const refusal = checkAddress(host, a, entries);
    if (refusal) throw new OutboundError("refused", refusal);
  }
}

/** `promise`, or the abort reason as soon as `signal` fires (the work itself is left to finish). */
function unlessAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined, onAbort: () => Error): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(onAbort());
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(onAbort());
    signal.addEventListener("abort", abort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener("abort", abort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener("abort", abort);
        reject(e);
      },
    );
  });
}

function resolveAll(host: string, family?: number): Promise<dns.LookupAddress[]> {
  return new Promise((resolve, reject) => {
    dns.lookup(host, { all: true, family: family ?? 0 }, (err, addresses) => {
      if (err) reject(new OutboundError("not_found", `host not found: ${host}`));
      else resolve(addresses);
    });
  });
}

/**
 * A `lookup` for net/http/tls sockets that refuses, at connect time, a name resolving to any
 * address that may not be reached. Node skips `lookup` for IP literals: check those with
 * assertAddressesAllowed before connecting (outboundRequest and assertAllowedTcpTarget do).
 */
export const guardedLookup: LookupFunction = (hostname, options, callback) => {
  const family = options.family === "IPv4" ? 4 : options.family === "IPv6" ? 6 : typeof options.family === "number" ? options.family : undefined;
  resolveAll(hostname, family)
    .then(async (addresses) => {
      await assertAddressesAllowed(hostname, addresses.map((a) => a.address));
      if (options.all) callback(null, addresses);
      else callback(null, addresses[0]!.address, addresses[0]!.family);
    })
    .catch((err: Error) => callback(err as NodeJS.ErrnoException, "", 0));
};

/**
 * For raw TCP targets (HAProxy's runtime API over TCP): resolves `host`, applies the same policy
 * and returns the address to connect to, so the connection goes exactly where the check looked.
 */
export async function assertAllowedTcpTarget(host: string, port: number, signal?: AbortSignal): Promise<{ address: string; family: number }> {
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new OutboundError("invalid_url", `port ${String(port)} is not 1..65535`);
  const bare = unbracket(host);
  const aborted = () => new OutboundError("aborted", `the check of ${bare}:${port} was aborted`);
  const literal = parseAddress(bare);
  if (literal) {
    await unlessAborted(assertAddressesAllowed(bare, [bare]), signal, aborted);
    return { address: bare, family: literal.kind() === "ipv4" ? 4 : 6 };
  }
  if (!bare || bare.length > 253) throw new OutboundError("invalid_url", "not a host name");
  const addresses = await unlessAborted(resolveAll(bare), signal, aborted);
  await unlessAborted(assertAddressesAllowed(bare, addresses.map((a) => a.address)), signal, aborted);
  return { address: addresses[0]!.address, family: addresses[0]!.family };
}

function networkError(err: NodeJS.ErrnoException, where: string, hostname: string): OutboundError {
  const code = err.code ?? "";
  if (code === "ECONNREFUSED") return new OutboundError("connection_refused", `connection refused by ${where} (nothing listens there)`);
  if (code === "ENOTFOUND" || code === "EAI_AGAIN" || code === "EAI_NONAME") return new OutboundError("not_found", `host not found: ${hostname}`);
  if (code === "ECONNRESET" || code === "EPIPE") return new OutboundError("network", `connection reset by ${where}`);
  if (/^(CERT_|ERR_TLS_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_)/.test(code)) return new OutboundError("network", `TLS error from ${where} (${code})`);
  // Only the code: Node's own messages are harmless today, but this keeps the promise structural.
  return new OutboundError("network", `request to ${where} failed${/^[A-Z0-9_]{2,40}$/.test(code) ? ` (${code})` : ""}`);
}

/** One guarded request (see the top of this file); resolves for any non-3xx status. */
export async function outboundRequest(url: string, init: OutboundInit): Promise<OutboundResponse> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new OutboundError("invalid_url", "not a valid URL");
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") throw new OutboundError("invalid_url", `only http and https URLs may be requested, not ${u.protocol.slice(0, 20)}`);
  const where = u.host;
  const hostname = unbracket(u.hostname);
  const maxBytes = init.maxBytes ?? DEFAULT_MAX_BYTES;
  const timer = AbortSignal.timeout(init.timeoutMs);
  const signal = init.signal ? AbortSignal.any([init.signal, timer]) : timer;
  const stopped = () => (timer.aborted && !init.signal?.aborted ? new OutboundError("timeout", `${where} did not answer within ${init.timeoutMs} ms`) : new OutboundError("aborted", `request to ${where} was aborted`));
  if (signal.aborted) throw stopped();

  // Node does not call `lookup` for an IP literal: check it here (URL parsing has already turned
  // "2130706433" or "0x7f.1" into dotted quads).
  if (parseAddress(hostname)) await unlessAborted(assertAddressesAllowed(hostname, [hostname]), signal, stopped);

  const headers: Record<string, string> = { "user-agent": "cutover-war-room", ...init.headers };
  const body = init.body === undefined ? undefined : Buffer.isBuffer(init.body) ? init.body : Buffer.from(init.body, "utf8");
  if (body) headers["content-length"] = String(body.length);
  const auth = u.username || u.password ? `${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}` : undefined;
  const transport = u.protocol === "https:" ? https : http;

  return new Promise<OutboundResponse>((resolve, reject) => {
    let settled = false;
    const fail = (err: OutboundError) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener("abort", onAbort);
      req.destroy();
      reject(err);
    };
    const onAbort = () => fail(stopped());
    let req: http.ClientRequest;
    try {
      req = transport.request(
        {
          protocol: u.protocol,
          hostname,
          port: u.port || undefined,
          path: `${u.pathname}${u.search}`,
          method: init.method ?? "GET",
          headers,
          auth,
          // A fresh connection per request: a pooled socket would skip the lookup check.
          agent: false,
          lookup: guardedLookup,
        },
        (res) => {
          const status = res.statusCode ?? 0;
          if (status >= 300 && status < 400) {
            fail(new OutboundError("redirect", `HTTP ${status} from ${where} (redirects are not followed)`));
            return res.destroy();
          }
          const declared = Number(res.headers["content-length"]);
          if (Number.isFinite(declared) && declared > maxBytes) {
            fail(new OutboundError("too_large", `the answer from ${where} is larger than ${maxBytes} bytes`));
            return res.destroy();
          }
          const chunks: Buffer[] = [];
          let size = 0;
          res.on("data", (chunk: Buffer) => {
            size += chunk.length;
            if (size > maxBytes) {
              // Settled first: destroying the stream emits its own error.
              fail(new OutboundError("too_large", `the answer from ${where} is larger than ${maxBytes} bytes`));
              res.destroy();
              return;
            }
            chunks.push(chunk);
          });
          res.on("error", () => fail(new OutboundError("network", `the connection to ${where} closed before the answer was complete`)));
          res.on("aborted", () => fail(new OutboundError("network", `the connection to ${where} closed before the answer was complete`)));
          res.on("end", () => {
            if (settled) return;
            settled = true;
            signal.removeEventListener("abort", onAbort);
            const text = Buffer.concat(chunks).toString("utf8");
            const h = new Headers();
            for (const [k, v] of Object.entries(res.headers)) {
              for (const one of Array.isArray(v) ? v : v === undefined ? [] : [v]) {
                try {
                  h.append(k, one);
                } catch {
                  // a header value Headers will not hold is dropped, not an error
                }
              }
            }
            resolve({
              status,
              ok: status >= 200 && status < 300,
              headers: h,
              where,
              text: () => text,
              json: () => {
                try {
                  return JSON.parse(text) as unknown;
                } catch {
                  throw new OutboundError("not_json", `the answer from ${where} is not JSON (HTTP ${status})`);
                }
              },
            });
          });
        },
      );
    } catch (err) {
      // A header value with a line break, a bad method: Node's message would quote the value.
      settled = true;
      return reject(new OutboundError("invalid_request", `the request to ${where} is malformed (${(err as NodeJS.ErrnoException).code ?? "invalid"})`));
    }
    req.on("error", (err: NodeJS.ErrnoException) => {
      if (err instanceof OutboundError) return fail(err);
      if (signal.aborted) return fail(stopped());
      fail(networkError(err, where, hostname));
    });
    signal.addEventListener("abort", onAbort, { once: true });
    req.end(body);
  });
}

/**
 * outboundRequest in the shape of `fetch`, for libraries that take a fetch function (the Slack
 * webhook client): the same guard (address policy at connect time, no redirects, bounded time and
 * size). Only string bodies; a caller's own signal still aborts it.
 */
export async function outboundFetch(url: string | URL, init: { method?: string; headers?: Record<string, string>; body?: unknown; signal?: AbortSignal }, timeoutMs: number) {
  if (init.body !== undefined && typeof init.body !== "string") throw new OutboundError("invalid_request", "only text bodies are sent");
  const res = await outboundRequest(String(url), { method: init.method, headers: init.headers, body: init.body, timeoutMs, signal: init.signal });
  const text = res.text();
  return {
    ok: res.ok,
    status: res.status,
    statusText: "",
    url: String(url),
    headers: res.headers,
    text: async () => text,
    json: async () => res.json(),
    arrayBuffer: async () => new TextEncoder().encode(text).buffer,
  };
}
