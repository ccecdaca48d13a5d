// Numbers in runbook prose: "Error rate > 5% for 5 minutes", "P95 Latency | > 500ms", "Latency
// p95 < 100ms (target 50ms)". Read into a metric name, a comparison, a value in the metric's unit
// and a duration, and matched onto the metric set a new cutover starts with (default-metrics.ts).
import type { Comparison } from "../metrics";
import { ALERT_NAME } from "../alerts";
import { DEFAULT_METRICS } from "../default-metrics";

export interface Measure {
  /** The metric as the runbook names it ("P95 Latency"). */
  name: string;
  /** The default metric it is ("Latency p95"), or null: a new metric whose query is still needed. */
  metric: string | null;
  unit: string;
  comparison: Comparison;
  value: number;
  /** "for 5 minutes", "sustained for 2 min" → seconds; null when not said. */
  forSeconds: number | null;
}

// Which default metric a name means; first match wins (p99 before the generic "latency").
const METRIC_RULES: readonly (readonly [string, RegExp])[] = [
  ["DB connection errors", /\b(db|database)\b.*\bconnection (errors?|failures?)\b/i],
  ["Error rate", /\berror(s|[ _-]?rate)?\b|\b5xx\b/i],
  ["Latency p50", /\b(p50|median)\b/i],
  ["Latency p99", /\bp99\b/i],
  ["Latency p95", /\bp95\b|\blatency\b|\bresponse[ _-]?times?\b/i],
  ["CPU", /\bcpu\b/i],
  ["Memory", /\b(memory|mem|rss)\b/i],
  ["DB connections", /\b(db|database)[ _-]?(connections?|pool)\b|\bconnection[ _-]?pool\b/i],
  ["Disk free", /\bdisk\b/i],
  ["Request rate", /\b(request[ _-]?rate|throughput|rps|req\/s)\b/i],
];

const DEFAULT_UNITS = new Map(DEFAULT_METRICS.map((m) => [m.name, m.unit as string]));

/** "%", "ms", "s" … as written → the unit and the factor to it ("2 s" is 2000 ms). */
function readUnit(raw: string): { unit: string; factor: number } | null {
  const u = raw.toLowerCase().replace(/\s+/g, "");
  if (u === "") return null;
  if (u === "%" || u.startsWith("percent")) return { unit: "%", factor: 1 };
  if (u === "ms" || u.startsWith("millisec")) return { unit: "ms", factor: 1 };
  if (u === "s" || u === "sec" || u === "secs" || u.startsWith("second")) return { unit: "ms", factor: 1000 };
  if (u === "req/s" || u === "rps" || u === "requests/s" || u === "qps") return { unit: "req/s", factor: 1 };
  if (u === "gb" || u === "gib") return { unit: "bytes", factor: 1024 ** 3 };
  if (u === "mb" || u === "mib") return { unit: "bytes", factor: 1024 ** 2 };
  if (u === "kb" || u === "kib") return { unit: "bytes", factor: 1024 };
  if (u === "b" || u.startsWith("byte")) return { unit: "bytes", factor: 1 };
  return null;
}

/** The default metric a name stands for, if its unit fits (a "Memory > 85%" is not bytes). */
export function matchMetric(name: string, unit: string | null): string | null {
  const text = name.replace(/_/g, " ");
  for (const [metric, re] of METRIC_RULES) {
    if (!re.test(text)) continue;
    const expected = DEFAULT_UNITS.get(metric);
    return unit === null || unit === expected ? metric : null;
  }
  return null;
}

const WORD_OPS: readonly (readonly [RegExp, Comparison])[] = [
  [/^(?:is\s+)?(?:above|over|exceeds?|greater than|more than|higher than)\s+/i, ">"],
  [/^(?:is\s+)?(?:below|under|less than|lower than)\s+/i, "<"],
  [/^(?:is\s+)?at least\s+/i, ">="],
  [/^(?:is\s+)?at most\s+/i, "<="],
];

/** A comparison and a number with its unit at the start of `s` ("> 500ms", "≤ 1 %", "above 80%"). */
export function readComparison(s: string): { comparison: Comparison; value: number; unit: string | null; rest: string } | null {
  let t = s.trimStart();
  let comparison: Comparison | null = null;
  const c = t[0];
  if (c === ">" || c === "<") {
    comparison = t[1] === "=" ? (`${c}=` as Comparison) : c;
    t = t.slice(t[1] === "=" ? 2 : 1);
  } else if (c === "≥" || c === "≤") {
    comparison = c === "≥" ? ">=" : "<=";
    t = t.slice(1);
  } else {
    for (const [re, op] of WORD_OPS) {
      const m = re.exec(t);
      if (m) {
        comparison = op;
        t = t.slice(m[0].length);
        break;
      }
    }
  }
  if (comparison === null) return null;
  // Bytes run to ten digits and more ("> 1500000000 bytes", "1,500,000,000"); a comma between
  // groups of three is a thousands separator, any other comma a decimal one ("1,5 %").
  const num = /^\s{0,3}(\d{1,3}(?:,\d{3})+(?:\.\d{1,6})?(?![\d,])|\d{1,15}(?:[.,]\d{1,6})?)(?!\d)\s{0,3}(%|ms\b|milliseconds?\b|s\b|secs?\b|seconds?\b|req\/s|rps\b|qps\b|[gmk]i?b\b|bytes?\b|b\b)?/i.exec(t);
  if (!num) return null;
  const digits = num[1]!;
  const raw = Number(/^\d{1,3}(?:,\d{3})+(?:\.\d+)?$/.test(digits) ? digits.replace(/,/g, "") : digits.replace(",", "."));
  const unit = num[2] ? readUnit(num[2]) : null;
  return { comparison, value: unit ? raw * unit.factor : raw, unit: unit?.unit ?? null, rest: t.slice(num[0].length) };
}

/** "for 5 minutes", "sustained for 30s", "for 5 consecutive minutes" → seconds. */
export function readDuration(text: string): number | null {
  const m = /\b(?:for|over|sustained(?:\s+for)?|lasting)\s+(\d{1,5})\s*(?:consecutive\s+)?(seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h)\b/i.exec(text);
  if (!m) return null;
  const n = Number(m[1]);
  const u = m[2]!.toLowerCase();
  return u.startsWith("h") ? n * 3600 : u.startsWith("m") ? n * 60 : n;
}

/**
 * "alert HighErrorRate is firing for 2 minutes", "When alert `PaymentsDown` fires" → the
 * Alertmanager alert a trigger watches and how long it must fire (null when not said); null for
 * anything else, including an alert line with more conditions than that.
 */
export function parseAlertCondition(text: string): { alertName: string; forSeconds: number | null } | null {
  const t = text.length > 300 ? text.slice(0, 300) : text;
  const m = /^\s*(?:(?:if|when)\s+)?(?:the\s+)?alert\s+`?([^\s`]{1,200})`?\s+(?:is\s+)?(?:firing|fires)\b(.*)$/i.exec(t);
  // "alert  is firing" names no alert: its "is" is not a name.
  if (!m || !ALERT_NAME.test(m[1]!) || /^(?:is|firing|fires)$/i.test(m[1]!)) return null;
  const rest = m[2]!.trim();
  const forSeconds = readDuration(rest);
  if (rest && (forSeconds === null || !/^(?:for|over|sustained|lasting)\b[^,;]*$/i.test(rest))) return null;
  return { alertName: m[1]!, forSeconds };
}

const LEADING_WORDS = /^(?:(?:if|when|once|and|or|the|unacceptable|sustained|avg|average)\s+)+/i;
const FIRST_OP = /[<>≤≥]|\b(?:is\s+)?(?:above|over|exceeds?|greater than|more than|higher than|below|under|less than|lower than|at least|at most)\s+\d/i;

/**
 * "Error rate > 5% sustained for 5 minutes" → a measure; null when the text compares no named
 * thing with a number ("99%+ availability", "Database performance good").
 */
export function parseMeasure(text: string): Measure | null {
  const t = text.length > 300 ? text.slice(0, 300) : text;
  const op = FIRST_OP.exec(t);
  if (!op) return null;
  const cmp = readComparison(t.slice(op.index));
  if (!cmp) return null;
  let name = t.slice(0, op.index).replace(/[(:\-–—]+\s*$/, "").trim();
  name = name.replace(LEADING_WORDS, "").replace(/\s+(?:is|are|stays?|remains?)$/i, "").trim();
  if (!/[A-Za-z]/.test(name) || name.length > 60) return null;
  const metric = matchMetric(name, cmp.unit);
  const unit = metric ? DEFAULT_UNITS.get(metric)! : (cmp.unit ?? "");
  return { name, metric, unit, comparison: cmp.comparison, value: cmp.value, forSeconds: readDuration(t) };
}
