"use client";
import { SelectField, TextField } from "@/components/ui/field";
import { RISK_LEVEL_LABELS, RISK_LEVELS } from "@/lib/domain/risk";
import { BUTTON_CLASS, ROLE_OPTIONS, isRole, useCommandForm } from "../shared/format";
import { CommandForm, SubmitButton } from "../shared/parts";
import type { RunCommand } from "../shared/types";
import { STATUSES, STATUS_LABELS, isLevel, isStatus, type Risk } from "./risk-words";
import { TEXT } from "@/lib/domain/limits";

/** Add a risk (no `risk`) or edit one; edit ends with `onDone` after a save or Cancel. */
export function RiskForm({ cutoverId, run, risk, onDone }: { cutoverId: string; run: RunCommand; risk?: Risk; onDone?: () => void }) {
  // Adding clears the form for the next risk; editing ends with onDone.
  const { pending, error, onSubmit } = useCommandForm(
    async ({ text }, { exec, setError }) => {
      const [probability, impact, status, owner] = [text("probability"), text("impact"), text("status"), text("ownerRole")];
      if (!isLevel(probability) || !isLevel(impact)) return setError("Choose a probability and an impact");
      if (!isStatus(status)) return setError("Choose a status");
      const ok = await exec(() =>
        run("risk.save", {
          cutoverId,
          ...(risk && { id: risk.id }),
          title: text("title"),
          probability,
          impact,
          mitigation: text("mitigation") || null,
          ownerRole: isRole(owner) ? owner : null,
          status,
        }),
      );
      if (ok) onDone?.();
      return ok;
    },
    { reset: !onDone },
  );

  const levels = RISK_LEVELS.map((l) => ({ value: l, label: RISK_LEVEL_LABELS[l] }));
  const statuses = STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] }));

  return (
    <CommandForm label={risk ? `Edit risk ${risk.title}` : "Add a risk"} onSubmit={onSubmit} error={error} errorTestId="risk-error" className="text-sm">
      <TextField label="Risk" name="title" required maxLength={TEXT.title} defaultValue={risk?.title} className="w-64" />
      <SelectField label="Probability" name="probability" options={levels} defaultValue={risk?.probability ?? "medium"} />
      <SelectField label="Impact" name="impact" options={levels} defaultValue={risk?.impact ?? "medium"} />
      <TextField label="Mitigation" name="mitigation" maxLength={TEXT.description} defaultValue={risk?.mitigation ?? ""} className="w-64" />
      <SelectField label="Owner role" name="ownerRole" options={[{ value: "", label: "—" }, ...ROLE_OPTIONS]} defaultValue={risk?.ownerRole ?? ""} />
      <SelectField label="Status" name="status" options={statuses} defaultValue={risk?.status ?? "open"} />
      <SubmitButton pending={pending} busyLabel="Saving…">
        {risk ? "Save risk" : "Add risk"}
      </SubmitButton>
      {onDone && (
        <button type="button" onClick={onDone} className={BUTTON_CLASS}>
          Cancel
        </button>
      )}
    </CommandForm>
  );
}
