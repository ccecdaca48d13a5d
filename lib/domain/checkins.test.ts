import { describe, expect, it } from "vitest";
import { cadenceFromRunbook, checkInSchedule, checkInStatus, dueCheckIns, formatCadence, graceFor, parseCadenceSegments, parseCadenceText, parseDuration } from "./checkins";

const RUNBOOK_SENTENCE = "every 30 min for the first 2 h, hourly for the next 6 h, every 4 h for the next 16 h";

describe("durations", () => {
  it("reads seconds, minutes, hours and days, and nothing else", () => {
    const cases: [string, number | null][] = [["45 s", 45], ["30 min", 1800], ["2h", 7200], ["1.5 hours", 5400], ["1 day", 86400], ["", null], ["soon", null], ["0 s", null], ["-5 min", null], ["5 parsecs", null], ["1e9", null]];
    expect(cases.map(([text]) => [text, parseDuration(text)])).toEqual(cases);
  });
});

describe("cadence sentence", () => {
  it("reads the runbooks' cadence", () => {
    const parsed = parseCadenceText(RUNBOOK_SENTENCE);
    expect(parsed).toEqual({ ok: true, value: [{ everySec: 1800, forSec: 7200 }, { everySec: 3600, forSec: 21600 }, { everySec: 14400, forSec: 57600 }] });
  });
  it("reads the runbook's checklist lines and seconds", () => {
    expect(parseCadenceText("Check metrics every 30 minutes first 2 hours\nCheck metrics every 1 hour next 6 hours")).toEqual({ ok: true, value: [{ everySec: 1800, forSec: 7200 }, { everySec: 3600, forSec: 21600 }] });
    expect(parseCadenceText("every 5 s for 15 s then every 10 s for the next 20 s")).toEqual({ ok: true, value: [{ everySec: 5, forSec: 15 }, { everySec: 10, forSec: 20 }] });
  });
  it("round-trips through its sentence form", () => {
    const parsed = parseCadenceText(RUNBOOK_SENTENCE);
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parseCadenceText(formatCadence(parsed.value))).toEqual(parsed);
  });
  it("names the clause it cannot read, and refuses absurd cadences", () => {
    const bad = parseCadenceText("every 30 min for 2 h, whenever you feel like it");
    expect(bad).toMatchObject({ ok: false });
    expect(!bad.ok && bad.error).toContain("whenever you feel like it");
    expect(parseCadenceText("every 2 h for 1 h")).toMatchObject({ ok: false });
    expect(parseCadenceText("every 1 s for 1 d")).toMatchObject({ ok: false });
    expect(parseCadenceText("")).toMatchObject({ ok: false });
  });
  it("reads the structured form", () => {
    expect(parseCadenceSegments([{ every: "30 min", for: "2 h" }, { every: "1 h", for: "6 h" }])).toEqual({ ok: true, value: [{ everySec: 1800, forSec: 7200 }, { everySec: 3600, forSec: 21600 }] });
    expect(parseCadenceSegments([{ every: "often", for: "2 h" }])).toMatchObject({ ok: false });
  });
  it("finds the cadence a runbook states", () => {
    // As production-deployment-checklist.md writes it.
    const runbook = "**Continuous monitoring**:\n- [ ] Check metrics every 30 minutes first 2 hours\n- [ ] Check metrics every 1 hour next 6 hours\n- [ ] Check metrics every 4 hours next 16 hours\n- [ ] Daily review after 24 hours\n";
    expect(cadenceFromRunbook(runbook)).toEqual([{ everySec: 1800, forSec: 7200 }, { everySec: 3600, forSec: 21600 }, { everySec: 14400, forSec: 57600 }]);
    expect(cadenceFromRunbook("# nothing here")).toBeNull();
  });
});

describe("schedule", () => {
  const parsed = parseCadenceText(RUNBOOK_SENTENCE);
  if (!parsed.ok) throw new Error(parsed.error);
  const cadence = { segments: parsed.value, graceSec: null };
  const anchor = Date.UTC(2026, 0, 1, 12, 0, 0);
  const min = 60_000;

  it("counts each stretch after the previous one, without a check-in twice at a boundary", () => {
    const times = checkInSchedule(cadence, anchor).map((c) => (c.dueAt - anchor) / min);
    expect(times).toEqual([30, 60, 90, 120, 180, 240, 300, 360, 420, 480, 720, 960, 1200, 1440]);
  });
  it("lists what is due by now and the next one", () => {
    const { due, next } = dueCheckIns(cadence, anchor, anchor + 95 * min);
    expect(due.map((c) => (c.dueAt - anchor) / min)).toEqual([30, 60, 90]);
    expect(next && (next.dueAt - anchor) / min).toBe(120);
    expect(dueCheckIns(cadence, anchor, anchor + 25 * 3600_000).next).toBeNull();
    expect(dueCheckIns(cadence, anchor, anchor).due).toEqual([]);
  });
  it("gives a grace of 10 % of the interval, at least a minute, unless configured", () => {
    expect(graceFor(1800)).toBe(180);
    expect(graceFor(300)).toBe(60);
    expect(graceFor(5, 2)).toBe(2);
    const [first] = checkInSchedule(cadence, anchor);
    expect(first!.overdueAt - first!.dueAt).toBe(180_000);
    const [fast] = checkInSchedule({ segments: [{ everySec: 5, forSec: 10 }], graceSec: 3 }, anchor);
    expect(fast).toEqual({ dueAt: anchor + 5000, overdueAt: anchor + 8000, intervalSec: 5 });
  });
  it("is due, then overdue once the grace passed, until acknowledged", () => {
    const c = { acknowledgedAt: null, overdueAt: 1000 };
    expect(checkInStatus(c, 999)).toBe("due");
    expect(checkInStatus(c, 1000)).toBe("overdue");
    expect(checkInStatus({ ...c, acknowledgedAt: 1500 }, 2000)).toBe("acknowledged");
  });
});
