"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { RunbookPreview, type RunbookPreviewData } from "@/components/runbook-preview";
import { roomAction } from "@/lib/actions/room";
import { ErrorNote } from "@/components/ui/error-note";
import { useFormSubmit } from "@/components/ui/use-form-submit";
import { TEXT } from "@/lib/domain/limits";
import { StartFrom, type StartKind, type TemplateOption } from "@/components/new-cutover/start-from";

const field = "w-full rounded border border-neutral-300 bg-transparent px-3 py-1.5 dark:border-neutral-700";

export function NewCutoverForm({ earlier, templates }: { earlier: { id: string; name: string }[]; templates: TemplateOption[] }) {
  const router = useRouter();
  const [start, setStart] = useState<StartKind>("nothing");
  const zones = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : ["UTC"];
  const [runbook, setRunbook] = useState("");
  const [preview, setPreview] = useState<RunbookPreviewData | null>(null);
  const [previewError, setPreviewError] = useState<string | null>(null);
  const [exclude, setExclude] = useState<string[]>([]);
  const [previewing, setPreviewing] = useState(false);

  async function showPreview() {
    setPreviewing(true);
    setPreviewError(null);
    const r = await roomAction("cutover.preview", { runbook, exclude: [] });
    setPreviewing(false);
    if (!r.ok) {
      setPreview(null);
      setPreviewError(r.message);
      return;
    }
    setPreview(r.data as RunbookPreviewData);
    setExclude([]);
  }

  const { pending: busy, error, onSubmit } = useFormSubmit(async (f) => {
    const from = start === "clone" ? String(f.get("cloneFrom") ?? "") : "";
    // datetime-local has no zone: it is read in the browser's zone and sent as an instant.
    const local = String(f.get("tZero") ?? "");
    const tZero = local ? new Date(local).toISOString() : "";
    const r = from
      ? await roomAction("cutover.clone", { cutoverId: from, name: String(f.get("name") ?? ""), tZero: tZero as unknown as Date })
      : await roomAction("cutover.create", {
          name: String(f.get("name") ?? ""),
          systemFrom: String(f.get("systemFrom") ?? ""),
          systemTo: String(f.get("systemTo") ?? ""),
          tZero: tZero as unknown as Date,
          timeZone: String(f.get("timeZone") ?? "UTC"),
          mode: f.get("rehearsal") === "on" ? "rehearsal" : "live",
          runbook: start === "runbook" ? runbook || null : null,
          exclude: start === "runbook" ? exclude : [],
          template: start === "template" ? String(f.get("template") ?? "") || null : null,
        });
    if (!r.ok) return r.message;
    // Who just created a cutover goes on planning it: its plan, not the Now view.
    router.push(`/cutovers/${(r.data as { cutoverId: string }).cutoverId}?tab=plan`);
  });

  return (
    <form onSubmit={onSubmit} className="space-y-3 rounded border border-neutral-200 bg-white p-4 dark:border-neutral-800 dark:bg-neutral-900">
      <label className="block text-sm">
        Name
        <input name="name" required maxLength={TEXT.name} className={field} />
      </label>
      <div className="grid grid-cols-2 gap-3">
        <label className="block text-sm">
          Old system
          <input name="systemFrom" maxLength={TEXT.short} className={field} placeholder="python-api" />
        </label>
        <label className="block text-sm">
          New system
          <input name="systemTo" maxLength={TEXT.short} className={field} placeholder="go-api" />
        </label>
      </div>
      <div className="grid grid-cols-2 gap-3">
        <label className="block text-sm">
          T-0 (planned start of the switch)
          <input name="tZero" type="datetime-local" required className={field} />
        </label>
        <label className="block text-sm">
          Time zone
          <select name="timeZone" defaultValue="UTC" className={field}>
            {zones.map((z) => (
              <option key={z}>{z}</option>
            ))}
          </select>
        </label>
      </div>
      <label className="block text-sm">
        <input type="checkbox" name="rehearsal" /> Rehearsal (against a staging router; everything says REHEARSAL)
      </label>
      <StartFrom value={start} onChange={setStart} templates={templates} />
      {start === "runbook" && (
      <label className="block text-sm">
        Start from a runbook (markdown, optional): its checklists, schedule and risks become the plan
        <textarea
          name="runbook"
          rows={6}
          value={runbook}
          onChange={(e) => {
            setRunbook(e.target.value);
            // A changed runbook needs a new preview: the old choices may point at other phases.
            setPreview(null);
            setExclude([]);
          }}
          className={`${field} font-mono text-xs`}
          placeholder="## Pre-Deployment (72 hours before cutover)&#10;### Environment Preparation&#10;- [ ] PostgreSQL production instance provisioned"
        />
      </label>
      )}
      {start === "runbook" && (
      <>
      <div className="flex items-center gap-2 text-sm">
        <label className="rounded border border-neutral-300 px-2 py-1 dark:border-neutral-700">
          Upload a .md file{" "}
          <input
            type="file"
            accept=".md,.markdown,.txt,text/markdown,text/plain"
            className="sr-only"
            data-testid="runbook-file"
            onChange={async (e) => {
              const file = e.target.files?.[0];
              if (!file) return;
              setRunbook(await file.text());
              setPreview(null);
              setExclude([]);
            }}
          />
        </label>
        <button type="button" disabled={!runbook.trim() || previewing} onClick={showPreview} className="rounded border border-blue-700 px-3 py-1 text-blue-700 disabled:opacity-60 dark:text-blue-300" data-testid="preview-runbook">
          Preview the import
        </button>
      </div>
      <ErrorNote message={previewError} testId="preview-error" />
      {preview && <RunbookPreview data={preview} exclude={exclude} onToggle={(key, off) => setExclude((list) => (off ? [...list.filter((k) => k !== key), key] : list.filter((k) => k !== key)))} />}
      </>
      )}
      {start === "clone" && (
      <label className="block text-sm">
        …or clone an earlier cutover (keeps its plan, team, contacts, risks, metrics, gates, triggers and hooks; items start open, triggers inactive)
        <select name="cloneFrom" defaultValue="" required className={field}>
          <option value="">Choose a cutover</option>
          {earlier.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </label>
      )}
      <ErrorNote message={error} testId="new-cutover-error" />
      <button disabled={busy} className="rounded bg-blue-700 px-3 py-1.5 font-medium text-white disabled:opacity-60">
        Create cutover
      </button>
    </form>
  );
}
