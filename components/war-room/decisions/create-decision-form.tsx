"use client";
import { ErrorNote } from "@/components/ui/error-note";
import { Field } from "@/components/ui/field";
import type { CutoverStateJson } from "@/lib/services/cutover-read";
import { INPUT_CLASS, ROLE_OPTIONS, submitForm, useCommand } from "../shared/format";
import { SubmitButton } from "../shared/parts";
import type { RunCommand } from "../shared/types";
import { TEXT } from "@/lib/domain/limits";

export function CreateDecisionForm({ cutover, run }: { cutover: CutoverStateJson; run: RunCommand }) {
  const { pending, error, exec, setError } = useCommand();
  const voters = ROLE_OPTIONS.filter((r) => r.value !== "OBSERVER");

  const onSubmit = submitForm(
    ({ data, text }) => {
      const requiredRoles = voters.map((r) => r.value).filter((r) => data.getAll("requiredRoles").includes(r));
      if (requiredRoles.length === 0) return setError("Choose at least one role that must vote");
      const target = text("targetPercent");
      const targetPercent = target === "" ? null : Number(target);
      if (targetPercent !== null && !(Number.isInteger(targetPercent) && targetPercent >= 0 && targetPercent <= 100)) {
        return setError("The target is a whole percent from 0 to 100");
      }
      return exec(() =>
        run("decision.create", {
          cutoverId: cutover.id,
          phaseId: String(data.get("phaseId") ?? ""),
          title: text("title"),
          requiredRoles,
          targetPercent,
        }),
      );
    },
    { reset: true },
  );

  return (
    <form onSubmit={onSubmit} aria-label="Add a decision point" className="border-t border-neutral-200 px-3 py-2 text-sm dark:border-neutral-800">
      <h3 className="mb-1 text-sm font-medium text-neutral-600 dark:text-neutral-300">Add a decision point</h3>
      <div className="flex flex-wrap items-end gap-2">
        <Field label="Decision title">
          <input name="title" required maxLength={TEXT.stepTitle} className={`${INPUT_CLASS} w-64`} />
        </Field>
        <Field label="Phase">
          <select name="phaseId" required className={INPUT_CLASS}>
            {cutover.phases.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Target % to new (optional)">
          <input name="targetPercent" type="number" min={0} max={100} step={1} className={`${INPUT_CLASS} w-24 tabular`} />
        </Field>
        <fieldset className="flex flex-wrap items-center gap-x-3 gap-y-1">
          <legend className="text-xs text-neutral-500">Required roles</legend>
          {voters.map((r) => (
            <label key={r.value} className="inline-flex items-center gap-1">
              <input type="checkbox" name="requiredRoles" value={r.value} />
              {r.label}
            </label>
          ))}
        </fieldset>
        <SubmitButton pending={pending} busyLabel="Adding…">
          Add decision point
        </SubmitButton>
      </div>
      <ErrorNote message={error} testId="decision-create-error" />
    </form>
  );
}
