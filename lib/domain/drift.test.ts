import { describe, expect, it } from "vitest";
import { cutoverDrift, driftLabel, entryDrift, type TimelineTimes } from "./drift";

// Minutes relative to 06:00 UTC keep the cases readable.
const base = Date.parse("2026-06-14T06:00:00Z");
const t = (minutes: number) => new Date(base + minutes * 60_000);
const tSec = (seconds: number) => new Date(base + seconds * 1000);

function entry(plannedStart: number, opts: { plannedFinish?: number; actualStart?: number; actualFinish?: number } = {}): TimelineTimes {
  return {
    plannedStart: t(plannedStart),
    plannedFinish: opts.plannedFinish === undefined ? null : t(opts.plannedFinish),
    actualStart: opts.actualStart === undefined ? null : t(opts.actualStart),
    actualFinish: opts.actualFinish === undefined ? null : t(opts.actualFinish),
  };
}

describe("driftLabel", () => {
  const cases: [number, string][] = [
    [0, "on plan"],
    [12, "+12 min behind plan"],
    [1, "+1 min behind plan"],
    [-3, "3 min ahead of plan"],
    [60, "+1 h behind plan"],
    [75, "+1 h 15 min behind plan"],
    [-125, "2 h 5 min ahead of plan"],
  ];
  it.each(cases)("%d → %s", (minutes, label) => {
    expect(driftLabel(minutes)).toBe(label);
  });
});

describe("entryDrift", () => {
  it("is not started before its planned start", () => {
    expect(entryDrift(entry(30), t(10))).toEqual({ status: "not_started", driftMinutes: null, label: "not started" });
  });

  it("is not started exactly at its planned start", () => {
    expect(entryDrift(entry(30), t(30)).status).toBe("not_started");
  });

  it("is overdue once the planned start passed without a start", () => {
    expect(entryDrift(entry(30), t(42))).toEqual({
      status: "overdue",
      driftMinutes: 12,
      label: "not started, +12 min behind plan",
    });
  });

  it("says 'due now' when overdue by less than a minute", () => {
    expect(entryDrift(entry(0), tSec(40))).toEqual({ status: "overdue", driftMinutes: 0, label: "due now" });
  });

  it("reports start drift while running", () => {
    expect(entryDrift(entry(30, { actualStart: 42 }), t(45))).toEqual({
      status: "in_progress",
      driftMinutes: 12,
      label: "+12 min behind plan",
    });
    expect(entryDrift(entry(30, { plannedFinish: 60, actualStart: 27 }), t(40))).toEqual({
      status: "in_progress",
      driftMinutes: -3,
      label: "3 min ahead of plan",
    });
  });

  it("reports a running step that overruns its planned finish as behind plan", () => {
    // Started on time, planned to end at 60, still running at 80.
    expect(entryDrift(entry(30, { plannedFinish: 60, actualStart: 30 }), t(80))).toMatchObject({
      status: "in_progress",
      driftMinutes: 20,
    });
    // Started 25 late; at 70 the overrun (10) is smaller than the start drift (25).
    expect(entryDrift(entry(30, { plannedFinish: 60, actualStart: 55 }), t(70)).driftMinutes).toBe(25);
  });

  it("treats drift under a minute as on plan", () => {
    const e: TimelineTimes = { ...entry(30), actualStart: new Date(t(30).getTime() + 59_000) };
    expect(entryDrift(e, t(31))).toMatchObject({ driftMinutes: 0, label: "on plan" });
    const early: TimelineTimes = { ...entry(30), actualStart: new Date(t(30).getTime() - 59_000) };
    expect(entryDrift(early, t(31))).toMatchObject({ driftMinutes: 0, label: "on plan" });
    expect(Object.is(entryDrift(early, t(31)).driftMinutes, -0)).toBe(false);
  });

  it("reports finish drift when done and a planned finish exists", () => {
    expect(entryDrift(entry(30, { plannedFinish: 60, actualStart: 40, actualFinish: 65 }), t(90))).toEqual({
      status: "done",
      driftMinutes: 5,
      label: "+5 min behind plan",
    });
    expect(entryDrift(entry(30, { plannedFinish: 60, actualStart: 40, actualFinish: 52 }), t(90))).toMatchObject({
      driftMinutes: -8,
      label: "8 min ahead of plan",
    });
  });

  it("reports start drift when done without a planned finish", () => {
    expect(entryDrift(entry(30, { actualStart: 33, actualFinish: 80 }), t(90))).toMatchObject({
      status: "done",
      driftMinutes: 3,
    });
  });

  it("falls back to the finish time when a step was finished without being started", () => {
    expect(entryDrift(entry(30, { actualFinish: 45 }), t(90))).toMatchObject({ status: "done", driftMinutes: 15 });
  });

  it("ignores now once a step is done", () => {
    const done = entry(30, { plannedFinish: 60, actualStart: 30, actualFinish: 60 });
    expect(entryDrift(done, t(500))).toMatchObject({ status: "done", driftMinutes: 0, label: "on plan" });
  });
});

describe("cutoverDrift", () => {
  it("is not started when nothing began and nothing is overdue", () => {
    expect(cutoverDrift([entry(30), entry(60)], t(0))).toEqual({ driftMinutes: null, label: "not started", entryIndex: null });
    expect(cutoverDrift([], t(0))).toEqual({ driftMinutes: null, label: "not started", entryIndex: null });
  });

  it("takes the latest started step", () => {
    const entries = [
      entry(0, { plannedFinish: 30, actualStart: 10, actualFinish: 45 }), // +15 at finish
      entry(30, { plannedFinish: 60, actualStart: 36 }), // +6 running
      entry(60),
    ];
    expect(cutoverDrift(entries, t(40))).toEqual({ driftMinutes: 6, label: "+6 min behind plan", entryIndex: 1 });
  });

  it("takes an overdue step over earlier finished ones", () => {
    const entries = [entry(0, { actualStart: 0, actualFinish: 20 }), entry(30)];
    expect(cutoverDrift(entries, t(45))).toEqual({ driftMinutes: 15, label: "+15 min behind plan", entryIndex: 1 });
  });

  it("reports ahead of plan when the latest step started early", () => {
    const entries = [entry(0, { actualStart: 0, actualFinish: 10 }), entry(30, { actualStart: 26 }), entry(60)];
    expect(cutoverDrift(entries, t(28))).toEqual({ driftMinutes: -4, label: "4 min ahead of plan", entryIndex: 1 });
  });

  it("does not depend on the order of the entries", () => {
    const entries = [entry(60), entry(30, { actualStart: 36 }), entry(0, { actualStart: 10, actualFinish: 20 })];
    expect(cutoverDrift(entries, t(40))).toMatchObject({ driftMinutes: 6, entryIndex: 1 });
  });

  it("counts parallel steps by the later of them", () => {
    const entries = [entry(30, { actualStart: 31 }), entry(30, { actualStart: 39 }), entry(30, { actualStart: 30 })];
    expect(cutoverDrift(entries, t(40))).toMatchObject({ driftMinutes: 9, entryIndex: 1 });
  });

  it("is on plan when the latest step is on time", () => {
    const entries = [entry(0, { actualStart: 5, actualFinish: 25 }), entry(30, { actualStart: 30 })];
    expect(cutoverDrift(entries, t(31))).toEqual({ driftMinutes: 0, label: "on plan", entryIndex: 1 });
  });

  it("uses the last step when everything is done", () => {
    const entries = [
      entry(0, { plannedFinish: 30, actualStart: 0, actualFinish: 30 }),
      entry(30, { plannedFinish: 60, actualStart: 30, actualFinish: 70 }),
    ];
    expect(cutoverDrift(entries, t(200))).toMatchObject({ driftMinutes: 10, entryIndex: 1 });
  });
});
