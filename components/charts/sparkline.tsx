"use client";
// A tiny line for a metric tile: no axes, no tooltip, no animation. Samples that are not ok are
// gaps (never joined over), so an outage shows as a hole, not as a straight line.
import { memo } from "react";
import { Line, LineChart, XAxis, YAxis } from "recharts";
import type { Sample } from "@/lib/domain/metrics";

export interface SparklineProps {
  samples: readonly Sample[];
  /** Line colour; grey when the tile is not current. */
  color?: string;
  width?: number;
  height?: number;
  /** Greys the line out (stale / no data / error). */
  muted?: boolean;
}

function SparklineImpl({ samples, color = "#2563eb", width = 120, height = 28, muted = false }: SparklineProps) {
  const data = samples.map((s) => ({ t: s.at, v: s.status === "ok" ? s.value : null }));
  if (!data.some((d) => d.v !== null)) {
    return <span aria-hidden className="block" style={{ width, height }} data-testid="sparkline" data-points={0} />;
  }
  return (
    <span aria-hidden className="block" data-testid="sparkline" data-points={data.length}>
      <LineChart width={width} height={height} data={data} margin={{ top: 2, right: 2, bottom: 2, left: 2 }} accessibilityLayer={false}>
        <XAxis dataKey="t" type="number" domain={["dataMin", "dataMax"]} hide />
        <YAxis type="number" domain={["dataMin", "dataMax"]} hide />
        <Line
          type="linear"
          dataKey="v"
          stroke={muted ? "#a3a3a3" : color}
          strokeWidth={1.5}
          dot={false}
          activeDot={false}
          connectNulls={false}
          isAnimationActive={false}
        />
      </LineChart>
    </span>
  );
}

/** Memoised: tiles re-render every second for their clocks, the line only when its samples change. */
export const Sparkline = memo(SparklineImpl);
