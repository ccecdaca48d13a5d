"use client";
import { ErrorNote } from "@/components/ui/error-note";
import { Field } from "@/components/ui/field";
import { RoleSelect, SubmitButton } from "../shared/parts";
import type { RunCommand } from "../shared/types";
import {
  INPUT_CLASS,
  isRole,
  submitForm,
  useCommand,
} from "../shared/format";
import { TEXT } from "@/lib/domain/limits";

export function AddTimelineEntryForm({ cutoverId, run }: { cutoverId: string; run: RunCommand }) {
  const { pending, error, exec, setError } = useCommand();

  const onSubmit = submitForm(
    ({ text }) => {
      const ownerRole = text("ownerRole");
      if (!isRole(ownerRole)) return setError("Choose the role that owns the step");
      return exec(() =>
        run("timeline.add", {
          cutoverId,
          title: text("title"),
          plannedStart: text("plannedStart"),
          plannedFinish: text("plannedFinish") || null,
          ownerRole,
          details: text("details") || null,
        }),
      );
    },
    { reset: true },
  );

  return (
    <form onSubmit={onSubmit} aria-label="Add a timeline step" className="border-t border-neutral-200 px-3 py-2 dark:border-neutral-800">
      <h3 className="mb-1 text-sm font-medium text-neutral-600 dark:text-neutral-300">Add a step</h3>
      <div className="flex flex-wrap items-end gap-2 text-sm">
        <Field label="Step title">
          <input name="title" required maxLength={TEXT.stepTitle} className={`${INPUT_CLASS} w-56`} />
        </Field>
        <Field label="Planned start">
          <input name="plannedStart" required maxLength={TEXT.short} placeholder="06:30 AM or T+0:30" className={`${INPUT_CLASS} w-36`} />
        </Field>
        <Field label="Planned finish (optional)">
          <input name="plannedFinish" maxLength={TEXT.short} placeholder="07:00 AM or T+1h" className={`${INPUT_CLASS} w-36`} />
        </Field>
        <Field label="Owner role">
          <RoleSelect name="ownerRole" />
        </Field>
        <Field label="Details (optional)">
          <input name="details" maxLength={TEXT.description} className={`${INPUT_CLASS} w-56`} />
        </Field>
        <SubmitButton pending={pending} busyLabel="Adding…">
          Add step
        </SubmitButton>
      </div>
      <ErrorNote message={error} testId="timeline-add-error" />
    </form>
  );
}
