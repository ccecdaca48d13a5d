"use client";
// The Now view's health column: the tiles that matter now and the triggers with their countdowns.
import { metricsThatMatter } from "@/lib/domain/now";
import { isEnded } from "@/lib/domain/cutover-state";
import { effectiveTile, staleAfterOf, tileLevelKey } from "@/lib/client/metric-samples";
import { pendingText, triggerCondition } from "@/lib/client/live-triggers";
import { PanelNote } from "../shared/parts";
import type { PanelProps } from "../shared/types";
import { useMetricsView } from "../shared/use-metrics-view";
import { useLiveTriggers } from "../shared/use-live-triggers";
import { MetricTile } from "../metrics/metric-tile";
import { Card, TabLink } from "./parts";

const KEY_METRICS = 4;

export function NowHealth({ cutover, now, onOpenTab }: PanelProps & { onOpenTab: (tab: string) => void }) {
  const { data } = useMetricsView(cutover.id, 900);
  const { triggers } = useLiveTriggers(cutover.id);
  const serverNow = data ? now + (data.now - data.receivedAt) : now;
  const staleAfterMs = staleAfterOf(data?.settings.pollIntervalMs ?? 5000);
  const active = isEnded(cutover.state) ? [] : triggers.filter((t) => t.enabled);
  const watched = new Set<string>([...(data?.gates.map((g) => g.metricId) ?? []), ...active.flatMap((t) => (t.metricId ? [t.metricId] : []))]);
  const levelOf = (m: NonNullable<typeof data>["metrics"][number]) => {
    const series = [m.new, m.old].filter((s): s is NonNullable<typeof s> => s !== null);
    const levels = series.map((s) => tileLevelKey(effectiveTile(s.tile, serverNow, staleAfterMs)));
    const order = ["critical", "warning", "error", "stale", "no_data", "ok"] as const;
    return order.find((l) => levels.includes(l)) ?? "no_data";
  };
  const key = data ? metricsThatMatter(data.metrics.map((m) => ({ ...m, level: levelOf(m) })), watched, KEY_METRICS) : [];

  return (
    <>
      <Card id="health" title="Health" action={<TabLink tab="Metrics" label="All metrics" onOpenTab={onOpenTab} />}>
        {!data ? (
          <PanelNote>Loading metrics…</PanelNote>
        ) : key.length === 0 ? (
          <PanelNote>No metrics yet.</PanelNote>
        ) : (
          <div className="grid gap-2 sm:grid-cols-2" data-testid="now-tiles">
            {key.map((m) => (
              <MetricTile key={m.id} metric={m} timeZone={cutover.timeZone} now={serverNow} staleAfterMs={staleAfterMs} oldLabel={cutover.systemFrom} newLabel={cutover.systemTo} />
            ))}
          </div>
        )}
      </Card>
      <Card id="triggers" title="Rollback triggers" action={<TabLink tab="Traffic" label="Traffic and triggers" onOpenTab={onOpenTab} />}>
        {active.length === 0 ? (
          <PanelNote>No trigger is armed.</PanelNote>
        ) : (
          <ul className="space-y-1 text-sm">
            {[...active]
              .sort((a, b) => rankTrigger(a.liveState) - rankTrigger(b.liveState))
              .map((t) => (
                <li key={t.id} className="flex flex-wrap items-baseline gap-2" data-testid="now-trigger" data-state={t.liveState}>
                  <span className={`whitespace-nowrap rounded border px-1.5 text-xs font-semibold ${TRIGGER_LOOK[t.liveState].style}`}>
                    <span aria-hidden>{TRIGGER_LOOK[t.liveState].icon} </span>
                    {TRIGGER_LOOK[t.liveState].label}
                  </span>
                  <span className="min-w-0">{t.description ?? triggerCondition(t)}</span>
                  {t.liveState === "pending" && <span className="tabular font-medium">{pendingText(t, now)}</span>}
                </li>
              ))}
          </ul>
        )}
      </Card>
    </>
  );
}

const rankTrigger = (s: string) => (s === "firing" ? 0 : s === "pending" ? 1 : 2);
const TRIGGER_LOOK: Record<string, { label: string; icon: string; style: string }> = {
  firing: { label: "FIRING", icon: "✖", style: "border-red-700 bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-100" },
  pending: { label: "PENDING", icon: "⏳", style: "border-amber-600 bg-amber-100 text-amber-950 dark:bg-amber-950 dark:text-amber-100" },
  inactive: { label: "OK", icon: "✓", style: "border-green-700 bg-green-50 text-green-900 dark:bg-green-950 dark:text-green-100" },
};
