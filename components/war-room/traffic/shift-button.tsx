"use client";
import { useState } from "react";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { ErrorNote } from "@/components/ui/error-note";
import { describeRouter } from "@/lib/client/traffic-words";
import { BUTTON_CLASS, DANGER_BUTTON_CLASS, INPUT_CLASS, PRIMARY_BUTTON_CLASS } from "../shared/format";
import type { PanelProps } from "../shared/types";
import { useTrafficView } from "../shared/use-traffic-view";
import { isEnded } from "@/lib/domain/cutover-state";
import { TEXT } from "@/lib/domain/limits";


/**
 * "Shift to N %" (the next planned step) for whoever may shift, behind a confirm dialog. When
 * the server refuses because the step's go/no-go decision is not PROCEED, the Deployment Lead may
 * override it with a note. Usable on its own (e.g. in the header).
 */
export function ShiftButton({ cutover, run, can }: Pick<PanelProps, "cutover" | "run" | "can">) {
  const { data: view } = useTrafficView(cutover.id);
  const [plan, setPlan] = useState<{ from: number; to: number } | null>(null);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [gate, setGate] = useState<string | null>(null);
  const [note, setNote] = useState("");
  const [done, setDone] = useState<string | null>(null);

  const current = view?.percent ?? cutover.trafficPercent;
  const steps = view ? view.steps.map((s) => s.percent) : cutover.trafficSteps.map((s) => s.percent);
  const next = steps.find((p) => p > current);
  if (!can("traffic.shift") || isEnded(cutover.state)) return null;

  function close() {
    setPlan(null);
    setGate(null);
    setNote("");
    setError(null);
  }

  async function submit(override: boolean) {
    if (!plan) return;
    setPending(true);
    setError(null);
    try {
      const r = await run("traffic.shift", { cutoverId: cutover.id, toPercent: plan.to, ...(override && { override: true, note: note.trim() }) });
      if (r.ok) {
        const d = r.data as { from: number; to: number; durationMs: number };
        setDone(`Shifted ${d.from} % → ${d.to} % new, verified in ${d.durationMs} ms`);
        close();
      } else if (!override && r.reason === "override_required") {
        setGate(r.message);
      } else {
        setError(r.message);
      }
    } catch {
      setError("Could not reach the server: check the connection and try again");
    } finally {
      setPending(false);
    }
  }

  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      {next !== undefined ? (
        <button
          type="button"
          className={PRIMARY_BUTTON_CLASS}
          data-testid="shift-button"
          onClick={() => {
            setDone(null);
            setPlan({ from: current, to: next });
          }}
        >
          Shift to {next} %
        </button>
      ) : (
        <span className="text-sm text-muted">{steps.length ? `At the last step (${current} %)` : "No traffic steps planned"}</span>
      )}
      {done && (
        <span role="status" data-testid="shift-result" className="text-sm text-green-800 dark:text-green-300">
          {done}
        </span>
      )}
      {plan && (
        <ConfirmDialog title="Shift traffic" onClose={close} testId="shift-dialog">
          <p className="mt-2 text-base tabular" data-testid="shift-summary">
            Shift from {plan.from} % to {plan.to} % new ({describeRouter(view?.router)})
          </p>
          <p className="mt-1 text-sm text-neutral-600 dark:text-neutral-300">
            The router is set, then read back; the split is recorded only once verified.
            {view?.rehearsal && " Rehearsal: this cutover is a rehearsal."}
          </p>
          {view && !view.router && (
            <p className="mt-2 rounded border border-amber-400 bg-amber-50 px-2 py-1 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100">
              No router is configured: the shift will fail. Set one under Traffic → Router first.
            </p>
          )}
          {gate && (
            <div className="mt-3 rounded border border-amber-500 bg-amber-50 p-2 text-sm dark:bg-amber-950" data-testid="shift-gated">
              <p className="font-medium text-amber-900 dark:text-amber-100">{gate}</p>
              {can("traffic.override") ? (
                <label className="mt-2 flex flex-col">
                  <span className="text-xs text-neutral-700 dark:text-neutral-300">Override note (required: why shift without the decision)</span>
                  <textarea value={note} onChange={(e) => setNote(e.target.value)} rows={2} maxLength={TEXT.note} required className={`${INPUT_CLASS} bg-white dark:bg-neutral-900`} />
                </label>
              ) : (
                <p className="mt-1 text-neutral-700 dark:text-neutral-300">Only the Deployment Lead may override the plan: get the go/no-go decision to PROCEED first.</p>
              )}
            </div>
          )}
          <ErrorNote message={error} testId="shift-error" />
          <div className="mt-4 flex justify-end gap-2">
            <button type="button" data-autofocus onClick={close} className={BUTTON_CLASS}>
              Cancel
            </button>
            {gate && can("traffic.override") ? (
              <button type="button" disabled={pending || !note.trim()} onClick={() => void submit(true)} className={DANGER_BUTTON_CLASS}>
                {pending ? "Shifting…" : "Override and shift"}
              </button>
            ) : (
              <button type="button" disabled={pending || gate !== null} onClick={() => void submit(false)} className={PRIMARY_BUTTON_CLASS}>
                {pending ? "Shifting and verifying…" : "Confirm shift"}
              </button>
            )}
          </div>
        </ConfirmDialog>
      )}
    </span>
  );
}
