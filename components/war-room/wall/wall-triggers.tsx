"use client";
// Triggers on the wall: firing ones first (red, thick frame, ✖ FIRING), then the pending ones
// with their countdown as large as a metric. Nothing when all is quiet.
import { formatCountdown, triggerActionName, triggerCondition, type LiveTrigger } from "@/lib/client/live-triggers";
import { useLiveTriggers } from "../shared/use-live-triggers";
import { LABEL, STATE_LOOK } from "./wall-colors";

export function WallTriggers({ cutoverId, now }: { cutoverId: string; now: number }) {
  const { triggers } = useLiveTriggers(cutoverId);
  const active = triggers.filter((t) => t.enabled && (t.liveState === "firing" || t.liveState === "pending"));
  if (active.length === 0) return null;
  const firing = active.filter((t) => t.liveState === "firing");
  const pending = active.filter((t) => t.liveState === "pending");
  return (
    <section aria-labelledby="wall-triggers" data-testid="wall-triggers">
      <h2 id="wall-triggers" className={LABEL}>
        Triggers
      </h2>
      <ul className="space-y-3">
        {[...firing, ...pending].map((t) => (
          <TriggerLine key={t.id} trigger={t} now={now} />
        ))}
      </ul>
    </section>
  );
}

function TriggerLine({ trigger: t, now }: { trigger: LiveTrigger; now: number }) {
  const firing = t.liveState === "firing";
  const look = STATE_LOOK[firing ? "critical" : "warning"];
  const what = t.action === "alert" ? "ALERT" : triggerActionName(t).toUpperCase();
  return (
    <li data-testid="wall-trigger" data-state={t.liveState} className={`flex min-w-0 items-center gap-4 rounded-lg border-2 bg-neutral-900 px-4 py-3 ${look.frame}`}>
      <span className={`shrink-0 whitespace-nowrap text-2xl font-bold 2xl:text-3xl ${look.text}`}>
        <span aria-hidden>{firing ? "✖ " : "⏳ "}</span>
        {firing ? "FIRING" : "PENDING"}
      </span>
      <span className="min-w-0 flex-1 truncate text-xl text-neutral-100 2xl:text-2xl" title={triggerCondition(t)}>
        {t.description ?? triggerCondition(t)}
      </span>
      <span className="shrink-0 whitespace-nowrap text-2xl font-bold text-white tabular 2xl:text-4xl" data-testid="wall-trigger-countdown">
        {firing ? what : t.firesAt !== null ? `${what} IN ${formatCountdown(t.firesAt - now)}` : `${what} AFTER ${t.forSeconds}s`}
      </span>
    </li>
  );
}
