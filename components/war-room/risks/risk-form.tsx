"use client";
import { ErrorNote } from "@/components/ui/error-note";
import { Field } from "@/components/ui/field";
import { RISK_LEVEL_LABELS, RISK_LEVELS } from "@/lib/domain/risk";
import { BUTTON_CLASS, INPUT_CLASS, ROLE_OPTIONS, isRole, submitForm, useCommand } from "../shared/format";
import { SubmitButton } from "../shared/parts";
import type { RunCommand } from "../shared/types";
import { STATUSES, STATUS_LABELS, isLevel, isStatus, type Risk } from "./risk-words";
import { TEXT } from "@/lib/domain/limits";

/** Add a risk (no `risk`) or edit one; edit ends with `onDone` after a save or Cancel. */
export function RiskForm({ cutoverId, run, risk, onDone }: { cutoverId: string; run: RunCommand; risk?: Risk; onDone?: () => void }) {
  const { pending, error, exec, setError } = useCommand();

  // Adding clears the form for the next risk; editing ends with onDone.
  const onSubmit = submitForm(
    async ({ text }) => {
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

  const select = (name: string, label: string, options: readonly { value: string; label: string }[], value: string) => (
    <Field label={label}>
      <select name={name} defaultValue={value} className={INPUT_CLASS}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </Field>
  );
  const levels = RISK_LEVELS.map((l) => ({ value: l, label: RISK_LEVEL_LABELS[l] }));

  return (
    <form onSubmit={onSubmit} aria-label={risk ? `Edit risk ${risk.title}` : "Add a risk"} className="text-sm">
      <div className="flex flex-wrap items-end gap-2">
        <Field label="Risk">
          <input name="title" required maxLength={TEXT.title} defaultValue={risk?.title} className={`${INPUT_CLASS} w-64`} />
        </Field>
        {select("probability", "Probability", levels, risk?.probability ?? "medium")}
        {select("impact", "Impact", levels, risk?.impact ?? "medium")}
        <Field label="Mitigation">
          <input name="mitigation" maxLength={TEXT.description} defaultValue={risk?.mitigation ?? ""} className={`${INPUT_CLASS} w-64`} />
        </Field>
        {select("ownerRole", "Owner role", [{ value: "", label: "—" }, ...ROLE_OPTIONS], risk?.ownerRole ?? "")}
        {select(
          "status",
          "Status",
          STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] })),
          risk?.status ?? "open",
        )}
        <SubmitButton pending={pending} busyLabel="Saving…">
          {risk ? "Save risk" : "Add risk"}
        </SubmitButton>
        {onDone && (
          <button type="button" onClick={onDone} className={BUTTON_CLASS}>
            Cancel
          </button>
        )}
      </div>
      <ErrorNote message={error} testId="risk-error" />
    </form>
  );
}
