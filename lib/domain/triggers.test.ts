import { describe, expect, it } from "vitest";
import type { Sample } from "./metrics";
import { firesAt, INITIAL_RUNTIME, stepTrigger, type TriggerRule, type TriggerRuntime } from "./triggers";

const S = 1000;
const v = (at: number, value: number): Sample => ({ at: at * S, status: "ok", value });
const empty = (at: number): Sample => ({ at: at * S, status: "no_data", value: null, reason: "empty result" });
const error = (at: number): Sample => ({ at: at * S, status: "error", value: null, reason: "connection refused" });

// DOMAIN.md: error rate (new) > 5 % for 30 s, evaluated every 10 s.
const rule: TriggerRule = { comparison: ">", threshold: 5, forSec: 30, keepFiringForSec: 0, errorRollbackAfter: null };

function run(r: TriggerRule, samples: Sample[]) {
  let rt: TriggerRuntime = INITIAL_RUNTIME;
  return samples.map((s) => {
    const step = stepTrigger(r, rt, s, s.at);
    rt = step.next;
    return { t: s.at / S, state: rt.state, since: rt.pendingSince === null ? null : rt.pendingSince / S, fire: step.fire, outcome: step.outcome };
  });
}

describe("trigger evaluation, the DOMAIN.md table row by row", () => {
  it("matches Prometheus alerting rules", () => {
    const rows = run(rule, [v(0, 2), v(10, 7), v(20, 8), v(30, 4), v(40, 9), empty(50), v(60, 9), v(70, 9), v(80, 9), v(90, 9), v(100, 9), v(110, 3)]);
    expect(rows).toEqual([
      { t: 0, state: "inactive", since: null, fire: false, outcome: "ok" },
      { t: 10, state: "pending", since: 10, fire: false, outcome: "breach" },
      { t: 20, state: "pending", since: 10, fire: false, outcome: "breach" },
      { t: 30, state: "inactive", since: null, fire: false, outcome: "ok" },
      { t: 40, state: "pending", since: 40, fire: false, outcome: "breach" },
      { t: 50, state: "inactive", since: null, fire: false, outcome: "no_data" },
      { t: 60, state: "pending", since: 60, fire: false, outcome: "breach" },
      { t: 70, state: "pending", since: 60, fire: false, outcome: "breach" },
      { t: 80, state: "pending", since: 60, fire: false, outcome: "breach" },
      { t: 90, state: "firing", since: 60, fire: true, outcome: "breach" },
      { t: 100, state: "firing", since: 60, fire: false, outcome: "breach" },
      { t: 110, state: "inactive", since: null, fire: false, outcome: "ok" },
    ]);
  });

  it("counts down while pending", () => {
    const step = stepTrigger(rule, INITIAL_RUNTIME, v(10, 7), 10 * S);
    expect(firesAt(rule, step.next)).toBe(40 * S);
  });

  it("keep_firing_for holds the firing state after recovery, without a second action", () => {
    const rows = run({ ...rule, keepFiringForSec: 25 }, [v(0, 9), v(10, 9), v(20, 9), v(30, 9), v(40, 1), v(50, 1), v(60, 9), v(70, 1)]);
    expect(rows.map((r) => [r.t, r.state, r.fire])).toEqual([
      [0, "pending", false],
      [10, "pending", false],
      [20, "pending", false],
      [30, "firing", true],
      [40, "firing", false],
      [50, "firing", false],
      [60, "firing", false],
      [70, "firing", false],
    ]);
    expect(run({ ...rule, keepFiringForSec: 25 }, [v(0, 9), v(30, 9), v(60, 1)]).at(-1)).toMatchObject({ state: "inactive" });
  });

  it("provider errors never count as a breach: they keep the state and pause automation", () => {
    let rt = stepTrigger(rule, INITIAL_RUNTIME, v(0, 9), 0).next;
    const e1 = stepTrigger(rule, rt, error(10), 10 * S);
    expect(e1).toMatchObject({ outcome: "error", fire: false, paused: true });
    expect(e1.next.state).toBe("pending");
    rt = e1.next;
    for (let t = 20; t < 200; t += 10) rt = stepTrigger(rule, rt, error(t), t * S).next;
    expect(rt.state).toBe("pending");
    expect(rt.consecutiveErrors).toBe(19);
  });

  it("a fail-safe rule rolls back after N consecutive errors, once", () => {
    const failSafe = { ...rule, errorRollbackAfter: 3 };
    const rows = run(failSafe, [v(0, 1), error(10), error(20), v(30, 1), error(40), error(50), error(60), error(70)]);
    expect(rows.map((r) => [r.t, r.state, r.fire])).toEqual([
      [0, "inactive", false],
      [10, "inactive", false],
      [20, "inactive", false],
      [30, "inactive", false],
      [40, "inactive", false],
      [50, "inactive", false],
      [60, "firing", true],
      [70, "firing", false],
    ]);
  });

  it("for: 0 fires on the first breach", () => {
    expect(run({ ...rule, forSec: 0 }, [v(0, 9)])[0]).toMatchObject({ state: "firing", fire: true });
  });
});
