// Automatic rollback triggers, with the semantics of Prometheus alerting rules (see DOMAIN.md):
// a breach makes a rule pending; it fires once it has held at every evaluation for `for`; one good
// evaluation or an empty result resets it; the action runs once per episode. Provider errors are a
// third outcome: they never count as a breach, keep the state and pause automation, unless the
// rule is fail-safe and asks for a rollback after N consecutive errors.
import { compare, type Comparison, type Sample } from "./metrics";

export type TriggerState = "inactive" | "pending" | "firing";

export interface TriggerRule {
  comparison: Comparison;
  threshold: number;
  forSec: number;
  keepFiringForSec: number;
  /** null: errors only pause and alert. N: roll back after N consecutive provider errors. */
  errorRollbackAfter: number | null;
}

export interface TriggerRuntime {
  state: TriggerState;
  pendingSince: number | null;
  firedAt: number | null;
  lastBreachAt: number | null;
  consecutiveErrors: number;
}

export const INITIAL_RUNTIME: TriggerRuntime = { state: "inactive", pendingSince: null, firedAt: null, lastBreachAt: null, consecutiveErrors: 0 };

export type Outcome = "ok" | "breach" | "no_data" | "error";

export interface TriggerStep {
  outcome: Outcome;
  next: TriggerRuntime;
  /** The rule's action runs now (exactly once per episode). */
  fire: boolean;
  /** Why it fires: the condition held, or the fail-safe error count was reached. */
  fireReason: "condition" | "provider_errors" | null;
  /** Automatic actions are paused because the data cannot be trusted right now. */
  paused: boolean;
  /** What the room is told, if anything. */
  notice: string | null;
}

export function outcomeOf(rule: Pick<TriggerRule, "comparison" | "threshold">, sample: Sample): Outcome {
  if (sample.status !== "ok") return sample.status;
  return compare(sample.value, rule.comparison, rule.threshold) ? "breach" : "ok";
}

export function stepTrigger(rule: TriggerRule, rt: TriggerRuntime, sample: Sample, now: number): TriggerStep {
  const outcome = outcomeOf(rule, sample);
  const keepFiring = rt.state === "firing" && rule.keepFiringForSec > 0 && rt.lastBreachAt !== null && now - rt.lastBreachAt < rule.keepFiringForSec * 1000;

  if (outcome === "error") {
    const consecutiveErrors = rt.consecutiveErrors + 1;
    const failSafe = rule.errorRollbackAfter !== null && consecutiveErrors >= rule.errorRollbackAfter && rt.state !== "firing";
    const reason = sample.status === "error" ? sample.reason : "error";
    if (failSafe) {
      return { outcome, next: { ...rt, state: "firing", firedAt: now, consecutiveErrors }, fire: true, fireReason: "provider_errors", paused: false, notice: `${consecutiveErrors} consecutive errors from the metrics provider (${reason}): fail-safe rollback` };
    }
    return { outcome, next: { ...rt, consecutiveErrors }, fire: false, fireReason: null, paused: true, notice: `Automation paused: the metrics provider failed (${reason})` };
  }

  if (outcome === "breach") {
    const base = { ...rt, lastBreachAt: now, consecutiveErrors: 0 };
    if (rt.state === "firing") return { outcome, next: base, fire: false, fireReason: null, paused: false, notice: null };
    const pendingSince = rt.state === "pending" && rt.pendingSince !== null ? rt.pendingSince : now;
    if (now - pendingSince >= rule.forSec * 1000) {
      return { outcome, next: { ...base, state: "firing", pendingSince, firedAt: now }, fire: true, fireReason: "condition", paused: false, notice: null };
    }
    return { outcome, next: { ...base, state: "pending", pendingSince }, fire: false, fireReason: null, paused: false, notice: null };
  }

  // ok or no_data: the condition does not hold (an empty result resets, as in Prometheus).
  const reset: TriggerRuntime = keepFiring ? { ...rt, consecutiveErrors: 0 } : { ...INITIAL_RUNTIME, lastBreachAt: rt.lastBreachAt };
  const notice = outcome === "no_data" ? `No data: ${sample.status === "no_data" ? sample.reason : ""}`.trim() : null;
  return { outcome, next: reset, fire: false, fireReason: null, paused: outcome === "no_data", notice };
}

/** When a pending rule will fire if the condition keeps holding (for the room's countdown). */
export function firesAt(rule: TriggerRule, rt: TriggerRuntime): number | null {
  return rt.state === "pending" && rt.pendingSince !== null ? rt.pendingSince + rule.forSec * 1000 : null;
}
