// Metric values and thresholds in words, the same in the tiles, the charts, the trigger texts and
// the announcements (lib/domain/notify/render.ts). Pure: safe in the browser and the server.

function trimZeros(text: string): string {
  return text.includes(".") ? text.replace(/\.?0+$/, "") : text;
}

/**
 * A metric value with its unit: bytes as kB/MB/GB, percents with 1–2 decimals, milliseconds as
 * whole numbers, rates with as many decimals as they need.
 */
export function formatMetricValue(value: number, unit: string): string {
  if (!Number.isFinite(value)) return "—";
  const abs = Math.abs(value);
  switch (unit) {
    case "bytes":
      if (abs >= 1e12) return `${(value / 1e12).toFixed(2)} TB`;
      if (abs >= 1e9) return `${(value / 1e9).toFixed(2)} GB`;
      if (abs >= 1e6) return `${(value / 1e6).toFixed(1)} MB`;
      if (abs >= 1e3) return `${(value / 1e3).toFixed(1)} kB`;
      return `${Math.round(value)} B`;
    case "%":
      return `${value.toFixed(abs < 10 ? 2 : 1)} %`;
    case "ms":
      return `${Math.round(value)} ms`;
    case "req/s":
      return `${value.toFixed(abs < 10 ? 2 : abs < 100 ? 1 : 0)} req/s`;
    case "count":
      return Number.isInteger(value) ? value.toLocaleString("en-GB") : value.toFixed(2);
    default:
      return `${abs >= 100 ? value.toFixed(0) : value.toFixed(2)}${unit ? ` ${unit}` : ""}`;
  }
}

/** A threshold as people write it: "5 %", "500 ms", "1.5 GB". */
export function formatThreshold(value: number, unit: string): string {
  if (unit === "bytes") {
    const [num = "", suffix = ""] = formatMetricValue(value, unit).split(" ");
    return `${trimZeros(num)} ${suffix}`;
  }
  const n = trimZeros(value.toFixed(4));
  return unit === "count" ? n : `${n} ${unit}`;
}

/** Stable formatter per unit (the charts are memoised on it). */
const formatters = new Map<string, (v: number) => string>();
export function formatterFor(unit: string): (v: number) => string {
  let f = formatters.get(unit);
  if (!f) formatters.set(unit, (f = (v: number) => formatMetricValue(v, unit)));
  return f;
}
