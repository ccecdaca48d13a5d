"use client";
import { useState } from "react";
import { ErrorNote } from "@/components/ui/error-note";
import { Field } from "@/components/ui/field";
import type { IntegrationChoice as Choice } from "@/lib/client/traffic-words";
import { IntegrationOptions } from "./integration-options";
import { INPUT_CLASS, submitForm, useCommand } from "../shared/format";
import { SubmitButton } from "../shared/parts";
import type { RunCommand } from "../shared/types";

/** Picks the cutover's router from the administrators' catalog, by name. */
export function RouterPicker({ cutoverId, current, choices, run }: { cutoverId: string; current: string | null; choices: Choice[]; run: RunCommand }) {
  const { pending, error, exec } = useCommand();
  const [saved, setSaved] = useState(false);
  const onSubmit = submitForm(async ({ text }) => {
    setSaved(false);
    const integration = text("integration") || null;
    if (await exec(() => run("router.set", { cutoverId, integration }))) setSaved(true);
  });
  return (
    <form onSubmit={onSubmit} aria-label="Pick the router" className="mt-2 flex flex-wrap items-end gap-2" data-testid="router-form">
      <Field label="Router (defined by an administrator)">
        <select name="integration" defaultValue={current ?? ""} className={`${INPUT_CLASS} w-72`}>
          <option value="">none</option>
          <IntegrationOptions choices={choices} />
        </select>
      </Field>
      <SubmitButton pending={pending} busyLabel="Saving…">
        Use this router
      </SubmitButton>
      {saved && <span className="text-sm text-green-800 dark:text-green-300">Saved. Use “Test connection” to read the split back.</span>}
      {choices.length === 0 && <p className="basis-full text-xs text-muted">No router is defined yet: an administrator adds one under Administration → Integrations.</p>}
      <ErrorNote message={error} testId="router-save-error" />
    </form>
  );
}
