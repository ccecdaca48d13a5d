"use client";
import { ErrorNote } from "@/components/ui/error-note";
import { Field, TextField } from "@/components/ui/field";
import type { IntegrationChoice as Choice } from "@/lib/client/traffic-words";
import { IntegrationOptions } from "./integration-options";
import { INPUT_CLASS, submitForm, useCommand } from "../shared/format";
import { SubmitButton } from "../shared/parts";
import type { RunCommand } from "../shared/types";
import { TEXT } from "@/lib/domain/limits";

export function AddHookForm({ cutoverId, choices, run }: { cutoverId: string; choices: Choice[]; run: RunCommand }) {
  const { pending, error, exec, setError } = useCommand();
  const onSubmit = submitForm(
    ({ text }) => {
      const name = text("name");
      const integration = text("integration");
      if (!name) return setError("Give the hook a name");
      if (!integration) return setError("Pick a hook");
      return exec(() => run("hook.add", { cutoverId, name, integration }));
    },
    { reset: true },
  );
  return (
    <form onSubmit={onSubmit} aria-label="Add a rollback hook" className="mt-2 flex flex-wrap items-end gap-2" autoComplete="off">
      <TextField label="Step name" name="name" required maxLength={TEXT.name} className="w-44" />
      <Field label="Hook (defined by an administrator)">
        <select name="integration" required defaultValue="" className={`${INPUT_CLASS} w-72`}>
          <option value="" disabled>
            choose…
          </option>
          <IntegrationOptions choices={choices} />
        </select>
      </Field>
      <SubmitButton pending={pending} busyLabel="Adding…">
        Add hook
      </SubmitButton>
      {choices.length === 0 && <p className="basis-full text-xs text-muted">No hook is defined yet: an administrator adds one under Administration → Integrations.</p>}
      <ErrorNote message={error} testId="hook-add-error" />
    </form>
  );
}
