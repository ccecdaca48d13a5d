"use client";
import { useState } from "react";
import type { CutoverStateJson } from "@/lib/services/cutover-read";
import { canSignOffItem } from "@/lib/domain/permissions";
import { progress } from "@/lib/domain/item-state";
import { ROLE_LABELS, type Role } from "@/lib/domain/roles";
import { ErrorNote } from "@/components/ui/error-note";
import { ProgressBar } from "@/components/ui/progress-bar";
import type { PanelProps, RunCommand } from "../shared/types";
import { input, smallButton } from "./styles";
import { AddItemForm, AddNamed } from "./add-item-form";
import { ExportLinks } from "../shared/parts";
import { SaveTemplate } from "./save-template";
import { SubmitOrCancel } from "./form-buttons";
import { TEXT } from "@/lib/domain/limits";

type Phase = CutoverStateJson["phases"][number];
type Item = Phase["sections"][number]["items"][number];

const STATE_LABEL = { open: "Open", done: "Done", not_applicable: "N/A" } as const;
const STATE_STYLE = {
  open: "border-neutral-300 text-neutral-600 dark:border-neutral-600 dark:text-neutral-300",
  done: "border-green-700 bg-green-50 text-green-800 dark:bg-green-950 dark:text-green-200",
  not_applicable: "border-neutral-400 bg-neutral-100 text-neutral-600 dark:bg-neutral-800 dark:text-neutral-300",
} as const;

type Pending = { kind: "sign_off" | "undo" | "not_applicable"; override: boolean } | null;

export function ItemRow({ item, cutover, run, myRoles, frozen, canEdit, context }: { item: Item; cutover: CutoverStateJson; run: RunCommand; myRoles: Role[]; frozen: boolean; canEdit: boolean; /** Where the item sits, when shown outside its phase (the Now view). */ context?: string }) {
  const [pending, setPending] = useState<Pending>(null);
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const kindAction = { sign_off: "item.sign_off", undo: "item.undo", not_applicable: "item.not_applicable" } as const;
  const perm = (kind: keyof typeof kindAction) => canSignOffItem(myRoles, item.ownerRole, kindAction[kind]);
  const last = item.signOffs[0];

  async function submit(kind: "sign_off" | "undo" | "not_applicable", value: string) {
    setBusy(true);
    const base = { cutoverId: cutover.id, itemId: item.id, expectedVersion: item.version };
    const r =
      kind === "sign_off"
        ? await run("item.sign_off", { ...base, note: value || null })
        : await run(kindAction[kind], { ...base, reason: value });
    setBusy(false);
    if (r.ok) {
      setPending(null);
      setText("");
      setError(null);
    } else setError(r.message);
  }

  function begin(kind: "sign_off" | "undo" | "not_applicable") {
    const p = perm(kind);
    setError(null);
    // A plain sign-off of one's own item is one click; anything needing words opens a field.
    if (kind === "sign_off" && !p.override) return void submit("sign_off", "");
    setPending({ kind, override: p.override });
  }

  const needs = pending?.kind === "sign_off" ? "Override note (required)" : pending ? "Reason (required)" : "";
  return (
    <li data-testid="checklist-item" data-item-id={item.id} data-state={item.state} className="py-1.5 text-sm">
      <div className="flex flex-wrap items-center justify-between gap-x-3 gap-y-1">
        <span className="min-w-0 break-words">
          {item.critical && (
            <span className="mr-1 rounded bg-red-100 px-1 text-xs font-semibold text-red-800" title="Critical item">
              CRIT
            </span>
          )}
          <span data-testid="item-title">{item.title}</span>
          {context && <span className="ml-2 text-xs text-muted">{context}</span>}
          {item.plannedTime && <span className="ml-2 text-xs text-muted tabular">{item.plannedTime}</span>}
          {item.addedReason && <span className="ml-2 text-xs text-amber-700 dark:text-amber-300" title={item.addedReason}>added after start</span>}
          {last && item.state !== "open" && (
            <span className="ml-2 text-xs text-muted" data-testid="item-signed-by">
              {item.state === "done" ? "✓" : "N/A"} {last.user.name}
              {last.override ? " (override)" : ""} · {new Date(last.createdAt).toLocaleTimeString()}
              {last.note ? ` · “${last.note}”` : ""}
            </span>
          )}
        </span>
        <span className="flex max-w-full flex-wrap items-center gap-2">
          <span className="text-xs text-muted" data-testid="item-owner">
            {ROLE_LABELS[item.ownerRole]}
          </span>
          <span className={`rounded border px-1.5 text-xs ${STATE_STYLE[item.state]}`} data-testid="item-state">
            {STATE_LABEL[item.state]}
          </span>
          {item.state === "open" && perm("sign_off").allowed && (
            <button disabled={busy} onClick={() => begin("sign_off")} className={smallButton} aria-label={`${perm("sign_off").override ? "Override sign-off" : "Sign off"} ${item.title}`}>
              {perm("sign_off").override ? "Override sign-off" : "Sign off"}
            </button>
          )}
          {item.state === "open" && perm("not_applicable").allowed && (
            <button disabled={busy} onClick={() => begin("not_applicable")} className={smallButton} aria-label={`N/A: mark ${item.title} not applicable`}>
              N/A
            </button>
          )}
          {item.state !== "open" && perm("undo").allowed && (
            <button disabled={busy} onClick={() => begin("undo")} className={smallButton} aria-label={`Undo ${item.title}`}>
              Undo
            </button>
          )}
          {canEdit && !frozen && <EditControls item={item} cutoverId={cutover.id} run={run} onError={setError} />}
        </span>
      </div>
      {pending && (
        <form
          className="mt-1 flex items-center gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            void submit(pending.kind, text);
          }}
        >
          <label className="sr-only" htmlFor={`why-${item.id}`}>
            {needs}
          </label>
          <input id={`why-${item.id}`} autoFocus required value={text} onChange={(e) => setText(e.target.value)} placeholder={needs} className={`${input} min-w-0 flex-1`} maxLength={TEXT.note} />
          <SubmitOrCancel label="Confirm" busy={busy} onCancel={() => setPending(null)} />
        </form>
      )}
      <ErrorNote message={error} testId="item-error" />
    </li>
  );
}

function EditControls({ item, cutoverId, run, onError }: { item: Item; cutoverId: string; run: RunCommand; onError: (m: string | null) => void }) {
  const act = async (p: Promise<{ ok: boolean; message?: string }>) => {
    const r = await p;
    onError(r.ok ? null : (r.message ?? "Failed"));
  };
  return (
    <span className="flex gap-1">
      <button className={smallButton} aria-label={`Move ${item.title} up`} onClick={() => void act(run("item.move", { cutoverId, id: item.id, direction: "up" }))}>
        ↑
      </button>
      <button className={smallButton} aria-label={`Move ${item.title} down`} onClick={() => void act(run("item.move", { cutoverId, id: item.id, direction: "down" }))}>
        ↓
      </button>
      <button className={smallButton} aria-label={`Remove ${item.title}`} onClick={() => void act(run("item.remove", { cutoverId, id: item.id }))}>
        Remove
      </button>
    </span>
  );
}

export function PlanView({ cutover, run, can }: PanelProps) {
  const [filter, setFilter] = useState("");
  const [mine, setMine] = useState(false);
  const frozen = cutover.state !== "draft" && cutover.state !== "scheduled";
  const canEdit = can("cutover.edit_plan");
  const q = filter.trim().toLowerCase();
  const visible = (i: Item) =>
    (!q || i.title.toLowerCase().includes(q)) && (!mine || (i.state === "open" && cutover.myRoles.includes(i.ownerRole)));

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-3 text-sm">
        <input aria-label="Filter items" placeholder="Filter items" value={filter} onChange={(e) => setFilter(e.target.value)} className={`${input} w-full sm:w-64`} />
        {cutover.myRoles.some((r) => r !== "OBSERVER") && (
          <label>
            <input type="checkbox" checked={mine} onChange={(e) => setMine(e.target.checked)} /> Only my open items
          </label>
        )}
        {canEdit && (
          <AddNamed label="New phase" frozen={frozen} onAdd={(name, reason) => run("phase.add", { cutoverId: cutover.id, name, reason })} />
        )}
        {/* Anyone who sees the room may take the plan away: as a runbook to import elsewhere, or as JSON. */}
        <span className="ml-auto">
          <ExportLinks cutoverId={cutover.id} what="plan" label="plan" />
        </span>
        {can("template.save") && cutover.phases.length > 0 && <SaveTemplate cutoverId={cutover.id} cutoverName={cutover.name} run={run} />}
      </div>
      {cutover.phases.length === 0 && <p className="text-muted">This plan is empty: import a runbook or start from a template.</p>}
      {cutover.phases.map((phase) => {
        const all = phase.sections.flatMap((s) => s.items);
        const p = progress(all);
        return (
          <section key={phase.id} aria-labelledby={`phase-${phase.id}`} data-testid="phase" className="rounded border border-neutral-200 bg-white dark:border-neutral-800 dark:bg-neutral-900">
            <div className="flex flex-wrap items-center justify-between gap-2 border-b border-neutral-200 px-3 py-2 dark:border-neutral-800">
              <h2 id={`phase-${phase.id}`} className="font-semibold">
                {phase.name}
                {phase.plannedAt && <span className="ml-2 text-sm font-normal text-muted tabular">{phase.plannedAt}</span>}
              </h2>
              <ProgressBar {...p} label={`Progress of ${phase.name}`} />
            </div>
            {phase.sections.map((section) => {
              const items = section.items.filter(visible);
              const sp = progress(section.items);
              if (items.length === 0 && (q || mine)) return null;
              return (
                <div key={section.id} className="px-3 py-2" data-testid="section">
                  <div className="mb-1 flex items-center justify-between">
                    <h3 className="text-sm font-medium text-neutral-600 dark:text-neutral-300">{section.name}</h3>
                    <ProgressBar {...sp} label={`Progress of ${section.name}`} />
                  </div>
                  {section.notes.length > 0 && (
                    <details className="mb-1 text-xs text-muted" data-testid="section-notes">
                      <summary className="cursor-pointer">Notes from the runbook ({section.notes.length})</summary>
                      <ul className="ml-4 list-disc whitespace-pre-wrap">
                        {section.notes.map((n, i) => (
                          <li key={i}>{n}</li>
                        ))}
                      </ul>
                    </details>
                  )}
                  <ul className="divide-y divide-neutral-100 dark:divide-neutral-800">
                    {items.map((item) => (
                      <ItemRow key={item.id} item={item} cutover={cutover} run={run} myRoles={cutover.myRoles} frozen={frozen} canEdit={canEdit} />
                    ))}
                  </ul>
                  {canEdit && <AddItemForm cutoverId={cutover.id} sectionId={section.id} run={run} frozen={frozen} />}
                </div>
              );
            })}
            {canEdit && (
              <div className="px-3 pb-2">
                <AddNamed label="New section" frozen={frozen} onAdd={(name, reason) => run("section.add", { cutoverId: cutover.id, phaseId: phase.id, name, reason })} />
              </div>
            )}
          </section>
        );
      })}
    </div>
  );
}
