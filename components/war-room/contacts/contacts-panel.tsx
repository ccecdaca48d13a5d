"use client";
// Who to call, in which order: contacts grouped by escalation order, the escalation ladder and
// the war-room links, every value one click from the clipboard.
import { ErrorNote } from "@/components/ui/error-note";
import type { CutoverStateJson } from "@/lib/services/cutover-read";
import { roleLabel, useCommand } from "../shared/format";
import { AddContactForm } from "./add-contact-form";
import { CopyButton } from "./copy-button";
import { MembersPanel } from "./members-panel";
import { Panel, PanelNote, RemoveButton } from "../shared/parts";
import type { PanelProps, RunCommand } from "../shared/types";
import { EscalationLadder } from "./escalation-ladder";
import { WarRoomLinks } from "./war-room-links";

type Contact = CutoverStateJson["contacts"][number];

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
              <h3 className="mb-1 text-xs font-medium uppercase text-muted">
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
        <span className="ml-2 text-xs text-muted" data-testid="contact-role">
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
