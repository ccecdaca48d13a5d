import { describe, expect, it } from "vitest";
import { contrastRatio, currentPhase, formatAge, nextDecision, splitValue, voteMarks, wallState, worseLevel } from "./wall";

describe("formatAge", () => {
  it("says how long in one short token", () => {
    expect(formatAge(0)).toBe("0s");
    expect(formatAge(45_900)).toBe("45s");
    expect(formatAge(60_000)).toBe("1m");
    expect(formatAge(125_000)).toBe("2m");
    expect(formatAge(3 * 3_600_000 + 59 * 60_000)).toBe("3h");
    expect(formatAge(50 * 3_600_000)).toBe("2d");
  });
  it("never goes negative (a sample from a clock slightly ahead)", () => {
    expect(formatAge(-5000)).toBe("0s");
  });
});

describe("wallState", () => {
  const now = 1_000_000;
  it("names a current level in one word with a shape", () => {
    expect(wallState({ kind: "current", level: "critical", value: 9, at: now }, now)).toEqual({ level: "critical", text: "CRIT", icon: "✖" });
    expect(wallState({ kind: "current", level: "warning", value: 9, at: now }, now).text).toBe("WARN");
    expect(wallState({ kind: "current", level: "ok", value: 9, at: now }, now).text).toBe("OK");
  });
  it("says since when a value is missing, short: NO DATA 2m, STALE 40s", () => {
    expect(wallState({ kind: "no_data", lastValue: null, since: now - 125_000, reason: "the query returned NaN (no traffic in the window?)" }, now).text).toBe("NO DATA 2m");
    expect(wallState({ kind: "stale", lastValue: 3, since: now - 40_000, reason: "no new sample" }, now).text).toBe("STALE 40s");
    expect(wallState({ kind: "error", lastValue: null, since: now - 3_600_000, reason: "refused" }, now)).toEqual({ level: "error", text: "ERROR 1h", icon: "⚠" });
  });
  it("without any good sample yet there is no age to give", () => {
    expect(wallState({ kind: "no_data", lastValue: null, since: null, reason: "no sample yet" }, now).text).toBe("NO DATA");
  });
  it('every state fits a badge: at most 11 characters ("NO DATA 47h")', () => {
    for (const kind of ["stale", "no_data", "error"] as const) expect(wallState({ kind, lastValue: null, since: now - 47 * 3_600_000, reason: "" }, now).text.length).toBeLessThanOrEqual(11);
  });
});

describe("worseLevel", () => {
  it("keeps the more severe state", () => {
    expect(worseLevel(null, "ok")).toBe("ok");
    expect(worseLevel("ok", "no_data")).toBe("no_data");
    expect(worseLevel("critical", "warning")).toBe("critical");
    expect(worseLevel("stale", "no_data")).toBe("stale");
  });
});

describe("splitValue", () => {
  it("puts the unit apart from the number", () => {
    expect(splitValue(128.4, "ms")).toEqual({ number: "128", unit: "ms" });
    expect(splitValue(2.5, "%")).toEqual({ number: "2.50", unit: "%" });
    expect(splitValue(1_500_000, "bytes")).toEqual({ number: "1.5", unit: "MB" });
    expect(splitValue(12.345, "req/s")).toEqual({ number: "12.3", unit: "req/s" });
  });
  it("a count has no unit; thousands stay in the number", () => {
    expect(splitValue(12_345, "count")).toEqual({ number: "12,345", unit: "" });
    expect(splitValue(3, "")).toEqual({ number: "3.00", unit: "" });
  });
});

const phase = (id: string, position: number, states: string[]) => ({ id, name: id, position, sections: [{ items: states.map((state) => ({ state })) }] });

describe("currentPhase", () => {
  it("is the first phase in plan order with an open item", () => {
    const r = currentPhase([phase("cut", 2, ["open"]), phase("prep", 1, ["done", "not_applicable"]), phase("verify", 3, ["open", "open"])]);
    expect(r?.phase.id).toBe("cut");
    expect(r).toMatchObject({ open: 1, total: 1, index: 1, count: 3 });
  });
  it("is the last phase once everything is closed; null without phases", () => {
    expect(currentPhase([phase("a", 1, ["done"]), phase("b", 2, [])])?.phase.id).toBe("b");
    expect(currentPhase([])).toBeNull();
  });
});

describe("nextDecision", () => {
  const phases = [
    { id: "p1", position: 1 },
    { id: "p2", position: 2 },
  ];
  it("prefers the decision being voted on, then the first pending in plan order", () => {
    expect(nextDecision([{ phaseId: "p2", state: "pending", t: "b" }, { phaseId: "p1", state: "pending", t: "a" }], phases)).toEqual({ decision: { phaseId: "p1", state: "pending", t: "a" }, closed: false });
    expect(nextDecision([{ phaseId: "p1", state: "pending" }, { phaseId: "p2", state: "voting" }], phases)?.decision.state).toBe("voting");
  });
  it("with all closed, the last one in plan order, marked closed; null without decisions", () => {
    expect(nextDecision([{ phaseId: "p2", state: "abort" }, { phaseId: "p1", state: "proceed" }], phases)).toEqual({ decision: { phaseId: "p2", state: "abort" }, closed: true });
    expect(nextDecision([], phases)).toBeNull();
  });
});

describe("voteMarks", () => {
  it("lists every required role with its first vote or waiting", () => {
    const votes = [
      { role: "QA_LEAD" as const, choice: "go" as const, userName: "Quinn" },
      { role: "QA_LEAD" as const, choice: "no_go" as const, userName: "Quinn" },
    ];
    expect(voteMarks(["QA_LEAD", "DATABASE_DBA"], votes)).toEqual([
      { role: "QA_LEAD", choice: "go", userName: "Quinn" },
      { role: "DATABASE_DBA", choice: "waiting", userName: null },
    ]);
  });
});

describe("contrastRatio (WCAG 2.1)", () => {
  it("black on white is 21, a colour on itself 1, in either order", () => {
    expect(contrastRatio([0, 0, 0], [255, 255, 255])).toBeCloseTo(21, 5);
    expect(contrastRatio([255, 255, 255], [0, 0, 0])).toBeCloseTo(21, 5);
    expect(contrastRatio([120, 30, 200], [120, 30, 200])).toBe(1);
  });
  it("matches the published value for #767676 on white (4.54)", () => {
    expect(contrastRatio([0x76, 0x76, 0x76], [255, 255, 255])).toBeCloseTo(4.54, 2);
  });
});
