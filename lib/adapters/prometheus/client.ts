// Prometheus HTTP API client (instant and range queries) turning answers into domain samples.
// Anything that is not a well-formed Prometheus answer is an error sample with the reason; the
// caller never sees an exception for a bad provider. Requests go through the outbound guard
// (allow-listed or public addresses, no redirects, bounded time and size), and a reason never
// carries the answer's body beyond Prometheus's own parse errors (see prometheusError).
import { z } from "zod";
import type { Sample } from "@/lib/domain/metrics";
import { OutboundError, outboundRequest, type OutboundResponse } from "@/lib/net/outbound";

export type PrometheusAuth = { kind: "none" } | { kind: "bearer"; token: string } | { kind: "basic"; username: string; password: string };

export interface PrometheusTarget {
  url: string;
  auth?: PrometheusAuth | null;
  timeoutMs?: number;
}

const vectorAnswer = z.object({
  status: z.literal("success"),
  data: z.object({
    resultType: z.enum(["vector", "scalar", "matrix", "string"]),
    result: z.unknown(),
  }),
});
const vectorResult = z.array(z.object({ metric: z.record(z.string(), z.string()), value: z.tuple([z.number(), z.string()]) }));
const scalarResult = z.tuple([z.number(), z.string()]);
const matrixResult = z.array(z.object({ metric: z.record(z.string(), z.string()), values: z.array(z.tuple([z.number(), z.string()])) }));
const errorAnswer = z.object({ status: z.literal("error"), errorType: z.string().optional(), error: z.string() });

function headers(auth: PrometheusAuth | null | undefined): Record<string, string> {
  if (!auth || auth.kind === "none") return {};
  if (auth.kind === "bearer") return { authorization: `Bearer ${auth.token}` };
  return { authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString("base64")}` };
}

/** Prometheus's own error types (its API documentation): the only words of an error answer we repeat. */
const ERROR_TYPES = new Set(["bad_data", "execution", "timeout", "canceled", "internal", "unavailable", "not_found", "too_many_requests"]);

/**
 * What may be said of a Prometheus error answer. A query parse error is worth its words ("parse
 * error: unexpected end of input"): they describe the query the user typed. Anything else is
 * reduced to its error type, so an answer from something that only looks like Prometheus is never
 * echoed into the room.
 */
function prometheusError(errorType: string | undefined, error: string): string {
  const type = errorType && ERROR_TYPES.has(errorType) ? errorType : "error";
  const line = error.split("\n")[0]!.replace(/[^\x20-\x7e]/g, "");
  if (type === "bad_data" && /^(invalid parameter "query": )?(\d+:\d+: )?parse error/.test(line)) return `Prometheus: ${line.length > 160 ? `${line.slice(0, 160)}…` : line}`;
  return `Prometheus: ${type}`;
}

function describeOutboundError(err: unknown, timeoutMs: number): string {
  if (!(err instanceof OutboundError)) return "request failed";
  switch (err.code) {
    case "timeout":
      return `timed out after ${timeoutMs} ms`;
    case "connection_refused":
      return "connection refused";
    case "not_found":
      return "host not found";
    default:
      return err.message;
  }
}

// A range query of the room's longest window at one step per second stays well below this.
const MAX_ANSWER_BYTES = 4 * 1024 * 1024;

async function get(target: PrometheusTarget, path: string, params: Record<string, string>): Promise<{ ok: true; body: unknown } | { ok: false; reason: string }> {
  const timeoutMs = target.timeoutMs ?? 3000;
  let res: OutboundResponse;
  try {
    const url = new URL(path, target.url.endsWith("/") ? target.url : `${target.url}/`);
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    res = await outboundRequest(url.toString(), { headers: headers(target.auth), timeoutMs, maxBytes: MAX_ANSWER_BYTES });
  } catch (err) {
    if (err instanceof TypeError) return { ok: false, reason: "the Prometheus URL is not valid" };
    return { ok: false, reason: describeOutboundError(err, timeoutMs) };
  }
  let body: unknown;
  try {
    body = JSON.parse(res.text());
  } catch {
    return { ok: false, reason: `not a Prometheus API response (HTTP ${res.status})` };
  }
  const asError = errorAnswer.safeParse(body);
  if (asError.success) return { ok: false, reason: prometheusError(asError.data.errorType, asError.data.error) };
  if (!res.ok) return { ok: false, reason: `HTTP ${res.status} from Prometheus` };
  return { ok: true, body };
}

function toNumber(raw: string): number | { reason: string; noData?: boolean } {
  // Prometheus writes infinities as "+Inf" / "-Inf", which Number() does not read.
  if (raw === "+Inf" || raw === "Inf") return { reason: "the query returned +Inf" };
  if (raw === "-Inf") return { reason: "the query returned -Inf" };
  const n = Number(raw);
  if (Number.isNaN(n)) return { reason: "the query returned NaN", noData: true };
  if (!Number.isFinite(n)) return { reason: `the query returned ${n > 0 ? "+Inf" : "-Inf"}` };
  return n;
}

/** One instant query → one sample. More than one series is an error: the room needs one number. */
export async function queryInstant(target: PrometheusTarget, promql: string, at: number = Date.now()): Promise<Sample> {
  const r = await get(target, "api/v1/query", { query: promql, time: (at / 1000).toFixed(3) });
  if (!r.ok) return { at, status: "error", value: null, reason: r.reason };
  const answer = vectorAnswer.safeParse(r.body);
  if (!answer.success) return { at, status: "error", value: null, reason: "not a Prometheus API response" };
  const { resultType, result } = answer.data.data;
  let raw: string;
  if (resultType === "scalar") {
    const s = scalarResult.safeParse(result);
    if (!s.success) return { at, status: "error", value: null, reason: "malformed scalar result" };
    raw = s.data[1];
  } else if (resultType === "vector") {
    const v = vectorResult.safeParse(result);
    if (!v.success) return { at, status: "error", value: null, reason: "malformed vector result" };
    if (v.data.length === 0) return { at, status: "no_data", value: null, reason: "the query returned no series" };
    if (v.data.length > 1) return { at, status: "error", value: null, reason: `the query returned ${v.data.length} series: aggregate it to one (e.g. sum(...))` };
    raw = v.data[0]!.value[1];
  } else {
    return { at, status: "error", value: null, reason: `the query returned a ${resultType}: use an instant vector or scalar` };
  }
  const n = toNumber(raw);
  // NaN is what a ratio gives over a window with no traffic (0 / 0): there is nothing to read,
  // which is no data rather than a broken provider.
  if (typeof n !== "number") return n.noData ? { at, status: "no_data", value: null, reason: "the query returned NaN (no traffic in the window?)" } : { at, status: "error", value: null, reason: n.reason };
  return { at, status: "ok", value: n };
}

/** A range query for backfill; errors give an empty list plus the reason. */
export async function queryRange(target: PrometheusTarget, promql: string, startMs: number, endMs: number, stepSec: number): Promise<{ samples: Sample[]; error: string | null }> {
  const r = await get(target, "api/v1/query_range", { query: promql, start: (startMs / 1000).toFixed(3), end: (endMs / 1000).toFixed(3), step: String(stepSec) });
  if (!r.ok) return { samples: [], error: r.reason };
  const answer = vectorAnswer.safeParse(r.body);
  const m = answer.success ? matrixResult.safeParse(answer.data.data.result) : null;
  if (!m?.success) return { samples: [], error: "not a Prometheus range answer" };
  if (m.data.length > 1) return { samples: [], error: `the query returned ${m.data.length} series` };
  const samples: Sample[] = (m.data[0]?.values ?? []).flatMap(([t, raw]) => {
    const n = toNumber(raw);
    return typeof n === "number" ? [{ at: Math.round(t * 1000), status: "ok" as const, value: n }] : [];
  });
  return { samples, error: null };
}
