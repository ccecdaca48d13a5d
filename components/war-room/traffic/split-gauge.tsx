// The split between old and new as two numbers and a meter.
export function SplitGauge({ percent, oldName, newName }: { percent: number; oldName: string; newName: string }) {
  const p = Math.min(100, Math.max(0, Math.round(percent)));
  return (
    <div data-testid="traffic-split" data-percent={p} className="tabular">
      <div className="flex items-end justify-between text-sm">
        <span>
          <span className="text-muted">old · {oldName}</span>
          <span className="block text-3xl font-semibold" data-testid="split-old">
            {100 - p} %
          </span>
        </span>
        <span className="text-right">
          <span className="text-muted">new · {newName}</span>
          <span className="block text-3xl font-semibold text-blue-800 dark:text-blue-300" data-testid="split-new">
            {p} %
          </span>
        </span>
      </div>
      <div
        role="meter"
        aria-label="Share of traffic on the new system"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={p}
        aria-valuetext={`old ${100 - p} %, new ${p} %`}
        className="mt-1 flex h-5 overflow-hidden rounded border border-neutral-300 dark:border-neutral-700"
      >
        <span className="block h-full bg-neutral-400 dark:bg-neutral-500" style={{ width: `${100 - p}%` }} />
        <span className="block h-full bg-blue-600" style={{ width: `${p}%` }} />
      </div>
    </div>
  );
}
