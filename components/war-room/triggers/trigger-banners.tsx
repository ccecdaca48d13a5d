"use client";
// What must I do now: the triggers' live state as banners across the page, and the failures
// nobody may miss. A pending trigger counts down ("automatic rollback in 3:12 unless Error rate
// recovers"); a firing one either asks for a confirmation or says what it is doing on its own;
// automation notices (provider failing, no data) are quieter lines. A failed traffic change or a
// failed rollback is a full-width red banner for everyone until they dismiss it.
import { useState, type ReactNode } from "react";
import { ErrorNote } from "@/components/ui/error-note";
import { isEnded } from "@/lib/domain/cutover-state";
import { formatUtc, formatWallTime, useCommand } from "../shared/format";
import { useRoomEvents } from "../shared/room-events";
import { pendingText, triggerActionName, triggerCondition, type LiveTrigger } from "@/lib/client/live-triggers";
import { failureFromEvent, failuresFromView, keysToDismiss, mergeFailures, shownFailures, type Failure } from "@/lib/client/failures";
import { useLiveTriggers } from "../shared/use-live-triggers";
import type { PanelProps } from "../shared/types";

export function TriggerBanners({ cutover, run, can, now }: Pick<PanelProps, "cutover" | "run" | "can" | "now">) {
  const { query, triggers } = useLiveTriggers(cutover.id);
  const [seen, setSeen] = useState<Failure[]>([]);
  const [dismissed, setDismissed] = useState<ReadonlySet<string>>(() => new Set());

  useRoomEvents((e) => {
    if (e.cutoverId !== cutover.id) return;
    const f = failureFromEvent(e);
    if (f) setSeen((prev) => (prev.some((p) => p.key === f.key) ? prev : [...prev, f]));
  });

  // Events seen here, plus the stored latest failure (so a page opened afterwards shows it too).
  const stored = isEnded(cutover.state) ? [] : failuresFromView(query.data);
  const all = mergeFailures(seen, stored);
  const failures = shownFailures(all, dismissed);

  function dismiss(f: Failure) {
    setDismissed((prev) => {
      const next = new Set(prev);
      for (const key of keysToDismiss(f, all)) next.add(key);
      return next;
    });
  }

  // Triggers are evaluated only while the cutover runs: once it is over, their last state is history.
  const active = isEnded(cutover.state) ? [] : triggers.filter((t) => t.enabled);
  const firing = active.filter((t) => t.liveState === "firing");
  const pending = active.filter((t) => t.liveState === "pending");
  const notices = new Map<string, LiveTrigger[]>();
  for (const t of active) if (t.notice) notices.set(t.notice, [...(notices.get(t.notice) ?? []), t]);

  if (failures.length === 0 && firing.length === 0 && pending.length === 0 && notices.size === 0) return null;

  return (
    <div className="mb-3 space-y-2" data-testid="trigger-banners">
      {failures.map((f) => (
        <Banner key={f.key} role="alert" state="failed" data={{ kind: f.kind }} className="border-red-900 bg-red-700 px-4 py-3 text-white shadow-md">
          <div className="flex flex-wrap items-start justify-between gap-3">
            <div className="min-w-0">
              <p className="text-lg font-bold">
                <span aria-hidden>✖ </span>
                {f.title}
              </p>
              <p className="mt-0.5 break-words">{f.message}</p>
              <p className="mt-1 text-sm text-red-100">
                {f.kind === "rollback_failed"
                  ? "Traffic may still be on new. Check the router, then press Rollback again (repeating it is safe) or move the split by hand."
                  : "The recorded split did not change. Check the router (Traffic → Router → Test connection), then try again."}
                {f.at && (
                  <>
                    {" "}
                    <time dateTime={f.at} title={formatUtc(f.at)} className="tabular">
                      ({formatWallTime(f.at, cutover.timeZone, now, true)}
                      {f.actor ? `, ${f.actor}` : ""})
                    </time>
                  </>
                )}
              </p>
            </div>
            <button type="button" onClick={() => dismiss(f)} className="rounded border border-white px-2 py-0.5 text-sm font-medium hover:bg-red-800 focus-visible:outline focus-visible:outline-2 focus-visible:outline-white">
              Dismiss
            </button>
          </div>
        </Banner>
      ))}

      {firing.map((t) => (
        <FiringBanner key={t.id} trigger={t} cutoverId={cutover.id} run={run} canConfirm={can("trigger.confirm")} />
      ))}

      {pending.map((t) => (
        <Banner key={t.id} role="status" state="pending" data={{ "trigger-id": t.id, mode: t.mode }} className="border-amber-500 bg-amber-50 px-4 py-2 text-amber-950 dark:bg-amber-950 dark:text-amber-100">
          <p className="font-semibold tabular">
            <span aria-hidden>⏳ </span>
            {triggerCondition(t)}: <span data-testid="trigger-countdown">{pendingText(t, now)}</span>
          </p>
        </Banner>
      ))}

      {[...notices.entries()].map(([notice, list]) => (
        <p
          key={notice}
          data-testid="trigger-notice"
          className="w-full rounded border border-amber-300 bg-neutral-100 px-3 py-1 text-sm text-neutral-800 dark:border-amber-800 dark:bg-neutral-800 dark:text-neutral-200"
        >
          <span aria-hidden className="text-amber-700 dark:text-amber-400">⚠ </span>
          {notice}
          <span className="text-muted"> — {list.length === 1 ? triggerCondition(list[0]!) : `${list.length} triggers`}</span>
        </p>
      ))}
    </div>
  );
}

function FiringBanner({ trigger: t, cutoverId, run, canConfirm }: { trigger: LiveTrigger; cutoverId: string; run: PanelProps["run"]; canConfirm: boolean }) {
  const { pending, error, exec } = useCommand();
  const [confirmed, setConfirmed] = useState(false);
  const name = t.description ?? triggerCondition(t);
  const recommend = t.mode === "recommend";
  const question = t.action === "rollback" ? "roll back?" : t.action === "shift" ? `shift new to ${t.shiftToPercent ?? "?"} %?` : null;
  const confirmLabel = t.action === "rollback" ? "Confirm rollback" : `Confirm shift to ${t.shiftToPercent ?? "?"} %`;

  return (
    <Banner
      role="alert"
      state="firing"
      data={{ "trigger-id": t.id, mode: t.mode, action: t.action }}
      className="border-red-800 bg-red-50 px-4 py-3 text-red-950 shadow-sm dark:bg-red-950 dark:text-red-50"
    >
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className="text-lg font-bold">
          <span aria-hidden>⚠ </span>
          {recommend
            ? question
              ? `${triggerCondition(t)}: ${question}`
              : `${triggerCondition(t)}: alert`
            : t.action === "alert"
              ? `Alert from trigger ${name}`
              : `Automatic ${triggerActionName(t)} by trigger ${name}`}
        </p>
        {recommend && question && canConfirm && (
          <button
            type="button"
            disabled={pending || confirmed}
            onClick={() => void exec(() => run("trigger.confirm", { cutoverId, triggerId: t.id })).then((ok) => setConfirmed(ok))}
            className="rounded bg-red-700 px-4 py-1.5 font-bold text-white hover:bg-red-800 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-red-700 disabled:opacity-60"
          >
            {pending ? "Confirming…" : confirmed ? "Confirmed" : confirmLabel}
          </button>
        )}
      </div>
      {recommend && question && !canConfirm && <p className="mt-1 text-sm">Waiting for the Deployment Lead or On-call to confirm.</p>}
      {!recommend && t.action !== "alert" && <p className="mt-1 text-sm">The trigger acted on its own; watch the rollback progress and the traffic split.</p>}
      {confirmed && <p className="mt-1 text-sm">Confirmed: {t.action === "rollback" ? "rolling back now" : "shifting now"}.</p>}
      <ErrorNote message={error} testId="trigger-confirm-error" />
    </Banner>
  );
}

/**
 * One full-width banner: `trigger-banner` with its state for the tests and the wall, `data`
 * as data-* attributes (which trigger, which kind of failure), `className` its colours and padding.
 */
function Banner({ role, state, data, className, children }: { role: "alert" | "status"; state: "failed" | "firing" | "pending"; data: Record<string, string>; className: string; children: ReactNode }) {
  const attributes = Object.fromEntries(Object.entries(data).map(([name, value]) => [`data-${name}`, value]));
  return (
    <div role={role} data-testid="trigger-banner" data-state={state} {...attributes} className={`w-full rounded border-2 ${className}`}>
      {children}
    </div>
  );
}
