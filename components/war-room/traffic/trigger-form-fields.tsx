"use client";
import { useState } from "react";
import { ErrorNote } from "@/components/ui/error-note";
import { CheckField, Field, SelectField, TextField } from "@/components/ui/field";
import type { LiveTrigger } from "@/lib/client/live-triggers";
import { BUTTON_CLASS, INPUT_CLASS, submitForm, useCommand } from "../shared/format";
import { MetricSelect, SubmitButton, SystemSelect } from "../shared/parts";
import type { RunCommand } from "../shared/types";
import { TEXT } from "@/lib/domain/limits";

const COMPARISONS = [{ value: ">", label: ">" }, { value: ">=", label: "≥" }, { value: "<", label: "<" }, { value: "<=", label: "≤" }];
const ACTIONS = [{ value: "rollback", label: "roll back" }, { value: "shift", label: "shift new to…" }, { value: "alert", label: "alert the room" }];
const MODES = [{ value: "recommend", label: "recommend (a person confirms)" }, { value: "automatic", label: "automatic" }];
const CONDITIONS = [{ value: "metric", label: "a metric crosses a threshold" }, { value: "alert", label: "an Alertmanager alert is firing" }];
const SEVERITIES = [{ value: "immediate", label: "immediate" }, { value: "graceful", label: "graceful" }];

export type TriggerFormProps = { cutoverId: string; trigger: LiveTrigger | undefined; run: RunCommand; onDone: () => void };

export function TriggerFormFields({ cutoverId, trigger, run, onDone, metrics }: TriggerFormProps & { metrics: { id: string; name: string; unit: string }[] }) {
  const { pending, error, exec, setError } = useCommand();
  const [action, setAction] = useState<"rollback" | "shift" | "alert">(trigger?.action ?? "rollback");
  const [failSafe, setFailSafe] = useState(trigger?.errorRollbackAfter != null);
  const [kind, setKind] = useState<"metric" | "alert">(trigger?.conditionKind ?? "metric");

  const onSubmit = submitForm(async ({ data: form, text }) => {
    const int = (k: string) => Number(text(k));
    const metricId = text("metricId");
    const threshold = Number(text("threshold"));
    const alertName = text("alertName").trim();
    if (kind === "metric" && !metricId) return setError("Choose a metric (add metrics under Metrics first)");
    if (kind === "metric" && (text("threshold") === "" || !Number.isFinite(threshold))) return setError("The threshold must be a number");
    if (kind === "alert" && !alertName) return setError("Name the alert (its alertname label in Alertmanager)");
    const forSeconds = int("forSeconds");
    const keepFiringForSeconds = text("keepFiringForSeconds") === "" ? 0 : int("keepFiringForSeconds");
    if (!Number.isInteger(forSeconds) || forSeconds < 0 || forSeconds > 86_400) return setError("“For” is 0 to 86,400 whole seconds");
    if (!Number.isInteger(keepFiringForSeconds) || keepFiringForSeconds < 0 || keepFiringForSeconds > 86_400) return setError("“Keep firing for” is 0 to 86,400 whole seconds");
    const shiftToPercent = action === "shift" ? int("shiftToPercent") : null;
    if (shiftToPercent !== null && (!Number.isInteger(shiftToPercent) || shiftToPercent < 0 || shiftToPercent > 100)) return setError("Shift to: a whole percent from 0 to 100");
    const errorRollbackAfter = failSafe ? int("errorRollbackAfter") : null;
    if (errorRollbackAfter !== null && (!Number.isInteger(errorRollbackAfter) || errorRollbackAfter < 1 || errorRollbackAfter > 1000)) return setError("Fail-safe: after 1 to 1000 consecutive errors");
    const ok = await exec(() =>
      run("trigger.save", {
        cutoverId,
        ...(trigger && { id: trigger.id }),
        conditionKind: kind,
        ...(kind === "alert"
          ? { alertName }
          : { metricId, system: text("system") === "old" ? ("old" as const) : ("new" as const), comparison: text("comparison") as "<" | "<=" | ">" | ">=", threshold }),
        forSeconds,
        keepFiringForSeconds,
        severity: text("severity") === "graceful" ? "graceful" : "immediate",
        action,
        shiftToPercent,
        mode: text("mode") === "automatic" ? "automatic" : "recommend",
        errorRollbackAfter,
        description: text("description") || null,
        enabled: form.get("enabled") === "on",
      }),
    );
    if (ok) onDone();
  });

  return (
    <form onSubmit={onSubmit} aria-label={trigger ? "Edit trigger" : "Add a trigger"} className="mt-2 rounded border border-neutral-200 p-2 dark:border-neutral-800" data-testid="trigger-form">
      <h4 className="text-xs font-medium uppercase text-muted">{trigger ? "Edit trigger (its state starts afresh)" : "Add a trigger"}</h4>
      <div className="mt-1 flex flex-wrap items-end gap-2">
        <SelectField label="Condition" value={kind} onChange={(e) => setKind(e.target.value === "alert" ? "alert" : "metric")} options={CONDITIONS} />
        {kind === "alert" ? (
          <TextField label="Alert name" name="alertName" required maxLength={200} pattern="[A-Za-z_:][A-Za-z0-9_:.\-]*" defaultValue={trigger?.alertName ?? ""} placeholder="alertname label, e.g. HighErrorRate" className="w-56" />
        ) : (
          <>
            <Field label="Metric">
              <MetricSelect metrics={metrics} defaultValue={trigger?.metricId ?? undefined} />
            </Field>
            <Field label="System">
              <SystemSelect defaultValue={trigger?.system} />
            </Field>
            <SelectField label="Comparison" name="comparison" defaultValue={trigger?.comparison ?? ">"} options={COMPARISONS} />
            <TextField label="Threshold" name="threshold" inputMode="decimal" required defaultValue={trigger?.threshold} className="w-24 tabular" />
          </>
        )}
        <TextField label="For (s)" name="forSeconds" type="number" min={0} max={86_400} step={1} required defaultValue={trigger?.forSeconds ?? 30} className="w-20 tabular" />
        <TextField label="Keep firing for (s)" name="keepFiringForSeconds" type="number" min={0} max={86_400} step={1} defaultValue={trigger?.keepFiringForSeconds ?? 0} className="w-20 tabular" />
      </div>
      <div className="mt-2 flex flex-wrap items-end gap-2">
        <SelectField label="Action" value={action} onChange={(e) => setAction(e.target.value as typeof action)} options={ACTIONS} />
        {action === "shift" && (
          <TextField label="Shift new to (%)" name="shiftToPercent" type="number" min={0} max={100} step={1} required defaultValue={trigger?.shiftToPercent ?? 0} className="w-20 tabular" />
        )}
        <SelectField label="Mode" name="mode" defaultValue={trigger?.mode ?? "recommend"} options={MODES} />
        <SelectField label="Severity" name="severity" defaultValue={trigger?.severity ?? "immediate"} options={SEVERITIES} />
        <CheckField label="Roll back after" checked={failSafe} onChange={(e) => setFailSafe(e.target.checked)} />
        {failSafe && (
          <label className="inline-flex items-center gap-1">
            <input name="errorRollbackAfter" type="number" min={1} max={1000} step={1} required defaultValue={trigger?.errorRollbackAfter ?? 3} className={`${INPUT_CLASS} w-16 tabular`} aria-label="Consecutive provider errors before a fail-safe rollback" />
            consecutive provider errors
          </label>
        )}
        {!failSafe && <span className="text-xs text-muted">(off: provider errors pause automation and alert the room)</span>}
      </div>
      <div className="mt-2 flex flex-wrap items-end gap-2">
        <TextField label="Description (optional)" name="description" maxLength={TEXT.title} defaultValue={trigger?.description ?? ""} placeholder="generated from the rule when blank" className="w-80" />
        <CheckField label="Enabled" name="enabled" defaultChecked={trigger?.enabled ?? true} />
        <SubmitButton pending={pending} busyLabel="Saving…" disabled={kind === "metric" && metrics.length === 0}>
          Save trigger
        </SubmitButton>
        <button type="button" className={BUTTON_CLASS} onClick={onDone}>
          Cancel
        </button>
      </div>
      <ErrorNote message={error} testId="trigger-save-error" />
    </form>
  );
}
