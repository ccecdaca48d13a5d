"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { roomAction } from "@/lib/actions/room";
import { ErrorNote } from "@/components/ui/error-note";

/** Where a new cutover's plan comes from. */
export type StartKind = "nothing" | "template" | "runbook" | "clone";

/** A template as the new-cutover page lists it (lib/services/templates.ts listTemplates). */
export interface TemplateOption {
  key: string;
  name: string;
  description: string;
  builtin: boolean;
  savedBy: string | null;
  removable: boolean;
}

const CHOICES: { kind: StartKind; label: string }[] = [
  { kind: "nothing", label: "An empty plan" },
  { kind: "template", label: "A template" },
  { kind: "runbook", label: "A runbook (markdown)" },
  { kind: "clone", label: "A clone of an earlier cutover" },
];

/**
 * The four ways to start, and the template picker. The runbook and clone fields stay in the form
 * (the form shows the one chosen); the chosen template is the form's `template` field.
 */
export function StartFrom({ value, onChange, templates }: { value: StartKind; onChange: (kind: StartKind) => void; templates: TemplateOption[] }) {
  return (
    <fieldset className="space-y-2 text-sm">
      <legend className="mb-1">Start from</legend>
      <div className="flex flex-wrap gap-x-4 gap-y-1">
        {CHOICES.map((c) => (
          <label key={c.kind}>
            <input type="radio" name="startFrom" value={c.kind} checked={value === c.kind} onChange={() => onChange(c.kind)} /> {c.label}
          </label>
        ))}
      </div>
      {value === "template" && <TemplatePicker templates={templates} />}
    </fieldset>
  );
}

function TemplatePicker({ templates }: { templates: TemplateOption[] }) {
  const builtin = templates.filter((t) => t.builtin);
  const team = templates.filter((t) => !t.builtin);
  return (
    <div className="space-y-2" data-testid="template-picker">
      <TemplateGroup title="Built-in" templates={builtin} first />
      <TemplateGroup title="Saved by the team" templates={team} empty="None yet: open a cutover's plan and choose “Save as template”." />
    </div>
  );
}

function TemplateGroup({ title, templates, first, empty }: { title: string; templates: TemplateOption[]; first?: boolean; empty?: string }) {
  return (
    <div>
      <p className="text-xs font-medium uppercase text-muted">{title}</p>
      {templates.length === 0 && empty && <p className="text-xs text-muted">{empty}</p>}
      <ul className="space-y-1">
        {templates.map((t, i) => (
          <li key={t.key} className="flex items-start justify-between gap-2 rounded border border-neutral-200 px-2 py-1 dark:border-neutral-800">
            <label className="flex-1">
              <input type="radio" name="template" value={t.key} required defaultChecked={first && i === 0} /> <span className="font-medium">{t.name}</span>
              {t.description && <span className="block text-xs text-neutral-600 dark:text-neutral-400">{t.description}</span>}
              {t.savedBy && <span className="block text-xs text-muted">saved by {t.savedBy}</span>}
            </label>
            {t.removable && <RemoveTemplate template={t} />}
          </li>
        ))}
      </ul>
    </div>
  );
}

function RemoveTemplate({ template }: { template: TemplateOption }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function remove() {
    if (!window.confirm(`Remove the team template “${template.name}”? Cutovers made from it keep their plan.`)) return;
    setBusy(true);
    const r = await roomAction("template.remove", { templateId: template.key });
    setBusy(false);
    if (!r.ok) return setError(r.message);
    router.refresh();
  }
  return (
    <span className="text-right">
      <button type="button" disabled={busy} onClick={remove} className="rounded border border-neutral-300 px-2 py-0.5 text-xs dark:border-neutral-700" aria-label={`Remove template ${template.name}`}>
        Remove
      </button>
      <ErrorNote message={error} testId="remove-template-error" />
    </span>
  );
}
