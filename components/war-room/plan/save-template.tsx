"use client";
import { useState } from "react";
import { ErrorNote } from "@/components/ui/error-note";
import { useFormSubmit } from "@/components/ui/use-form-submit";
import { TEXT } from "@/lib/domain/limits";
import type { RunCommand } from "../shared/types";
import { input, smallButton } from "./styles";
import { SubmitOrCancel } from "./form-buttons";

/** "Save as template": the plan (not its sign-offs or votes) becomes a team template. */
export function SaveTemplate({ cutoverId, cutoverName, run }: { cutoverId: string; cutoverName: string; run: RunCommand }) {
  const [open, setOpen] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const { pending, error, onSubmit } = useFormSubmit(async (f) => {
    const name = String(f.get("name") ?? "");
    const r = await run("template.save", { cutoverId, name, description: String(f.get("description") ?? "") });
    if (!r.ok) return r.message;
    setSaved(name);
    setOpen(false);
  });
  if (!open)
    return (
      <span className="flex items-center gap-2">
        <button className={smallButton} onClick={() => { setSaved(null); setOpen(true); }}>
          Save as template
        </button>
        {saved && (
          <span role="status" data-testid="template-saved" className="text-xs text-green-800 dark:text-green-300">
            Saved as the team template “{saved}”
          </span>
        )}
      </span>
    );
  return (
    <form className="flex flex-wrap items-center gap-2" onSubmit={onSubmit} aria-label="Save as template">
      <input name="name" aria-label="Template name" required maxLength={TEXT.name} defaultValue={cutoverName} className={`${input} w-56`} />
      <input name="description" aria-label="Template description" placeholder="What it is for (optional)" maxLength={TEXT.note} className={`${input} w-72`} />
      <SubmitOrCancel label="Save" busy={pending} onCancel={() => setOpen(false)} />
      <ErrorNote message={error} testId="save-template-error" />
    </form>
  );
}
