"use client";
// Are we healthy: a tile per metric (old and new side by side), a chart per metric with its
// thresholds and the moments traffic moved or a decision closed, the success criteria, and for
// whoever may edit metrics: the Prometheus settings, the metric definitions and the metric gates.
// Samples arrive live on the socket and are appended to the cached view; the view itself is
// refetched only when something else in the cutover changes.
import { GateList } from "./gate-list";
import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { useContext, useRef, useState, type FormEvent } from "react";
import { ErrorNote } from "@/components/ui/error-note";
import { Field } from "@/components/ui/field";
import { MetricChart } from "@/components/charts/metric-chart";
import { METRIC_UNITS, staleAfterOf, tileState, type Direction, type MetricUnit, type Sample, type System } from "@/lib/domain/metrics";
import { checkPromql } from "@/lib/domain/promql";
import type { MetricsView } from "@/lib/services/metrics";
import type { CutoverStateJson } from "@/lib/services/cutover-read";
import { BUTTON_CLASS, INPUT_CLASS, PANEL_CLASS, formatUtc, submitForm, useCommand } from "./format";
import { MetricTile, formatMetricValue, type MetricSeries } from "./metric-tile";
import { ConfirmRemove, LoadError, MetricSelect, PanelNote, RemoveButton, SubSection, SubmitButton, SystemSelect } from "./parts";
import { RoomEventsContext, useRoomEvents } from "./room-events";
import type { PanelProps, RunCommand } from "./types";
import { cutoverQueryKey } from "./use-live-cutover";

// --- the metrics view and its live samples -------------------------------------------------------

export const METRIC_RANGES = [
  { sec: 900, label: "15 min" },
  { sec: 3600, label: "1 h" },
  { sec: 21_600, label: "6 h" },
] as const;

/** The view as fetched, plus when it arrived (to line the browser's clock up with the server's). */
export type MetricsData = MetricsView & { receivedAt: number };

export function metricsQueryKey(cutoverId: string, rangeSec: number) {
  return [...cutoverQueryKey(cutoverId), "metrics", rangeSec] as const;
}

async function errorOf(res: Response): Promise<string> {
  const body = (await res.json().catch(() => null)) as { message?: string } | null;
  return body?.message ?? `HTTP ${res.status}`;
}

export async function fetchMetricsView(cutoverId: string, rangeSec: number): Promise<MetricsData> {
  const res = await fetch(`/api/v1/cutovers/${cutoverId}/metrics?rangeSec=${rangeSec}`, { cache: "no-store" });
  if (!res.ok) throw new Error(await errorOf(res));
  const view = (await res.json()) as MetricsView;
  return { ...view, receivedAt: Date.now() };
}

export interface SampledPoint {
  metricId: string;
  system: System;
  sample: Sample;
}

/** The samples of a `metrics.sampled` event ({ m, s, t, v, st, r }), malformed entries skipped. */
export function parseSampled(data: unknown): SampledPoint[] {
  const list = (data as { samples?: unknown } | null | undefined)?.samples;
  if (!Array.isArray(list)) return [];
  return list.flatMap((x: unknown) => {
    const p = (x ?? {}) as { m?: unknown; s?: unknown; t?: unknown; v?: unknown; st?: unknown; r?: unknown };
    if (typeof p.m !== "string" || (p.s !== "old" && p.s !== "new") || typeof p.t !== "number") return [];
    const sample: Sample =
      p.st === "ok" && typeof p.v === "number"
        ? { at: p.t, status: "ok", value: p.v }
        : { at: p.t, status: p.st === "error" ? "error" : "no_data", value: null, reason: typeof p.r === "string" ? p.r : "" };
    return [{ metricId: p.m, system: p.s, sample }];
  });
}

/**
 * The view with new samples appended: only samples newer than a series' last one (so two
 * listeners, or a refetch racing an event, never duplicate), the window kept to the range, and
 * the tile recomputed as of the newest sample.
 */
export function appendSamples(view: MetricsData, points: readonly SampledPoint[]): MetricsData {
  const staleAfter = staleAfterOf(view.settings.pollIntervalMs);
  let changed = false;
  const metrics = view.metrics.map((m) => {
    const mine = points.filter((p) => p.metricId === m.id);
    if (mine.length === 0) return m;
    let next = m;
    for (const system of ["old", "new"] as const) {
      const series = m[system];
      if (!series) continue;
      const lastAt = series.samples.at(-1)?.at ?? Number.NEGATIVE_INFINITY;
      const added = mine
        .filter((p) => p.system === system && p.sample.at > lastAt)
        .map((p) => p.sample)
        .sort((a, b) => a.at - b.at)
        .filter((s, i, list) => i === 0 || s.at !== list[i - 1]!.at);
      if (added.length === 0) continue;
      const latest = added.at(-1)!.at;
      const samples = [...series.samples, ...added].filter((s) => s.at > latest - view.rangeSec * 1000);
      const thresholds = { direction: m.direction as Direction, warning: m.warningThreshold, critical: m.criticalThreshold };
      const updated = { ...series, samples, tile: tileState(samples, thresholds, latest, staleAfter) };
      next = system === "old" ? { ...next, old: updated } : { ...next, new: updated };
      changed = true;
    }
    return next;
  });
  return changed ? { ...view, metrics } : view;
}

/**
 * The metrics view of a cutover over `rangeSec`, kept live: `metrics.sampled` events append to
 * every cached range of this cutover (no refetch per sample). Without the room's event context
 * (a page that did not provide it) it falls back to polling at the poll interval.
 */
export function useMetricsView(cutoverId: string, rangeSec: number) {
  const queryClient = useQueryClient();
  const events = useContext(RoomEventsContext);
  const query = useQuery({
    queryKey: metricsQueryKey(cutoverId, rangeSec),
    queryFn: () => fetchMetricsView(cutoverId, rangeSec),
    placeholderData: keepPreviousData,
    // Live samples arrive as events; gates and success criteria are evaluated on the server, so
    // the view is fetched again every 15 s to keep them current (every poll interval without events).
    refetchInterval: events ? 15_000 : (q) => Math.max(5000, q.state.data?.settings.pollIntervalMs ?? 5000),
    // A wall screen or a background tab must not show a gate as it was minutes ago.
    refetchIntervalInBackground: true,
  });
  useRoomEvents((e) => {
    if (e.type !== "metrics.sampled" || e.cutoverId !== cutoverId) return;
    const points = parseSampled(e.data);
    if (points.length === 0) return;
    queryClient.setQueriesData<MetricsData>({ queryKey: [...cutoverQueryKey(cutoverId), "metrics"] }, (old) => (old ? appendSamples(old, points) : old));
  });
  return query;
}

/** Stable formatter per unit (the charts are memoised on it). */
const formatters = new Map<string, (v: number) => string>();
export function formatterFor(unit: string): (v: number) => string {
  let f = formatters.get(unit);
  if (!f) formatters.set(unit, (f = (v: number) => formatMetricValue(v, unit)));
  return f;
}

// --- the panel ---------------------------------------------------------------------------------

export function MetricsPanel({ cutover, run, now, can }: PanelProps) {
  const [rangeSec, setRangeSec] = useState<number>(900);
  const { data, error, isPending, isPlaceholderData, refetch, isFetching } = useMetricsView(cutover.id, rangeSec);
  const canEdit = can("metrics.edit");
  // Samples carry the server's clock: line ours up with it for staleness and the chart window.
  const serverNow = data ? now + (data.now - data.receivedAt) : now;
  const staleAfterMs = staleAfterOf(data?.settings.pollIntervalMs ?? 5000);
  const windowSec = data?.rangeSec ?? rangeSec;
  // The chart window moves in 5 s steps so the memoised charts redraw at most that often.
  const to = Math.ceil(serverNow / 5000) * 5000;
  const from = to - windowSec * 1000;
  const source = data ? (data.settings.prometheusSource ?? data.settings.defaultSource) : null;

  return (
    <section aria-labelledby="metrics-heading" className={PANEL_CLASS} data-testid="metrics-panel">
      <header className="flex flex-wrap items-center justify-between gap-2 border-b border-neutral-200 px-3 py-2 dark:border-neutral-800">
        <h2 id="metrics-heading" className="font-semibold">
          Metrics
        </h2>
        <div role="group" aria-label="Time range" data-testid="range-selector" className="inline-flex overflow-hidden rounded border border-neutral-300 text-sm dark:border-neutral-700">
          {METRIC_RANGES.map((r) => (
            <button
              key={r.sec}
              type="button"
              aria-pressed={rangeSec === r.sec}
              onClick={() => setRangeSec(r.sec)}
              className={`px-2 py-0.5 ${rangeSec === r.sec ? "bg-blue-700 text-white" : "hover:bg-neutral-100 dark:hover:bg-neutral-800"}`}
            >
              {r.label}
            </button>
          ))}
        </div>
        {data && (
          <p className="w-full text-xs text-neutral-500">
            {source ? (
              <>
                Prometheus <span className="font-mono">{source}</span>
                {data.settings.prometheusSource === null && " (server default)"}
              </>
            ) : (
              "No Prometheus source"
            )}{" "}
            · polled every <span className="tabular">{Math.round(data.settings.pollIntervalMs / 1000)}</span> s · samples kept{" "}
            <span className="tabular">{data.settings.sampleRetentionDays}</span> days · times in {cutover.timeZone}
            {(isPlaceholderData || isFetching) && <span className="ml-2">updating…</span>}
          </p>
        )}
      </header>

      {error && <LoadError message={`Could not load the metrics: ${error.message}. Try again; the tiles below may be out of date.`} testId="metrics-load-error" onRetry={() => void refetch()} />}

      {isPending && !data && <PanelNote>Loading metrics…</PanelNote>}

      {data && (
        <>
          {!source && (
            <p role="alert" className="mx-3 mt-2 rounded border border-amber-400 bg-amber-50 px-2 py-1 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100">
              No Prometheus to ask: every metric says “no data” until a Prometheus source is picked{canEdit ? " below" : " by the Deployment Lead"} (or the server has a default source).
            </p>
          )}

          {data.metrics.length === 0 ? (
            <PanelNote>No metrics yet.{canEdit ? " Add one below: a name, a unit and the PromQL query for the old and the new system." : ""}</PanelNote>
          ) : (
            <div className="grid gap-2 p-3 sm:grid-cols-2 lg:grid-cols-3 xl:grid-cols-4" data-testid="metric-tiles">
              {data.metrics.map((m) => (
                <MetricTile key={m.id} metric={m} timeZone={cutover.timeZone} now={serverNow} staleAfterMs={staleAfterMs} oldLabel={cutover.systemFrom} newLabel={cutover.systemTo} />
              ))}
            </div>
          )}

          <SuccessCriteria criteria={data.successCriteria} />

          {data.metrics.length > 0 && (
            <div className="grid gap-4 border-t border-neutral-200 p-3 lg:grid-cols-2 dark:border-neutral-800" data-testid="metric-charts">
              {data.metrics.map((m) => (
                <MetricChart
                  key={m.id}
                  name={m.name}
                  unit={m.unit}
                  old={m.old?.samples ?? null}
                  new={m.new?.samples ?? null}
                  warning={m.warningThreshold}
                  critical={m.criticalThreshold}
                  markers={data.markers}
                  timeZone={cutover.timeZone}
                  from={from}
                  to={to}
                  gapMs={staleAfterMs}
                  format={formatterFor(m.unit)}
                  oldLabel={`old (${cutover.systemFrom})`}
                  newLabel={`new (${cutover.systemTo})`}
                />
              ))}
            </div>
          )}

          {canEdit && <MetricsEditor cutover={cutover} data={data} run={run} />}
        </>
      )}
    </section>
  );
}

function SuccessCriteria({ criteria }: { criteria: MetricsView["successCriteria"] }) {
  return (
    <SubSection title="Success criteria" testId="success-criteria">
      {criteria.length === 0 ? (
        <p className="text-sm text-neutral-500">None yet: a success criterion is a metric gate that says the new system is healthy (e.g. error rate (new) &lt; 1 % over 30 min).</p>
      ) : (
        <GateList gates={criteria} testId="success-criterion" words={{ passed: "Met: ", failed: "Not met: " }} className="mt-1 space-y-1 text-sm" />
      )}
    </SubSection>
  );
}

// --- the editor --------------------------------------------------------------------------------

function MetricsEditor({ cutover, data, run }: { cutover: CutoverStateJson; data: MetricsData; run: RunCommand }) {
  const [editing, setEditing] = useState<string | "new" | null>(null);
  const editingMetric = editing && editing !== "new" ? data.metrics.find((m) => m.id === editing) : undefined;
  const formHeading = useRef<HTMLHeadingElement>(null);
  // Kept here: the settings form remounts with the saved values, and the "Saved." must survive it.
  const [settingsSaved, setSettingsSaved] = useState(false);

  return (
    <div className="border-t border-neutral-200 dark:border-neutral-800" data-testid="metrics-editor">
      <h3 className="px-3 pt-2 text-sm font-semibold">Metric settings</h3>
      <PrometheusSettingsForm key={JSON.stringify(data.settings)} cutoverId={cutover.id} settings={data.settings} run={run} saved={settingsSaved} onSaved={setSettingsSaved} />

      <div className="px-3 py-2">
        <h4 className="text-xs font-medium uppercase text-neutral-500">Metrics</h4>
        <ul className="mt-1 divide-y divide-neutral-100 text-sm dark:divide-neutral-800">
          {data.metrics.map((m) => (
            <MetricRow
              key={m.id}
              metric={m}
              cutoverId={cutover.id}
              run={run}
              onEdit={() => {
                setEditing(m.id);
                requestAnimationFrame(() => formHeading.current?.focus());
              }}
            />
          ))}
        </ul>
        {editing === null && (
          <button type="button" className={`${BUTTON_CLASS} mt-2`} onClick={() => setEditing("new")}>
            Add metric
          </button>
        )}
      </div>

      {editing !== null && (editing === "new" || editingMetric) && (
        <MetricForm
          key={editing}
          headingRef={formHeading}
          cutoverId={cutover.id}
          metric={editingMetric}
          run={run}
          onDone={() => setEditing(null)}
        />
      )}

      <GatesEditor cutover={cutover} data={data} run={run} />
    </div>
  );
}

function MetricRow({ metric: m, cutoverId, run, onEdit }: { metric: MetricSeries; cutoverId: string; run: RunCommand; onEdit: () => void }) {
  const { pending, error, exec } = useCommand();
  return (
    <li className="py-1.5" data-testid="metric-definition" data-metric={m.name}>
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-medium">{m.name}</span>
        <span className="text-xs text-neutral-500">
          {m.unit} · {m.system === "both" ? "old and new" : `${m.system} only`} · {m.direction === "above" ? "higher is worse" : "lower is worse"}
        </span>
        <span className="ml-auto flex gap-1">
          <button type="button" className={BUTTON_CLASS} onClick={onEdit} aria-label={`Edit metric ${m.name}`}>
            Edit
          </button>
          <ConfirmRemove label={`Remove metric ${m.name}`} confirmLabel={`Remove ${m.name}`} pending={pending} onRemove={() => exec(() => run("metric.remove", { cutoverId, id: m.id }))} />
        </span>
      </div>
      <ErrorNote message={error} testId="metric-remove-error" />
    </li>
  );
}

// Prometheus: URL, credentials (write-only), poll interval and retention.
/** The cutover's Prometheus, picked by name from the catalog (an administrator defines sources), and the polling. */
function PrometheusSettingsForm({
  cutoverId,
  settings,
  run,
  saved,
  onSaved: setSaved,
}: {
  cutoverId: string;
  settings: MetricsData["settings"];
  run: RunCommand;
  saved: boolean;
  onSaved: (saved: boolean) => void;
}) {
  const { pending, error, exec, setError } = useCommand();
  const choices = settings.choices ?? [];

  const onSubmit = submitForm(async ({ text }) => {
    setSaved(false);
    const source = text("prometheusSource");
    const pollSec = Number(text("pollSeconds"));
    const retention = Number(text("retentionDays"));
    if (!Number.isFinite(pollSec) || pollSec < 1 || pollSec > 600) return setError("Poll interval: 1 to 600 seconds");
    if (!Number.isInteger(retention) || retention < 1 || retention > 365) return setError("Retention: 1 to 365 whole days");
    const ok = await exec(() =>
      run("metrics.settings", {
        cutoverId,
        prometheusSource: source === "" ? null : source,
        pollIntervalMs: Math.round(pollSec * 1000),
        sampleRetentionDays: retention,
      }),
    );
    if (ok) setSaved(true);
  });

  return (
    <form onSubmit={onSubmit} aria-label="Prometheus settings" className="px-3 py-2 text-sm" autoComplete="off">
      <h4 className="text-xs font-medium uppercase text-neutral-500">Prometheus</h4>
      <div className="mt-1 flex flex-wrap items-end gap-2">
        <Field label="Prometheus source">
          <select name="prometheusSource" defaultValue={settings.prometheusSource ?? ""} className={`${INPUT_CLASS} w-72`}>
            <option value="">{settings.defaultSource ? `server default (${settings.defaultSource})` : "none"}</option>
            {choices.map((c) => (
              <option key={c.name} value={c.name}>
                {c.name}
                {c.source === "file" ? " (server configuration)" : ""}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Poll every (s)">
          <input name="pollSeconds" type="number" min={1} max={600} step={1} required defaultValue={Math.round(settings.pollIntervalMs / 1000)} className={`${INPUT_CLASS} w-20 tabular`} />
        </Field>
        <Field label="Keep samples (days)">
          <input name="retentionDays" type="number" min={1} max={365} step={1} required defaultValue={settings.sampleRetentionDays} className={`${INPUT_CLASS} w-20 tabular`} />
        </Field>
        <SubmitButton pending={pending} busyLabel="Saving…">
          Save settings
        </SubmitButton>
      </div>
      <p className="mt-1 text-xs text-neutral-500" data-testid="prometheus-source-note">
        Sources, their addresses and credentials are kept by administrators (Administration → Integrations); the room picks one by name.
        {saved && <span className="ml-2 text-green-800 dark:text-green-300">Saved.</span>}
      </p>
      <ErrorNote message={error} testId="metrics-settings-error" />
    </form>
  );
}

// One metric: name, unit, system, the queries (checked as typed), direction and thresholds.
function parseOptionalNumber(text: string): { ok: true; value: number | null } | { ok: false } {
  const t = text.trim();
  if (t === "") return { ok: true, value: null };
  const n = Number(t);
  return Number.isFinite(n) ? { ok: true, value: n } : { ok: false };
}

function MetricForm({
  cutoverId,
  metric,
  run,
  onDone,
  headingRef,
}: {
  cutoverId: string;
  metric: MetricSeries | undefined;
  run: RunCommand;
  onDone: () => void;
  headingRef: React.RefObject<HTMLHeadingElement | null>;
}) {
  const { pending, error, exec } = useCommand();
  const [name, setName] = useState(metric?.name ?? "");
  const [unit, setUnit] = useState<MetricUnit>(((METRIC_UNITS as readonly string[]).includes(metric?.unit ?? "") ? metric!.unit : "%") as MetricUnit);
  const [system, setSystem] = useState<"both" | "old" | "new">((metric?.system as "both" | "old" | "new" | undefined) ?? "both");
  const [queryOld, setQueryOld] = useState(metric?.queryOld ?? "");
  const [queryNew, setQueryNew] = useState(metric?.queryNew ?? "");
  const [direction, setDirection] = useState<Direction>((metric?.direction as Direction | undefined) ?? "above");
  const [warning, setWarning] = useState(metric?.warningThreshold?.toString() ?? "");
  const [critical, setCritical] = useState(metric?.criticalThreshold?.toString() ?? "");

  const needsOld = system !== "new";
  const needsNew = system !== "old";
  const oldCheck = needsOld ? checkPromql(queryOld) : null;
  const newCheck = needsNew ? checkPromql(queryNew) : null;
  const w = parseOptionalNumber(warning);
  const c = parseOptionalNumber(critical);
  let thresholdError: string | null = null;
  if (!w.ok) thresholdError = "Warning must be a number (or blank)";
  else if (!c.ok) thresholdError = "Critical must be a number (or blank)";
  else if (w.value !== null && c.value !== null && (direction === "above" ? w.value > c.value : w.value < c.value)) {
    thresholdError = direction === "above" ? "Higher is worse: the warning threshold must not be above the critical one" : "Lower is worse: the warning threshold must not be below the critical one";
  }
  const problems = [
    !name.trim() ? "a name" : null,
    oldCheck && !oldCheck.ok ? "a valid query for old" : null,
    newCheck && !newCheck.ok ? "a valid query for new" : null,
    thresholdError ? "valid thresholds" : null,
  ].filter((p): p is string => p !== null);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (problems.length > 0 || !w.ok || !c.ok) return;
    const ok = await exec(() =>
      run("metric.save", {
        cutoverId,
        ...(metric && { id: metric.id }),
        name: name.trim(),
        unit,
        system,
        queryOld: needsOld ? queryOld.trim() : null,
        queryNew: needsNew ? queryNew.trim() : null,
        direction,
        warningThreshold: w.value,
        criticalThreshold: c.value,
      }),
    );
    if (ok) onDone();
  }

  const formId = metric ? `metric-form-${metric.id}` : "metric-form-new";
  return (
    <form onSubmit={onSubmit} aria-labelledby={`${formId}-heading`} className="border-t border-neutral-200 px-3 py-2 text-sm dark:border-neutral-800" data-testid="metric-form">
      <h4 id={`${formId}-heading`} ref={headingRef} tabIndex={-1} className="text-xs font-medium uppercase text-neutral-500">
        {metric ? `Edit metric “${metric.name}”` : "Add a metric"}
      </h4>
      <div className="mt-1 flex flex-wrap items-end gap-2">
        <Field label="Metric name">
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} className={`${INPUT_CLASS} w-48`} />
        </Field>
        <Field label="Unit">
          <select value={unit} onChange={(e) => setUnit(e.target.value as MetricUnit)} className={INPUT_CLASS}>
            {METRIC_UNITS.map((u) => (
              <option key={u} value={u}>
                {u}
              </option>
            ))}
          </select>
        </Field>
        <Field label="System">
          <select value={system} onChange={(e) => setSystem(e.target.value as "both" | "old" | "new")} className={INPUT_CLASS}>
            <option value="both">old and new</option>
            <option value="old">old only</option>
            <option value="new">new only</option>
          </select>
        </Field>
        <Field label="Direction">
          <select value={direction} onChange={(e) => setDirection(e.target.value as Direction)} className={INPUT_CLASS}>
            <option value="above">higher is worse</option>
            <option value="below">lower is worse</option>
          </select>
        </Field>
        <Field label="Warning">
          <input value={warning} onChange={(e) => setWarning(e.target.value)} inputMode="decimal" placeholder="none" className={`${INPUT_CLASS} w-24 tabular`} />
        </Field>
        <Field label="Critical">
          <input value={critical} onChange={(e) => setCritical(e.target.value)} inputMode="decimal" placeholder="none" className={`${INPUT_CLASS} w-24 tabular`} />
        </Field>
      </div>
      {thresholdError && (
        <p className="mt-1 text-xs text-red-700 dark:text-red-400" data-testid="threshold-error">
          {thresholdError}
        </p>
      )}
      <div className="mt-2 grid gap-2 lg:grid-cols-2">
        {needsOld && <QueryField label="Query (old)" value={queryOld} onChange={setQueryOld} check={oldCheck} cutoverId={cutoverId} unit={unit} run={run} />}
        {needsNew && <QueryField label="Query (new)" value={queryNew} onChange={setQueryNew} check={newCheck} cutoverId={cutoverId} unit={unit} run={run} />}
      </div>
      <div className="mt-2 flex flex-wrap items-center gap-2">
        <SubmitButton pending={pending} busyLabel="Saving…" disabled={problems.length > 0}>
          Save metric
        </SubmitButton>
        <button type="button" onClick={onDone} className={BUTTON_CLASS}>
          Cancel
        </button>
        {problems.length > 0 && <span className="text-xs text-neutral-500">Needs {problems.join(", ")}.</span>}
      </div>
      <ErrorNote message={error} testId="metric-save-error" />
    </form>
  );
}

function QueryField({
  label,
  value,
  onChange,
  check,
  cutoverId,
  unit,
  run,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  check: ReturnType<typeof checkPromql> | null;
  cutoverId: string;
  unit: string;
  run: RunCommand;
}) {
  const id = `q-${label.replace(/\W+/g, "-").toLowerCase()}`;
  const invalid = check !== null && !check.ok && value.trim() !== "";
  const { pending, error, exec } = useCommand();
  const [result, setResult] = useState<{ query: string; sample: Sample } | null>(null);

  async function test() {
    setResult(null);
    const query = value.trim();
    await exec(async () => {
      const r = await run("metric.test", { cutoverId, query });
      if (r.ok) setResult({ query, sample: r.data as Sample });
      return r;
    });
  }

  return (
    <fieldset className="min-w-0" aria-label={label}>
      <label htmlFor={id} className="text-xs text-neutral-500">
        {label}
      </label>
      <textarea
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        rows={3}
        spellCheck={false}
        maxLength={10_000}
        aria-invalid={invalid}
        aria-describedby={`${id}-check`}
        className={`${INPUT_CLASS} block w-full font-mono text-xs ${invalid ? "border-red-600 dark:border-red-500" : ""}`}
        placeholder='sum(rate(http_requests_total{service="new"}[1m]))'
      />
      <p id={`${id}-check`} className={`mt-0.5 text-xs ${invalid ? "text-red-700 dark:text-red-400" : "text-neutral-500"}`} data-testid="promql-check" data-valid={check?.ok ?? false}>
        {value.trim() === "" ? "Enter a PromQL query." : check?.ok ? "Valid PromQL." : check && !check.ok ? check.error : ""}
      </p>
      <div className="mt-1 flex flex-wrap items-center gap-2">
        <button type="button" className={BUTTON_CLASS} disabled={pending || !check?.ok} onClick={() => void test()}>
          {pending ? "Testing…" : "Test query"}
        </button>
        {result && result.query === value.trim() && <QueryResult sample={result.sample} unit={unit} />}
      </div>
      <ErrorNote message={error} testId="query-test-error" />
    </fieldset>
  );
}

function QueryResult({ sample, unit }: { sample: Sample; unit: string }) {
  if (sample.status === "ok") {
    return (
      <span data-testid="query-test-result" data-status="ok" className="text-xs">
        Current value: <span className="font-semibold tabular">{formatMetricValue(sample.value, unit)}</span>{" "}
        <span className="text-neutral-500" title={formatUtc(sample.at)}>
          (now)
        </span>
      </span>
    );
  }
  return (
    <span data-testid="query-test-result" data-status={sample.status} className="text-xs text-amber-800 dark:text-amber-300">
      {sample.status === "error" ? "Error" : "No data"}: {sample.reason || "no reason given"}
    </span>
  );
}

// Metric gates: a condition over a window, on a decision point or as a success criterion.
const OPS = ["<", "<=", ">", ">="] as const;
type Op = (typeof OPS)[number];
const OP_LABEL: Record<Op, string> = { "<": "<", "<=": "≤", ">": ">", ">=": "≥" };

function GatesEditor({ cutover, data, run }: { cutover: CutoverStateJson; data: MetricsData; run: RunCommand }) {
  const { pending, error, exec, setError } = useCommand();
  const [kind, setKind] = useState<"threshold" | "ratio">("threshold");
  const openDecisions = cutover.decisions.filter((d) => d.state !== "proceed" && d.state !== "abort");
  const decisionTitle = new Map(cutover.decisions.map((d) => [d.id, d.title]));

  const onSubmit = submitForm(
    ({ text }) => {
      const metricId = text("metricId");
      const target = text("target");
      const windowSec = Number(text("windowSec"));
      const op = text("op") as Op;
      if (!metricId) return setError("Choose a metric");
      if (!Number.isInteger(windowSec) || windowSec < 10 || windowSec > 86_400) return setError("The window is 10 to 86,400 whole seconds");
      let condition: { kind: "threshold"; system: System; op: Op; value: number; windowSec: number } | { kind: "ratio"; op: Op; factor: number; windowSec: number };
      if (kind === "threshold") {
        const value = Number(text("value"));
        if (text("value") === "" || !Number.isFinite(value)) return setError("The threshold must be a number");
        condition = { kind: "threshold", system: text("system") === "old" ? "old" : "new", op, value, windowSec };
      } else {
        const factor = Number(text("factor"));
        if (!Number.isFinite(factor) || factor <= 0) return setError("The factor must be a positive number, e.g. 1.2");
        condition = { kind: "ratio", op, factor, windowSec };
      }
      return exec(() =>
        run("gate.add", { cutoverId: cutover.id, metricId, decisionId: target === "success" ? null : target, successCriterion: target === "success", condition }),
      );
    },
    { reset: true },
  );

  return (
    <SubSection title="Metric gates" testId="gates-editor" level={4}>
      {data.gates.length === 0 ? (
        <p className="text-neutral-500">No metric gates yet. A gate holds a decision point (or the success criteria) to a metric over a window.</p>
      ) : (
        <ul className="mt-1 space-y-1">
          {data.gates.map((g) => (
            <GateRow key={g.id} gate={g} target={g.successCriterion ? "success criterion" : g.decisionId ? `decision “${decisionTitle.get(g.decisionId) ?? "unknown"}”` : "no decision"} cutoverId={cutover.id} run={run} />
          ))}
        </ul>
      )}
      {data.metrics.length > 0 && (
        <form onSubmit={onSubmit} aria-label="Add a metric gate" className="mt-2">
          <div className="flex flex-wrap items-end gap-2">
            <Field label="Metric">
              <MetricSelect metrics={data.metrics} />
            </Field>
            <Field label="Gate for">
              <select name="target" className={INPUT_CLASS} defaultValue="success">
                <option value="success">Success criterion</option>
                {openDecisions.map((d) => (
                  <option key={d.id} value={d.id}>
                    Decision: {d.title}
                  </option>
                ))}
              </select>
            </Field>
            <fieldset className="flex items-center gap-2">
              <legend className="text-xs text-neutral-500">Kind</legend>
              <label className="inline-flex items-center gap-1">
                <input type="radio" name="kind" value="threshold" checked={kind === "threshold"} onChange={() => setKind("threshold")} />
                threshold
              </label>
              <label className="inline-flex items-center gap-1">
                <input type="radio" name="kind" value="ratio" checked={kind === "ratio"} onChange={() => setKind("ratio")} />
                new vs old ratio
              </label>
            </fieldset>
            {kind === "threshold" && (
              <Field label="System">
                <SystemSelect />
              </Field>
            )}
            <Field label={kind === "threshold" ? "Must be" : "New must be"}>
              <select name="op" className={INPUT_CLASS} defaultValue={kind === "threshold" ? "<" : "<="}>
                {OPS.map((o) => (
                  <option key={o} value={o}>
                    {OP_LABEL[o]}
                  </option>
                ))}
              </select>
            </Field>
            {kind === "threshold" ? (
              <Field label="Threshold">
                <input name="value" inputMode="decimal" required className={`${INPUT_CLASS} w-24 tabular`} />
              </Field>
            ) : (
              <Field label="× old">
                <input name="factor" inputMode="decimal" required defaultValue="1.2" className={`${INPUT_CLASS} w-20 tabular`} />
              </Field>
            )}
            <Field label="Over the last (s)">
              <input name="windowSec" type="number" min={10} max={86_400} step={1} required defaultValue={300} className={`${INPUT_CLASS} w-24 tabular`} />
            </Field>
            <SubmitButton pending={pending} busyLabel="Adding…">
              Add gate
            </SubmitButton>
          </div>
          <ErrorNote message={error} testId="gate-add-error" />
        </form>
      )}
    </SubSection>
  );
}

function GateRow({ gate, target, cutoverId, run }: { gate: MetricsView["gates"][number]; target: string; cutoverId: string; run: RunCommand }) {
  const { pending, error, exec } = useCommand();
  return (
    <li data-testid="metric-gate" className="flex flex-wrap items-center gap-2">
      <span>{gate.label}</span>
      <span className="text-xs text-neutral-500">{target}</span>
      <RemoveButton label={`Remove gate: ${gate.label}`} pending={pending} className="ml-auto" onClick={() => void exec(() => run("gate.remove", { cutoverId, id: gate.id }))} />
      <ErrorNote message={error} testId="gate-remove-error" />
    </li>
  );
}

