"use client";
// Who to call, in which order: contacts grouped by escalation order, the escalation ladder and
// the war-room links, every value one click from the clipboard.
import { useRef, useState, type FormEvent } from "react";
import { ErrorNote } from "@/components/ui/error-note";
import type { CutoverStateJson } from "@/lib/services/cutover-read";
import { BUTTON_CLASS, INPUT_CLASS, PANEL_CLASS, PRIMARY_BUTTON_CLASS, ROLE_OPTIONS, isRole, roleLabel, useCommand } from "./format";
import type { PanelProps, RunCommand } from "./types";

type Contact = CutoverStateJson["contacts"][number];
type Link = CutoverStateJson["links"][number];
type Step = CutoverStateJson["escalation"][number];

async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // Not allowed (insecure origin, permission): try the old way below.
  }
  try {
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    const ok = document.execCommand("copy");
    area.remove();
    return ok;
  } catch {
    return false;
  }
}

function CopyButton({ value, label }: { value: string; label: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <>
      <button
        type="button"
        aria-label={label}
        title={label}
        className="rounded border border-neutral-300 px-1.5 text-xs text-neutral-600 hover:bg-neutral-100 dark:border-neutral-700 dark:text-neutral-300 dark:hover:bg-neutral-800"
        onClick={() =>
          void copyText(value).then((ok) => {
            if (!ok) return;
            setCopied(true);
            setTimeout(() => setCopied(false), 1500);
          })
        }
      >
        {copied ? "Copied" : "Copy"}
      </button>
      <span className="sr-only" aria-live="polite">
        {copied ? "Copied" : ""}
      </span>
    </>
  );
}

// Links are checked on save (http(s) or a path); anything else is shown as text, never as a link.
const SAFE_URL = /^(https?:\/\/|\/(?!\/))/i;

export function ContactsPanel({ cutover, run, can }: PanelProps) {
  const canEdit = can("cutover.edit_plan");
  const groups = new Map<number, Contact[]>();
  for (const c of [...cutover.contacts].sort((a, b) => a.escalationOrder - b.escalationOrder || a.name.localeCompare(b.name))) {
    groups.set(c.escalationOrder, [...(groups.get(c.escalationOrder) ?? []), c]);
  }

  return (
    <div className="space-y-4">
      <section aria-labelledby="contacts-heading" className={PANEL_CLASS}>
        <h2 id="contacts-heading" className="border-b border-neutral-200 px-3 py-2 font-semibold dark:border-neutral-800">
          Contacts
        </h2>
        {cutover.contacts.length === 0 ? (
          <p className="px-3 py-3 text-sm text-neutral-500">No contacts yet.{canEdit ? " Add who to call for each role below." : ""}</p>
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
      </section>

      <EscalationLadder cutover={cutover} run={run} canEdit={canEdit} />
      <WarRoomLinks cutover={cutover} run={run} canEdit={canEdit} />
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
      {canEdit && (
        <button
          type="button"
          disabled={pending}
          aria-label={`Remove contact ${c.name}`}
          className={`${BUTTON_CLASS} ml-auto`}
          onClick={() => void exec(() => run("contact.remove", { cutoverId, id: c.id }))}
        >
          Remove
        </button>
      )}
      <div className="w-full">
        <ErrorNote message={error} testId="contact-error" />
      </div>
    </li>
  );
}

function AddContactForm({ cutoverId, run }: { cutoverId: string; run: RunCommand }) {
  const { pending, error, exec, setError } = useCommand();
  const formRef = useRef<HTMLFormElement>(null);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const text = (k: string) => String(form.get(k) ?? "").trim();
    const role = text("role");
    if (!isRole(role)) return setError("Choose the contact's role");
    const order = Number(text("escalationOrder") || "0");
    if (!Number.isInteger(order) || order < 0 || order > 100) return setError("Escalation order is a whole number from 0 to 100");
    const ok = await exec(() =>
      run("contact.add", {
        cutoverId,
        name: text("name"),
        role,
        phone: text("phone") || null,
        chatHandle: text("chatHandle") || null,
        email: text("email") || null,
        escalationOrder: order,
      }),
    );
    if (ok) formRef.current?.reset();
  }

  return (
    <form ref={formRef} onSubmit={onSubmit} aria-label="Add a contact" className="border-t border-neutral-200 px-3 py-2 text-sm dark:border-neutral-800">
      <h3 className="mb-1 text-sm font-medium text-neutral-600 dark:text-neutral-300">Add a contact</h3>
      <div className="flex flex-wrap items-end gap-2">
        <label className="flex flex-col">
          <span className="text-xs text-neutral-500">Name</span>
          <input name="name" required maxLength={200} className={`${INPUT_CLASS} w-44`} />
        </label>
        <label className="flex flex-col">
          <span className="text-xs text-neutral-500">Role</span>
          <select name="role" required defaultValue="" className={INPUT_CLASS}>
            <option value="" disabled>
              Choose…
            </option>
            {ROLE_OPTIONS.map((r) => (
              <option key={r.value} value={r.value}>
                {r.label}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col">
          <span className="text-xs text-neutral-500">Phone</span>
          <input name="phone" type="tel" maxLength={50} className={`${INPUT_CLASS} w-36`} />
        </label>
        <label className="flex flex-col">
          <span className="text-xs text-neutral-500">Chat handle</span>
          <input name="chatHandle" maxLength={100} className={`${INPUT_CLASS} w-32`} />
        </label>
        <label className="flex flex-col">
          <span className="text-xs text-neutral-500">Email</span>
          <input name="email" type="email" maxLength={320} className={`${INPUT_CLASS} w-48`} />
        </label>
        <label className="flex flex-col">
          <span className="text-xs text-neutral-500">Escalation order</span>
          <input name="escalationOrder" type="number" min={0} max={100} step={1} defaultValue={0} className={`${INPUT_CLASS} w-20 tabular`} />
        </label>
        <button type="submit" disabled={pending} className={PRIMARY_BUTTON_CLASS}>
          {pending ? "Adding…" : "Add contact"}
        </button>
      </div>
      <ErrorNote message={error} testId="contact-add-error" />
    </form>
  );
}

function EscalationLadder({ cutover, run, canEdit }: { cutover: CutoverStateJson; run: RunCommand; canEdit: boolean }) {
  const { pending, error, exec, setError } = useCommand();
  const formRef = useRef<HTMLFormElement>(null);
  const ladder = cutover.escalation ?? [];

  // The ladder is saved whole; each change sends the full new list.
  const save = (escalation: Step[]) => exec(() => run("escalation.set", { cutoverId: cutover.id, escalation }));

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const text = (k: string) => String(form.get(k) ?? "").trim();
    if (!text("level") || !text("who") || !text("after")) return setError("Level, who and after are required");
    const ok = await save([...ladder, { level: text("level"), who: text("who"), after: text("after"), criticalOnly: form.get("criticalOnly") === "on" }]);
    if (ok) formRef.current?.reset();
  }

  return (
    <section aria-labelledby="escalation-heading" className={PANEL_CLASS}>
      <h2 id="escalation-heading" className="border-b border-neutral-200 px-3 py-2 font-semibold dark:border-neutral-800">
        Escalation ladder
      </h2>
      {ladder.length === 0 ? (
        <p className="px-3 py-3 text-sm text-neutral-500">No escalation ladder yet.</p>
      ) : (
        <table className="w-full text-sm">
          <thead className="text-left text-xs text-neutral-500">
            <tr className="border-b border-neutral-200 dark:border-neutral-800">
              <th scope="col" className="px-3 py-1.5 font-medium">Level</th>
              <th scope="col" className="px-2 py-1.5 font-medium">Who</th>
              <th scope="col" className="px-2 py-1.5 font-medium">After</th>
              <th scope="col" className="px-2 py-1.5 font-medium">
                <span className="sr-only">Scope</span>
              </th>
              {canEdit && (
                <th scope="col" className="px-3 py-1.5">
                  <span className="sr-only">Actions</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody className="divide-y divide-neutral-100 dark:divide-neutral-800">
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
                    <button
                      type="button"
                      disabled={pending}
                      aria-label={`Remove escalation level ${s.level}`}
                      className={BUTTON_CLASS}
                      onClick={() => void save(ladder.filter((_, j) => j !== i))}
                    >
                      Remove
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canEdit && (
        <form ref={formRef} onSubmit={onSubmit} aria-label="Add an escalation level" className="border-t border-neutral-200 px-3 py-2 text-sm dark:border-neutral-800">
          <div className="flex flex-wrap items-end gap-2">
            <label className="flex flex-col">
              <span className="text-xs text-neutral-500">Level</span>
              <input name="level" required maxLength={100} placeholder="L2" className={`${INPUT_CLASS} w-24`} />
            </label>
            <label className="flex flex-col">
              <span className="text-xs text-neutral-500">Who</span>
              <input name="who" required maxLength={200} className={`${INPUT_CLASS} w-48`} />
            </label>
            <label className="flex flex-col">
              <span className="text-xs text-neutral-500">After</span>
              <input name="after" required maxLength={50} placeholder="15 min" className={`${INPUT_CLASS} w-24`} />
            </label>
            <label className="inline-flex items-center gap-1 pb-1">
              <input type="checkbox" name="criticalOnly" />
              Critical only
            </label>
            <button type="submit" disabled={pending} className={PRIMARY_BUTTON_CLASS}>
              Add level
            </button>
          </div>
        </form>
      )}
      <div className="px-3 pb-2">
        <ErrorNote message={error} testId="escalation-error" />
      </div>
    </section>
  );
}

function WarRoomLinks({ cutover, run, canEdit }: { cutover: CutoverStateJson; run: RunCommand; canEdit: boolean }) {
  const { pending, error, exec, setError } = useCommand();
  const formRef = useRef<HTMLFormElement>(null);
  const links = cutover.links ?? [];

  const save = (next: Link[]) => exec(() => run("links.set", { cutoverId: cutover.id, links: next }));

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const label = String(form.get("label") ?? "").trim();
    const url = String(form.get("url") ?? "").trim();
    if (!label || !url) return setError("Label and URL are required");
    if (!SAFE_URL.test(url)) return setError("Links must start with http://, https:// or /");
    const ok = await save([...links, { label, url }]);
    if (ok) formRef.current?.reset();
  }

  return (
    <section aria-labelledby="links-heading" className={PANEL_CLASS}>
      <h2 id="links-heading" className="border-b border-neutral-200 px-3 py-2 font-semibold dark:border-neutral-800">
        War-room links
      </h2>
      {links.length === 0 ? (
        <p className="px-3 py-3 text-sm text-neutral-500">No links yet: the bridge call, dashboards and the incident channel belong here.</p>
      ) : (
        <ul className="divide-y divide-neutral-100 px-3 dark:divide-neutral-800">
          {links.map((l, i) => {
            const safe = SAFE_URL.test(l.url);
            const external = /^https?:\/\//i.test(l.url);
            return (
              <li key={`${i}-${l.url}`} data-testid="war-room-link" className="flex flex-wrap items-baseline gap-2 py-1.5 text-sm">
                {safe ? (
                  <a href={l.url} rel="noreferrer" target={external ? "_blank" : undefined} className="font-medium text-blue-700 hover:underline dark:text-blue-400">
                    {l.label}
                  </a>
                ) : (
                  <span className="font-medium">{l.label}</span>
                )}
                <span className="truncate text-xs text-neutral-500">{l.url}</span>
                <CopyButton value={l.url} label={`Copy link ${l.label}`} />
                {canEdit && (
                  <button type="button" disabled={pending} aria-label={`Remove link ${l.label}`} className={`${BUTTON_CLASS} ml-auto`} onClick={() => void save(links.filter((_, j) => j !== i))}>
                    Remove
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {canEdit && (
        <form ref={formRef} onSubmit={onSubmit} aria-label="Add a war-room link" className="border-t border-neutral-200 px-3 py-2 text-sm dark:border-neutral-800">
          <div className="flex flex-wrap items-end gap-2">
            <label className="flex flex-col">
              <span className="text-xs text-neutral-500">Label</span>
              <input name="label" required maxLength={100} className={`${INPUT_CLASS} w-40`} />
            </label>
            <label className="flex flex-col">
              <span className="text-xs text-neutral-500">URL</span>
              <input name="url" required maxLength={2000} placeholder="https://…" className={`${INPUT_CLASS} w-72`} />
            </label>
            <button type="submit" disabled={pending} className={PRIMARY_BUTTON_CLASS}>
              Add link
            </button>
          </div>
        </form>
      )}
      <div className="px-3 pb-2">
        <ErrorNote message={error} testId="links-error" />
      </div>
    </section>
  );
}
