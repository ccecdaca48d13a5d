"use client";
// Who to call, in which order: contacts grouped by escalation order, the escalation ladder and
// the war-room links, every value one click from the clipboard.
import { isHttpUrl } from "@/lib/domain/request-input";
import { DataTable, ACTIONS_COLUMN } from "@/components/ui/data-table";
import { ErrorNote } from "@/components/ui/error-note";
import { Field } from "@/components/ui/field";
import type { CutoverStateJson } from "@/lib/services/cutover-read";
import { INPUT_CLASS, roleLabel, submitForm, useCommand } from "../shared/format";
import { AddContactForm } from "./add-contact-form";
import { CopyButton } from "./copy-button";
import { MembersPanel } from "./members-panel";
import { Panel, PanelNote, RemoveButton, SubmitButton } from "../shared/parts";
import type { PanelProps, RunCommand } from "../shared/types";

type Contact = CutoverStateJson["contacts"][number];
type Link = CutoverStateJson["links"][number];
type Step = CutoverStateJson["escalation"][number];

// Links are checked on save by the same rule the server applies; anything stored before that rule
// (a path, a protocol-relative URL) is shown as text, never as a link.

export function ContactsPanel({ cutover, run, can }: PanelProps) {
  const canEdit = can("cutover.edit_plan");
  const groups = new Map<number, Contact[]>();
  for (const c of [...cutover.contacts].sort((a, b) => a.escalationOrder - b.escalationOrder || a.name.localeCompare(b.name))) {
    groups.set(c.escalationOrder, [...(groups.get(c.escalationOrder) ?? []), c]);
  }

  return (
    <div className="space-y-4">
      <Panel id="contacts" title="Contacts">
        {cutover.contacts.length === 0 ? (
          <PanelNote>No contacts yet.{canEdit ? " Add who to call for each role below." : ""}</PanelNote>
        ) : (
          [...groups.entries()].map(([order, contacts]) => (
            <div key={order} className="px-3 py-2">
              <h3 className="mb-1 text-xs font-medium uppercase text-neutral-500">
                Escalation order <span className="tabular">{order}</span>
              </h3>
              <ul className="divide-y divide-neutral-100 dark:divide-neutral-800">
                {contacts.map((c) => (
                  <ContactRow key={c.id} contact={c} cutoverId={cutover.id} run={run} canEdit={canEdit} />
                ))}
              </ul>
            </div>
          ))
        )}
        {canEdit && <AddContactForm cutoverId={cutover.id} run={run} />}
      </Panel>

      <EscalationLadder cutover={cutover} run={run} canEdit={canEdit} />
      <WarRoomLinks cutover={cutover} run={run} canEdit={canEdit} />
      <MembersPanel cutover={cutover} run={run} can={can} />
    </div>
  );
}

function ContactRow({ contact: c, cutoverId, run, canEdit }: { contact: Contact; cutoverId: string; run: RunCommand; canEdit: boolean }) {
  const { pending, error, exec } = useCommand();
  const fields: { key: string; label: string; value: string | null; href?: string }[] = [
    { key: "phone", label: "phone", value: c.phone, href: c.phone ? `tel:${c.phone.replace(/[^\d+]/g, "")}` : undefined },
    { key: "chat", label: "chat handle", value: c.chatHandle },
    { key: "email", label: "email", value: c.email, href: c.email ? `mailto:${c.email}` : undefined },
  ];
  return (
    <li data-testid="contact" data-contact-id={c.id} className="flex flex-wrap items-baseline gap-x-4 gap-y-1 py-1.5 text-sm">
      <span className="min-w-48">
        <span className="font-medium" data-testid="contact-name">
          {c.name}
        </span>
        <span className="ml-2 text-xs text-neutral-500" data-testid="contact-role">
          {roleLabel(c.role)}
        </span>
      </span>
      {fields.map((f) =>
        f.value ? (
          <span key={f.key} className="inline-flex items-baseline gap-1" data-testid={`contact-${f.key}`}>
            <span className="sr-only">{f.label}: </span>
            {f.href ? (
              <a href={f.href} className="text-blue-700 hover:underline dark:text-blue-400">
                {f.value}
              </a>
            ) : (
              <span>{f.value}</span>
            )}
            <CopyButton value={f.value} label={`Copy ${f.label} of ${c.name}`} />
          </span>
        ) : null,
      )}
      {canEdit && <RemoveButton label={`Remove contact ${c.name}`} pending={pending} className="ml-auto" onClick={() => void exec(() => run("contact.remove", { cutoverId, id: c.id }))} />}
      <div className="w-full">
        <ErrorNote message={error} testId="contact-error" />
      </div>
    </li>
  );
}

function EscalationLadder({ cutover, run, canEdit }: { cutover: CutoverStateJson; run: RunCommand; canEdit: boolean }) {
  const { pending, error, exec, setError } = useCommand();
  const ladder = cutover.escalation ?? [];

  // The ladder is saved whole; each change sends the full new list.
  const save = (escalation: Step[]) => exec(() => run("escalation.set", { cutoverId: cutover.id, escalation }));

  const onSubmit = submitForm(
    ({ data, text }) => {
      if (!text("level") || !text("who") || !text("after")) return setError("Level, who and after are required");
      return save([...ladder, { level: text("level"), who: text("who"), after: text("after"), criticalOnly: data.get("criticalOnly") === "on" }]);
    },
    { reset: true },
  );

  return (
    <Panel id="escalation" title="Escalation ladder">
      {ladder.length === 0 ? (
        <PanelNote>No escalation ladder yet.</PanelNote>
      ) : (
        <DataTable scroll={false} columns={["Level", "Who", "After", { label: "Scope", hidden: true }, canEdit && ACTIONS_COLUMN]}>
          {ladder.map((s, i) => (
            <tr key={`${i}-${s.level}`} data-testid="escalation-step">
              <td className="px-3 py-1.5 font-medium">{s.level}</td>
              <td className="px-2 py-1.5">{s.who}</td>
              <td className="px-2 py-1.5 tabular">{s.after}</td>
              <td className="px-2 py-1.5">
                {s.criticalOnly && <span className="rounded border border-red-700 px-1 text-xs text-red-800 dark:text-red-300">critical only</span>}
              </td>
              {canEdit && (
                <td className="px-3 py-1.5 text-right">
                  <RemoveButton label={`Remove escalation level ${s.level}`} pending={pending} onClick={() => void save(ladder.filter((_, j) => j !== i))} />
                </td>
              )}
            </tr>
          ))}
        </DataTable>
      )}
      {canEdit && (
        <form onSubmit={onSubmit} aria-label="Add an escalation level" className="border-t border-neutral-200 px-3 py-2 text-sm dark:border-neutral-800">
          <div className="flex flex-wrap items-end gap-2">
            <Field label="Level">
              <input name="level" required maxLength={100} placeholder="L2" className={`${INPUT_CLASS} w-24`} />
            </Field>
            <Field label="Who">
              <input name="who" required maxLength={200} className={`${INPUT_CLASS} w-48`} />
            </Field>
            <Field label="After">
              <input name="after" required maxLength={50} placeholder="15 min" className={`${INPUT_CLASS} w-24`} />
            </Field>
            <label className="inline-flex items-center gap-1 pb-1">
              <input type="checkbox" name="criticalOnly" />
              Critical only
            </label>
            <SubmitButton pending={pending}>Add level</SubmitButton>
          </div>
        </form>
      )}
      <div className="px-3 pb-2">
        <ErrorNote message={error} testId="escalation-error" />
      </div>
    </Panel>
  );
}

function WarRoomLinks({ cutover, run, canEdit }: { cutover: CutoverStateJson; run: RunCommand; canEdit: boolean }) {
  const { pending, error, exec, setError } = useCommand();
  const links = cutover.links ?? [];

  const save = (next: Link[]) => exec(() => run("links.set", { cutoverId: cutover.id, links: next }));

  const onSubmit = submitForm(
    ({ text }) => {
      const label = text("label");
      const url = text("url");
      if (!label || !url) return setError("Label and URL are required");
      if (!isHttpUrl(url)) return setError("Links must be absolute http:// or https:// URLs");
      return save([...links, { label, url }]);
    },
    { reset: true },
  );

  return (
    <Panel id="links" title="War-room links">
      {links.length === 0 ? (
        <PanelNote>No links yet: the bridge call, dashboards and the incident channel belong here.</PanelNote>
      ) : (
        <ul className="divide-y divide-neutral-100 px-3 dark:divide-neutral-800">
          {links.map((l, i) => {
            const safe = isHttpUrl(l.url);
            return (
              <li key={`${i}-${l.url}`} data-testid="war-room-link" className="flex flex-wrap items-baseline gap-2 py-1.5 text-sm">
                {safe ? (
                  <a href={l.url} rel="noreferrer" target="_blank" className="font-medium text-blue-700 hover:underline dark:text-blue-400">
                    {l.label}
                  </a>
                ) : (
                  <span className="font-medium">{l.label}</span>
                )}
                <span className="truncate text-xs text-neutral-500">{l.url}</span>
                <CopyButton value={l.url} label={`Copy link ${l.label}`} />
                {canEdit && <RemoveButton label={`Remove link ${l.label}`} pending={pending} className="ml-auto" onClick={() => void save(links.filter((_, j) => j !== i))} />}
              </li>
            );
          })}
        </ul>
      )}
      {canEdit && (
        <form onSubmit={onSubmit} aria-label="Add a war-room link" className="border-t border-neutral-200 px-3 py-2 text-sm dark:border-neutral-800">
          <div className="flex flex-wrap items-end gap-2">
            <Field label="Label">
              <input name="label" required maxLength={100} className={`${INPUT_CLASS} w-40`} />
            </Field>
            <Field label="URL">
              <input name="url" required maxLength={2000} placeholder="https://…" className={`${INPUT_CLASS} w-72`} />
            </Field>
            <SubmitButton pending={pending}>Add link</SubmitButton>
          </div>
        </form>
      )}
      <div className="px-3 pb-2">
        <ErrorNote message={error} testId="links-error" />
      </div>
    </Panel>
  );
}
