"use client";
// One metric over time, old against new on the same axes: threshold lines (warning dashed amber,
// critical dashed red), vertical markers for traffic changes and decisions, and gaps wherever a
// sample is not ok or samples stopped coming. Times are in the cutover's zone.
import { memo, useMemo } from "react";
import { CartesianGrid, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from "recharts";
import type { Sample } from "@/lib/domain/metrics";
import { formatClock, formatUtc } from "@/components/war-room/shared/format";

export interface ChartMarker {
  at: number;
  kind: "traffic" | "decision";
  label: string;
}

export interface MetricChartProps {
  name: string;
  unit: string;
  old: readonly Sample[] | null;
  new: readonly Sample[] | null;
  warning: number | null;
  critical: number | null;
  markers: readonly ChartMarker[];
  timeZone: string;
  /** The window shown, ms since epoch. */
  from: number;
  to: number;
  /** A silence longer than this between two samples is drawn as a gap (3 poll intervals). */
  gapMs?: number;
  /** Value formatter for the axis and the tooltip ("2.31 %", "1.50 GB"). */
  format?: (value: number) => string;
  oldLabel?: string;
  newLabel?: string;
  height?: number;
}

import { NEW_COLOR, OLD_COLOR } from "./colors";

export { NEW_COLOR, OLD_COLOR };
const WARNING_COLOR = "#b45309";
const CRITICAL_COLOR = "#b91c1c";
const MARKER_COLOR = { traffic: "#7c3aed", decision: "#0f766e" } as const;

type Key = "old" | "new";
interface Row {
  t: number;
  old?: number | null;
  new?: number | null;
  /** Whether the value at this row is a real sample (the tooltip shows only those). */
  oldExact?: boolean;
  newExact?: boolean;
  /** Why there is no value here, for the tooltip. */
  oldReason?: string;
  newReason?: string;
}

const EXACT = { old: "oldExact", new: "newExact" } as const;
const REASON = { old: "oldReason", new: "newReason" } as const;

/**
 * Both series on one time-sorted table. A series without a sample at a row's time is interpolated
 * between its neighbours when both are ok and close enough (so misaligned timestamps do not break
 * the line), and left empty otherwise (a gap).
 */
function buildRows(series: Partial<Record<Key, readonly Sample[] | null>>, gapMs: number): Row[] {
  const rows = new Map<number, Row>();
  const row = (t: number) => {
    let r = rows.get(t);
    if (!r) rows.set(t, (r = { t }));
    return r;
  };
  for (const key of ["old", "new"] as const) {
    const samples = series[key];
    if (!samples) continue;
    let prev: Sample | null = null;
    for (const s of samples) {
      // A long silence is a gap even when both ends are ok.
      if (prev && s.at - prev.at > gapMs) {
        const mid = row(prev.at + 1);
        if (mid[key] === undefined) mid[key] = null;
      }
      const r = row(s.at);
      r[key] = s.status === "ok" ? s.value : null;
      r[EXACT[key]] = true;
      if (s.status !== "ok") r[REASON[key]] = `${s.status === "error" ? "error" : "no data"}: ${s.reason}`;
      prev = s;
    }
  }
  const sorted = [...rows.values()].sort((a, b) => a.t - b.t);
  for (const key of ["old", "new"] as const) {
    if (!series[key]) continue;
    let last: { t: number; v: number | null } | null = null;
    for (let i = 0; i < sorted.length; i++) {
      const r = sorted[i]!;
      const v = r[key];
      if (v !== undefined) {
        last = { t: r.t, v };
        continue;
      }
      // Find the next row of this series.
      let next: { t: number; v: number | null } | null = null;
      for (let j = i + 1; j < sorted.length; j++) {
        const nv = sorted[j]![key];
        if (nv !== undefined) {
          next = { t: sorted[j]!.t, v: nv };
          break;
        }
      }
      if (last && next && last.v !== null && next.v !== null && next.t - last.t <= gapMs) {
        r[key] = last.v + ((next.v - last.v) * (r.t - last.t)) / (next.t - last.t);
      } else {
        r[key] = null;
      }
    }
  }
  return sorted;
}

function ChartTooltip({
  active,
  payload,
  timeZone,
  format,
  oldLabel,
  newLabel,
}: {
  active?: boolean;
  payload?: readonly { payload?: unknown }[];
  timeZone: string;
  format: (v: number) => string;
  oldLabel: string;
  newLabel: string;
}) {
  const r = payload?.[0]?.payload as Row | undefined;
  if (!active || !r) return null;
  const line = (key: Key, label: string, color: string) => {
    if (!r[EXACT[key]]) return null;
    const v = r[key];
    return (
      <li className="flex items-center gap-1.5">
        <span aria-hidden className="inline-block h-0.5 w-3" style={{ background: color }} />
        <span className="text-muted">{label}</span>
        <span className="ml-auto font-medium">{typeof v === "number" ? format(v) : (r[REASON[key]] ?? "no value")}</span>
      </li>
    );
  };
  return (
    <div className="rounded border border-neutral-300 bg-white px-2 py-1 text-xs shadow-sm tabular dark:border-neutral-700 dark:bg-neutral-900">
      <div title={formatUtc(r.t)} className="font-medium">
        {formatClock(r.t, timeZone, true)}
      </div>
      <ul>
        {line("old", oldLabel, OLD_COLOR)}
        {line("new", newLabel, NEW_COLOR)}
      </ul>
    </div>
  );
}

const defaultFormat = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(2));

function MetricChartImpl(props: MetricChartProps) {
  const { name, unit, warning, critical, markers, timeZone, from, to, gapMs = 30_000, format = defaultFormat, oldLabel = "old", newLabel = "new", height = 200 } = props;
  const rows = useMemo(() => buildRows({ old: props.old, new: props.new }, gapMs), [props.old, props.new, gapMs]);
  const hasData = rows.some((r) => typeof r.old === "number" || typeof r.new === "number");
  const rangeMin = Math.round((to - from) / 60_000);
  const rangeText = rangeMin >= 60 ? `${Math.round(rangeMin / 60)} h` : `${rangeMin} min`;
  const summary = `${name} (${unit}) over the last ${rangeText}: ${props.old ? oldLabel : ""}${props.old && props.new ? " vs " : ""}${props.new ? newLabel : ""}`;

  return (
    <figure className="tabular" data-testid="metric-chart" data-metric={name} aria-label={summary}>
      <figcaption className="mb-1 flex flex-wrap items-center gap-x-3 text-xs text-neutral-600 dark:text-neutral-300">
        <span className="font-medium text-neutral-800 dark:text-neutral-100">{name}</span>
        {props.old && (
          <span className="inline-flex items-center gap-1">
            <span aria-hidden className="inline-block h-0.5 w-4" style={{ background: OLD_COLOR }} />
            {oldLabel}
          </span>
        )}
        {props.new && (
          <span className="inline-flex items-center gap-1">
            <span aria-hidden className="inline-block h-1 w-4" style={{ background: NEW_COLOR }} />
            {newLabel}
          </span>
        )}
        {warning !== null && (
          <span className="inline-flex items-center gap-1 text-amber-800 dark:text-amber-300">
            <span aria-hidden className="inline-block w-4 border-t-2 border-dashed" style={{ borderColor: WARNING_COLOR }} />
            warning {format(warning)}
          </span>
        )}
        {critical !== null && (
          <span className="inline-flex items-center gap-1 text-red-700 dark:text-red-300">
            <span aria-hidden className="inline-block w-4 border-t-2 border-dashed" style={{ borderColor: CRITICAL_COLOR }} />
            critical {format(critical)}
          </span>
        )}
        {!hasData && <span className="text-muted">no data in this window</span>}
      </figcaption>
      <LineChart responsive style={{ width: "100%", height }} data={rows} margin={{ top: 14, right: 12, bottom: 0, left: 0 }}>
        <CartesianGrid stroke="#a3a3a3" strokeOpacity={0.25} vertical={false} />
        <XAxis
          dataKey="t"
          type="number"
          scale="time"
          domain={[from, to]}
          allowDataOverflow
          tickFormatter={(t: number) => formatClock(t, timeZone)}
          tick={{ fontSize: 11 }}
          minTickGap={24}
        />
        <YAxis type="number" width={64} tick={{ fontSize: 11 }} tickFormatter={(v: number) => format(v)} domain={["auto", "auto"]} />
        <Tooltip
          isAnimationActive={false}
          content={({ active, payload }) => (
            <ChartTooltip active={active} payload={payload as readonly { payload?: unknown }[] | undefined} timeZone={timeZone} format={format} oldLabel={oldLabel} newLabel={newLabel} />
          )}
        />
        {[
          { name: "warning", value: warning, color: WARNING_COLOR },
          { name: "critical", value: critical, color: CRITICAL_COLOR },
        ].map(
          (line) =>
            line.value !== null && (
              <ReferenceLine
                key={line.name}
                y={line.value}
                stroke={line.color}
                strokeDasharray="6 4"
                ifOverflow="extendDomain"
                label={{ value: `${line.name} ${format(line.value)}`, position: "insideTopRight", fill: line.color, fontSize: 10 }}
              />
            ),
        )}
        {markers
          .filter((m) => m.at >= from && m.at <= to)
          .map((m, i) => (
            <ReferenceLine
              key={`${m.kind}-${m.at}-${i}`}
              x={m.at}
              stroke={MARKER_COLOR[m.kind]}
              strokeWidth={1}
              label={{ value: m.label, position: "insideTopLeft", fill: MARKER_COLOR[m.kind], fontSize: 10 }}
            />
          ))}
        {props.old && <Line type="linear" dataKey="old" name={oldLabel} stroke={OLD_COLOR} strokeWidth={1.5} dot={false} connectNulls={false} isAnimationActive={false} />}
        {props.new && <Line type="linear" dataKey="new" name={newLabel} stroke={NEW_COLOR} strokeWidth={2.5} dot={false} connectNulls={false} isAnimationActive={false} />}
      </LineChart>
    </figure>
  );
}

/** Memoised: give it stable `format` and `markers` and it redraws only when its data or window change. */
export const MetricChart = memo(MetricChartImpl);
