import { TONE, type Look } from "@/components/ui/tones";
import { triggerLabel, type Trigger } from "@/lib/client/live-triggers";
import { hookResultsOf } from "@/lib/client/traffic-words";
import type { CutoverStateJson } from "@/lib/services/cutover-read";
import { SubSection } from "../shared/parts";
import { Time } from "../shared/time";
import type { TrafficData } from "../shared/use-traffic-view";

type RollbackRecord = TrafficData["rollbacks"][number];

const ROLLBACK_STATE: Record<string, Look> = {
  running: { label: "running", style: "border-blue-600 text-blue-800 dark:text-blue-200" },
  completed: { label: "completed", style: "border-green-700 text-green-800 dark:text-green-200" },
  completed_with_errors: { label: "completed with errors", style: "border-amber-600 bg-amber-50 text-amber-900 dark:bg-amber-950 dark:text-amber-200" },
  failed: { label: "FAILED", style: TONE.bad },
  abandoned: { label: "abandoned", style: "border-neutral-400 text-neutral-600 dark:text-neutral-300" },
};

export function RollbacksSection({ cutover, rollbacks, triggers }: { cutover: CutoverStateJson; rollbacks: RollbackRecord[]; triggers: Trigger[] }) {
  if (rollbacks.length === 0) return null;
  return (
    <SubSection title="Rollbacks" testId="rollbacks">
      <ul className="mt-1 space-y-2">
        {rollbacks.map((r) => {
          const look = ROLLBACK_STATE[r.state] ?? { label: r.state, style: "" };
          const hooks = hookResultsOf(r.hookResults);
          return (
            <li key={r.id} data-testid="rollback-record" data-state={r.state}>
              <div className="flex flex-wrap items-center gap-2">
                <Time at={r.startedAt} cutover={cutover} />
                <span className={`rounded border px-1 text-xs ${look.style}`}>{look.label}</span>
                {r.durationMs !== null && (
                  <span className="font-medium tabular" data-testid="rollback-duration">
                    rolled back in {r.durationMs} ms
                  </span>
                )}
                <span className="text-muted">{triggerLabel(triggers, r.triggerId) ?? (r.reason ? `reason: ${r.reason}` : "")}</span>
              </div>
              {hooks.length > 0 && (
                <ul className="ml-4 mt-0.5 space-y-0.5 text-xs">
                  {hooks.map((h, i) => (
                    <li key={`${h.name}-${i}`} data-testid="hook-result" data-ok={h.ok}>
                      <span aria-hidden className={h.ok ? "text-green-700 dark:text-green-300" : "font-bold text-red-700 dark:text-red-300"}>
                        {h.ok ? "✓" : "✗"}
                      </span>{" "}
                      <span className="sr-only">{h.ok ? "succeeded: " : "failed: "}</span>
                      <span className="font-medium">{h.name}</span>
                      {h.durationMs !== null && <span className="text-muted tabular"> · {h.durationMs} ms</span>}
                      {h.output && <pre className="mt-0.5 max-h-20 overflow-auto whitespace-pre-wrap break-all rounded bg-neutral-50 px-1 font-mono text-[11px] text-neutral-700 dark:bg-neutral-800 dark:text-neutral-300">{h.output}</pre>}
                    </li>
                  ))}
                </ul>
              )}
            </li>
          );
        })}
      </ul>
    </SubSection>
  );
}
