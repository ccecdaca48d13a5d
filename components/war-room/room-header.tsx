"use client";
import { useState } from "react";
import type { CutoverStateJson } from "@/lib/services/cutover-read";
import { formatTOffset } from "@/lib/domain/relative-time";
import { cutoverDrift } from "@/lib/domain/drift";
import { ErrorNote } from "@/components/ui/error-note";
import { isEnded, nextState } from "@/lib/domain/cutover-state";
import { TEXT } from "@/lib/domain/limits";
import { BUTTON_CLASS, DANGER_BUTTON_CLASS, INPUT_CLASS, PRIMARY_BUTTON_CLASS } from "@/components/ui/styles";
import type { PanelProps } from "./shared/types";
import { useReturnFocus } from "@/components/ui/use-return-focus";

function wallTime(ms: number, timeZone: string) {
  return new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false }).format(ms);
}

/** Where are we: name, mode, state, the clock against T-0 and how far behind plan the schedule runs. */
export function RoomHeader({ cutover: c, now, run, can, children }: Omit<PanelProps, "cutover"> & { cutover: CutoverStateJson; children: React.ReactNode }) {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const startFocus = useReturnFocus();
  const tZero = new Date(c.tZero).getTime();
  const drift = cutoverDrift(
    c.timeline.map((e) => ({
      plannedStart: new Date(e.plannedStart),
      plannedFinish: e.plannedFinish ? new Date(e.plannedFinish) : null,
      actualStart: e.actualStart ? new Date(e.actualStart) : null,
      actualFinish: e.actualFinish ? new Date(e.actualFinish) : null,
    })),
    new Date(now),
  );
  const canStart = can("cutover.start") && nextState(c.state, "start").ok;

  async function start() {
    const r = await run("cutover.start", { cutoverId: c.id });
    setConfirming(false);
    setError(r.ok ? null : r.message);
  }

  return (
    <section className="mb-3 rounded border border-neutral-200 bg-white p-3 dark:border-neutral-800 dark:bg-neutral-900">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div className="min-w-0">
          <h1 className="break-words text-xl font-semibold" data-testid="cutover-name">
            {c.name}
            <span className={`ml-2 rounded px-1.5 text-sm ${c.mode === "rehearsal" ? "bg-purple-100 text-purple-800" : "bg-neutral-100 text-neutral-700 dark:bg-neutral-800 dark:text-neutral-200"}`}>
              {c.mode === "rehearsal" ? "REHEARSAL" : "LIVE"}
            </span>
          </h1>
          <p className="text-sm text-muted">
            {c.systemFrom} → {c.systemTo} · <span data-testid="cutover-state">{c.state.replace("_", " ")}</span> · new gets <span className="tabular">{c.trafficPercent}%</span>
          </p>
          {isEnded(c.state) && <Outcome state={c.state} />}
        </div>
        <div className="text-left sm:text-right">
          <div className="text-2xl font-semibold tabular" data-testid="t-clock" title={`T-0 = ${new Date(tZero).toISOString()}`}>
            {formatTOffset(now - tZero)}
          </div>
          <div className="text-sm text-muted tabular" title={`${new Date(now).toISOString().slice(11, 19)} UTC`}>
            <span data-testid="wall-clock">{wallTime(now, c.timeZone)}</span> {c.timeZone} ·{" "}
            <span data-testid="header-drift" className={drift.driftMinutes !== null && drift.driftMinutes > 0 ? "font-medium text-amber-700 dark:text-amber-400" : ""}>
              {drift.label}
            </span>
          </div>
        </div>
        <div className="flex flex-wrap items-center gap-3">
          {children}
          {canStart && !confirming && (
            <button
              data-testid="start-cutover"
              onClick={() => {
                startFocus.remember();
                setConfirming(true);
              }}
              className="rounded bg-blue-700 px-3 py-1 text-sm font-medium text-white hover:bg-blue-800"
            >
              Start cutover
            </button>
          )}
          {confirming && (
            <span className="flex items-center gap-2 text-sm">
              Start now? The plan&apos;s structure freezes.
              <button
                autoFocus
                onClick={() => {
                  setConfirming(false);
                  startFocus.restore();
                }}
                className="rounded border border-neutral-300 px-2 py-0.5"
              >
                Cancel
              </button>
              <button onClick={() => void start()} className="rounded bg-blue-700 px-2 py-0.5 text-white">
                Confirm start
              </button>
            </span>
          )}
          {!confirming && <EndControls cutover={c} run={run} can={can} />}
        </div>
      </div>
      <ErrorNote message={error} />
    </section>
  );
}

const OUTCOMES: Record<string, { label: string; className: string }> = {
  completed: { label: "Completed", className: "bg-green-100 text-green-800 dark:bg-green-900 dark:text-green-100" },
  rolled_back: { label: "Rolled back", className: "bg-amber-100 text-amber-900 dark:bg-amber-900 dark:text-amber-100" },
  aborted: { label: "Aborted", className: "bg-red-100 text-red-800 dark:bg-red-900 dark:text-red-100" },
};

function Outcome({ state }: { state: string }) {
  const o = OUTCOMES[state];
  if (!o) return null;
  return (
    <p className="mt-1 text-sm">
      Outcome: <span data-testid="cutover-outcome" className={`rounded px-1.5 font-medium ${o.className}`}>{o.label}</span>
    </p>
  );
}

/**
 * Declaring the outcome: complete (confirmed; past a split not at 100 % or a running rollback only
 * with "force" and a note) or abort (with a reason). The server applies the same rules
 * (lib/domain/cutover-state.ts); the buttons only hide what it would refuse anyway.
 */
function EndControls({ cutover: c, run, can }: Pick<PanelProps, "run" | "can"> & { cutover: CutoverStateJson }) {
  const [mode, setMode] = useState<"complete" | "abort" | null>(null);
  const [text, setText] = useState("");
  const [force, setForce] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const focus = useReturnFocus();
  if (!can("cutover.end")) return null;
  const canComplete = nextState(c.state, "complete").ok;
  const canAbort = nextState(c.state, "abort").ok;
  if (!canComplete && !canAbort) return null;

  function open(m: "complete" | "abort") {
    focus.remember();
    setMode(m);
    setText("");
    // Below 100 % a plain completion would be refused: offer the forced one straight away.
    setForce(m === "complete" && c.trafficPercent !== 100);
    setError(null);
  }
  async function submit() {
    setBusy(true);
    const note = text.trim();
    const r =
      mode === "complete"
        ? await run("cutover.complete", { cutoverId: c.id, force, note: note || null })
        : await run("cutover.abort", { cutoverId: c.id, reason: note });
    setBusy(false);
    if (r.ok) setMode(null);
    setError(r.ok ? null : r.message);
  }
  function cancel() {
    setMode(null);
    focus.restore();
  }

  if (!mode) {
    return (
      <>
        {canComplete && (
          <button type="button" data-testid="complete-cutover" onClick={() => open("complete")} className={PRIMARY_BUTTON_CLASS}>
            Complete cutover
          </button>
        )}
        {canAbort && (
          <button type="button" data-testid="abort-cutover" onClick={() => open("abort")} className={BUTTON_CLASS}>
            Abort
          </button>
        )}
        <ErrorNote message={error} />
      </>
    );
  }
  const needsText = mode === "abort" || force;
  return (
    <div
      role="dialog"
      aria-label={mode === "complete" ? "Complete the cutover" : "Abort the cutover"}
      onKeyDown={(e) => {
        if (e.key === "Escape") cancel();
      }}
      className="flex flex-col gap-2 rounded border border-neutral-300 p-2 text-sm dark:border-neutral-700"
    >
      {mode === "complete" ? (
        <>
          <span>Complete the cutover? It ends for good: the report is written from here.</span>
          {c.trafficPercent !== 100 && <span className="text-amber-700 dark:text-amber-400">The new system gets {c.trafficPercent} %, not 100 %.</span>}
          <label className="flex items-center gap-2">
            <input type="checkbox" data-testid="complete-force" checked={force} onChange={(e) => setForce(e.target.checked)} />
            Complete anyway (traffic not at 100 % or a rollback running)
          </label>
        </>
      ) : (
        <span>Abort the cutover? It ends for good; traffic stays where it is.</span>
      )}
      {needsText && (
        <label className="flex flex-col gap-1">
          {mode === "abort" ? "Reason" : "Note (why complete anyway)"}
          <textarea data-testid="end-text" value={text} onChange={(e) => setText(e.target.value)} rows={2} maxLength={TEXT.note} className={INPUT_CLASS} />
        </label>
      )}
      <span className="flex gap-2">
        <button type="button" autoFocus onClick={cancel} className={BUTTON_CLASS}>
          Cancel
        </button>
        <button
          type="button"
          data-testid="confirm-end"
          disabled={busy || (needsText && !text.trim())}
          onClick={() => void submit()}
          className={mode === "complete" ? PRIMARY_BUTTON_CLASS : DANGER_BUTTON_CLASS}
        >
          {mode === "complete" ? "Confirm complete" : "Confirm abort"}
        </button>
      </span>
      <ErrorNote message={error} />
    </div>
  );
}
