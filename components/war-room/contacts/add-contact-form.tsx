"use client";
import { ErrorNote } from "@/components/ui/error-note";
import { Field } from "@/components/ui/field";
import { INPUT_CLASS, isRole, submitForm, useCommand } from "../shared/format";
import { SubmitButton, RoleSelect } from "../shared/parts";
import type { RunCommand } from "../shared/types";
import { TEXT } from "@/lib/domain/limits";

export function AddContactForm({ cutoverId, run }: { cutoverId: string; run: RunCommand }) {
  const { pending, error, exec, setError } = useCommand();

  const onSubmit = submitForm(
    ({ text }) => {
      const role = text("role");
      if (!isRole(role)) return setError("Choose the contact's role");
      const order = Number(text("escalationOrder") || "0");
      if (!Number.isInteger(order) || order < 0 || order > 100) return setError("Escalation order is a whole number from 0 to 100");
      return exec(() =>
        run("contact.add", {
          cutoverId,
          name: text("name"),
          role,
          phone: text("phone") || null,
          chatHandle: text("chatHandle") || null,
          email: text("email") || null,
          escalationOrder: order,
        }),
      );
    },
    { reset: true },
  );

  return (
    <form onSubmit={onSubmit} aria-label="Add a contact" className="border-t border-neutral-200 px-3 py-2 text-sm dark:border-neutral-800">
      <h3 className="mb-1 text-sm font-medium text-neutral-600 dark:text-neutral-300">Add a contact</h3>
      <div className="flex flex-wrap items-end gap-2">
        <Field label="Name">
          <input name="name" required maxLength={TEXT.name} className={`${INPUT_CLASS} w-44`} />
        </Field>
        <Field label="Role">
          <RoleSelect name="role" />
        </Field>
        <Field label="Phone">
          <input name="phone" type="tel" maxLength={TEXT.phone} className={`${INPUT_CLASS} w-36`} />
        </Field>
        <Field label="Chat handle">
          <input name="chatHandle" maxLength={TEXT.short} className={`${INPUT_CLASS} w-32`} />
        </Field>
        <Field label="Email">
          <input name="email" type="email" maxLength={TEXT.email} className={`${INPUT_CLASS} w-48`} />
        </Field>
        <Field label="Escalation order">
          <input name="escalationOrder" type="number" min={0} max={100} step={1} defaultValue={0} className={`${INPUT_CLASS} w-20 tabular`} />
        </Field>
        <SubmitButton pending={pending} busyLabel="Adding…">
          Add contact
        </SubmitButton>
      </div>
      <ErrorNote message={error} testId="contact-add-error" />
    </form>
  );
}
