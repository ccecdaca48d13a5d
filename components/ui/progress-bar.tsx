export function ProgressBar({ done, total, criticalOpen, label }: { done: number; total: number; criticalOpen: number; label: string }) {
  const percent = total === 0 ? 100 : Math.floor((done / total) * 100);
  return (
    <span className="inline-flex items-center gap-2 text-xs text-neutral-600 dark:text-neutral-300" data-testid="progress">
      <span
        role="progressbar"
        aria-label={label}
        aria-valuenow={percent}
        aria-valuemin={0}
        aria-valuemax={100}
        className="inline-block h-1.5 w-24 overflow-hidden rounded bg-neutral-200 dark:bg-neutral-700"
      >
        <span className={`block h-full ${criticalOpen > 0 ? "bg-amber-500" : "bg-green-600"}`} style={{ width: `${percent}%` }} />
      </span>
      <span className="tabular" data-testid="progress-text">
        {done}/{total}
      </span>
      {criticalOpen > 0 && <span className="font-medium text-amber-700 dark:text-amber-400">{criticalOpen} critical open</span>}
    </span>
  );
}
