"use client";
// Are we healthy: a tile per metric (old and new side by side), a chart per metric with its
// thresholds and the moments traffic moved or a decision closed, the success criteria, and for
// whoever may edit metrics: the Prometheus settings, the metric definitions and the metric gates.
// Samples arrive live on the socket and are appended to the cached view; the view itself is
// refetched only when something else in the cutover changes. The charts and the editor are
// loaded when shown: recharts and the PromQL parser are most of the room's weight.
import dynamic from "next/dynamic";
import { useState } from "react";
import { formatterFor } from "@/lib/domain/metric-format";
import { staleAfterOf } from "@/lib/client/metric-samples";
import { PANEL_CLASS } from "../shared/format";
import { LoadError, PanelNote } from "../shared/parts";
import type { PanelProps } from "../shared/types";
import { useMetricsView } from "../shared/use-metrics-view";
import { MetricTile } from "./metric-tile";
import { SuccessCriteria } from "./success-criteria";

const MetricChart = dynamic(() => import("@/components/charts/metric-chart").then((m) => m.MetricChart), { ssr: false, loading: () => <div className="h-48" aria-hidden /> });
const MetricsEditor = dynamic(() => import("./metrics-editor").then((m) => m.MetricsEditor), { ssr: false, loading: () => <PanelNote>Loading the editor…</PanelNote> });

export const METRIC_RANGES = [
  { sec: 900, label: "15 min" },
  { sec: 3600, label: "1 h" },
  { sec: 21_600, label: "6 h" },
] as const;

export function MetricsPanel({ cutover, run, now, can }: PanelProps) {
  const [rangeSec, setRangeSec] = useState<number>(900);
  const { data, error, isPending, isPlaceholderData, refetch, isFetching } = useMetricsView(cutover.id, rangeSec);
  const canEdit = can("metrics.edit");
  // Samples carry the server's clock: line ours up with it for staleness and the chart window.
  const serverNow = data ? now + (data.now - data.receivedAt) : now;
  const staleAfterMs = staleAfterOf(data?.settings.pollIntervalMs ?? 5000);
  const windowSec = data?.rangeSec ?? rangeSec;
  // The chart window moves in 5 s steps so the memoised charts redraw at most that often.
  const to = Math.ceil(serverNow / 5000) * 5000;
  const from = to - windowSec * 1000;
  const source = data ? (data.settings.prometheusSource ?? data.settings.defaultSource) : null;

  return (
    <section aria-labelledby="metrics-heading" className={PANEL_CLASS} data-testid="metrics-panel">
      <header className="flex flex-wrap items-center justify-between gap-2 border-b border-neutral-200 px-3 py-2 dark:border-neutral-800">
        <h2 id="metrics-heading" className="font-semibold">
          Metrics
        </h2>
        <div role="group" aria-label="Time range" data-testid="range-selector" className="inline-flex overflow-hidden rounded border border-neutral-300 text-sm dark:border-neutral-700">
          {METRIC_RANGES.map((r) => (
            <button
              key={r.sec}
              type="button"
              aria-pressed={rangeSec === r.sec}
              onClick={() => setRangeSec(r.sec)}
              className={`px-2 py-0.5 ${rangeSec === r.sec ? "bg-blue-700 text-white" : "hover:bg-neutral-100 dark:hover:bg-neutral-800"}`}
            >
              {r.label}
            </button>
          ))}
        </div>
        {data && (
          <p className="w-full text-xs text-muted">
            {source ? (
              <>
                Prometheus <span className="font-mono">{source}</span>
                {data.settings.prometheusSource === null && " (server default)"}
              </>
            ) : (
              "No Prometheus source"
            )}{" "}
            · polled every <span className="tabular">{Math.round(data.settings.pollIntervalMs / 1000)}</span> s · samples kept{" "}
            <span className="tabular">{data.settings.sampleRetentionDays}</span> days · times in {cutover.timeZone}
            {(isPlaceholderData || isFetching) && <span className="ml-2">updating…</span>}
          </p>
        )}
      </header>

      {error && <LoadError message={`Could not load the metrics: ${error.message}. Try again; the tiles below may be out of date.`} testId="metrics-load-error" onRetry={() => void refetch()} />}

      {isPending && !data && <PanelNote>Loading metrics…</PanelNote>}

      {data && (
        <>
          {!source && (
            <p role="alert" className="mx-3 mt-2 rounded border border-amber-400 bg-amber-50 px-2 py-1 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100">
              No Prometheus to ask: every metric says “no data” until a Prometheus source is picked{canEdit ? " below" : " by the Deployment Lead"} (or the server has a default source).
            </p>
          )}

          {data.metrics.length === 0 ? (
            <PanelNote>No metrics yet.{canEdit ? " Add one below: a name, a unit and the PromQL query for the old and the new system." : ""}</PanelNote>
          ) : (
            <div className="grid gap-2 p-3 sm:grid-cols-2 lg:grid-cols-3 xl:grid-cols-4" data-testid="metric-tiles">
              {data.metrics.map((m) => (
                <MetricTile key={m.id} metric={m} timeZone={cutover.timeZone} now={serverNow} staleAfterMs={staleAfterMs} oldLabel={cutover.systemFrom} newLabel={cutover.systemTo} />
              ))}
            </div>
          )}

          <SuccessCriteria criteria={data.successCriteria} />

          {data.metrics.length > 0 && (
            <div className="grid gap-4 border-t border-neutral-200 p-3 lg:grid-cols-2 dark:border-neutral-800" data-testid="metric-charts">
              {data.metrics.map((m) => (
                <MetricChart
                  key={m.id}
                  name={m.name}
                  unit={m.unit}
                  old={m.old?.samples ?? null}
                  new={m.new?.samples ?? null}
                  warning={m.warningThreshold}
                  critical={m.criticalThreshold}
                  markers={data.markers}
                  timeZone={cutover.timeZone}
                  from={from}
                  to={to}
                  gapMs={staleAfterMs}
                  format={formatterFor(m.unit)}
                  oldLabel={`old (${cutover.systemFrom})`}
                  newLabel={`new (${cutover.systemTo})`}
                />
              ))}
            </div>
          )}

          {canEdit && <MetricsEditor cutover={cutover} data={data} run={run} />}
        </>
      )}
    </section>
  );
}
