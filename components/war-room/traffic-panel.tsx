"use client";
// Where traffic is and how it moves: the split, the planned steps, "Shift to N %" behind a confirm
// dialog (with the Deployment Lead's override when the go/no-go decision is missing), the
// triggers with their live state, recent changes and rollbacks, and the router and rollback hooks
// picked by name from the integrations catalog (their settings never reach the browser).
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { ErrorNote } from "@/components/ui/error-note";
import { Field } from "@/components/ui/field";
import { isEnded } from "@/lib/domain/cutover-state";
import { parseSteps } from "@/lib/domain/traffic-steps";
import type { TrafficView } from "@/lib/schemas/views";
import type { CutoverStateJson } from "@/lib/services/cutover-read";
import { BUTTON_CLASS, DANGER_BUTTON_CLASS, INPUT_CLASS, PANEL_CLASS, PRIMARY_BUTTON_CLASS, formatUtc, formatWallTime, submitForm, useCommand } from "./format";
import { formatThreshold } from "./metric-tile";
import { useMetricsView } from "./metrics-panel";
import { ConfirmRemove, LoadError, MetricSelect, RemoveButton, SubSection, SubmitButton, SystemSelect } from "./parts";
import { useRoomEvents } from "./room-events";
import type { PanelProps, RunCommand } from "./types";
import { cutoverQueryKey } from "./use-live-cutover";

// --- the traffic view --------------------------------------------------------------------------

export type TrafficData = TrafficView;
type Trigger = TrafficData["triggers"][number];
type Change = TrafficData["changes"][number];
type RollbackRecord = TrafficData["rollbacks"][number];
type Hook = TrafficData["hooks"][number];

export function trafficQueryKey(cutoverId: string) {
  return [...cutoverQueryKey(cutoverId), "traffic"] as const;
}

export async function fetchTrafficView(cutoverId: string): Promise<TrafficData> {
  const res = await fetch(`/api/v1/cutovers/${cutoverId}/traffic`, { cache: "no-store" });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { message?: string } | null;
    throw new Error(body?.message ?? `HTTP ${res.status}`);
  }
  return (await res.json()) as TrafficData;
}

/** The traffic view; every live event of the cutover refetches it (its key is under ["cutover", id]). */
export function useTrafficView(cutoverId: string) {
  return useQuery({ queryKey: trafficQueryKey(cutoverId), queryFn: () => fetchTrafficView(cutoverId) });
}

/** "edge-haproxy (HAProxy)": the router by its catalog name and kind; its settings never reach the room. */
export function describeRouter(router: TrafficData["router"] | undefined): string {
  if (!router) return "no router configured";
  return `${router.name} (${router.kind ? (INTEGRATION_KIND_LABEL[router.kind] ?? router.kind) : "no longer defined"})`;
}

// --- small shared pieces -----------------------------------------------------------------------

/** "3:12" (or "1:02:03"); never negative. */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")}` : `${m}:${String(s).padStart(2, "0")}`;
}

function Time({ at, cutover }: { at: string | null; cutover: CutoverStateJson }) {
  if (!at) return <span className="text-neutral-400">—</span>;
  return (
    <time dateTime={at} title={formatUtc(at)} className="whitespace-nowrap tabular">
      {formatWallTime(at, cutover.timeZone, cutover.tZero, true)}
    </time>
  );
}

// --- triggers, live ----------------------------------------------------------------------------

type TriggerStateName = "inactive" | "pending" | "firing";
interface TriggerEvent {
  triggerId: string;
  state: TriggerStateName;
  outcome: string | null;
  firesAt: number | null;
  notice: string | null;
  value: number | null;
  receivedAt: number;
}

function parseTriggerEvent(data: Record<string, unknown> | undefined): Omit<TriggerEvent, "receivedAt"> | null {
  if (!data || typeof data.triggerId !== "string") return null;
  const state = data.state === "pending" || data.state === "firing" ? data.state : "inactive";
  return {
    triggerId: data.triggerId,
    state,
    outcome: typeof data.outcome === "string" ? data.outcome : null,
    firesAt: typeof data.firesAt === "number" ? data.firesAt : null,
    notice: typeof data.notice === "string" && data.notice ? data.notice : null,
    value: typeof data.value === "number" ? data.value : null,
  };
}

export type LiveTrigger = Trigger & {
  liveState: TriggerStateName;
  /** When a pending rule fires if the condition keeps holding (ms, server clock). */
  firesAt: number | null;
  /** What the room is told about this rule now (automation paused, no data). */
  notice: string | null;
};

function mergeTrigger(t: Trigger, ev: TriggerEvent | undefined, viewAt: number): LiveTrigger {
  const eventNewer = ev !== undefined && ev.receivedAt > viewAt;
  const liveState: TriggerStateName = eventNewer ? ev.state : t.state === "pending" || t.state === "firing" ? t.state : "inactive";
  const pendingSince = t.pendingSince ? Date.parse(t.pendingSince) : null;
  const firesAt = liveState !== "pending" ? null : eventNewer ? ev.firesAt : pendingSince !== null ? pendingSince + t.forSeconds * 1000 : null;
  const outcome = eventNewer ? ev.outcome : t.lastOutcome;
  const notice =
    ev && ev.outcome === outcome
      ? ev.notice
      : outcome === "error"
        ? "Automation paused: the metrics provider failed"
        : outcome === "no_data"
          ? `No data for ${t.metric} (${t.system})`
          : null;
  return { ...t, liveState, firesAt, notice };
}

/**
 * The cutover's triggers with their live state: the traffic view, overridden by `trigger.state`
 * events newer than it (the events also carry the countdown's end and the room's notice).
 */
export function useLiveTriggers(cutoverId: string) {
  const query = useTrafficView(cutoverId);
  const [events, setEvents] = useState<Record<string, TriggerEvent>>({});
  useRoomEvents((e) => {
    if (e.type !== "trigger.state" || e.cutoverId !== cutoverId) return;
    const d = parseTriggerEvent(e.data);
    if (d) setEvents((prev) => ({ ...prev, [d.triggerId]: { ...d, receivedAt: Date.now() } }));
  });
  const triggers = (query.data?.triggers ?? []).map((t) => mergeTrigger(t, events[t.id], query.dataUpdatedAt));
  return { query, triggers };
}

/** "Error rate (new) > 5 % for 30 s". */
export function triggerCondition(t: Pick<Trigger, "metric" | "system" | "comparison" | "threshold" | "unit" | "forSeconds">): string {
  return `${t.metric} (${t.system}) ${t.comparison} ${formatThreshold(t.threshold, t.unit)} for ${t.forSeconds} s`;
}

/** "rollback", "shift to 50 %", "alert". */
export function triggerActionName(t: Pick<Trigger, "action" | "shiftToPercent">): string {
  return t.action === "rollback" ? "rollback" : t.action === "shift" ? `shift to ${t.shiftToPercent ?? "?"} %` : "alert";
}

/** "automatic rollback in 3:12 unless Error rate recovers". */
export function pendingText(t: LiveTrigger, now: number): string {
  const when = t.firesAt !== null ? `in ${formatCountdown(t.firesAt - now)}` : `after ${t.forSeconds} s`;
  const what = t.mode === "automatic" ? (t.action === "alert" ? "alert" : `automatic ${triggerActionName(t)}`) : `${triggerActionName(t)} recommended`;
  return `${what} ${when} unless ${t.metric} recovers`;
}

// --- the shift button --------------------------------------------------------------------------

/**
 * "Shift to N %" (the next planned step) for whoever may shift, behind a confirm dialog. When
 * the server refuses because the step's go/no-go decision is not PROCEED, the Deployment Lead may
 * override it with a note. Usable on its own (e.g. in the header).
 */
export function ShiftButton({ cutover, run, can }: Pick<PanelProps, "cutover" | "run" | "can">) {
  const { data: view } = useTrafficView(cutover.id);
  const [plan, setPlan] = useState<{ from: number; to: number } | null>(null);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [gate, setGate] = useState<string | null>(null);
  const [note, setNote] = useState("");
  const [done, setDone] = useState<string | null>(null);

  const current = view?.percent ?? cutover.trafficPercent;
  const steps = view ? view.steps.map((s) => s.percent) : cutover.trafficSteps.map((s) => s.percent);
  const next = steps.find((p) => p > current);
  if (!can("traffic.shift") || isEnded(cutover.state)) return null;

  function close() {
    setPlan(null);
    setGate(null);
    setNote("");
    setError(null);
  }

  async function submit(override: boolean) {
    if (!plan) return;
    setPending(true);
    setError(null);
    try {
      const r = await run("traffic.shift", { cutoverId: cutover.id, toPercent: plan.to, ...(override && { override: true, note: note.trim() }) });
      if (r.ok) {
        const d = r.data as { from: number; to: number; durationMs: number };
        setDone(`Shifted ${d.from} % → ${d.to} % new, verified in ${d.durationMs} ms`);
        close();
      } else if (!override && r.reason === "override_required") {
        setGate(r.message);
      } else {
        setError(r.message);
      }
    } catch {
      setError("Could not reach the server: check the connection and try again");
    } finally {
      setPending(false);
    }
  }

  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      {next !== undefined ? (
        <button
          type="button"
          className={PRIMARY_BUTTON_CLASS}
          data-testid="shift-button"
          onClick={() => {
            setDone(null);
            setPlan({ from: current, to: next });
          }}
        >
          Shift to {next} %
        </button>
      ) : (
        <span className="text-sm text-neutral-500">{steps.length ? `At the last step (${current} %)` : "No traffic steps planned"}</span>
      )}
      {done && (
        <span role="status" data-testid="shift-result" className="text-sm text-green-800 dark:text-green-300">
          {done}
        </span>
      )}
      {plan && (
        <ConfirmDialog title="Shift traffic" onClose={close} testId="shift-dialog">
          <p className="mt-2 text-base tabular" data-testid="shift-summary">
            Shift from {plan.from} % to {plan.to} % new ({describeRouter(view?.router)})
          </p>
          <p className="mt-1 text-sm text-neutral-600 dark:text-neutral-300">
            The router is set, then read back; the split is recorded only once verified.
            {view?.rehearsal && " Rehearsal: this cutover is a rehearsal."}
          </p>
          {view && !view.router && (
            <p className="mt-2 rounded border border-amber-400 bg-amber-50 px-2 py-1 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100">
              No router is configured: the shift will fail. Set one under Traffic → Router first.
            </p>
          )}
          {gate && (
            <div className="mt-3 rounded border border-amber-500 bg-amber-50 p-2 text-sm dark:bg-amber-950" data-testid="shift-gated">
              <p className="font-medium text-amber-900 dark:text-amber-100">{gate}</p>
              {can("traffic.override") ? (
                <label className="mt-2 flex flex-col">
                  <span className="text-xs text-neutral-700 dark:text-neutral-300">Override note (required: why shift without the decision)</span>
                  <textarea value={note} onChange={(e) => setNote(e.target.value)} rows={2} maxLength={2000} required className={`${INPUT_CLASS} bg-white dark:bg-neutral-900`} />
                </label>
              ) : (
                <p className="mt-1 text-neutral-700 dark:text-neutral-300">Only the Deployment Lead may override the plan: get the go/no-go decision to PROCEED first.</p>
              )}
            </div>
          )}
          <ErrorNote message={error} testId="shift-error" />
          <div className="mt-4 flex justify-end gap-2">
            <button type="button" data-autofocus onClick={close} className={BUTTON_CLASS}>
              Cancel
            </button>
            {gate && can("traffic.override") ? (
              <button type="button" disabled={pending || !note.trim()} onClick={() => void submit(true)} className={DANGER_BUTTON_CLASS}>
                {pending ? "Shifting…" : "Override and shift"}
              </button>
            ) : (
              <button type="button" disabled={pending || gate !== null} onClick={() => void submit(false)} className={PRIMARY_BUTTON_CLASS}>
                {pending ? "Shifting and verifying…" : "Confirm shift"}
              </button>
            )}
          </div>
        </ConfirmDialog>
      )}
    </span>
  );
}

// --- the panel ---------------------------------------------------------------------------------

/** `showShift={false}` when the room already shows <ShiftButton> (e.g. in the header): one button per page. */
export function TrafficPanel({ cutover, run, now, can, showShift = true }: PanelProps & { showShift?: boolean }) {
  const { query, triggers } = useLiveTriggers(cutover.id);
  const view = query.data;
  const percent = view?.percent ?? cutover.trafficPercent;

  return (
    <section aria-labelledby="traffic-heading" className={PANEL_CLASS} data-testid="traffic-panel">
      <header className="flex flex-wrap items-center justify-between gap-2 border-b border-neutral-200 px-3 py-2 dark:border-neutral-800">
        <h2 id="traffic-heading" className="font-semibold">
          Traffic
          {view?.rehearsal && <span className="ml-2 rounded bg-purple-100 px-1.5 text-sm text-purple-800">REHEARSAL</span>}
        </h2>
        {showShift && <ShiftButton cutover={cutover} run={run} can={can} />}
      </header>

      {query.error && <LoadError message={`Could not load the traffic view: ${query.error.message}. The split below is the last one recorded.`} testId="traffic-load-error" onRetry={() => void query.refetch()} />}

      <div className="px-3 py-3">
        <SplitGauge percent={percent} oldName={cutover.systemFrom} newName={cutover.systemTo} />
        <p className="mt-1 text-xs text-neutral-500" data-testid="router-description">
          Router: {view ? describeRouter(view.router) : "…"}
        </p>
      </div>

      <StepsSection cutover={cutover} steps={view ? view.steps.map((s) => s.percent) : cutover.trafficSteps.map((s) => s.percent)} percent={percent} run={run} canEdit={can("cutover.edit_plan")} />

      <TriggersSection cutover={cutover} triggers={triggers} run={run} now={now} canEdit={can("trigger.edit")} loading={!view} />

      {view && (
        <>
          <ChangesSection cutover={cutover} changes={view.changes} triggers={view.triggers} />
          <RollbacksSection cutover={cutover} rollbacks={view.rollbacks} triggers={view.triggers} />
          <RouterSection cutover={cutover} router={view.router} choices={view.choices?.routers ?? null} recorded={percent} run={run} canEdit={can("router.edit")} />
          <HooksSection cutoverId={cutover.id} hooks={view.hooks} choices={view.choices?.hooks ?? null} run={run} canEdit={can("router.edit")} />
        </>
      )}
      {!view && !query.error && <p className="px-3 pb-3 text-sm text-neutral-500">Loading traffic…</p>}
    </section>
  );
}

function SplitGauge({ percent, oldName, newName }: { percent: number; oldName: string; newName: string }) {
  const p = Math.min(100, Math.max(0, Math.round(percent)));
  return (
    <div data-testid="traffic-split" data-percent={p} className="tabular">
      <div className="flex items-end justify-between text-sm">
        <span>
          <span className="text-neutral-500">old · {oldName}</span>
          <span className="block text-3xl font-semibold" data-testid="split-old">
            {100 - p} %
          </span>
        </span>
        <span className="text-right">
          <span className="text-neutral-500">new · {newName}</span>
          <span className="block text-3xl font-semibold text-blue-800 dark:text-blue-300" data-testid="split-new">
            {p} %
          </span>
        </span>
      </div>
      <div
        role="meter"
        aria-label="Share of traffic on the new system"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={p}
        aria-valuetext={`old ${100 - p} %, new ${p} %`}
        className="mt-1 flex h-5 overflow-hidden rounded border border-neutral-300 dark:border-neutral-700"
      >
        <span className="block h-full bg-neutral-400 dark:bg-neutral-500" style={{ width: `${100 - p}%` }} />
        <span className="block h-full bg-blue-600" style={{ width: `${p}%` }} />
      </div>
    </div>
  );
}

// --- steps -------------------------------------------------------------------------------------

function StepsSection({ cutover, steps, percent, run, canEdit }: { cutover: CutoverStateJson; steps: number[]; percent: number; run: RunCommand; canEdit: boolean }) {
  return (
    <SubSection title="Planned steps (% to new)" testId="traffic-steps">
      {steps.length === 0 ? (
        <p className="text-neutral-500">No steps yet.{canEdit ? " Plan them below, e.g. 10, 25, 50, 100." : ""}</p>
      ) : (
        <ol className="mt-1 flex flex-wrap items-center gap-1 tabular">
          {steps.map((s, i) => {
            const state = s === percent ? "current" : s < percent ? "done" : "next";
            return (
              <li key={s} data-testid="traffic-step" data-state={state} className="flex items-center gap-1">
                {i > 0 && <span aria-hidden className="text-neutral-400">→</span>}
                <span
                  className={`rounded border px-1.5 ${
                    state === "current" ? "border-blue-700 bg-blue-700 font-semibold text-white" : state === "done" ? "border-green-700 text-green-800 dark:text-green-300" : "border-neutral-300 text-neutral-600 dark:border-neutral-700 dark:text-neutral-300"
                  }`}
                >
                  {state === "done" && <span aria-hidden>✓ </span>}
                  {s} %{state === "current" && <span className="sr-only"> (current)</span>}
                </span>
              </li>
            );
          })}
        </ol>
      )}
      {canEdit && <StepsForm key={steps.join(",")} cutoverId={cutover.id} initial={steps} run={run} />}
    </SubSection>
  );
}

function StepsForm({ cutoverId, initial, run }: { cutoverId: string; initial: number[]; run: RunCommand }) {
  const [text, setText] = useState(initial.join(", "));
  const { pending, error, exec } = useCommand();
  const parsed = parseSteps(text);
  const unchanged = parsed.ok && parsed.steps.join(",") === initial.join(",");
  return (
    <form
      className="mt-2 flex flex-wrap items-start gap-2"
      aria-label="Edit traffic steps"
      onSubmit={(e) => {
        e.preventDefault();
        if (parsed.ok) void exec(() => run("traffic.steps", { cutoverId, steps: parsed.steps }));
      }}
    >
      <Field label="Traffic steps (comma-separated)">
        <input
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder="10, 25, 50, 100"
          aria-invalid={!parsed.ok}
          aria-describedby="steps-check"
          className={`${INPUT_CLASS} w-64 tabular ${parsed.ok ? "" : "border-red-600"}`}
        />
        <span id="steps-check" className={`mt-0.5 text-xs ${parsed.ok ? "text-neutral-500" : "text-red-700 dark:text-red-400"}`} data-testid="steps-check">
          {parsed.ok ? `${parsed.steps.length} steps, ending at 100 %` : parsed.error}
        </span>
      </Field>
      <SubmitButton pending={pending} busyLabel="Saving…" disabled={!parsed.ok || unchanged} className="mt-4">
        Save steps
      </SubmitButton>
      <ErrorNote message={error} testId="steps-error" />
    </form>
  );
}

// --- triggers ----------------------------------------------------------------------------------

const STATE_LOOK: Record<TriggerStateName, { label: string; style: string }> = {
  inactive: { label: "INACTIVE", style: "border-neutral-300 text-neutral-600 dark:text-neutral-300" },
  pending: { label: "PENDING", style: "border-amber-600 bg-amber-100 font-semibold text-amber-900 dark:bg-amber-950 dark:text-amber-200" },
  firing: { label: "FIRING", style: "border-red-700 bg-red-100 font-bold text-red-800 dark:bg-red-950 dark:text-red-200" },
};

function TriggersSection({ cutover, triggers, run, now, canEdit, loading }: { cutover: CutoverStateJson; triggers: LiveTrigger[]; run: RunCommand; now: number; canEdit: boolean; loading: boolean }) {
  const [editing, setEditing] = useState<string | "new" | null>(null);
  const editingTrigger = editing && editing !== "new" ? triggers.find((t) => t.id === editing) : undefined;
  return (
    <SubSection title="Rollback triggers" testId="triggers">
      {!loading && triggers.length === 0 && (
        <p className="text-neutral-500">No triggers.{canEdit ? " A trigger watches a metric and rolls back (or recommends it) when it stays bad, like a Prometheus alert rule." : ""}</p>
      )}
      <ul className="mt-1 divide-y divide-neutral-100 dark:divide-neutral-800">
        {triggers.map((t) => (
          <TriggerRow key={t.id} trigger={t} cutover={cutover} run={run} now={now} canEdit={canEdit} onEdit={() => setEditing(t.id)} />
        ))}
      </ul>
      {canEdit && editing === null && (
        <button type="button" className={`${BUTTON_CLASS} mt-2`} onClick={() => setEditing("new")}>
          Add trigger
        </button>
      )}
      {canEdit && editing !== null && (editing === "new" || editingTrigger) && (
        <TriggerForm key={editing} cutoverId={cutover.id} trigger={editingTrigger} run={run} onDone={() => setEditing(null)} />
      )}
    </SubSection>
  );
}

function TriggerRow({ trigger: t, cutover, run, now, canEdit, onEdit }: { trigger: LiveTrigger; cutover: CutoverStateJson; run: RunCommand; now: number; canEdit: boolean; onEdit: () => void }) {
  const cutoverId = cutover.id;
  const { pending, error, exec } = useCommand();
  const look = STATE_LOOK[t.liveState];
  return (
    <li data-testid="trigger" data-trigger-id={t.id} data-state={t.liveState} data-enabled={t.enabled} className="py-1.5">
      <div className="flex flex-wrap items-center gap-2">
        <span className={`rounded border px-1 text-xs ${look.style}`}>{look.label}</span>
        <span className="font-medium">{triggerCondition(t)}</span>
        <span className="text-neutral-500">
          → {t.mode === "automatic" ? "automatic" : "recommend"} {triggerActionName(t)} · {t.severity}
          {t.keepFiringForSeconds > 0 && ` · keeps firing for ${t.keepFiringForSeconds} s`}
          {t.errorRollbackAfter !== null && ` · fail-safe: roll back after ${t.errorRollbackAfter} provider errors`}
          {!t.enabled && " · disabled"}
        </span>
        {canEdit && (
          <span className="ml-auto flex gap-1">
            <button type="button" className={BUTTON_CLASS} onClick={onEdit} aria-label={`Edit trigger ${triggerCondition(t)}`}>
              Edit
            </button>
            <ConfirmRemove label={`Remove trigger ${triggerCondition(t)}`} confirmLabel="Remove trigger" pending={pending} onRemove={() => exec(() => run("trigger.remove", { cutoverId, id: t.id }))} />
          </span>
        )}
      </div>
      {t.description && !t.description.startsWith(triggerCondition(t)) && <p className="text-xs text-neutral-500">{t.description}</p>}
      {t.liveState === "pending" && (
        <p className="text-amber-900 tabular dark:text-amber-200" data-testid="trigger-countdown">
          {pendingText(t, now)}
        </p>
      )}
      {t.liveState === "firing" && (
        <p className="font-medium text-red-800 dark:text-red-300">
          Firing since <Time at={t.firedAt} cutover={cutover} />
          {t.mode === "recommend" && t.action !== "alert" ? <span>: waiting for a confirmation</span> : null}
        </p>
      )}
      {t.notice && (
        <p className="text-xs text-amber-800 dark:text-amber-300" data-testid="trigger-notice">
          {t.notice}
        </p>
      )}
      <ErrorNote message={error} testId="trigger-error" />
    </li>
  );
}

type TriggerFormProps = { cutoverId: string; trigger: LiveTrigger | undefined; run: RunCommand; onDone: () => void };

/** The form mounts once the metrics are known, so its metric select starts on the right one. */
function TriggerForm(props: TriggerFormProps) {
  const { data: metricsView, error } = useMetricsView(props.cutoverId, 900);
  if (!metricsView) {
    return (
      <div className="mt-2">
        {error ? <ErrorNote message={`Could not load the metrics for the trigger form: ${error.message}`} testId="trigger-metrics-error" /> : <p className="text-neutral-500">Loading metrics…</p>}
        <button type="button" className={`${BUTTON_CLASS} mt-1`} onClick={props.onDone}>
          Cancel
        </button>
      </div>
    );
  }
  return <TriggerFormFields {...props} metrics={metricsView.metrics} />;
}

function TriggerFormFields({ cutoverId, trigger, run, onDone, metrics }: TriggerFormProps & { metrics: { id: string; name: string; unit: string }[] }) {
  const { pending, error, exec, setError } = useCommand();
  const [action, setAction] = useState<"rollback" | "shift" | "alert">(trigger?.action ?? "rollback");
  const [failSafe, setFailSafe] = useState(trigger?.errorRollbackAfter != null);

  const onSubmit = submitForm(async ({ data: form, text }) => {
    const int = (k: string) => Number(text(k));
    const metricId = text("metricId");
    const threshold = Number(text("threshold"));
    if (!metricId) return setError("Choose a metric (add metrics under Metrics first)");
    if (text("threshold") === "" || !Number.isFinite(threshold)) return setError("The threshold must be a number");
    const forSeconds = int("forSeconds");
    const keepFiringForSeconds = text("keepFiringForSeconds") === "" ? 0 : int("keepFiringForSeconds");
    if (!Number.isInteger(forSeconds) || forSeconds < 0 || forSeconds > 86_400) return setError("“For” is 0 to 86,400 whole seconds");
    if (!Number.isInteger(keepFiringForSeconds) || keepFiringForSeconds < 0 || keepFiringForSeconds > 86_400) return setError("“Keep firing for” is 0 to 86,400 whole seconds");
    const shiftToPercent = action === "shift" ? int("shiftToPercent") : null;
    if (shiftToPercent !== null && (!Number.isInteger(shiftToPercent) || shiftToPercent < 0 || shiftToPercent > 100)) return setError("Shift to: a whole percent from 0 to 100");
    const errorRollbackAfter = failSafe ? int("errorRollbackAfter") : null;
    if (errorRollbackAfter !== null && (!Number.isInteger(errorRollbackAfter) || errorRollbackAfter < 1 || errorRollbackAfter > 1000)) return setError("Fail-safe: after 1 to 1000 consecutive errors");
    const ok = await exec(() =>
      run("trigger.save", {
        cutoverId,
        ...(trigger && { id: trigger.id }),
        metricId,
        system: text("system") === "old" ? "old" : "new",
        comparison: text("comparison") as "<" | "<=" | ">" | ">=",
        threshold,
        forSeconds,
        keepFiringForSeconds,
        severity: text("severity") === "graceful" ? "graceful" : "immediate",
        action,
        shiftToPercent,
        mode: text("mode") === "automatic" ? "automatic" : "recommend",
        errorRollbackAfter,
        description: text("description") || null,
        enabled: form.get("enabled") === "on",
      }),
    );
    if (ok) onDone();
  });

  return (
    <form onSubmit={onSubmit} aria-label={trigger ? "Edit trigger" : "Add a trigger"} className="mt-2 rounded border border-neutral-200 p-2 dark:border-neutral-800" data-testid="trigger-form">
      <h4 className="text-xs font-medium uppercase text-neutral-500">{trigger ? "Edit trigger (its state starts afresh)" : "Add a trigger"}</h4>
      <div className="mt-1 flex flex-wrap items-end gap-2">
        <Field label="Metric">
          <MetricSelect metrics={metrics} defaultValue={trigger?.metricId} />
        </Field>
        <Field label="System">
          <SystemSelect defaultValue={trigger?.system} />
        </Field>
        <Field label="Comparison">
          <select name="comparison" defaultValue={trigger?.comparison ?? ">"} className={INPUT_CLASS}>
            <option value=">">&gt;</option>
            <option value=">=">≥</option>
            <option value="<">&lt;</option>
            <option value="<=">≤</option>
          </select>
        </Field>
        <Field label="Threshold">
          <input name="threshold" inputMode="decimal" required defaultValue={trigger?.threshold} className={`${INPUT_CLASS} w-24 tabular`} />
        </Field>
        <Field label="For (s)">
          <input name="forSeconds" type="number" min={0} max={86_400} step={1} required defaultValue={trigger?.forSeconds ?? 30} className={`${INPUT_CLASS} w-20 tabular`} />
        </Field>
        <Field label="Keep firing for (s)">
          <input name="keepFiringForSeconds" type="number" min={0} max={86_400} step={1} defaultValue={trigger?.keepFiringForSeconds ?? 0} className={`${INPUT_CLASS} w-20 tabular`} />
        </Field>
      </div>
      <div className="mt-2 flex flex-wrap items-end gap-2">
        <Field label="Action">
          <select value={action} onChange={(e) => setAction(e.target.value as typeof action)} className={INPUT_CLASS}>
            <option value="rollback">roll back</option>
            <option value="shift">shift new to…</option>
            <option value="alert">alert the room</option>
          </select>
        </Field>
        {action === "shift" && (
          <Field label="Shift new to (%)">
            <input name="shiftToPercent" type="number" min={0} max={100} step={1} required defaultValue={trigger?.shiftToPercent ?? 0} className={`${INPUT_CLASS} w-20 tabular`} />
          </Field>
        )}
        <Field label="Mode">
          <select name="mode" defaultValue={trigger?.mode ?? "recommend"} className={INPUT_CLASS}>
            <option value="recommend">recommend (a person confirms)</option>
            <option value="automatic">automatic</option>
          </select>
        </Field>
        <Field label="Severity">
          <select name="severity" defaultValue={trigger?.severity ?? "immediate"} className={INPUT_CLASS}>
            <option value="immediate">immediate</option>
            <option value="graceful">graceful</option>
          </select>
        </Field>
        <label className="inline-flex items-center gap-1">
          <input type="checkbox" checked={failSafe} onChange={(e) => setFailSafe(e.target.checked)} />
          Roll back after
        </label>
        {failSafe && (
          <label className="inline-flex items-center gap-1">
            <input name="errorRollbackAfter" type="number" min={1} max={1000} step={1} required defaultValue={trigger?.errorRollbackAfter ?? 3} className={`${INPUT_CLASS} w-16 tabular`} aria-label="Consecutive provider errors before a fail-safe rollback" />
            consecutive provider errors
          </label>
        )}
        {!failSafe && <span className="text-xs text-neutral-500">(off: provider errors pause automation and alert the room)</span>}
      </div>
      <div className="mt-2 flex flex-wrap items-end gap-2">
        <Field label="Description (optional)">
          <input name="description" maxLength={500} defaultValue={trigger?.description ?? ""} placeholder="generated from the rule when blank" className={`${INPUT_CLASS} w-80`} />
        </Field>
        <label className="inline-flex items-center gap-1">
          <input type="checkbox" name="enabled" defaultChecked={trigger?.enabled ?? true} />
          Enabled
        </label>
        <SubmitButton pending={pending} busyLabel="Saving…" disabled={metrics.length === 0}>
          Save trigger
        </SubmitButton>
        <button type="button" className={BUTTON_CLASS} onClick={onDone}>
          Cancel
        </button>
      </div>
      <ErrorNote message={error} testId="trigger-save-error" />
    </form>
  );
}

// --- history -----------------------------------------------------------------------------------

const CHANGE_LOOK: Record<string, string> = {
  requested: "border-blue-600 text-blue-800 dark:text-blue-200",
  applied: "border-blue-600 text-blue-800 dark:text-blue-200",
  verified: "border-green-700 text-green-800 dark:text-green-200",
  failed: "border-red-700 bg-red-50 font-semibold text-red-800 dark:bg-red-950 dark:text-red-200",
};

function triggerLabel(triggers: readonly Trigger[], id: string | null): string | null {
  if (!id) return null;
  const t = triggers.find((x) => x.id === id);
  return t ? `trigger: ${t.description ?? triggerCondition(t)}` : "trigger (removed)";
}

function ChangesSection({ cutover, changes, triggers }: { cutover: CutoverStateJson; changes: Change[]; triggers: Trigger[] }) {
  return (
    <SubSection title="Recent traffic changes" testId="traffic-changes">
      {changes.length === 0 ? (
        <p className="text-neutral-500">No traffic has moved yet.</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="mt-1 w-full text-sm">
            <caption className="sr-only">Recent traffic changes, newest first</caption>
            <thead className="text-left text-xs text-neutral-500">
              <tr>
                <th scope="col" className="py-1 pr-2 font-medium">Requested</th>
                <th scope="col" className="py-1 pr-2 font-medium">Change</th>
                <th scope="col" className="py-1 pr-2 font-medium">By</th>
                <th scope="col" className="py-1 pr-2 font-medium">State</th>
                <th scope="col" className="py-1 pr-2 font-medium">Duration</th>
                <th scope="col" className="py-1 font-medium">Error</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-neutral-100 dark:divide-neutral-800">
              {changes.map((c) => (
                <tr key={c.id} data-testid="traffic-change" data-state={c.state} data-to={c.to}>
                  <td className="py-1 pr-2 align-top">
                    <Time at={c.requestedAt} cutover={cutover} />
                  </td>
                  <td className="py-1 pr-2 align-top font-medium tabular whitespace-nowrap">
                    {c.from} % → {c.to} %
                  </td>
                  <td className="py-1 pr-2 align-top">
                    {triggerLabel(triggers, c.triggerId) ?? (c.to === 0 && c.from > 0 ? "rollback" : "manual")}
                    {c.override && (
                      <span className="ml-1 rounded border border-amber-600 px-1 text-xs text-amber-900 dark:text-amber-200" title={c.note ?? undefined}>
                        override{c.note ? `: ${c.note}` : ""}
                      </span>
                    )}
                  </td>
                  <td className="py-1 pr-2 align-top">
                    <span className={`rounded border px-1 text-xs ${CHANGE_LOOK[c.state] ?? ""}`}>{c.state}</span>
                  </td>
                  <td className="py-1 pr-2 align-top tabular whitespace-nowrap">{c.durationMs !== null ? `${c.durationMs} ms` : "—"}</td>
                  <td className="py-1 align-top text-red-800 dark:text-red-300">{c.error ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </SubSection>
  );
}

export interface HookResult {
  name: string;
  ok: boolean;
  output: string;
  durationMs: number | null;
}

/** The stored hook results of a rollback (JSON), malformed entries skipped. */
export function hookResultsOf(value: unknown): HookResult[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((x: unknown) => {
    const r = (x ?? {}) as { name?: unknown; ok?: unknown; output?: unknown; durationMs?: unknown };
    if (typeof r.name !== "string") return [];
    return [{ name: r.name, ok: r.ok === true, output: typeof r.output === "string" ? r.output : "", durationMs: typeof r.durationMs === "number" ? r.durationMs : null }];
  });
}

const ROLLBACK_STATE: Record<string, { label: string; style: string }> = {
  running: { label: "running", style: "border-blue-600 text-blue-800 dark:text-blue-200" },
  completed: { label: "completed", style: "border-green-700 text-green-800 dark:text-green-200" },
  completed_with_errors: { label: "completed with errors", style: "border-amber-600 bg-amber-50 text-amber-900 dark:bg-amber-950 dark:text-amber-200" },
  failed: { label: "FAILED", style: "border-red-700 bg-red-50 font-semibold text-red-800 dark:bg-red-950 dark:text-red-200" },
  abandoned: { label: "abandoned", style: "border-neutral-400 text-neutral-600" },
};

function RollbacksSection({ cutover, rollbacks, triggers }: { cutover: CutoverStateJson; rollbacks: RollbackRecord[]; triggers: Trigger[] }) {
  if (rollbacks.length === 0) return null;
  return (
    <SubSection title="Rollbacks" testId="rollbacks">
      <ul className="mt-1 space-y-2">
        {rollbacks.map((r) => {
          const look = ROLLBACK_STATE[r.state] ?? { label: r.state, style: "" };
          const hooks = hookResultsOf(r.hookResults);
          return (
            <li key={r.id} data-testid="rollback-record" data-state={r.state}>
              <div className="flex flex-wrap items-center gap-2">
                <Time at={r.startedAt} cutover={cutover} />
                <span className={`rounded border px-1 text-xs ${look.style}`}>{look.label}</span>
                {r.durationMs !== null && (
                  <span className="font-medium tabular" data-testid="rollback-duration">
                    rolled back in {r.durationMs} ms
                  </span>
                )}
                <span className="text-neutral-500">{triggerLabel(triggers, r.triggerId) ?? (r.reason ? `reason: ${r.reason}` : "")}</span>
              </div>
              {hooks.length > 0 && (
                <ul className="ml-4 mt-0.5 space-y-0.5 text-xs">
                  {hooks.map((h, i) => (
                    <li key={`${h.name}-${i}`} data-testid="hook-result" data-ok={h.ok}>
                      <span aria-hidden className={h.ok ? "text-green-700" : "font-bold text-red-700"}>
                        {h.ok ? "✓" : "✗"}
                      </span>{" "}
                      <span className="sr-only">{h.ok ? "succeeded: " : "failed: "}</span>
                      <span className="font-medium">{h.name}</span>
                      {h.durationMs !== null && <span className="text-neutral-500 tabular"> · {h.durationMs} ms</span>}
                      {h.output && <pre className="mt-0.5 max-h-20 overflow-auto whitespace-pre-wrap break-all rounded bg-neutral-50 px-1 font-mono text-[11px] text-neutral-700 dark:bg-neutral-800 dark:text-neutral-300">{h.output}</pre>}
                    </li>
                  ))}
                </ul>
              )}
            </li>
          );
        })}
      </ul>
    </SubSection>
  );
}

// --- router ------------------------------------------------------------------------------------

type Choice = NonNullable<TrafficData["choices"]>["routers"][number];

/** Kinds in words; the settings themselves live in the catalog and never reach the room. */
export const INTEGRATION_KIND_LABEL: Record<string, string> = { haproxy: "HAProxy", nginx: "nginx", webhook: "webhook", command: "command", prometheus: "Prometheus" };

function choiceLabel(c: Choice): string {
  return `${c.name} (${INTEGRATION_KIND_LABEL[c.kind] ?? c.kind}${c.source === "file" ? ", server configuration" : ""})`;
}

function RouterSection({ cutover, router, choices, recorded, run, canEdit }: { cutover: CutoverStateJson; router: TrafficData["router"]; choices: Choice[] | null; recorded: number; run: RunCommand; canEdit: boolean }) {
  const test = useCommand();
  const [read, setRead] = useState<{ percent: number } | null>(null);
  return (
    <SubSection title="Router" testId="router-section">
      <p className="mt-1">
        {router ? (
          <span className="font-medium">{describeRouter(router)}</span>
        ) : (
          <span className="text-neutral-500">No router picked: traffic cannot move until one is{canEdit ? " picked below" : " picked by the Deployment Lead"}.</span>
        )}
      </p>
      {canEdit && router && (
        <div className="mt-1 flex flex-wrap items-center gap-2">
          <button
            type="button"
            className={BUTTON_CLASS}
            disabled={test.pending}
            onClick={() => {
              setRead(null);
              void test.exec(async () => {
                const r = await run("router.test", { cutoverId: cutover.id });
                if (r.ok) setRead(r.data as { percent: number });
                return r;
              });
            }}
          >
            {test.pending ? "Testing…" : "Test connection"}
          </button>
          {read && (
            <span role="status" data-testid="router-test-result" data-percent={read.percent} className="tabular">
              Connected: the router holds old {100 - read.percent} | new {read.percent}
              {read.percent !== recorded && (
                <span className="ml-1 font-semibold text-amber-800 dark:text-amber-300">— differs from the recorded split (new {recorded} %)</span>
              )}
            </span>
          )}
        </div>
      )}
      <ErrorNote message={test.error} testId="router-test-error" />
      {canEdit && choices && <RouterPicker key={router?.name ?? ""} cutoverId={cutover.id} current={router?.name ?? null} choices={choices} run={run} />}
    </SubSection>
  );
}

/** Picks the cutover's router from the administrators' catalog, by name. */
function RouterPicker({ cutoverId, current, choices, run }: { cutoverId: string; current: string | null; choices: Choice[]; run: RunCommand }) {
  const { pending, error, exec } = useCommand();
  const [saved, setSaved] = useState(false);
  const onSubmit = submitForm(async ({ text }) => {
    setSaved(false);
    const integration = text("integration") || null;
    if (await exec(() => run("router.set", { cutoverId, integration }))) setSaved(true);
  });
  return (
    <form onSubmit={onSubmit} aria-label="Pick the router" className="mt-2 flex flex-wrap items-end gap-2" data-testid="router-form">
      <Field label="Router (defined by an administrator)">
        <select name="integration" defaultValue={current ?? ""} className={`${INPUT_CLASS} w-72`}>
          <option value="">none</option>
          {choices.map((c) => (
            <option key={c.name} value={c.name}>
              {choiceLabel(c)}
            </option>
          ))}
        </select>
      </Field>
      <SubmitButton pending={pending} busyLabel="Saving…">
        Use this router
      </SubmitButton>
      {saved && <span className="text-sm text-green-800 dark:text-green-300">Saved. Use “Test connection” to read the split back.</span>}
      {choices.length === 0 && <p className="basis-full text-xs text-neutral-500">No router is defined yet: an administrator adds one under Administration → Integrations.</p>}
      <ErrorNote message={error} testId="router-save-error" />
    </form>
  );
}

// --- rollback hooks ----------------------------------------------------------------------------

function HooksSection({ cutoverId, hooks, choices, run, canEdit }: { cutoverId: string; hooks: Hook[]; choices: Choice[] | null; run: RunCommand; canEdit: boolean }) {
  return (
    <SubSection title="Rollback hooks (run in order after the split is back on old)" testId="rollback-hooks">
      {hooks.length === 0 ? (
        <p className="text-neutral-500">No hooks: a rollback only moves traffic.{canEdit ? " Add one from the hooks an administrator defined (e.g. revert a feature flag, page the team)." : ""}</p>
      ) : (
        <ol className="mt-1 space-y-1">
          {hooks.map((h, i) => (
            <HookRow key={h.id} hook={h} index={i} cutoverId={cutoverId} run={run} canEdit={canEdit} />
          ))}
        </ol>
      )}
      {canEdit && choices && <AddHookForm cutoverId={cutoverId} choices={choices} run={run} />}
    </SubSection>
  );
}

function HookRow({ hook: h, index, cutoverId, run, canEdit }: { hook: Hook; index: number; cutoverId: string; run: RunCommand; canEdit: boolean }) {
  const { pending, error, exec } = useCommand();
  return (
    <li data-testid="rollback-hook" data-hook-name={h.name} className="flex flex-wrap items-center gap-2">
      <span className="text-neutral-500 tabular">{index + 1}.</span>
      <span className="font-medium">{h.name}</span>
      <span className="text-xs text-neutral-500">
        {h.integration} ({h.kind ? (INTEGRATION_KIND_LABEL[h.kind] ?? h.kind) : <span className="text-red-700">no longer defined</span>})
      </span>
      {canEdit && (
        <RemoveButton label={`Remove hook ${h.name}`} pending={pending} className="ml-auto" onClick={() => void exec(() => run("hook.remove", { cutoverId, id: h.id }))} />
      )}
      <ErrorNote message={error} testId="hook-remove-error" />
    </li>
  );
}

function AddHookForm({ cutoverId, choices, run }: { cutoverId: string; choices: Choice[]; run: RunCommand }) {
  const { pending, error, exec, setError } = useCommand();
  const onSubmit = submitForm(
    ({ text }) => {
      const name = text("name");
      const integration = text("integration");
      if (!name) return setError("Give the hook a name");
      if (!integration) return setError("Pick a hook");
      return exec(() => run("hook.add", { cutoverId, name, integration }));
    },
    { reset: true },
  );
  return (
    <form onSubmit={onSubmit} aria-label="Add a rollback hook" className="mt-2 flex flex-wrap items-end gap-2" autoComplete="off">
      <Field label="Step name">
        <input name="name" required maxLength={200} className={`${INPUT_CLASS} w-44`} />
      </Field>
      <Field label="Hook (defined by an administrator)">
        <select name="integration" required defaultValue="" className={`${INPUT_CLASS} w-72`}>
          <option value="" disabled>
            choose…
          </option>
          {choices.map((c) => (
            <option key={c.name} value={c.name}>
              {choiceLabel(c)}
            </option>
          ))}
        </select>
      </Field>
      <SubmitButton pending={pending} busyLabel="Adding…">
        Add hook
      </SubmitButton>
      {choices.length === 0 && <p className="basis-full text-xs text-neutral-500">No hook is defined yet: an administrator adds one under Administration → Integrations.</p>}
      <ErrorNote message={error} testId="hook-add-error" />
    </form>
  );
}
