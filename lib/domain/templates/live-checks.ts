// The part every built-in template ends with, in the formats the runbook import reads: the
// thresholds table and the rollback triggers. One writer, so the three templates cannot drift
// apart in how they say it.

/** [metric, warning, critical], e.g. ["P95 latency", "> 500ms", "> 1000ms"]. */
export type ThresholdRow = readonly [metric: string, warning: string, critical: string];

/** `- If <metric> <comparison> <value> for <minutes> minutes → ROLLBACK`, given without the leading "If ". */
export function liveChecks(thresholds: readonly ThresholdRow[], triggers: readonly string[]): string {
  return [
    "## Thresholds",
    "",
    "| Metric | Warning | Critical |",
    "|---|---|---|",
    ...thresholds.map(([metric, warning, critical]) => `| ${metric} | ${warning} | ${critical} |`),
    "",
    "## Rollback triggers",
    "",
    ...triggers.map((t) => `- If ${t} → ROLLBACK`),
    "",
  ].join("\n");
}
