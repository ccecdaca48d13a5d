"use client";
import { useState } from "react";
import { ROLES, ROLE_LABELS, type Role } from "@/lib/domain/roles";
import { ErrorNote } from "@/components/ui/error-note";
import { useFormSubmit } from "@/components/ui/use-form-submit";
import type { RunCommand } from "../shared/types";
import { input, smallButton } from "./styles";
import { SubmitOrCancel } from "./form-buttons";
import { TEXT } from "@/lib/domain/limits";

export function AddItemForm({ cutoverId, sectionId, run, frozen }: { cutoverId: string; sectionId: string; run: RunCommand; frozen: boolean }) {
  const [open, setOpen] = useState(false);
  const { error, onSubmit } = useFormSubmit(async (f) => {
    const r = await run("item.add", {
      cutoverId,
      sectionId,
      title: String(f.get("title") ?? ""),
      ownerRole: String(f.get("ownerRole")) as Role,
      plannedTime: String(f.get("plannedTime") ?? "") || null,
      critical: f.get("critical") === "on",
      reason: String(f.get("reason") ?? "") || null,
    });
    if (!r.ok) return r.message;
    setOpen(false);
  });
  if (!open)
    return (
      <button className={`${smallButton} mt-1`} onClick={() => setOpen(true)}>
        + Add item
      </button>
    );
  return (
    <form className="mt-1 flex flex-wrap items-center gap-2" onSubmit={onSubmit}>
      <input name="title" aria-label="Item title" placeholder="Item title" required maxLength={TEXT.title} className={`${input} flex-1`} />
      <select name="ownerRole" aria-label="Owner role" className={input} defaultValue="DEPLOYMENT_LEAD">
        {ROLES.filter((r) => r !== "OBSERVER").map((r) => (
          <option key={r} value={r}>
            {ROLE_LABELS[r]}
          </option>
        ))}
      </select>
      <input name="plannedTime" aria-label="Planned time" placeholder="T-4h, T+0:30, 06:30 AM" className={`${input} w-40`} />
      <label className="text-xs">
        <input type="checkbox" name="critical" /> critical
      </label>
      {frozen && <input name="reason" aria-label="Reason for adding" placeholder="Reason (plan is frozen)" required className={`${input} w-56`} />}
      <SubmitOrCancel label="Add" onCancel={() => setOpen(false)} />
      <ErrorNote message={error} testId="add-item-error" />
    </form>
  );
}

export function AddNamed({ label, onAdd, frozen }: { label: string; onAdd: (name: string, reason: string | null) => Promise<{ ok: boolean; message?: string }>; frozen: boolean }) {
  const { error, onSubmit } = useFormSubmit(async (f, form) => {
    const r = await onAdd(String(f.get("name") ?? ""), String(f.get("reason") ?? "") || null);
    if (!r.ok) return r.message ?? "Failed";
    form.reset();
  });
  return (
    <form className="flex flex-wrap items-center gap-2" onSubmit={onSubmit}>
      <input name="name" aria-label={label} placeholder={label} required maxLength={TEXT.name} className={input} />
      {frozen && <input name="reason" aria-label={`Reason for adding ${label.toLowerCase()}`} placeholder="Reason (plan is frozen)" required className={input} />}
      <button type="submit" className={smallButton}>
        Add
      </button>
      <ErrorNote message={error} />
    </form>
  );
}
