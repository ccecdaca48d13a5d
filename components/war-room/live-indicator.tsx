import type { LiveStatus } from "./shared/use-live-cutover";

const STYLE: Record<LiveStatus, { label: string; dot: string }> = {
  live: { label: "Live", dot: "bg-green-600" },
  connecting: { label: "Connecting…", dot: "bg-amber-500" },
  disconnected: { label: "Disconnected: reconnecting", dot: "bg-red-600" },
};

export function LiveIndicator({ status }: { status: LiveStatus }) {
  const s = STYLE[status];
  return (
    <span data-testid="live-indicator" data-status={status} className="inline-flex items-center gap-1.5 text-sm" role="status" aria-live="polite">
      <span className={`inline-block h-2.5 w-2.5 rounded-full ${s.dot}`} aria-hidden />
      {s.label}
    </span>
  );
}
