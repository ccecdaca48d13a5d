"use client";
import { CheckField, SelectField, TextField } from "@/components/ui/field";
import type { CutoverStateJson } from "@/lib/services/cutover-read";
import { ROLE_OPTIONS, useCommandForm } from "../shared/format";
import { CommandForm, SubmitButton } from "../shared/parts";
import type { RunCommand } from "../shared/types";
import { TEXT } from "@/lib/domain/limits";

export function CreateDecisionForm({ cutover, run }: { cutover: CutoverStateJson; run: RunCommand }) {
  const voters = ROLE_OPTIONS.filter((r) => r.value !== "OBSERVER");

  const { pending, error, onSubmit } = useCommandForm(
    ({ data, text }, { exec, setError }) => {
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
    <CommandForm label="Add a decision point" heading="Add a decision point" onSubmit={onSubmit} error={error} errorTestId="decision-create-error">
      <TextField label="Decision title" name="title" required maxLength={TEXT.stepTitle} className="w-64" />
      <SelectField label="Phase" name="phaseId" required options={cutover.phases.map((p) => ({ value: p.id, label: p.name }))} />
      <TextField label="Target % to new (optional)" name="targetPercent" type="number" min={0} max={100} step={1} className="w-24 tabular" />
      <fieldset className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <legend className="text-xs text-muted">Required roles</legend>
        {voters.map((r) => (
          <CheckField key={r.value} label={r.label} name="requiredRoles" value={r.value} />
        ))}
      </fieldset>
      <SubmitButton pending={pending} busyLabel="Adding…">
        Add decision point
      </SubmitButton>
    </CommandForm>
  );
}
