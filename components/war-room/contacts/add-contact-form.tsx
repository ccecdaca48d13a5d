"use client";
import { TextField } from "@/components/ui/field";
import { chosenRole, useCommandForm } from "../shared/format";
import { CommandForm, SubmitButton, RoleField } from "../shared/parts";
import type { RunCommand } from "../shared/types";
import { TEXT } from "@/lib/domain/limits";

export function AddContactForm({ cutoverId, run }: { cutoverId: string; run: RunCommand }) {
  const { pending, error, onSubmit } = useCommandForm(
    ({ text }, { exec, setError }) => {
      const role = chosenRole(text("role"), "Choose the contact's role");
      const order = Number(text("escalationOrder") || "0");
      if (!Number.isInteger(order) || order < 0 || order > 100) return setError("Escalation order is a whole number from 0 to 100");
      const optional = (name: string) => text(name) || null;
      return exec(() =>
        run("contact.add", { cutoverId, name: text("name"), role, phone: optional("phone"), chatHandle: optional("chatHandle"), email: optional("email"), escalationOrder: order }),
      );
    },
    { reset: true },
  );

  return (
    <CommandForm label="Add a contact" heading="Add a contact" onSubmit={onSubmit} error={error} errorTestId="contact-add-error">
      <TextField label="Name" name="name" required maxLength={TEXT.name} className="w-44" />
      <RoleField label="Role" name="role" />
      <TextField label="Phone" name="phone" type="tel" maxLength={TEXT.phone} className="w-36" />
      <TextField label="Chat handle" name="chatHandle" maxLength={TEXT.short} className="w-32" />
      <TextField label="Email" name="email" type="email" maxLength={TEXT.email} className="w-48" />
      <TextField label="Escalation order" name="escalationOrder" type="number" min={0} max={100} step={1} defaultValue={0} className="w-20 tabular" />
      <SubmitButton pending={pending} busyLabel="Adding…">
        Add contact
      </SubmitButton>
    </CommandForm>
  );
}
