"use client";
// The metric charts around each moment of the report (a shift, a rollback, a trigger, a decision):
// the stored samples of a window either side, with the moment as a marker. Sized for the report's
// A4-wide column, so printing does not resize them.
import { MetricChart } from "@/components/charts/metric-chart";
import type { ChartSeries } from "@/lib/domain/report";

export interface MomentChartProps {
  title: string;
  moment: { kind: "traffic" | "rollback" | "trigger" | "decision"; at: number; label: string };
  from: number;
  to: number;
  series: ChartSeries[];
}

export function MomentCharts({ charts, timeZone }: { charts: MomentChartProps[]; timeZone: string }) {
  if (!charts.length) return <p className="text-sm text-muted">No moments to chart.</p>;
  return (
    <>
      {charts.map((c, i) => (
        <div key={i} className="report-keep mb-4" data-testid="moment-chart">
          <h3 className="mb-1 text-sm font-medium">{c.title}</h3>
          {!c.series.length && <p className="text-xs text-muted">No samples stored around this moment.</p>}
          <div className="grid grid-cols-2 gap-2">
            {c.series.map((s) => (
              <div key={s.metricId}>
                <p className="text-xs font-medium">
                  {s.name} ({s.unit})
                </p>
                <MetricChart
                  name={s.name}
                  unit={s.unit}
                  old={s.old}
                  new={s.new}
                  warning={s.warning}
                  critical={s.critical}
                  markers={[{ at: c.moment.at, kind: c.moment.kind === "decision" ? "decision" : "traffic", label: c.moment.label }]}
                  timeZone={timeZone}
                  from={c.from}
                  to={c.to}
                  gapMs={60_000}
                  height={140}
                />
              </div>
            ))}
          </div>
        </div>
      ))}
    </>
  );
}
