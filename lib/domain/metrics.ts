// Metrics as the room reads them: samples, thresholds, tile states and metric gates.
// A sample is a value at a time, or an explicit no_data / error with the reason. Missing or stale
// data never passes a gate and is never shown as current.

export const METRIC_UNITS = ["%", "ms", "req/s", "bytes", "count"] as const;
export type MetricUnit = (typeof METRIC_UNITS)[number];
export type System = "old" | "new";
export type Direction = "above" | "below";
export type Level = "ok" | "warning" | "critical";

export type Sample =
  | { at: number; status: "ok"; value: number }
  | { at: number; status: "no_data" | "error"; value: null; reason: string };

/** One poll's sample of one metric on one system, as the poller hands it to trigger evaluation. */
export interface PolledSample {
  metricId: string;
  system: System;
  sample: Sample;
}

export interface Thresholds {
  direction: Direction;
  warning: number | null;
  critical: number | null;
}

/** Which band a value falls in; "above" means higher is worse. */
export function levelOf(value: number, t: Thresholds): Level {
  const worse = (limit: number | null) => limit !== null && (t.direction === "above" ? value > limit : value < limit);
  if (worse(t.critical)) return "critical";
  if (worse(t.warning)) return "warning";
  return "ok";
}

export type TileState =
  | { kind: "current"; level: Level; value: number; at: number }
  | { kind: "stale" | "no_data" | "error"; lastValue: number | null; since: number | null; reason: string };

/**
 * When a value is stale: after three poll intervals without a sample, and never sooner than
 * 10 s, because a poll takes time and a busy poller runs late. The server's tiles, its gates and
 * the room's live tiles all apply this one rule.
 */
export function staleAfterOf(pollIntervalMs: number): number {
  return Math.max(3 * pollIntervalMs, 10_000);
}

/**
 * What a tile shows. The latest sample decides: a fresh ok sample is current; otherwise the tile
 * says how long there has been no good data and why ("no data since 10:42:03: connection refused").
 */
export function tileState(samples: readonly Sample[], t: Thresholds, now: number, staleAfterMs: number): TileState {
  const latest = samples.at(-1);
  let lastGood: Extract<Sample, { status: "ok" }> | null = null;
  for (let i = samples.length - 1; i >= 0; i--) {
    const s = samples[i]!;
    if (s.status === "ok") {
      lastGood = s;
      break;
    }
  }
  if (!latest) return { kind: "no_data", lastValue: null, since: null, reason: "no sample yet" };
  if (latest.status !== "ok") return { kind: latest.status, lastValue: lastGood?.value ?? null, since: lastGood?.at ?? null, reason: latest.reason };
  if (now - latest.at > staleAfterMs) return { kind: "stale", lastValue: latest.value, since: latest.at, reason: `no new sample for ${Math.round((now - latest.at) / 1000)} s` };
  return { kind: "current", level: levelOf(latest.value, t), value: latest.value, at: latest.at };
}

export type Comparison = "<" | "<=" | ">" | ">=";
export function compare(a: number, op: Comparison, b: number): boolean {
  switch (op) {
    case "<":
      return a < b;
    case "<=":
      return a <= b;
    case ">":
      return a > b;
    case ">=":
      return a >= b;
  }
}

/** "error rate (new) < 1 % over the last 30 min" or "p95 (new) ≤ 1.2 × p95 (old) over 10 min". */
export type GateCondition =
  | { kind: "threshold"; system: System; op: Comparison; value: number; windowSec: number }
  | { kind: "ratio"; op: Comparison; factor: number; windowSec: number };

export interface GateResult {
  passed: boolean;
  detail: string;
}

function inWindow(samples: readonly Sample[], now: number, windowSec: number) {
  return samples.filter((s) => s.at > now - windowSec * 1000 && s.at <= now);
}

/**
 * A window has data when its samples are all good, the newest is fresh and they reach back to
 * the window's start (within one poll interval): a gate over "the last 30 min" cannot pass on
 * two minutes of data.
 */
function windowProblem(samples: readonly Sample[], now: number, windowSec: number, intervalMs: number, label: string): string | null {
  const w = inWindow(samples, now, windowSec);
  if (w.length === 0) return `no data for ${label} in the last ${windowSec} s`;
  const bad = w.find((s): s is Exclude<Sample, { status: "ok" }> => s.status !== "ok");
  if (bad) return `${label} had ${bad.status === "error" ? "an error" : "no data"} at ${new Date(bad.at).toISOString().slice(11, 19)}: ${bad.reason}`;
  const newest = w.at(-1)!;
  if (now - newest.at > staleAfterOf(intervalMs)) return `${label} data is stale (newest sample ${Math.round((now - newest.at) / 1000)} s old)`;
  const oldest = w[0]!;
  const coverage = now - windowSec * 1000 + Math.max(2 * intervalMs, 5000);
  if (oldest.at > coverage) return `${label} has data for only the last ${Math.round((now - oldest.at) / 1000)} s of ${windowSec} s`;
  return null;
}

const values = (s: readonly Sample[]) => s.flatMap((x) => (x.status === "ok" ? [x.value] : []));
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const fmt = (n: number) => (Math.abs(n) >= 100 ? n.toFixed(0) : n.toFixed(2));

export function evaluateGate(
  condition: GateCondition,
  samples: { old: readonly Sample[]; new: readonly Sample[] },
  now: number,
  intervalMs: number,
  metricName: string,
): GateResult {
  if (condition.kind === "threshold") {
    const label = `${metricName} (${condition.system})`;
    const problem = windowProblem(samples[condition.system], now, condition.windowSec, intervalMs, label);
    if (problem) return { passed: false, detail: problem };
    const vs = values(inWindow(samples[condition.system], now, condition.windowSec));
    const failing = vs.filter((v) => !compare(v, condition.op, condition.value));
    if (failing.length) return { passed: false, detail: `${label} reached ${fmt(failing.reduce((a, b) => (condition.op.startsWith("<") ? Math.max(a, b) : Math.min(a, b))))}, needs ${condition.op} ${condition.value}` };
    return { passed: true, detail: `${label} ${condition.op} ${condition.value} for all ${vs.length} samples of the last ${condition.windowSec} s` };
  }
  for (const system of ["new", "old"] as const) {
    const problem = windowProblem(samples[system], now, condition.windowSec, intervalMs, `${metricName} (${system})`);
    if (problem) return { passed: false, detail: problem };
  }
  const n = mean(values(inWindow(samples.new, now, condition.windowSec)));
  const o = mean(values(inWindow(samples.old, now, condition.windowSec)));
  const passed = compare(n, condition.op, condition.factor * o);
  return { passed, detail: `${metricName}: new ${fmt(n)} ${passed ? "" : "not "}${condition.op} ${condition.factor} × old ${fmt(o)} (mean over ${condition.windowSec} s)` };
}

const windowLabel = (sec: number) => (sec >= 60 && sec % 60 === 0 ? `${sec / 60} min` : `${sec} s`);

export function describeGate(condition: GateCondition, metricName: string, unit: string): string {
  if (condition.kind === "threshold") return `${metricName} (${condition.system}) ${condition.op} ${condition.value} ${unit} over the last ${windowLabel(condition.windowSec)}`;
  return `${metricName} (new) ${condition.op} ${condition.factor} × (old) over the last ${windowLabel(condition.windowSec)}`;
}
