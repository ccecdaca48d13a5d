// The split in the header: "old 75 | new 25" with a small two-colour bar. Numbers carry the
// meaning; the bar is decoration (grey = old, blue = new, as in the charts).

function clampPercent(percent: number): number {
  if (!Number.isFinite(percent)) return 0;
  return Math.min(100, Math.max(0, Math.round(percent)));
}

export function TrafficGauge({ percent }: { percent: number }) {
  const p = clampPercent(percent);
  return (
    <span
      data-testid="traffic-gauge"
      data-percent={p}
      title={`Traffic split: ${100 - p} % to old, ${p} % to new`}
      className="inline-flex items-center gap-2 whitespace-nowrap text-sm tabular"
    >
      <span>
        <span className="text-muted">old</span> <span className="font-semibold">{100 - p}</span>
        <span className="text-muted"> | </span>
        <span className="text-muted">new</span> <span className="font-semibold text-blue-800 dark:text-blue-300">{p}</span>
      </span>
      <span aria-hidden className="flex h-2 w-16 overflow-hidden rounded bg-neutral-200 dark:bg-neutral-700">
        <span className="block h-full bg-neutral-400 dark:bg-neutral-500" style={{ width: `${100 - p}%` }} />
        <span className="block h-full bg-blue-600" style={{ width: `${p}%` }} />
      </span>
    </span>
  );
}
