import { describe, expect, it } from "vitest";
import { formatCountdown, mergeTrigger, parseTriggerEvent, pendingText, triggerActionName, triggerCondition, triggerLabel, type Trigger, type TriggerEvent } from "./live-triggers";

const T0 = Date.parse("2026-11-29T10:00:00Z");

function trigger(over: Partial<Trigger> = {}): Trigger {
  return {
    id: "t1",
    metric: "Error rate",
    unit: "%",
    metricId: "m1",
    system: "new",
    comparison: ">",
    threshold: 5,
    forSeconds: 30,
    keepFiringForSeconds: 0,
    severity: "immediate",
    action: "rollback",
    shiftToPercent: null,
    mode: "automatic",
    errorRollbackAfter: null,
    enabled: true,
    state: "inactive",
    pendingSince: null,
    firedAt: null,
    lastOutcome: null,
    description: null,
    ...over,
  } as Trigger;
}

function event(over: Partial<TriggerEvent> = {}): TriggerEvent {
  return { triggerId: "t1", state: "pending", outcome: "bad", firesAt: T0 + 30_000, notice: null, value: 7, receivedAt: T0 + 1000, ...over };
}

describe("parseTriggerEvent", () => {
  it("reads a trigger.state event and refuses one without a trigger", () => {
    expect(parseTriggerEvent(undefined)).toBeNull();
    expect(parseTriggerEvent({ state: "firing" })).toBeNull();
    expect(parseTriggerEvent({ triggerId: "t1", state: "firing", outcome: "bad", firesAt: 5, notice: "", value: 2 })).toEqual({ triggerId: "t1", state: "firing", outcome: "bad", firesAt: 5, notice: null, value: 2 });
    expect(parseTriggerEvent({ triggerId: "t1", state: "weird", firesAt: "soon", value: "x" })).toEqual({ triggerId: "t1", state: "inactive", outcome: null, firesAt: null, notice: null, value: null });
  });
});

describe("mergeTrigger", () => {
  it("keeps the view's state when no event is newer than the view", () => {
    const t = trigger({ state: "pending", pendingSince: new Date(T0).toISOString() });
    const merged = mergeTrigger(t, event({ state: "inactive", receivedAt: T0 }), T0 + 500);
    expect(merged.liveState).toBe("pending");
    // The countdown's end from the view: pending since + for.
    expect(merged.firesAt).toBe(T0 + 30_000);
  });

  it("takes a newer event's state and countdown", () => {
    const merged = mergeTrigger(trigger(), event({ firesAt: T0 + 12_000 }), T0);
    expect(merged.liveState).toBe("pending");
    expect(merged.firesAt).toBe(T0 + 12_000);
    expect(mergeTrigger(trigger({ state: "pending" }), event({ state: "firing" }), T0).firesAt).toBeNull();
  });

  it("says why automation is paused when the provider fails or has no data", () => {
    expect(mergeTrigger(trigger({ lastOutcome: "error" }), undefined, T0).notice).toBe("Automation paused: the metrics provider failed");
    expect(mergeTrigger(trigger({ lastOutcome: "no_data" }), undefined, T0).notice).toBe("No data for Error rate (new)");
    expect(mergeTrigger(trigger({ lastOutcome: "ok" }), undefined, T0).notice).toBeNull();
    // The event's own notice wins while it speaks of the same outcome.
    expect(mergeTrigger(trigger(), event({ outcome: "error", notice: "Prometheus timed out" }), T0).notice).toBe("Prometheus timed out");
  });
});

describe("words", () => {
  it("formats the countdown, never negative", () => {
    expect(formatCountdown(192_000)).toBe("3:12");
    expect(formatCountdown(3_723_000)).toBe("1:02:03");
    expect(formatCountdown(-5000)).toBe("0:00");
    expect(formatCountdown(1)).toBe("0:01");
  });

  it("writes the rule, the action and the pending text", () => {
    expect(triggerCondition(trigger())).toBe("Error rate (new) > 5 % for 30 s");
    expect(triggerActionName(trigger())).toBe("rollback");
    expect(triggerActionName(trigger({ action: "shift", shiftToPercent: 50 }))).toBe("shift to 50 %");
    expect(triggerActionName(trigger({ action: "alert" }))).toBe("alert");
    const live = mergeTrigger(trigger(), event({ firesAt: T0 + 192_000 }), T0);
    expect(pendingText(live, T0)).toBe("automatic rollback in 3:12 unless Error rate recovers");
    expect(pendingText({ ...live, mode: "recommend", firesAt: null }, T0)).toBe("rollback recommended after 30 s unless Error rate recovers");
    expect(pendingText({ ...live, action: "alert" }, T0)).toBe("alert in 3:12 unless Error rate recovers");
  });

  it("labels what a trigger did, also once it is removed", () => {
    const list = [trigger(), trigger({ id: "t2", description: "Latency guard" })];
    expect(triggerLabel(list, null)).toBeNull();
    expect(triggerLabel(list, "t1")).toBe("trigger: Error rate (new) > 5 % for 30 s");
    expect(triggerLabel(list, "t2")).toBe("trigger: Latency guard");
    expect(triggerLabel(list, "gone")).toBe("trigger (removed)");
  });
});
