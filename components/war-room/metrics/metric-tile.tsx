"use client";
// One metric at a glance: its value now for old and new, the band it is in (colour AND a label,
// never colour alone) and a sparkline. A tile without a fresh good sample is greyed and says since
// when and why ("no data since 10:42:03: connection refused"); it never shows the last value as
// if it were current.
import { Sparkline } from "@/components/charts/sparkline";
import { NEW_COLOR, OLD_COLOR } from "@/components/charts/colors";
import type { Level, TileState } from "@/lib/domain/metrics";
import type { MetricsView } from "@/lib/services/metrics";
import { formatUtc, formatWallTime } from "../shared/format";
import { formatMetricValue, formatThreshold } from "@/lib/domain/metric-format";
import { effectiveTile, tileLevelKey } from "@/lib/client/metric-samples";

export type MetricSeries = MetricsView["metrics"][number];
type SystemSeries = NonNullable<MetricSeries["old"]>;

// --- tile states -------------------------------------------------------------------------------

type Shown = Level | "stale" | "no_data" | "error";
export const LEVEL_LOOK: Record<Shown, { label: string; icon: string; badge: string; frame: string }> = {
  ok: { label: "OK", icon: "✓", badge: "border-green-700 bg-green-50 text-green-800 dark:bg-green-950 dark:text-green-200", frame: "border-green-600/60" },
  warning: { label: "WARN", icon: "▲", badge: "border-amber-600 bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200", frame: "border-amber-500" },
  critical: { label: "CRIT", icon: "✖", badge: "border-red-700 bg-red-100 font-bold text-red-800 dark:bg-red-950 dark:text-red-200", frame: "border-red-600 border-2" },
  stale: { label: "STALE", icon: "◌", badge: "border-neutral-400 bg-neutral-100 text-neutral-700 dark:bg-neutral-800 dark:text-neutral-300", frame: "border-neutral-300 border-dashed" },
  no_data: { label: "NO DATA", icon: "∅", badge: "border-neutral-400 bg-neutral-100 text-neutral-700 dark:bg-neutral-800 dark:text-neutral-300", frame: "border-neutral-300 border-dashed" },
  error: { label: "ERROR", icon: "⚠", badge: "border-neutral-500 bg-neutral-100 text-neutral-800 dark:bg-neutral-800 dark:text-neutral-200", frame: "border-neutral-400 border-dashed" },
};
const SEVERITY: Record<Shown, number> = { ok: 0, stale: 1, no_data: 1, error: 2, warning: 3, critical: 4 };

export function LevelBadge({ shown }: { shown: Shown }) {
  const look = LEVEL_LOOK[shown];
  return (
    <span className={`inline-flex items-center gap-1 rounded border px-1 text-xs font-semibold ${look.badge}`} data-testid="level-badge" data-level={shown}>
      <span aria-hidden>{look.icon}</span>
      {look.label}
    </span>
  );
}

/** "no data since 10:42:03: connection refused" (the time in the cutover's zone). */
export function notCurrentText(tile: Exclude<TileState, { kind: "current" }>, timeZone: string, now: number): string {
  const since = tile.since === null ? "no data yet" : `no data since ${formatWallTime(tile.since, timeZone, now, true)}`;
  return tile.reason ? `${since}: ${tile.reason}` : since;
}

function describeSystem(system: "old" | "new", tile: TileState, unit: string, timeZone: string, now: number): string {
  if (tile.kind === "current") return `${system} ${formatMetricValue(tile.value, unit)} ${LEVEL_LOOK[tile.level].label}`;
  return `${system} ${LEVEL_LOOK[tile.kind].label}, ${notCurrentText(tile, timeZone, now)}`;
}

// --- the tile ----------------------------------------------------------------------------------

export interface MetricTileProps {
  metric: MetricSeries;
  timeZone: string;
  /** Wall time in ms on the server's clock (samples carry the server's times). */
  now: number;
  /** After how long without a sample a value is stale (3 poll intervals, at least 10 s). */
  staleAfterMs: number;
  /** Names of the two systems ("Legacy", "Platform"), for the labels. */
  oldLabel?: string;
  newLabel?: string;
}

function SystemValue({ system, label, series, unit, timeZone, now, staleAfterMs }: { system: "old" | "new"; label: string; series: SystemSeries; unit: string; timeZone: string; now: number; staleAfterMs: number }) {
  const tile = effectiveTile(series.tile, now, staleAfterMs);
  const shown = tileLevelKey(tile);
  const current = tile.kind === "current";
  return (
    <div data-testid="metric-system" data-system={system} data-level={shown} className={`min-w-0 flex-1 ${current ? "" : "text-muted"}`}>
      <div className="flex items-center justify-between gap-1">
        <span className="truncate text-xs text-muted" title={label}>
          {system}
          {label !== system && <span className="sr-only"> ({label})</span>}
        </span>
        <LevelBadge shown={shown} />
      </div>
      {current ? (
        <div className="text-xl font-semibold tabular" data-testid="metric-value" title={formatUtc(tile.at)}>
          {formatMetricValue(tile.value, unit)}
        </div>
      ) : (
        <div data-testid="metric-not-current">
          <div className="text-xl font-semibold text-neutral-400" aria-hidden>
            —
          </div>
          <p className="text-xs leading-snug" data-testid="metric-stale-reason" title={tile.since !== null ? formatUtc(tile.since) : undefined}>
            {notCurrentText(tile, timeZone, now)}
          </p>
        </div>
      )}
      <div className={current ? "" : "opacity-50"}>
        <Sparkline samples={series.samples} color={system === "old" ? OLD_COLOR : NEW_COLOR} muted={!current} width={system === "old" ? 110 : 120} />
      </div>
    </div>
  );
}

export function MetricTile({ metric: m, timeZone, now, staleAfterMs, oldLabel = "old", newLabel = "new" }: MetricTileProps) {
  const systems = (["old", "new"] as const).flatMap((s) => {
    const series = m[s];
    return series ? [{ system: s, series, tile: effectiveTile(series.tile, now, staleAfterMs) }] : [];
  });
  const shownOf = (s: "old" | "new") => {
    const x = systems.find((y) => y.system === s);
    return x ? tileLevelKey(x.tile) : undefined;
  };
  // The frame shows the worse of the two; the new system decides ties (it is the one at risk).
  const worst = systems.reduce<Shown | null>((w, s) => {
    const k = tileLevelKey(s.tile);
    return w === null || SEVERITY[k] > SEVERITY[w] ? k : w;
  }, null);
  const anyCurrent = systems.some((s) => s.tile.kind === "current");
  const thresholds = [
    m.warningThreshold !== null ? `warning ${m.direction === "above" ? ">" : "<"} ${formatThreshold(m.warningThreshold, m.unit)}` : null,
    m.criticalThreshold !== null ? `critical ${m.direction === "above" ? ">" : "<"} ${formatThreshold(m.criticalThreshold, m.unit)}` : null,
  ].filter(Boolean);
  const label = `${m.name}: ${systems.length ? systems.map((s) => describeSystem(s.system, s.tile, m.unit, timeZone, now)).join("; ") : "no query configured"}`;

  return (
    <article
      data-testid="metric-tile"
      data-metric={m.name}
      data-metric-id={m.id}
      data-system-old-level={shownOf("old")}
      data-system-new-level={shownOf("new")}
      aria-label={label}
      className={`rounded border bg-white p-2 dark:bg-neutral-900 ${worst ? LEVEL_LOOK[worst].frame : "border-neutral-200 dark:border-neutral-800"} ${anyCurrent ? "" : "bg-neutral-50 dark:bg-neutral-900/60"}`}
    >
      <header className="mb-1 flex items-baseline justify-between gap-2">
        <h3 className="truncate text-sm font-medium" title={m.name}>
          {m.name}
        </h3>
        <span className="shrink-0 text-xs text-muted">{m.unit}</span>
      </header>
      {systems.length === 0 ? (
        <p className="text-xs text-amber-700 dark:text-amber-300" data-testid="query-needed">Query needed: no PromQL for this metric yet (imported thresholds wait for one).</p>
      ) : (
        <div className="flex gap-3">
          {systems.map((s) => (
            <SystemValue
              key={s.system}
              system={s.system}
              label={s.system === "old" ? oldLabel : newLabel}
              series={s.series}
              unit={m.unit}
              timeZone={timeZone}
              now={now}
              staleAfterMs={staleAfterMs}
            />
          ))}
        </div>
      )}
      {thresholds.length > 0 && <p className="mt-1 text-[11px] text-muted tabular">{thresholds.join(" · ")}</p>}
    </article>
  );
}
