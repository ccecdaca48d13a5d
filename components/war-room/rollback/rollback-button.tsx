"use client";
// The one dangerous lever: a red "Rollback" button, always in the same place, behind a confirm
// dialog that says exactly what will happen (Cancel has the focus). While a rollback runs (mine,
// someone else's or a trigger's) everyone sees its progress: the split being verified, then each
// hook, then the outcome and how long it took ("rolled back in 84 ms").
import { useEffect, useState } from "react";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { ErrorNote } from "@/components/ui/error-note";
import { BUTTON_CLASS, DANGER_BUTTON_CLASS, INPUT_CLASS } from "../shared/format";
import { useRoomEvents } from "../shared/room-events";
import { describeRouter } from "@/lib/client/traffic-words";
import { useTrafficView } from "../shared/use-traffic-view";
import type { PanelProps } from "../shared/types";
import { episodeAfterAnswer, newEpisode, phaseOf, reduceEpisode, type Episode, type HookState, type RollbackAnswer } from "@/lib/client/rollback-episode";
import { TEXT } from "@/lib/domain/limits";

const HOOK_LOOK: Record<HookState, { icon: string; label: string; style: string }> = {
  waiting: { icon: "○", label: "waiting", style: "text-muted" },
  running: { icon: "◐", label: "running…", style: "text-blue-800 dark:text-blue-300" },
  ok: { icon: "✓", label: "done", style: "text-green-800 dark:text-green-300" },
  failed: { icon: "✗", label: "FAILED", style: "font-semibold text-red-800 dark:text-red-300" },
};

// Long enough to read the duration from across the room.
const ROLLBACK_TOAST_CLEARS_AFTER_MS = 20_000;

function plural(n: number, word: string) {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

export function RollbackButton({ cutover, run, can }: Pick<PanelProps, "cutover" | "run" | "can">) {
  const { data: view } = useTrafficView(cutover.id);
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [episode, setEpisode] = useState<Episode | null>(null);
  const hookNames = view?.hooks.map((h) => h.name) ?? [];

  useRoomEvents((e) => {
    if (e.cutoverId !== cutover.id) return;
    setEpisode((ep) => reduceEpisode(ep, e, hookNames));
  });

  // A rollback that completed cleanly clears itself; one with a failure stays until dismissed.
  const completed = episode !== null && phaseOf(episode) === "completed";
  useEffect(() => {
    if (!completed) return;
    const timer = setTimeout(() => setEpisode((ep) => (ep && phaseOf(ep) === "completed" ? null : ep)), ROLLBACK_TOAST_CLEARS_AFTER_MS);
    return () => clearTimeout(timer);
  }, [completed]);

  function close() {
    setOpen(false);
    setReason("");
  }

  async function confirm() {
    const why = reason.trim() || null;
    // Close at once: the progress below the button is what to watch now.
    close();
    setPending(true);
    setError(null);
    setEpisode((ep) => (ep && !ep.finished ? ep : newEpisode(null, "you", hookNames)));
    try {
      const r = await run("rollback.execute", { cutoverId: cutover.id, reason: why });
      if (r.ok) {
        const answer = r.data as RollbackAnswer;
        setEpisode((ep) => episodeAfterAnswer(ep, answer, hookNames));
      } else {
        setError(`Rollback failed: ${r.message}`);
        // Never started (refused, no router…): the note says why. Started and failed: the card says it.
        setEpisode((ep) => (!ep || !ep.subject ? null : { ...ep, split: ep.split === "done" ? "done" : "failed", finished: ep.finished ?? { ok: false }, error: ep.error ?? r.message }));
      }
    } catch {
      setError("Could not reach the server to roll back: check the connection and press Rollback again (repeating is safe)");
      setEpisode((ep) => (ep && ep.split === "verifying" && !ep.subject ? null : ep));
    } finally {
      setPending(false);
    }
  }

  const allowed = can("rollback.execute");
  if (!allowed && !episode) return null;
  const n = view?.hooks.length;

  return (
    <div className="relative inline-block" data-testid="rollback-control">
      {allowed && (
        <button
          type="button"
          data-testid="rollback-button"
          onClick={() => {
            setError(null);
            setOpen(true);
          }}
          disabled={pending}
          className="rounded bg-red-700 px-4 py-1.5 text-sm font-bold tracking-wide text-white shadow-sm hover:bg-red-800 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-red-700 disabled:opacity-70"
        >
          {pending ? "Rolling back…" : "Rollback"}
        </button>
      )}

      {open && (
        <ConfirmDialog title="Roll back now?" onClose={close} testId="rollback-dialog" tone="danger">
          <p className="mt-2 text-base font-medium" data-testid="rollback-summary">
            Send 100 % of traffic to old. {n === undefined ? "Run the rollback hooks." : `Run ${plural(n, "rollback hook")}.`}
          </p>
          <p className="mt-1 text-sm text-neutral-600 dark:text-neutral-300">
            Router: {view ? describeRouter(view.router) : "…"} · now old <span className="tabular">{100 - (view?.percent ?? cutover.trafficPercent)}</span> | new{" "}
            <span className="tabular">{view?.percent ?? cutover.trafficPercent}</span>
          </p>
          {view && view.hooks.length > 0 && (
            <ol className="mt-1 list-inside list-decimal text-sm text-neutral-700 dark:text-neutral-300">
              {view.hooks.map((h) => (
                <li key={h.id}>{h.name}</li>
              ))}
            </ol>
          )}
          {view && !view.router && (
            <p className="mt-2 rounded border border-amber-400 bg-amber-50 px-2 py-1 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100">
              No router is configured: the split cannot be moved from here. Move it by hand and tell the room.
            </p>
          )}
          <label className="mt-3 flex flex-col text-sm">
            <span className="text-xs text-neutral-600 dark:text-neutral-300">Reason (optional, recorded in the audit log)</span>
            <textarea value={reason} onChange={(e) => setReason(e.target.value)} rows={2} maxLength={TEXT.note} className={INPUT_CLASS} />
          </label>
          <div className="mt-4 flex justify-end gap-2">
            <button type="button" data-autofocus onClick={close} className={BUTTON_CLASS}>
              Cancel
            </button>
            <button type="button" disabled={pending} onClick={() => void confirm()} className={DANGER_BUTTON_CLASS}>
              Confirm rollback
            </button>
          </div>
        </ConfirmDialog>
      )}

      {(episode || error) && (
        // A toast in the viewport's corner, whatever the width and wherever the button wrapped to
        // (on a phone, above the bottom bar that holds the Rollback button).
        <div className="fixed bottom-4 right-4 max-sm:bottom-24 z-50 w-[min(26rem,calc(100vw-2rem))] space-y-1" data-testid="rollback-toast">
          {episode && <RollbackProgress episode={episode} onDismiss={() => setEpisode(null)} />}
          {!episode && <ErrorNote message={error} testId="rollback-error" />}
        </div>
      )}
    </div>
  );
}

function RollbackProgress({ episode: ep, onDismiss }: { episode: Episode; onDismiss: () => void }) {
  const phase = phaseOf(ep);
  const border = phase === "failed" ? "border-red-700 border-2" : phase === "completed_with_errors" ? "border-amber-600" : phase === "completed" ? "border-green-700" : "border-blue-600";
  return (
    <div
      role="status"
      aria-live="polite"
      data-testid="rollback-progress"
      data-phase={phase}
      className={`rounded border bg-white p-3 text-left text-sm shadow-lg dark:bg-neutral-900 ${border}`}
    >
      <div className="flex items-baseline justify-between gap-2">
        <p className="font-semibold">
          {ep.joined ? (ep.finished ? "Already rolled back: nothing was shifted towards new since" : "Joined the rollback already running") : `Rollback${ep.by ? ` started by ${ep.by}` : ""}`}
        </p>
        {(ep.finished || ep.split === "failed") && (
          <button type="button" className={BUTTON_CLASS} onClick={onDismiss}>
            Dismiss
          </button>
        )}
      </div>
      <p className="mt-1" data-testid="rollback-split">
        {ep.split === "verifying" && <span className="animate-pulse text-blue-800 dark:text-blue-300">Moving 100 % to old, verifying split…</span>}
        {ep.split === "done" && (
          <span className="font-medium text-green-800 dark:text-green-300">
            ✓ Traffic on old: <span data-testid="rollback-duration" className="tabular">{ep.durationMs !== null ? `rolled back in ${ep.durationMs} ms` : "split verified"}</span>
          </span>
        )}
        {ep.split === "failed" && (
          <span role="alert" className="font-semibold text-red-800 dark:text-red-300">
            ✗ Traffic was NOT moved back{ep.error ? `: ${ep.error}` : ""}
          </span>
        )}
      </p>
      {ep.hooks.length > 0 && (
        <ol className="mt-1 space-y-0.5">
          {ep.hooks.map((h, i) => {
            const look = HOOK_LOOK[h.state];
            return (
              <li key={`${h.name}-${i}`} data-testid="rollback-hook-progress" data-state={h.state} className={look.style}>
                <span aria-hidden>{look.icon}</span> {h.name}: {look.label}
                {h.durationMs !== null && <span className="tabular"> ({h.durationMs} ms)</span>}
                {h.state === "failed" && h.output && <pre className="mt-0.5 max-h-16 overflow-auto whitespace-pre-wrap break-all font-mono text-[11px]">{h.output}</pre>}
              </li>
            );
          })}
        </ol>
      )}
      {phase === "completed" && <p className="mt-1 font-medium text-green-800 dark:text-green-300">Rollback completed{ep.hooks.length ? `: ${plural(ep.hooks.length, "hook")} ran` : ""}.</p>}
      {phase === "completed_with_errors" && (
        <p className="mt-1 font-medium text-amber-900 dark:text-amber-200">Rollback completed with errors: traffic is on old, but a hook failed. {ep.hooks.length ? "Its status is shown above" : "The Traffic tab shows which"}; finish that step by hand.</p>
      )}
      {phase === "failed" && <p className="mt-1 text-red-800 dark:text-red-300">Check the router, then press Rollback again: repeating it is safe.</p>}
    </div>
  );
}
