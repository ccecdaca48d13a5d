// The split in the header: "old 75 | new 25" with a small two-colour bar. Numbers carry the
// meaning; the bar is decoration (grey = old, blue = new, as in the charts).

export function clampPercent(percent: number): number {
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
      <SplitBar percent={p} className="h-2 w-16 bg-neutral-200 dark:bg-neutral-700" oldClass="bg-neutral-400 dark:bg-neutral-500" newClass="bg-blue-600" />
    </span>
  );
}

/** The split as a two-colour bar (decoration: the numbers beside it say the same). */
export function SplitBar({ percent, className, oldClass, newClass }: { percent: number; className: string; oldClass: string; newClass: string }) {
  return (
    <span aria-hidden className={`flex overflow-hidden rounded ${className}`}>
      <span className={`block h-full ${oldClass}`} style={{ width: `${100 - percent}%` }} />
      <span className={`block h-full ${newClass}`} style={{ width: `${percent}%` }} />
    </span>
  );
}
