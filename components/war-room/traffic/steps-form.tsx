"use client";
import { useState } from "react";
import { ErrorNote } from "@/components/ui/error-note";
import { Field } from "@/components/ui/field";
import { parseSteps } from "@/lib/domain/traffic-steps";
import { INPUT_CLASS, useCommand } from "../shared/format";
import { SubmitButton } from "../shared/parts";
import type { RunCommand } from "../shared/types";

export function StepsForm({ cutoverId, initial, run }: { cutoverId: string; initial: number[]; run: RunCommand }) {
  const [text, setText] = useState(initial.join(", "));
  const { pending, error, exec } = useCommand();
  const parsed = parseSteps(text);
  const unchanged = parsed.ok && parsed.steps.join(",") === initial.join(",");
  return (
    <form
      className="mt-2 flex flex-wrap items-start gap-2"
      aria-label="Edit traffic steps"
      onSubmit={(e) => {
        e.preventDefault();
        if (parsed.ok) void exec(() => run("traffic.steps", { cutoverId, steps: parsed.steps }));
      }}
    >
      <Field label="Traffic steps (comma-separated)">
        <input
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder="10, 25, 50, 100"
          aria-invalid={!parsed.ok}
          aria-describedby="steps-check"
          className={`${INPUT_CLASS} w-64 tabular ${parsed.ok ? "" : "border-red-600"}`}
        />
        <span id="steps-check" className={`mt-0.5 text-xs ${parsed.ok ? "text-muted" : "text-red-700 dark:text-red-400"}`} data-testid="steps-check">
          {parsed.ok ? `${parsed.steps.length} steps, ending at 100 %` : parsed.error}
        </span>
      </Field>
      <SubmitButton pending={pending} busyLabel="Saving…" disabled={!parsed.ok || unchanged} className="mt-4">
        Save steps
      </SubmitButton>
      <ErrorNote message={error} testId="steps-error" />
    </form>
  );
}
