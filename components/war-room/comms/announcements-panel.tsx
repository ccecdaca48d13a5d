"use client";
// Announcement templates: preview, edit, send; their event bindings (recommend or automatic) and
// the recommendations those left. Whoever may not edit or send sees the list read-only.
import { useQuery } from "@tanstack/react-query";
import { useEffect, useState, type FormEvent } from "react";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { ErrorNote } from "@/components/ui/error-note";
import { CheckField, Field, SelectField, TextField } from "@/components/ui/field";
import { INPUT_CLASS } from "@/components/ui/styles";
import { ANNOUNCEMENT_KINDS, BINDING_MODES, KIND_LABELS, type AnnouncementKind, type BindingEvent, type BindingMode } from "@/lib/domain/notify/announcements";
import { ANNOUNCEMENT_TITLE_MAX, UPDATE_INTERVAL_MINUTES } from "@/lib/schemas/announcements";
import type { AnnouncementsView } from "@/lib/services/announcements";
import { BUTTON_CLASS, PRIMARY_BUTTON_CLASS } from "../shared/format";
import { ConfirmRemove, LoadError, Panel, PanelError, PanelNote, SubmitButton, SubSection } from "../shared/parts";
import type { PanelProps, RunCommand } from "../shared/types";
import { fetchView } from "../shared/fetch-view";
import { cutoverQueryKey } from "../shared/use-live-cutover";

type Template = AnnouncementsView["templates"][number];
type Recommendation = AnnouncementsView["recommendations"][number];

export function announcementsQueryKey(cutoverId: string) {
  return [...cutoverQueryKey(cutoverId), "announcements"] as const;
}

/** The cutover's announcements; every live event of the cutover refetches them (key under ["cutover", id]). */
export function useAnnouncements(cutoverId: string) {
  return useQuery({ queryKey: announcementsQueryKey(cutoverId), queryFn: () => fetchView<AnnouncementsView>(`/api/v1/cutovers/${cutoverId}/announcements`) });
}

const BINDING_LABELS: Record<BindingMode, string> = { recommend: "recommend (one click sends)", automatic: "automatic (sent at once)" };

function bindingText(t: Template, events: AnnouncementsView["events"]): string {
  if (!t.bindingEvent) return "not bound";
  const label = events.find((e) => e.name === t.bindingEvent)?.label ?? t.bindingEvent;
  return `on ${label}: ${t.bindingMode}${t.enabled ? "" : " (disabled)"}`;
}

function when(iso: string | null, timeZone: string): string {
  if (!iso) return "never";
  try {
    return new Intl.DateTimeFormat("en-GB", { dateStyle: "short", timeStyle: "short", timeZone }).format(new Date(iso));
  } catch {
    return new Date(iso).toISOString();
  }
}

interface Rendered {
  title: string;
  text: string;
  channels: string[];
}

async function preview(run: RunCommand, input: { cutoverId: string; templateId?: string; recommendationId?: string; title?: string; body?: string }): Promise<{ ok: true; rendered: Rendered } | { ok: false; message: string }> {
  const r = await run("announcement.preview", input);
  return r.ok ? { ok: true, rendered: r.data as Rendered } : { ok: false, message: r.message };
}

function RenderedText({ rendered, testId }: { rendered: Rendered; testId: string }) {
  return (
    <div className="mt-2 rounded border border-neutral-300 p-2 text-sm dark:border-neutral-700" data-testid={testId}>
      <p className="font-semibold">{rendered.title}</p>
      <pre className="mt-1 whitespace-pre-wrap font-sans">{rendered.text}</pre>
    </div>
  );
}

/**
 * Send, confirmed: the rendered text and the channels it goes to, an optional edit for this one
 * send, then one button. Used for a template and for a binding's recommendation.
 */
export function SendDialog({ cutoverId, run, template, recommendation, onClose }: { cutoverId: string; run: RunCommand; template: Template; recommendation?: Recommendation; onClose: () => void }) {
  const [rendered, setRendered] = useState<Rendered | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  const [title, setTitle] = useState(template.title);
  const [body, setBody] = useState(template.body);
  const [pending, setPending] = useState(false);
  const edited = title !== template.title || body !== template.body;

  const refresh = async (next: { title: string; body: string }) => {
    // A recommendation renders with its own reason, as it will be sent.
    const r = await preview(run, { cutoverId, title: next.title, body: next.body, ...(recommendation ? { recommendationId: recommendation.id } : {}) });
    if (r.ok) {
      setRendered(r.rendered);
      setError(null);
    } else setError(r.message);
  };
  // Rendered once on opening; "Update the preview" renders an edit again.
  useEffect(() => void refresh({ title: template.title, body: template.body }), []);

  const send = async () => {
    setPending(true);
    const draft = edited ? { title, body } : {};
    const r = recommendation ? await run("announcement.send", { cutoverId, recommendationId: recommendation.id, ...draft }) : await run("announcement.send", { cutoverId, templateId: template.id, ...draft });
    setPending(false);
    if (r.ok) onClose();
    else setError(r.message);
  };
  const channels = rendered?.channels ?? [];
  return (
    <ConfirmDialog title={`Send "${template.name}"?`} onClose={onClose} testId="announcement-send-dialog">
      {recommendation && (
        <p className="mt-1 text-sm">
          Recommended on {recommendation.eventLabel}
          {recommendation.reason ? `: ${recommendation.reason}` : ""}. The reason above fills {"{{reason}}"}.
        </p>
      )}
      {rendered ? <RenderedText rendered={rendered} testId="announcement-send-preview" /> : !error && <p className="mt-2 text-sm" role="status">Rendering…</p>}
      <p className="mt-2 text-sm" data-testid="announcement-send-channels">
        {channels.length ? `To ${channels.length} channel${channels.length > 1 ? "s" : ""}: ${channels.join(", ")}` : "This cutover has no channels yet: pick them under Deliveries."}
      </p>
      {editing ? (
        <div className="mt-2 space-y-2">
          <TextField label="Title for this send" value={title} maxLength={ANNOUNCEMENT_TITLE_MAX} onChange={(e) => setTitle(e.target.value)} className="w-full" />
          <Field label="Text for this send">
            <textarea className={`${INPUT_CLASS} h-32 w-full`} value={body} onChange={(e) => setBody(e.target.value)} />
          </Field>
          <button type="button" className={BUTTON_CLASS} onClick={() => void refresh({ title, body })}>
            Update the preview
          </button>
        </div>
      ) : (
        <button type="button" className={`${BUTTON_CLASS} mt-2`} onClick={() => setEditing(true)}>
          Edit for this send
        </button>
      )}
      <ErrorNote message={error} testId="announcement-send-error" />
      <div className="mt-3 flex justify-end gap-2">
        <button type="button" className={BUTTON_CLASS} data-autofocus onClick={onClose}>
          Cancel
        </button>
        <button type="button" className={PRIMARY_BUTTON_CLASS} disabled={pending || !rendered || channels.length === 0} onClick={() => void send()}>
          {pending ? "Sending…" : `Send to ${channels.length} channel${channels.length === 1 ? "" : "s"}`}
        </button>
      </div>
    </ConfirmDialog>
  );
}

/** The bindings' recommendations, for those who may send: Send (confirmed) or Dismiss. */
export function RecommendationList({ cutoverId, run, data, onError }: { cutoverId: string; run: RunCommand; data: AnnouncementsView; onError: (message: string | null) => void }) {
  const [sending, setSending] = useState<Recommendation | null>(null);
  const [pending, setPending] = useState<string | null>(null);
  if (!data.canSend || data.recommendations.length === 0) return null;
  const dismiss = async (r: Recommendation) => {
    setPending(r.id);
    const out = await run("announcement.dismiss", { cutoverId, recommendationId: r.id });
    setPending(null);
    onError(out.ok ? null : out.message);
  };
  const sendingTemplate = sending && data.templates.find((t) => t.id === sending.templateId);
  return (
    <ul className="space-y-1" data-testid="announcement-recommendations">
      {data.recommendations.map((r) => (
        <li key={r.id} className="flex flex-wrap items-center gap-2 rounded border border-amber-600 bg-amber-50 px-2 py-1 text-sm text-amber-950 dark:bg-amber-950 dark:text-amber-100" data-testid="announcement-recommendation">
          <span className="grow">
            <strong>{r.eventLabel}</strong>: send &ldquo;{r.templateName}&rdquo;?{r.reason ? ` Reason: ${r.reason}` : ""}
          </span>
          <button type="button" className={PRIMARY_BUTTON_CLASS} onClick={() => setSending(r)} aria-label={`Send recommended ${r.templateName}`}>
            Send
          </button>
          <button type="button" className={BUTTON_CLASS} disabled={pending === r.id} onClick={() => void dismiss(r)} aria-label={`Dismiss recommended ${r.templateName}`}>
            Dismiss
          </button>
        </li>
      ))}
      {sending && sendingTemplate && <SendDialog cutoverId={cutoverId} run={run} template={sendingTemplate} recommendation={sending} onClose={() => setSending(null)} />}
    </ul>
  );
}

const KIND_OPTIONS = ANNOUNCEMENT_KINDS.map((k) => ({ value: k, label: KIND_LABELS[k] }));
const MODE_OPTIONS = BINDING_MODES.map((m) => ({ value: m, label: BINDING_LABELS[m] }));

function TemplateForm({ cutoverId, run, data, template, onDone }: { cutoverId: string; run: RunCommand; data: AnnouncementsView; template: Template | null; onDone: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [rendered, setRendered] = useState<Rendered | null>(null);
  const values = (form: HTMLFormElement) => {
    const f = new FormData(form);
    const event = String(f.get("bindingEvent") ?? "");
    return {
      cutoverId,
      ...(template ? { templateId: template.id, version: template.version } : {}),
      name: String(f.get("name") ?? ""),
      kind: String(f.get("kind") ?? "custom") as AnnouncementKind,
      title: String(f.get("title") ?? ""),
      body: String(f.get("body") ?? ""),
      bindingEvent: event ? (event as BindingEvent) : null,
      bindingMode: String(f.get("bindingMode") ?? "recommend") as BindingMode,
      enabled: f.get("enabled") === "on",
    };
  };
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setPending(true);
    const r = await run("announcement.save", values(e.currentTarget));
    setPending(false);
    if (r.ok) onDone();
    else setError(r.message);
  };
  const showPreview = async (form: HTMLFormElement | null) => {
    if (!form) return;
    const v = values(form);
    const r = await preview(run, { cutoverId, title: v.title, body: v.body });
    if (r.ok) {
      setRendered(r.rendered);
      setError(null);
    } else {
      setRendered(null);
      setError(r.message);
    }
  };
  const eventOptions = [{ value: "", label: "No event" }, ...data.events.map((e) => ({ value: e.name, label: e.label }))];
  const id = template?.id ?? "new";
  return (
    <form aria-label={template ? `Edit ${template.name}` : "New announcement"} className="space-y-2 border-t border-neutral-200 px-3 py-2 text-sm dark:border-neutral-800" onSubmit={(e) => void submit(e)} id={`announcement-form-${id}`}>
      <h3 className="font-medium">{template ? `Edit “${template.name}”` : "New announcement"}</h3>
      <div className="flex flex-wrap items-end gap-2">
        <TextField label="Name" name="name" required maxLength={100} defaultValue={template?.name ?? ""} />
        <SelectField label="Kind" name="kind" options={KIND_OPTIONS} defaultValue={template?.kind ?? "status_update"} />
        <SelectField label="Bound to" name="bindingEvent" options={eventOptions} defaultValue={template?.bindingEvent ?? ""} />
        <SelectField label="When it happens" name="bindingMode" options={MODE_OPTIONS} defaultValue={template?.bindingMode ?? "recommend"} />
        <CheckField label="Enabled" name="enabled" defaultChecked={template?.enabled ?? true} />
      </div>
      <TextField label="Title" name="title" required maxLength={ANNOUNCEMENT_TITLE_MAX} defaultValue={template?.title ?? "{{cutover}}: "} className="w-full" />
      <Field label="Text">
        <textarea name="body" className={`${INPUT_CLASS} h-40 w-full font-mono`} defaultValue={template?.body ?? ""} />
      </Field>
      <details className="text-xs" data-testid="announcement-variables">
        <summary className="cursor-pointer">Variables</summary>
        <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-3">
          {data.variables.map((v) => (
            <div key={v.name} className="contents">
              <dt className="font-mono">{`{{${v.name}}}`}</dt>
              <dd>{v.description}</dd>
            </div>
          ))}
        </dl>
        <p className="mt-1">Metrics of this cutover: {data.metrics.length ? data.metrics.map((m) => `{{metric:${m}}}`).join(", ") : "none"}</p>
      </details>
      {rendered && <RenderedText rendered={rendered} testId="announcement-form-preview" />}
      <ErrorNote message={error} testId="announcement-form-error" />
      <div className="flex gap-2">
        <SubmitButton pending={pending} busyLabel="Saving…">
          Save
        </SubmitButton>
        <button type="button" className={BUTTON_CLASS} onClick={onDone}>
          Cancel
        </button>
        <button type="button" className={BUTTON_CLASS} onClick={(e) => void showPreview(e.currentTarget.form)}>
          Preview
        </button>
      </div>
    </form>
  );
}

/**
 * How often the room promises a status update; the server refuses anything out of range with its
 * reason. Keyed by the saved value, so a change by someone else (a live event refetches the view)
 * starts the form again from it.
 */
function UpdateIntervalForm({ cutoverId, minutes, run }: { cutoverId: string; minutes: number; run: RunCommand }) {
  const [value, setValue] = useState(String(minutes));
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setPending(true);
    const r = await run("announcement.interval", { cutoverId, minutes: Number(value) });
    setPending(false);
    setError(r.ok ? null : r.message);
  };
  return (
    <form className="flex flex-wrap items-center gap-2 px-3 pt-2 pb-1 text-sm" onSubmit={(e) => void submit(e)} data-testid="update-interval-form">
      <label className="flex items-center gap-2">
        Status update every
        <input
          type="number"
          inputMode="numeric"
          min={UPDATE_INTERVAL_MINUTES.min}
          max={UPDATE_INTERVAL_MINUTES.max}
          step={1}
          required
          className={`${INPUT_CLASS} w-20`}
          value={value}
          onChange={(e) => setValue(e.target.value)}
        />
        minutes
      </label>
      <SubmitButton pending={pending} busyLabel="Saving…" disabled={value === String(minutes)}>
        Save interval
      </SubmitButton>
      <ErrorNote message={error} testId="update-interval-error" />
    </form>
  );
}

export function AnnouncementsPanel({ cutover, run }: PanelProps) {
  const query = useAnnouncements(cutover.id);
  const [editing, setEditing] = useState<string | null>(null);
  const [sending, setSending] = useState<Template | null>(null);
  const [previewing, setPreviewing] = useState<{ id: string; rendered: Rendered } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [removing, setRemoving] = useState(false);
  const data = query.data;

  const showPreview = async (t: Template) => {
    if (previewing?.id === t.id) return setPreviewing(null);
    const r = await preview(run, { cutoverId: cutover.id, templateId: t.id });
    if (r.ok) {
      setPreviewing({ id: t.id, rendered: r.rendered });
      setError(null);
    } else setError(r.message);
  };
  const remove = async (t: Template) => {
    setRemoving(true);
    const r = await run("announcement.remove", { cutoverId: cutover.id, templateId: t.id });
    setRemoving(false);
    setError(r.ok ? null : r.message);
    return r.ok;
  };

  return (
    <Panel id="announcements" title="Announcements">
      {query.error && <LoadError message={(query.error as Error).message} testId="announcements-load-error" onRetry={() => void query.refetch()} />}
      {!data && !query.error && (
        <PanelNote role="status" testId="announcements-loading">
          Loading announcements…
        </PanelNote>
      )}
      {data && (
        <>
          {data.recommendations.length > 0 && data.canSend && (
            <div className="px-3 py-2" role="region" aria-label="Recommended announcements">
              <RecommendationList cutoverId={cutover.id} run={run} data={data} onError={setError} />
            </div>
          )}
          <p className="px-3 pt-2 text-sm text-neutral-600 dark:text-neutral-300" data-testid="announcements-next-update">
            Channels: {data.channels.length ? data.channels.join(", ") : "none yet"}. Last sent: {when(data.lastSentAt, cutover.timeZone)}.
            {data.nextUpdateDue ? ` Next update due: ${when(data.nextUpdateDue, cutover.timeZone)}.` : ""} Updates every {data.updateIntervalMinutes} minutes.
          </p>
          {data.canEdit && <UpdateIntervalForm key={data.updateIntervalMinutes} cutoverId={cutover.id} minutes={data.updateIntervalMinutes} run={run} />}
          {data.templates.length === 0 ? (
            <PanelNote testId="announcements-empty">No announcement templates{data.canEdit ? ": add one below." : "."}</PanelNote>
          ) : (
            <ul className="divide-y divide-neutral-200 dark:divide-neutral-800" data-testid="announcement-list">
              {data.templates.map((t) => (
                <li key={t.id} className="px-3 py-2 text-sm" data-testid="announcement-row" data-kind={t.kind}>
                  <div className="flex flex-wrap items-center gap-2">
                    <span className="grow">
                      <strong>{t.name}</strong> <span className="text-neutral-600 dark:text-neutral-300">({KIND_LABELS[t.kind]}, {bindingText(t, data.events)}; last sent {when(t.lastSentAt, cutover.timeZone)})</span>
                    </span>
                    <button type="button" className={BUTTON_CLASS} aria-expanded={previewing?.id === t.id} aria-label={`Preview ${t.name}`} onClick={() => void showPreview(t)}>
                      Preview
                    </button>
                    {data.canEdit && (
                      <button type="button" className={BUTTON_CLASS} aria-label={`Edit ${t.name}`} onClick={() => setEditing(editing === t.id ? null : t.id)}>
                        Edit
                      </button>
                    )}
                    {data.canSend && (
                      <button type="button" className={PRIMARY_BUTTON_CLASS} aria-label={`Send ${t.name}`} onClick={() => setSending(t)}>
                        Send
                      </button>
                    )}
                    {data.canEdit && <ConfirmRemove label={`Remove ${t.name}`} confirmLabel="Remove it" pending={removing} onRemove={() => remove(t)} />}
                  </div>
                  {previewing?.id === t.id && <RenderedText rendered={previewing.rendered} testId="announcement-preview" />}
                  {editing === t.id && <TemplateForm cutoverId={cutover.id} run={run} data={data} template={t} onDone={() => setEditing(null)} />}
                </li>
              ))}
            </ul>
          )}
          {data.canEdit &&
            (editing === "new" ? (
              <TemplateForm cutoverId={cutover.id} run={run} data={data} template={null} onDone={() => setEditing(null)} />
            ) : (
              <SubSection title="New">
                <button type="button" className={`${BUTTON_CLASS} mt-1`} onClick={() => setEditing("new")}>
                  New announcement
                </button>
              </SubSection>
            ))}
          <PanelError message={error} testId="announcements-error" />
          {sending && <SendDialog cutoverId={cutover.id} run={run} template={sending} onClose={() => setSending(null)} />}
        </>
      )}
    </Panel>
  );
}
