import { describe, expect, it } from "vitest";
import { describeGate, evaluateGate, levelOf, staleAfterOf, tileState, type Sample } from "./metrics";

const ok = (at: number, value: number): Sample => ({ at, status: "ok", value });
const err = (at: number, reason: string): Sample => ({ at, status: "error", value: null, reason });
const none = (at: number): Sample => ({ at, status: "no_data", value: null, reason: "empty result" });
const S = 1000;

describe("thresholds", () => {
  const above = { direction: "above" as const, warning: 1, critical: 5 };
  const below = { direction: "below" as const, warning: 20, critical: 10 };
  it.each([
    [0.5, "ok"],
    [1, "ok"],
    [1.01, "warning"],
    [5.5, "critical"],
  ])("above: %s → %s", (v, level) => expect(levelOf(v, above)).toBe(level));
  it.each([
    [45, "ok"],
    [15, "warning"],
    [9, "critical"],
  ])("below (disk free): %s → %s", (v, level) => expect(levelOf(v, below)).toBe(level));
  it("no thresholds: always ok", () => expect(levelOf(1e9, { direction: "above", warning: null, critical: null })).toBe("ok"));
});

describe("tile state", () => {
  const t = { direction: "above" as const, warning: 1, critical: 5 };
  it("a fresh sample is current, coloured by threshold", () => {
    expect(tileState([ok(100 * S, 7)], t, 102 * S, 15 * S)).toEqual({ kind: "current", level: "critical", value: 7, at: 100 * S });
  });
  it("an error says since when there is no good data and why, keeping the last value aside", () => {
    expect(tileState([ok(100 * S, 0.2), err(105 * S, "connection refused")], t, 106 * S, 15 * S)).toEqual({ kind: "error", lastValue: 0.2, since: 100 * S, reason: "connection refused" });
  });
  it("an old sample is stale, not current", () => {
    expect(tileState([ok(100 * S, 0.2)], t, 130 * S, 15 * S)).toMatchObject({ kind: "stale", lastValue: 0.2, since: 100 * S });
  });
  it("nothing yet is no data", () => {
    expect(tileState([], t, 0, 15 * S)).toMatchObject({ kind: "no_data" });
    expect(tileState([none(5 * S)], t, 6 * S, 15 * S)).toMatchObject({ kind: "no_data", reason: "empty result" });
  });
});

describe("metric gates: missing or stale data fails", () => {
  const every = (from: number, to: number, v: (t: number) => number) => {
    const out: Sample[] = [];
    for (let t = from; t <= to; t += 5) out.push(ok(t * S, v(t)));
    return out;
  };
  const gate = { kind: "threshold" as const, system: "new" as const, op: "<" as const, value: 1, windowSec: 60 };
  it("passes when every sample of a covered window holds", () => {
    const r = evaluateGate(gate, { old: [], new: every(0, 120, () => 0.3) }, 120 * S, 5 * S, "Error rate");
    expect(r.passed).toBe(true);
  });
  it("fails when one sample breaks it", () => {
    const r = evaluateGate(gate, { old: [], new: every(0, 120, (t) => (t === 100 ? 3 : 0.3)) }, 120 * S, 5 * S, "Error rate");
    expect(r).toEqual({ passed: false, detail: "Error rate (new) reached 3.00, needs < 1" });
  });
  it("fails without data, with stale data, with too short data, with an error inside the window", () => {
    expect(evaluateGate(gate, { old: [], new: [] }, 120 * S, 5 * S, "Error rate").detail).toMatch(/no data/);
    expect(evaluateGate(gate, { old: [], new: every(0, 90, () => 0.1) }, 120 * S, 5 * S, "Error rate").detail).toMatch(/stale/);
    expect(evaluateGate(gate, { old: [], new: every(100, 120, () => 0.1) }, 120 * S, 5 * S, "Error rate").detail).toMatch(/only the last 20 s of 60 s/);
    const withError = [...every(0, 110, () => 0.1), err(115 * S, "timeout"), ok(120 * S, 0.1)];
    expect(evaluateGate(gate, { old: [], new: withError }, 120 * S, 5 * S, "Error rate").detail).toMatch(/an error at .*: timeout/);
  });
  it("compares new to old as a ratio of means", () => {
    const ratio = { kind: "ratio" as const, op: "<=" as const, factor: 1.2, windowSec: 60 };
    expect(evaluateGate(ratio, { old: every(0, 120, () => 100), new: every(0, 120, () => 110) }, 120 * S, 5 * S, "p95").passed).toBe(true);
    const r = evaluateGate(ratio, { old: every(0, 120, () => 100), new: every(0, 120, () => 150) }, 120 * S, 5 * S, "p95");
    expect(r).toEqual({ passed: false, detail: "p95: new 150 not <= 1.2 × old 100 (mean over 60 s)" });
    expect(evaluateGate(ratio, { old: [], new: every(0, 120, () => 1) }, 120 * S, 5 * S, "p95").passed).toBe(false);
  });
  it("describes gates in the room's words", () => {
    expect(describeGate({ ...gate, windowSec: 1800 }, "Error rate", "%")).toBe("Error rate (new) < 1 % over the last 30 min");
  });
});

describe("staleness", () => {
  it("a value is stale after three poll intervals without a sample, never sooner than 10 s", () => {
    expect(staleAfterOf(1000)).toBe(10_000);
    expect(staleAfterOf(3333)).toBe(10_000);
    expect(staleAfterOf(5000)).toBe(15_000);
    expect(staleAfterOf(60_000)).toBe(180_000);
  });
});
