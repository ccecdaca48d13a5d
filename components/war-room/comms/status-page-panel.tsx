"use client";
// The public status page: on or off, its address and title, the publish form (text, health,
// figures the Comms Lead chooses to publish, when the next update is due) and the updates
// published so far, with Retract. Its own query under the cutover's key: every room event
// refetches it (use-live-cutover.ts).
import { useState } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { CheckField, Field, SelectField, TextField } from "@/components/ui/field";
import { INPUT_CLASS } from "@/components/ui/styles";
import { formatMetricValue } from "@/lib/domain/metric-format";
import { DEFAULT_NEXT_UPDATE_MINUTES, HEALTH_LABELS, PUBLIC_HEALTH, STATUS_LIMITS, type PublicHealth } from "@/lib/domain/status-page";
import type { StatusPageView } from "@/lib/services/status-page";
import { BUTTON_CLASS, formatUtc, useCommand, useCommandForm } from "../shared/format";
import { CommandForm, ConfirmRemove, LoadError, Panel, PanelError, PanelNote, SubmitButton, SubSection } from "../shared/parts";
import { cutoverQueryKey } from "../shared/use-live-cutover";
import type { PanelProps, RunCommand } from "../shared/types";

const HEALTH_OPTIONS = PUBLIC_HEALTH.map((h) => ({ value: h, label: HEALTH_LABELS[h] }));
const isHealth = (v: string): v is PublicHealth => (PUBLIC_HEALTH as readonly string[]).includes(v);
const NEXT_OPTIONS = [
  { value: "15", label: "in 15 minutes" },
  { value: "30", label: "in 30 minutes" },
  { value: "60", label: "in 1 hour" },
  { value: "120", label: "in 2 hours" },
  { value: "240", label: "in 4 hours" },
  { value: "none", label: "no further update" },
];

function statusPageKey(cutoverId: string) {
  return [...cutoverQueryKey(cutoverId), "status-page"] as const;
}

async function fetchStatusPage(cutoverId: string): Promise<StatusPageView> {
  const res = await fetch(`/api/v1/cutovers/${cutoverId}/status-page`, { cache: "no-store" });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { message?: string } | null;
    throw new Error(body?.message ?? `HTTP ${res.status}`);
  }
  return (await res.json()) as StatusPageView;
}

export function StatusPagePanel({ cutover, run, can }: PanelProps) {
  const query = useQuery({ queryKey: statusPageKey(cutover.id), queryFn: () => fetchStatusPage(cutover.id) });
  const queryClient = useQueryClient();
  const refresh = () => void queryClient.invalidateQueries({ queryKey: statusPageKey(cutover.id) });
  const view = query.data;
  const canPublish = can("status.publish");

  return (
    <Panel id="status-page" title="Public status page">
      <div className="space-y-3 px-3 py-2" data-testid="status-page-panel">
        {query.error && <LoadError message={query.error.message} testId="status-page-load-error" onRetry={() => void query.refetch()} />}
        {view && (
          <>
            <PublicAddress view={view} />
            {canPublish && <SettingsForm cutoverId={cutover.id} run={run} view={view} onDone={refresh} />}
            {canPublish && view.enabled && <PublishForm cutoverId={cutover.id} run={run} view={view} onDone={refresh} />}
            <UpdateList cutoverId={cutover.id} run={run} view={view} canRetract={canPublish} onDone={refresh} />
          </>
        )}
      </div>
    </Panel>
  );
}

function PublicAddress({ view }: { view: StatusPageView }) {
  if (!view.enabled || !view.slug) return <PanelNote testId="status-page-off">The public status page is off: nobody outside the room can see it.</PanelNote>;
  const path = `/status/${view.slug}`;
  return (
    <p className="text-sm" data-testid="status-page-link">
      Public at{" "}
      <a href={path} target="_blank" rel="noopener noreferrer" className="font-medium text-blue-700 underline dark:text-blue-300">
        {path}
      </a>{" "}
      (no sign-in) · <a href={`${path}/feed.atom`} className="text-blue-700 underline dark:text-blue-300">Atom feed</a> ·{" "}
      <a href={`${path}/status.json`} className="text-blue-700 underline dark:text-blue-300">JSON</a>
    </p>
  );
}

function SettingsForm({ cutoverId, run, view, onDone }: { cutoverId: string; run: RunCommand; view: StatusPageView; onDone: () => void }) {
  const { pending, error, onSubmit } = useCommandForm(async ({ data, text }, { exec }) => {
    const ok = await exec(() => run("status.configure", { cutoverId, enabled: data.get("enabled") === "on", slug: text("slug") || undefined, title: text("title") || null }));
    if (ok) onDone();
    return ok;
  });
  return (
    <CommandForm label="Status page settings" heading="Settings" onSubmit={onSubmit} error={error} errorTestId="status-settings-error">
      <CheckField label="Page on" name="enabled" defaultChecked={view.enabled} key={`on-${view.enabled}`} />
      <TextField
        label="Address (/status/…)"
        name="slug"
        defaultValue={view.slug ?? view.suggestedSlug}
        key={`slug-${view.slug}`}
        pattern="[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?"
        minLength={STATUS_LIMITS.slugMin}
        maxLength={STATUS_LIMITS.slugMax}
        title="lowercase letters, digits and hyphens"
        className="w-56"
      />
      <TextField label="Title readers see (empty: the cutover's name)" name="title" defaultValue={view.title ?? ""} key={`title-${view.title}`} maxLength={STATUS_LIMITS.title} className="w-72" />
      <SubmitButton pending={pending} busyLabel="Saving…">
        Save settings
      </SubmitButton>
    </CommandForm>
  );
}

interface FigureRow {
  key: number;
  label: string;
  value: string;
}

function PublishForm({ cutoverId, run, view, onDone }: { cutoverId: string; run: RunCommand; view: StatusPageView; onDone: () => void }) {
  const [figures, setFigures] = useState<FigureRow[]>([]);
  const [serial, setSerial] = useState(0);
  const addFigure = (label = "", value = "") => {
    if (figures.length >= STATUS_LIMITS.figures) return;
    setFigures([...figures, { key: serial, label, value }]);
    setSerial(serial + 1);
  };
  const setFigure = (key: number, change: Partial<FigureRow>) => setFigures(figures.map((f) => (f.key === key ? { ...f, ...change } : f)));
  const { pending, error, onSubmit } = useCommandForm(
    async ({ text }, { exec, setError }) => {
      const health = text("health");
      if (!isHealth(health)) return setError("Choose the health readers see");
      const next = text("next");
      const nextUpdateAt = next === "none" ? null : new Date(Date.now() + Number(next || DEFAULT_NEXT_UPDATE_MINUTES) * 60_000);
      const chosen = figures.filter((f) => f.label.trim() || f.value.trim()).map((f) => ({ label: f.label.trim(), value: f.value.trim() }));
      const ok = await exec(() => run("status.publish", { cutoverId, body: text("body"), health, figures: chosen, nextUpdateAt }));
      if (ok) {
        setFigures([]);
        onDone();
      }
      return ok;
    },
    { reset: true },
  );
  const withValues = view.metrics.filter((m) => m.value !== null);

  return (
    <CommandForm label="Publish a status update" heading="Publish an update" onSubmit={onSubmit} error={error} errorTestId="status-publish-error" className="space-y-2">
      <Field label="What readers should know (plain text, no names or internal links)" className="w-full">
        <textarea name="body" required maxLength={STATUS_LIMITS.body} rows={3} className={`${INPUT_CLASS} w-full`} />
      </Field>
      <SelectField label="Health readers see" name="health" options={HEALTH_OPTIONS} defaultValue="maintenance" />
      <SelectField label="Next update due" name="next" options={NEXT_OPTIONS} defaultValue={String(DEFAULT_NEXT_UPDATE_MINUTES)} />
      <div className="w-full space-y-1" role="group" aria-label="Figures to publish">
        {figures.map((f, i) => (
          <div key={f.key} className="flex flex-wrap items-end gap-2" data-testid="status-figure">
            <TextField label={`Figure ${i + 1} label`} value={f.label} onChange={(e) => setFigure(f.key, { label: e.target.value })} maxLength={STATUS_LIMITS.figureLabel} className="w-44" />
            <TextField label={`Figure ${i + 1} value`} value={f.value} onChange={(e) => setFigure(f.key, { value: e.target.value })} maxLength={STATUS_LIMITS.figureValue} className="w-32 tabular" />
            <button type="button" className={BUTTON_CLASS} aria-label={`Remove figure ${i + 1}`} onClick={() => setFigures(figures.filter((x) => x.key !== f.key))}>
              Remove
            </button>
          </div>
        ))}
        {figures.length < STATUS_LIMITS.figures && (
          <div className="flex flex-wrap items-end gap-2">
            <button type="button" className={BUTTON_CLASS} onClick={() => addFigure()}>
              Add a figure
            </button>
            {withValues.length > 0 && (
              <Field label="Publish a metric's current value">
                <select
                  className={INPUT_CLASS}
                  value=""
                  onChange={(e) => {
                    const m = withValues.find((x) => x.id === e.target.value);
                    if (m && m.value !== null) addFigure(m.name, formatMetricValue(m.value, m.unit));
                  }}
                >
                  <option value="">Choose a metric…</option>
                  {withValues.map((m) => (
                    <option key={m.id} value={m.id}>
                      {m.name}: {formatMetricValue(m.value!, m.unit)}
                    </option>
                  ))}
                </select>
              </Field>
            )}
          </div>
        )}
      </div>
      <SubmitButton pending={pending} busyLabel="Publishing…">
        Publish update
      </SubmitButton>
    </CommandForm>
  );
}

function UpdateList({ cutoverId, run, view, canRetract, onDone }: { cutoverId: string; run: RunCommand; view: StatusPageView; canRetract: boolean; onDone: () => void }) {
  const { pending, error, exec } = useCommand();
  return (
    <SubSection title="Published updates" testId="status-updates">
      <PanelError message={error} testId="status-retract-error" />
      {view.updates.length === 0 ? (
        <PanelNote>Nothing published yet.</PanelNote>
      ) : (
        <ol className="space-y-2">
          {view.updates.map((u) => (
            <li key={u.id} className={`rounded border border-neutral-200 px-3 py-2 text-sm dark:border-neutral-800 ${u.retractedAt ? "opacity-70" : ""}`} data-testid="status-update-row">
              <p className="text-xs text-neutral-600 dark:text-neutral-300">
                <time dateTime={u.publishedAt}>{formatUtc(u.publishedAt)}</time> · <strong>{HEALTH_LABELS[u.health]}</strong> · by {u.publishedBy}
                {u.nextUpdateAt && !u.retractedAt && <> · next update due {formatUtc(u.nextUpdateAt)}</>}
                {u.retractedAt && <> · retracted by {u.retractedBy ?? "someone"} at {formatUtc(u.retractedAt)}</>}
              </p>
              <p className={`whitespace-pre-wrap ${u.retractedAt ? "line-through" : ""}`}>{u.body}</p>
              {u.figures.length > 0 && (
                <dl className="mt-1 flex flex-wrap gap-3 text-xs">
                  {u.figures.map((f, i) => (
                    <div key={i}>
                      <dt className="text-neutral-600 dark:text-neutral-300">{f.label}</dt>
                      <dd className="tabular font-medium">{f.value}</dd>
                    </div>
                  ))}
                </dl>
              )}
              {canRetract && !u.retractedAt && (
                <div className="mt-1 flex gap-2">
                  <ConfirmRemove
                    verb="Retract"
                    label={`Retract the update of ${formatUtc(u.publishedAt)}`}
                    confirmLabel="Retract from the public page"
                    pending={pending}
                    onRemove={async () => {
                      const ok = await exec(() => run("status.retract", { cutoverId, id: u.id }));
                      if (ok) onDone();
                      return ok;
                    }}
                  />
                </div>
              )}
            </li>
          ))}
        </ol>
      )}
    </SubSection>
  );
}

