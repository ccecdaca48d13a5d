"use client";
import { ErrorNote } from "@/components/ui/error-note";
import { Field } from "@/components/ui/field";
import { INPUT_CLASS, isRole, submitForm, useCommand } from "../shared/format";
import { RoleSelect, SubmitButton } from "../shared/parts";
import type { RunCommand } from "../shared/types";
import { TEXT } from "@/lib/domain/limits";

export function AddMemberForm({ cutoverId, run }: { cutoverId: string; run: RunCommand }) {
  const { pending, error, exec, setError } = useCommand();
  const onSubmit = submitForm(
    ({ text }) => {
      const role = text("role");
      if (!isRole(role)) return setError("Choose the role");
      return exec(() => run("member.add", { cutoverId, email: text("email"), role }));
    },
    { reset: true },
  );
  return (
    <form onSubmit={onSubmit} aria-label="Add a member" className="border-t border-neutral-200 px-3 py-2 text-sm dark:border-neutral-800">
      <div className="flex flex-wrap items-end gap-2">
        <Field label="Email of an existing user">
          <input name="email" type="email" required maxLength={TEXT.email} className={`${INPUT_CLASS} w-64`} />
        </Field>
        <Field label="Role">
          <RoleSelect name="role" />
        </Field>
        <SubmitButton pending={pending} busyLabel="Adding…">
          Add member
        </SubmitButton>
      </div>
      <ErrorNote message={error} testId="add-member-error" />
    </form>
  );
}
