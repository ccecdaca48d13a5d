"use client";
import { TextField } from "@/components/ui/field";
import { chosenRole, useCommandForm } from "../shared/format";
import { CommandForm, RoleField, SubmitButton } from "../shared/parts";
import type { RunCommand } from "../shared/types";
import { TEXT } from "@/lib/domain/limits";

export function AddMemberForm({ cutoverId, run }: { cutoverId: string; run: RunCommand }) {
  const { pending, error, onSubmit } = useCommandForm(
    ({ text }, { exec }) => {
      const role = chosenRole(text("role"), "Choose the role");
      return exec(() => run("member.add", { cutoverId, email: text("email"), role }));
    },
    { reset: true },
  );
  return (
    <CommandForm label="Add a member" onSubmit={onSubmit} error={error} errorTestId="add-member-error">
      <TextField label="Email of an existing user" name="email" type="email" required maxLength={TEXT.email} className="w-64" />
      <RoleField label="Role" name="role" />
      <SubmitButton pending={pending} busyLabel="Adding…">
        Add member
      </SubmitButton>
    </CommandForm>
  );
}
