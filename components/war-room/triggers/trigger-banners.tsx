"use client";
// What must I do now: the triggers' live state as banners across the page, and the failures
// nobody may miss. A pending trigger counts down ("automatic rollback in 3:12 unless Error rate
// recovers"); a firing one either asks for a confirmation or says what it is doing on its own;
// automation notices (provider failing, no data) are quieter lines. A failed traffic change or a
// failed rollback is a full-width red banner for everyone until they dismiss it.
import { useEffect, useState, type ReactNode } from "react";
import { isEnded } from "@/lib/domain/cutover-state";
import { formatUtc, formatWallTime } from "../shared/format";
import { useRoomEvents } from "../shared/room-events";
import { pendingText, triggerActionName, triggerCondition, type LiveTrigger } from "@/lib/client/live-triggers";
import { failureFromEvent, failuresFromView, keysToDismiss, mergeFailures, shownFailures, type Failure } from "@/lib/client/failures";
import { useLiveTriggers } from "../shared/use-live-triggers";
import { BANNER_CLEARS_AFTER_MS, bannerAfterAnswer, bannerAfterEvent, bannerFinished, bannerText, type BannerAction, type BannerPhase } from "@/lib/client/action-banner";

/** A confirmed trigger whose banner follows its action until it clears itself. */
type Acting = { trigger: LiveTrigger; phase: BannerPhase };
const actionOf = (t: LiveTrigger): BannerAction => (t.action === "shift" ? { action: "shift", toPercent: t.shiftToPercent ?? 0 } : { action: "rollback", toPercent: 0 });
import type { PanelProps } from "../shared/types";

export function TriggerBanners({ cutover, run, can, now }: Pick<PanelProps, "cutover" | "run" | "can" | "now">) {
  const { query, triggers } = useLiveTriggers(cutover.id);
  const [seen, setSeen] = useState<Failure[]>([]);
  const [dismissed, setDismissed] = useState<ReadonlySet<string>>(() => new Set());
  // Confirmed triggers: their banner stays, following the action, until it cleared itself (even
  // once the trigger stopped firing or the cutover ended); cleared ones stay hidden while firing.
  const [acting, setActing] = useState<Record<string, Acting>>({});
  const [cleared, setCleared] = useState<ReadonlySet<string>>(() => new Set());

  useRoomEvents((e) => {
    if (e.cutoverId !== cutover.id) return;
    const f = failureFromEvent(e);
    if (f) setSeen((prev) => (prev.some((p) => p.key === f.key) ? prev : [...prev, f]));
    setActing((prev) => {
      let changed = false;
      const next: Record<string, Acting> = {};
      for (const [id, a] of Object.entries(prev)) {
        const phase = bannerAfterEvent(a.phase, e, actionOf(a.trigger));
        changed ||= phase !== a.phase;
        next[id] = phase === a.phase ? a : { ...a, phase };
      }
      return changed ? next : prev;
    });
  });

  const finishedIds = Object.entries(acting)
    .filter(([, a]) => bannerFinished(a.phase))
    .map(([id]) => id)
    .join(",");
  useEffect(() => {
    if (!finishedIds) return;
    const ids = finishedIds.split(",");
    const timer = setTimeout(() => {
      setCleared((prev) => new Set([...prev, ...ids]));
      setActing((prev) => Object.fromEntries(Object.entries(prev).filter(([id]) => !ids.includes(id))));
    }, BANNER_CLEARS_AFTER_MS);
    return () => clearTimeout(timer);
  }, [finishedIds]);

  async function confirmTrigger(t: LiveTrigger) {
    setActing((prev) => ({ ...prev, [t.id]: { trigger: t, phase: { kind: "confirming" } } }));
    let answer: Parameters<typeof bannerAfterAnswer>[1];
    try {
      const r = await run("trigger.confirm", { cutoverId: cutover.id, triggerId: t.id });
      answer = r.ok ? { ok: true } : { ok: false, message: r.message };
    } catch {
      answer = { ok: false, message: "Could not reach the server: check the connection and try again" };
    }
    setActing((prev) => (prev[t.id] ? { ...prev, [t.id]: { ...prev[t.id]!, phase: bannerAfterAnswer(prev[t.id]!.phase, answer) } } : prev));
  }

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
  const firingNow = active.filter((t) => t.liveState === "firing");
  const firing = [...firingNow.filter((t) => !cleared.has(t.id) || acting[t.id]), ...Object.values(acting).map((a) => a.trigger).filter((t) => !firingNow.some((f) => f.id === t.id))];
  const firingIds = firingNow.map((t) => t.id).join(",");
  useEffect(() => {
    // A trigger that stopped firing may fire again later: its next banner is shown.
    setCleared((prev) => {
      const still = new Set([...prev].filter((id) => firingIds.split(",").includes(id)));
      return still.size === prev.size ? prev : still;
    });
  }, [firingIds]);
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
        <FiringBanner key={t.id} trigger={t} phase={acting[t.id]?.phase ?? { kind: "idle" }} onConfirm={() => void confirmTrigger(t)} canConfirm={can("trigger.confirm")} />
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

function FiringBanner({ trigger: t, phase, onConfirm, canConfirm }: { trigger: LiveTrigger; phase: BannerPhase; onConfirm: () => void; canConfirm: boolean }) {
  const name = t.description ?? triggerCondition(t);
  const recommend = t.mode === "recommend";
  const question = t.action === "rollback" ? "roll back?" : t.action === "shift" ? `shift new to ${t.shiftToPercent ?? "?"} %?` : null;
  const confirmLabel = t.action === "rollback" ? "Confirm rollback" : `Confirm shift to ${t.shiftToPercent ?? "?"} %`;
  const pressed = phase.kind !== "idle";
  const progress = bannerText(phase, actionOf(t));

  return (
    <Banner
      role="alert"
      state="firing"
      data={{ "trigger-id": t.id, mode: t.mode, action: t.action, phase: phase.kind }}
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
        {recommend && question && canConfirm && !pressed && (
          <button
            type="button"
            onClick={onConfirm}
            className="rounded bg-red-700 px-4 py-1.5 font-bold text-white hover:bg-red-800 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-red-700 disabled:opacity-60"
          >
            {confirmLabel}
          </button>
        )}
      </div>
      {recommend && question && !canConfirm && <p className="mt-1 text-sm">Waiting for the Deployment Lead or On-call to confirm.</p>}
      {!recommend && t.action !== "alert" && <p className="mt-1 text-sm">The trigger acted on its own; watch the rollback progress and the traffic split.</p>}
      {progress && (
        <p className={`mt-1 text-sm font-semibold ${phase.kind === "failed" ? "text-red-800 dark:text-red-200" : ""}`} data-testid="trigger-action-state" data-phase={phase.kind}>
          {phase.kind === "done" ? "✓ " : phase.kind === "failed" ? "✗ " : ""}
          {progress}
        </p>
      )}
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
