"use client";
// Where traffic is and how it moves: the split, the planned steps, "Shift to N %" behind a confirm
// dialog (with the Deployment Lead's override when the go/no-go decision is missing), the
// triggers with their live state, recent changes and rollbacks, and the router and rollback hooks
// behind it all. Secrets are write-only: the browser only ever sees them as "••••".
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { ErrorNote } from "@/components/ui/error-note";
import { Field } from "@/components/ui/field";
import { REDACTED, RouterConfigSchema, formatArgv, safeUrl, type RedactedRouterConfig, type RouterKind } from "@/lib/adapters/traffic/config";
import type { TrafficView } from "@/lib/services/traffic";
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

/** "HAProxy be_app (old/new) via /run/haproxy.sock": what a person recognises, no secrets. */
export function describeRouter(config: RedactedRouterConfig | null | undefined): string {
  if (!config) return "no router configured";
  switch (config.kind) {
    case "haproxy": {
      const where = typeof config.socket === "string" ? config.socket : `${config.socket.host}:${config.socket.port}`;
      return `HAProxy ${config.backend} (${config.oldServer}/${config.newServer}) via ${where}`;
    }
    case "nginx":
      return `nginx upstream ${config.upstreamName} (${config.oldServer}/${config.newServer}) in ${config.upstreamFile}`;
    case "webhook":
      return `webhook ${safeUrl(config.url)}`;
    case "command":
      return `command ${formatArgv(config.setCommand)}`;
  }
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

const ENDED = ["completed", "rolled_back", "aborted"];

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
  if (!can("traffic.shift") || ENDED.includes(cutover.state)) return null;

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
      } else if (r.status === 409 && !override && /override/i.test(r.message)) {
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
          <RouterSection cutover={cutover} router={view.router} recorded={percent} run={run} canEdit={can("router.edit")} />
          <HooksSection cutoverId={cutover.id} hooks={view.hooks} run={run} canEdit={can("router.edit")} />
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

export function parseSteps(text: string): { ok: true; steps: number[] } | { ok: false; error: string } {
  const parts = text.split(",").map((s) => s.trim()).filter((s) => s !== "");
  if (parts.length < 2) return { ok: false, error: "At least two steps, e.g. 10, 25, 50, 100" };
  if (parts.length > 20) return { ok: false, error: "At most 20 steps" };
  const steps: number[] = [];
  for (const part of parts) {
    const n = Number(part.replace(/%$/, "").trim());
    if (!Number.isInteger(n) || n < 0 || n > 100) return { ok: false, error: `“${part}” is not a whole percent from 0 to 100` };
    steps.push(n);
  }
  for (let i = 1; i < steps.length; i++) {
    if (steps[i]! <= steps[i - 1]!) return { ok: false, error: `Steps must be strictly increasing (${steps[i - 1]} then ${steps[i]})` };
  }
  if (steps.at(-1) !== 100) return { ok: false, error: "The last step is 100 %" };
  return { ok: true, steps };
}

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

/** Splits "deploy --to 'blue green'" into argv (quotes group; no shell runs it). */
export function splitArgv(text: string): { ok: true; argv: string[] } | { ok: false; error: string } {
  const argv: string[] = [];
  let current = "";
  let inToken = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      if (ch === quote) quote = null;
      else if (ch === "\\" && quote === '"' && i + 1 < text.length && (text[i + 1] === '"' || text[i + 1] === "\\")) current += text[++i];
      else current += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      inToken = true;
    } else if (/\s/.test(ch)) {
      if (inToken) argv.push(current);
      current = "";
      inToken = false;
    } else {
      current += ch;
      inToken = true;
    }
  }
  if (quote) return { ok: false, error: `Unclosed ${quote} quote` };
  if (inToken) argv.push(current);
  return { ok: true, argv };
}

/** argv as one editable line (arguments with spaces quoted). */
export function joinArgv(argv: readonly string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : JSON.stringify(a))).join(" ");
}

const KIND_LABEL: Record<RouterKind, string> = { haproxy: "HAProxy (runtime API)", nginx: "nginx (upstream file + reload)", webhook: "Webhook", command: "Command" };

function RouterSection({ cutover, router, recorded, run, canEdit }: { cutover: CutoverStateJson; router: RedactedRouterConfig | null; recorded: number; run: RunCommand; canEdit: boolean }) {
  const test = useCommand();
  const [read, setRead] = useState<{ router: string; percent: number } | null>(null);
  // Kept here: the form remounts with the saved settings, and the "Saved." must survive it.
  const [saved, setSaved] = useState(false);
  return (
    <SubSection title="Router" testId="router-section">
      <p className="mt-1">
        {router ? (
          <>
            <span className="font-medium">{describeRouter(router)}</span>
            {router.hasSecret && <span className="ml-2 text-xs text-neutral-500">(a secret is set; it is never shown)</span>}
          </>
        ) : (
          <span className="text-neutral-500">No router configured: traffic cannot move until one is set{canEdit ? " below" : " by the Deployment Lead"}.</span>
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
                if (r.ok) setRead(r.data as { router: string; percent: number });
                return r;
              });
            }}
          >
            {test.pending ? "Testing…" : "Test connection"}
          </button>
          {read && (
            <span role="status" data-testid="router-test-result" data-percent={read.percent} className="tabular">
              Connected: {read.router} holds old {100 - read.percent} | new {read.percent}
              {read.percent !== recorded && (
                <span className="ml-1 font-semibold text-amber-800 dark:text-amber-300">— differs from the recorded split (new {recorded} %)</span>
              )}
            </span>
          )}
        </div>
      )}
      <ErrorNote message={test.error} testId="router-test-error" />
      {canEdit && <RouterForm key={JSON.stringify(router)} cutoverId={cutover.id} router={router} run={run} saved={saved} onSaved={setSaved} />}
    </SubSection>
  );
}

function hasRedacted(value: unknown): boolean {
  return JSON.stringify(value).includes(REDACTED);
}

function RouterForm({
  cutoverId,
  router,
  run,
  saved,
  onSaved: setSaved,
}: {
  cutoverId: string;
  router: RedactedRouterConfig | null;
  run: RunCommand;
  saved: boolean;
  onSaved: (saved: boolean) => void;
}) {
  const { pending, error, exec, setError } = useCommand();
  const [kind, setKind] = useState<RouterKind>(router?.kind ?? "haproxy");
  const stored = router && router.kind === kind ? router : null;

  const onSubmit = submitForm(async ({ data: form, text }) => {
    setSaved(false);
    const optional = (k: string) => text(k) || undefined;
    const optionalInt = (k: string): number | undefined | null => {
      const t = text(k);
      if (t === "") return undefined;
      const n = Number(t);
      return Number.isInteger(n) ? n : null;
    };
    const timeoutKey = kind === "nginx" ? "reloadTimeoutMs" : "timeoutMs";
    const timeout = optionalInt(timeoutKey);
    if (timeout === null) return setError("The timeout is a whole number of milliseconds");
    let config: Record<string, unknown>;
    if (kind === "haproxy") {
      const socketText = text("socket");
      const tcp = /^\[?([^\]/]+?)\]?:(\d{1,5})$/.exec(socketText);
      const socket = !socketText.startsWith("/") && tcp ? { host: tcp[1]!, port: Number(tcp[2]) } : socketText;
      config = { kind, socket, backend: text("backend"), oldServer: text("oldServer"), newServer: text("newServer"), stateFile: optional("stateFile"), timeoutMs: timeout };
    } else if (kind === "nginx") {
      config = {
        kind,
        upstreamFile: text("upstreamFile"),
        upstreamName: text("upstreamName"),
        oldServer: text("oldServer"),
        newServer: text("newServer"),
        nginxBinary: optional("nginxBinary"),
        configFile: optional("configFile"),
        pidFile: optional("pidFile"),
        reloadTimeoutMs: timeout,
      };
    } else if (kind === "webhook") {
      const secret = String(form.get("secret") ?? "");
      if (!secret) return setError(stored?.hasSecret ? "Enter the signing secret again: secrets are write-only and never come back to the browser" : "Enter a signing secret (at least 16 characters)");
      config = { kind, url: text("url"), secret, readUrl: optional("readUrl"), timeoutMs: timeout, headerName: optional("headerName") };
    } else {
      const set = splitArgv(text("setCommand"));
      if (!set.ok) return setError(`Set command: ${set.error}`);
      const readText = text("readCommand");
      const readArgv = readText ? splitArgv(readText) : null;
      if (readArgv && !readArgv.ok) return setError(`Read command: ${readArgv.error}`);
      config = { kind, setCommand: set.argv, readCommand: readArgv?.ok ? readArgv.argv : undefined, timeoutMs: timeout };
    }
    // Drop blank optionals so the server's defaults apply.
    config = Object.fromEntries(Object.entries(config).filter(([, v]) => v !== undefined));
    if (hasRedacted(config)) return setError(`Replace every ${REDACTED} with the real value: hidden secrets are never sent back to the browser, so they must be typed again`);
    const parsed = RouterConfigSchema.safeParse(config);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return setError(`Router settings: ${issue?.path.join(".") || "input"}: ${issue?.message ?? "invalid"}`);
    }
    const ok = await exec(() => run("router.set", { cutoverId, config }));
    if (ok) setSaved(true);
  });

  const field = (name: string, label: string, props: { defaultValue?: string | number; placeholder?: string; required?: boolean; type?: string; width?: string; mono?: boolean } = {}) => (
    <Field label={label}>
      <input
        name={name}
        type={props.type ?? "text"}
        required={props.required}
        defaultValue={props.defaultValue}
        placeholder={props.placeholder}
        autoComplete={props.type === "password" ? "new-password" : "off"}
        className={`${INPUT_CLASS} ${props.width ?? "w-48"} ${props.mono === false ? "" : "font-mono"}`}
      />
    </Field>
  );

  return (
    <form onSubmit={onSubmit} aria-label="Router settings" className="mt-2 rounded border border-neutral-200 p-2 dark:border-neutral-800" autoComplete="off" data-testid="router-form">
      <div className="flex flex-wrap items-end gap-2">
        <Field label="Router kind">
          <select value={kind} onChange={(e) => setKind(e.target.value as RouterKind)} className={INPUT_CLASS}>
            {(Object.keys(KIND_LABEL) as RouterKind[]).map((k) => (
              <option key={k} value={k}>
                {KIND_LABEL[k]}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <div key={kind} className="mt-2 flex flex-wrap items-end gap-2">
        {kind === "haproxy" && (
          <>
            {field("socket", "Runtime API socket", {
              required: true,
              width: "w-64",
              placeholder: "/run/haproxy/admin.sock or host:9999",
              defaultValue: stored?.kind === "haproxy" ? (typeof stored.socket === "string" ? stored.socket : `${stored.socket.host}:${stored.socket.port}`) : undefined,
            })}
            {field("backend", "Backend", { required: true, defaultValue: stored?.kind === "haproxy" ? stored.backend : undefined, width: "w-36" })}
            {field("oldServer", "Old server", { required: true, defaultValue: stored?.kind === "haproxy" ? stored.oldServer : undefined, width: "w-32" })}
            {field("newServer", "New server", { required: true, defaultValue: stored?.kind === "haproxy" ? stored.newServer : undefined, width: "w-32" })}
            {field("stateFile", "State file (keeps the split across reloads)", { defaultValue: stored?.kind === "haproxy" ? stored.stateFile : undefined, width: "w-64" })}
            {field("timeoutMs", "Timeout (ms)", { type: "number", defaultValue: stored?.kind === "haproxy" ? stored.timeoutMs : undefined, placeholder: "2000", width: "w-24" })}
          </>
        )}
        {kind === "nginx" && (
          <>
            {field("upstreamFile", "Upstream file (owned by the war room)", { required: true, defaultValue: stored?.kind === "nginx" ? stored.upstreamFile : undefined, width: "w-72" })}
            {field("upstreamName", "Upstream name", { required: true, defaultValue: stored?.kind === "nginx" ? stored.upstreamName : undefined, width: "w-36" })}
            {field("oldServer", "Old server (host:port)", { required: true, defaultValue: stored?.kind === "nginx" ? stored.oldServer : undefined, width: "w-40" })}
            {field("newServer", "New server (host:port)", { required: true, defaultValue: stored?.kind === "nginx" ? stored.newServer : undefined, width: "w-40" })}
            {field("nginxBinary", "nginx binary", { defaultValue: stored?.kind === "nginx" ? stored.nginxBinary : undefined, placeholder: "nginx", width: "w-36" })}
            {field("configFile", "nginx.conf (-c)", { defaultValue: stored?.kind === "nginx" ? stored.configFile : undefined, width: "w-56" })}
            {field("pidFile", "Pid file", { defaultValue: stored?.kind === "nginx" ? stored.pidFile : undefined, width: "w-56" })}
            {field("reloadTimeoutMs", "Reload timeout (ms)", { type: "number", defaultValue: stored?.kind === "nginx" ? stored.reloadTimeoutMs : undefined, placeholder: "5000", width: "w-24" })}
          </>
        )}
        {kind === "webhook" && (
          <>
            {field("url", "URL (POST { percent })", { required: true, type: "url", defaultValue: stored?.kind === "webhook" ? stored.url : undefined, width: "w-72" })}
            {field("secret", stored?.hasSecret ? "Signing secret (set; type it again to save)" : "Signing secret (16+ characters)", { type: "password", width: "w-56", mono: false })}
            {field("readUrl", "Read URL (GET → { percent })", { type: "url", defaultValue: stored?.kind === "webhook" ? stored.readUrl : undefined, width: "w-72" })}
            {field("headerName", "Signature header", { defaultValue: stored?.kind === "webhook" ? stored.headerName : undefined, placeholder: "x-warroom-signature", width: "w-48" })}
            {field("timeoutMs", "Timeout (ms)", { type: "number", defaultValue: stored?.kind === "webhook" ? stored.timeoutMs : undefined, placeholder: "5000", width: "w-24" })}
          </>
        )}
        {kind === "command" && (
          <>
            {field("setCommand", "Set command (space-separated; gets WARROOM_TARGET_PERCENT)", { required: true, defaultValue: stored?.kind === "command" ? joinArgv(stored.setCommand) : undefined, width: "w-96" })}
            {field("readCommand", "Read command (prints the percent)", { defaultValue: stored?.kind === "command" && stored.readCommand ? joinArgv(stored.readCommand) : undefined, width: "w-96" })}
            {field("timeoutMs", "Timeout (ms)", { type: "number", defaultValue: stored?.kind === "command" ? stored.timeoutMs : undefined, placeholder: "30000", width: "w-24" })}
          </>
        )}
      </div>
      {stored && hasRedacted(stored) && (
        <p className="mt-1 text-xs text-amber-800 dark:text-amber-300">Values shown as {REDACTED} are hidden secrets: type them again before saving.</p>
      )}
      <div className="mt-2 flex items-center gap-2">
        <SubmitButton pending={pending} busyLabel="Saving…">
          Save router
        </SubmitButton>
        {saved && <span className="text-sm text-green-800 dark:text-green-300">Saved. Use “Test connection” to read the split back.</span>}
      </div>
      <ErrorNote message={error} testId="router-save-error" />
    </form>
  );
}

// --- rollback hooks ----------------------------------------------------------------------------

function hookSummary(h: Hook): string {
  const c = h.config as { argv?: unknown; url?: unknown; secret?: unknown; timeoutMs?: unknown };
  const timeout = typeof c.timeoutMs === "number" ? ` · timeout ${c.timeoutMs} ms` : "";
  if (h.kind === "command") return `${Array.isArray(c.argv) ? joinArgv(c.argv.filter((a): a is string => typeof a === "string")) : "?"}${timeout}`;
  return `POST ${typeof c.url === "string" ? safeUrl(c.url) : "?"}${c.secret ? " · signed" : ""}${timeout}`;
}

function HooksSection({ cutoverId, hooks, run, canEdit }: { cutoverId: string; hooks: Hook[]; run: RunCommand; canEdit: boolean }) {
  return (
    <SubSection title="Rollback hooks (run in order after the split is back on old)" testId="rollback-hooks">
      {hooks.length === 0 ? (
        <p className="text-neutral-500">No hooks: a rollback only moves traffic.{canEdit ? " Add a command or a webhook (e.g. revert a feature flag, page the team)." : ""}</p>
      ) : (
        <ol className="mt-1 space-y-1">
          {hooks.map((h, i) => (
            <HookRow key={h.id} hook={h} index={i} cutoverId={cutoverId} run={run} canEdit={canEdit} />
          ))}
        </ol>
      )}
      {canEdit && <AddHookForm cutoverId={cutoverId} run={run} />}
    </SubSection>
  );
}

function HookRow({ hook: h, index, cutoverId, run, canEdit }: { hook: Hook; index: number; cutoverId: string; run: RunCommand; canEdit: boolean }) {
  const { pending, error, exec } = useCommand();
  return (
    <li data-testid="rollback-hook" data-hook-name={h.name} className="flex flex-wrap items-center gap-2">
      <span className="text-neutral-500 tabular">{index + 1}.</span>
      <span className="font-medium">{h.name}</span>
      <span className="text-xs text-neutral-500">{h.kind}</span>
      <span className="min-w-0 break-all font-mono text-xs text-neutral-600 dark:text-neutral-300">{hookSummary(h)}</span>
      {canEdit && (
        <RemoveButton label={`Remove hook ${h.name}`} pending={pending} className="ml-auto" onClick={() => void exec(() => run("hook.remove", { cutoverId, id: h.id }))} />
      )}
      <ErrorNote message={error} testId="hook-remove-error" />
    </li>
  );
}

function AddHookForm({ cutoverId, run }: { cutoverId: string; run: RunCommand }) {
  const { pending, error, exec, setError } = useCommand();
  const [kind, setKind] = useState<"command" | "webhook">("command");

  const onSubmit = submitForm(
    ({ data: form, text }) => {
      const name = text("name");
      if (!name) return setError("Give the hook a name");
      const timeoutText = text("timeoutMs");
      const timeoutMs = timeoutText === "" ? undefined : Number(timeoutText);
      const max = kind === "command" ? 600_000 : 120_000;
      if (timeoutMs !== undefined && (!Number.isInteger(timeoutMs) || timeoutMs < 100 || timeoutMs > max)) return setError(`Timeout: 100 to ${max.toLocaleString("en-GB")} ms`);
      let config: Record<string, unknown>;
      if (kind === "command") {
        const argv = splitArgv(text("argv"));
        if (!argv.ok) return setError(`Command: ${argv.error}`);
        if (argv.argv.length === 0 || argv.argv.some((a) => a === "")) return setError("Command: give the program and its arguments, separated by spaces");
        config = { argv: argv.argv, ...(timeoutMs !== undefined && { timeoutMs }) };
      } else {
        const url = text("url");
        if (!/^https?:\/\/\S+$/i.test(url)) return setError("URL: an http(s) URL");
        const secret = String(form.get("secret") ?? "");
        if (secret && (secret.length < 8 || secret.length > 500)) return setError("Secret: 8 to 500 characters (or none)");
        config = { url, ...(secret && { secret }), ...(timeoutMs !== undefined && { timeoutMs }) };
      }
      return exec(() => run("hook.add", { cutoverId, name, kind, config }));
    },
    { reset: true },
  );

  return (
    <form onSubmit={onSubmit} aria-label="Add a rollback hook" className="mt-2 flex flex-wrap items-end gap-2" autoComplete="off">
      <Field label="Hook name">
        <input name="name" required maxLength={200} className={`${INPUT_CLASS} w-44`} />
      </Field>
      <Field label="Kind">
        <select value={kind} onChange={(e) => setKind(e.target.value as "command" | "webhook")} className={INPUT_CLASS}>
          <option value="command">command</option>
          <option value="webhook">webhook</option>
        </select>
      </Field>
      {kind === "command" ? (
        <Field label="Command (space-separated, no shell)">
          <input name="argv" required placeholder="/opt/flags/set checkout-v2 off" className={`${INPUT_CLASS} w-80 font-mono`} />
        </Field>
      ) : (
        <>
          <Field label="URL">
            <input name="url" type="url" required placeholder="https://hooks.example.com/rollback" className={`${INPUT_CLASS} w-72 font-mono`} />
          </Field>
          <Field label="Signing secret (optional)">
            <input name="secret" type="password" autoComplete="new-password" className={`${INPUT_CLASS} w-44`} />
          </Field>
        </>
      )}
      <Field label="Timeout (ms)">
        <input name="timeoutMs" type="number" min={100} step={1} placeholder={kind === "command" ? "60000" : "10000"} className={`${INPUT_CLASS} w-24 tabular`} />
      </Field>
      <SubmitButton pending={pending} busyLabel="Adding…">
        Add hook
      </SubmitButton>
      <ErrorNote message={error} testId="hook-add-error" />
    </form>
  );
}
