// The triggers as the room shows them: the traffic view's state, overridden by `trigger.state`
// events newer than it, and the words for a rule, its action and its countdown.
import type { TrafficView } from "@/lib/schemas/views";
import { formatThreshold } from "@/lib/domain/metric-format";

export type Trigger = TrafficView["triggers"][number];
export type TriggerStateName = "inactive" | "pending" | "firing";

export interface TriggerEvent {
  triggerId: string;
  state: TriggerStateName;
  outcome: string | null;
  firesAt: number | null;
  notice: string | null;
  value: number | null;
  receivedAt: number;
}

export function parseTriggerEvent(data: Record<string, unknown> | undefined): Omit<TriggerEvent, "receivedAt"> | null {
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

/** `viewAt`: when the traffic view was fetched; only events received after it override it. */
export function mergeTrigger(t: Trigger, ev: TriggerEvent | undefined, viewAt: number): LiveTrigger {
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

/** "3:12" (or "1:02:03"); never negative. */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")}` : `${m}:${String(s).padStart(2, "0")}`;
}

/** "Error rate (new) > 5 % for 30 s". */
export function triggerCondition(t: Pick<Trigger, "metric" | "system" | "comparison" | "threshold" | "unit" | "forSeconds"> & Partial<Pick<Trigger, "conditionKind" | "alertName">>): string {
  if (t.conditionKind === "alert") return `alert ${t.alertName ?? "?"} firing for ${t.forSeconds} s`;
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

/** "trigger: <its description or rule>", "trigger (removed)", or null when no trigger did it. */
export function triggerLabel(triggers: readonly Trigger[], id: string | null): string | null {
  if (!id) return null;
  const t = triggers.find((x) => x.id === id);
  return t ? `trigger: ${t.description ?? triggerCondition(t)}` : "trigger (removed)";
}
