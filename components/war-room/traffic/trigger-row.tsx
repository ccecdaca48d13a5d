"use client";
import { TONE, type Look } from "@/components/ui/tones";
import { ErrorNote } from "@/components/ui/error-note";
import { pendingText, triggerActionName, triggerCondition, type LiveTrigger, type TriggerStateName } from "@/lib/client/live-triggers";
import type { CutoverStateJson } from "@/lib/services/cutover-read";
import { BUTTON_CLASS, useCommand } from "../shared/format";
import { ConfirmRemove } from "../shared/parts";
import { Time } from "../shared/time";
import type { RunCommand } from "../shared/types";

const STATE_LOOK: Record<TriggerStateName, Look> = {
  inactive: { label: "INACTIVE", style: "border-neutral-300 text-neutral-600 dark:text-neutral-300" },
  pending: { label: "PENDING", style: TONE.warning },
  firing: { label: "FIRING", style: "border-red-700 bg-red-100 font-bold text-red-800 dark:bg-red-950 dark:text-red-200" },
};

export function TriggerRow({ trigger: t, cutover, run, now, canEdit, onEdit }: { trigger: LiveTrigger; cutover: CutoverStateJson; run: RunCommand; now: number; canEdit: boolean; onEdit: () => void }) {
  const cutoverId = cutover.id;
  const { pending, error, exec } = useCommand();
  const look = STATE_LOOK[t.liveState];
  return (
    <li data-testid="trigger" data-trigger-id={t.id} data-state={t.liveState} data-enabled={t.enabled} className="py-1.5">
      <div className="flex flex-wrap items-center gap-2">
        <span className={`rounded border px-1 text-xs ${look.style}`}>{look.label}</span>
        <span className="font-medium">{triggerCondition(t)}</span>
        <span className="text-muted">
          → {t.mode === "automatic" ? "automatic" : "recommend"} {triggerActionName(t)} · {t.severity}
          {t.keepFiringForSeconds > 0 && ` · keeps firing for ${t.keepFiringForSeconds} s`}
          {t.errorRollbackAfter !== null && ` · fail-safe: roll back after ${t.errorRollbackAfter} provider errors`}
          {!t.enabled && " · disabled"}
        </span>
        {canEdit && (
          <span className="ml-auto flex gap-1">
            <button type="button" className={BUTTON_CLASS} onClick={onEdit} aria-label={`Edit trigger ${triggerCondition(t)}`}>
              Edit
            </button>
            <ConfirmRemove label={`Remove trigger ${triggerCondition(t)}`} confirmLabel="Remove trigger" pending={pending} onRemove={() => exec(() => run("trigger.remove", { cutoverId, id: t.id }))} />
          </span>
        )}
      </div>
      {t.description && !t.description.startsWith(triggerCondition(t)) && <p className="text-xs text-muted">{t.description}</p>}
      {t.liveState === "pending" && (
        <p className="text-amber-900 tabular dark:text-amber-200" data-testid="trigger-countdown">
          {pendingText(t, now)}
        </p>
      )}
      {t.liveState === "firing" && (
        <p className="font-medium text-red-800 dark:text-red-300">
          Firing since <Time at={t.firedAt} cutover={cutover} />
          {t.mode === "recommend" && t.action !== "alert" ? <span>: waiting for a confirmation</span> : null}
        </p>
      )}
      {t.notice && (
        <p className="text-xs text-amber-800 dark:text-amber-300" data-testid="trigger-notice">
          {t.notice}
        </p>
      )}
      <ErrorNote message={error} testId="trigger-error" />
    </li>
  );
}
