"use client";
// The key metrics on the wall: one card per metric, old and new side by side as large numbers
// with their unit on the same line, the state of each in a short word ("CRIT", "NO DATA 2m").
// A value that is not current is never shown: a dash and how long it has been missing.
import type { CutoverStateJson } from "@/lib/services/cutover-read";
import type { TileState } from "@/lib/domain/metrics";
import { effectiveTile, staleAfterOf } from "@/lib/client/metric-samples";
import { splitValue, wallState, worseLevel, type WallLevel } from "@/lib/client/wall";
import { useMetricsView } from "../shared/use-metrics-view";
import type { MetricSeries } from "../metrics/metric-tile";
import { Badge } from "./wall-badge";
import { CARD, LABEL, STATE_LOOK } from "./wall-colors";

// The same cache entry as the Metrics tab's default range: switching to the wall fetches nothing.
const RANGE_SEC = 900;

export function WallMetrics({ cutover: c, now }: { cutover: CutoverStateJson; now: number }) {
  const { data, error } = useMetricsView(c.id, RANGE_SEC);
  const serverNow = data ? now + (data.now - data.receivedAt) : now;
  const staleAfterMs = staleAfterOf(data?.settings.pollIntervalMs ?? 5000);
  const metrics = data?.metrics ?? [];
  return (
    <section aria-labelledby="wall-metrics" className="min-w-0" data-testid="wall-metrics">
      <h2 id="wall-metrics" className={LABEL}>
        Health
      </h2>
      {error && <p className="text-xl text-amber-200">Could not load the metrics: {error.message}</p>}
      {data && metrics.length === 0 && <p className="text-2xl text-neutral-200">No metrics defined</p>}
      <div className={`grid gap-4 2xl:gap-6 ${metrics.length > 4 ? "xl:grid-cols-3" : ""} md:grid-cols-2`}>
        {metrics.map((m) => (
          <WallMetric key={m.id} metric={m} now={serverNow} staleAfterMs={staleAfterMs} />
        ))}
      </div>
    </section>
  );
}

function WallMetric({ metric: m, now, staleAfterMs }: { metric: MetricSeries; now: number; staleAfterMs: number }) {
  const systems = (["old", "new"] as const).flatMap((s) => {
    const series = m[s];
    return series ? [{ system: s, tile: effectiveTile(series.tile, now, staleAfterMs) }] : [];
  });
  const worst = systems.reduce<WallLevel | null>((w, s) => worseLevel(w, wallState(s.tile, now).level), null);
  const label = `${m.name}: ${systems.length ? systems.map((s) => `${s.system} ${spoken(s.tile, m.unit, now)}`).join("; ") : "no query configured"}`;
  return (
    <article aria-label={label} data-testid="wall-metric" data-metric={m.name} data-level={worst ?? "none"} className={`${CARD} 2xl:p-4 ${worst ? STATE_LOOK[worst].frame : ""}`}>
      <h3 className="truncate text-xl font-semibold text-neutral-100 2xl:text-2xl" title={m.name}>
        {m.name}
      </h3>
      {systems.length === 0 ? (
        <p className="text-lg text-amber-200">Query needed</p>
      ) : (
        <div className="mt-1 space-y-1">
          {systems.map((s) => (
            <SystemValue key={s.system} system={s.system} tile={s.tile} unit={m.unit} now={now} />
          ))}
        </div>
      )}
    </article>
  );
}

function spoken(tile: TileState, unit: string, now: number): string {
  const state = wallState(tile, now).text;
  if (tile.kind !== "current") return state;
  const v = splitValue(tile.value, unit);
  return `${v.number}${v.unit ? ` ${v.unit}` : ""} ${state}`;
}

/** One line per system: which, the value with its unit (never wrapped), its state in a word. */
function SystemValue({ system, tile, unit, now }: { system: "old" | "new"; tile: TileState; unit: string; now: number }) {
  const state = wallState(tile, now);
  const value = tile.kind === "current" ? splitValue(tile.value, unit) : null;
  return (
    <div className="flex min-w-0 items-center gap-3" data-testid="wall-system" data-system={system} data-level={state.level}>
      <span className={`w-10 shrink-0 text-base font-semibold uppercase ${system === "new" ? "text-sky-200" : "text-neutral-300"}`}>{system}</span>
      <p className="min-w-0 flex-1 truncate whitespace-nowrap tabular" title={value ? `${value.number} ${value.unit}` : undefined}>
        {value ? (
          <>
            <span className="whitespace-nowrap text-4xl font-bold text-white 2xl:text-5xl" data-wall-number data-testid="wall-value">
              {value.number}
            </span>
            {value.unit && <span className="ml-1 text-lg text-neutral-200 2xl:text-xl">{value.unit}</span>}
          </>
        ) : (
          <span className="text-4xl font-bold text-neutral-300 2xl:text-5xl" aria-hidden>
            —
          </span>
        )}
      </p>
      <Badge tone={state.level} testId="wall-state">
        <span aria-hidden>{state.icon}</span>
        {state.text}
      </Badge>
    </div>
  );
}
