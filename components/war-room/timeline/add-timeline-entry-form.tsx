"use client";
import { TextField } from "@/components/ui/field";
import { CommandForm, RoleField, SubmitButton } from "../shared/parts";
import type { RunCommand } from "../shared/types";
import { chosenRole, useCommandForm } from "../shared/format";
import { TEXT } from "@/lib/domain/limits";

export function AddTimelineEntryForm({ cutoverId, run }: { cutoverId: string; run: RunCommand }) {
  const { pending, error, onSubmit } = useCommandForm(
    ({ text }, { exec }) => {
      const ownerRole = chosenRole(text("ownerRole"), "Choose the role that owns the step");
      const timing = { plannedStart: text("plannedStart"), plannedFinish: text("plannedFinish") || null };
      return exec(() => run("timeline.add", { cutoverId, title: text("title"), ...timing, ownerRole, details: text("details") || null }));
    },
    { reset: true },
  );

  return (
    <CommandForm label="Add a timeline step" heading="Add a step" onSubmit={onSubmit} error={error} errorTestId="timeline-add-error">
      <TextField label="Step title" name="title" required maxLength={TEXT.stepTitle} className="w-56" />
      <TextField label="Planned start" name="plannedStart" required maxLength={TEXT.short} placeholder="06:30 AM or T+0:30" className="w-36" />
      <TextField label="Planned finish (optional)" name="plannedFinish" maxLength={TEXT.short} placeholder="07:00 AM or T+1h" className="w-36" />
      <RoleField label="Owner role" name="ownerRole" />
      <TextField label="Details (optional)" name="details" maxLength={TEXT.description} className="w-56" />
      <SubmitButton pending={pending} busyLabel="Adding…">
        Add step
      </SubmitButton>
    </CommandForm>
  );
}
