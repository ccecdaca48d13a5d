import { describe, expect, it } from "vitest";
import { ACTIVE_STATES, canComplete, completionBlockers, CUTOVER_STATES, ENDED_STATES, isEnded, nextState, type CutoverVerb } from "./cutover-state";

describe("cutover states", () => {
  it("a cutover is ended once completed, rolled back or aborted", () => {
    expect(CUTOVER_STATES.filter(isEnded)).toEqual(["completed", "rolled_back", "aborted"]);
    expect(isEnded("in_progress")).toBe(false);
    expect(isEnded("draft")).toBe(false);
    expect(isEnded("nonsense")).toBe(false);
  });
  it("every state is either active or ended, never both", () => {
    for (const s of CUTOVER_STATES) expect((ACTIVE_STATES as readonly string[]).includes(s)).toBe(!(ENDED_STATES as readonly string[]).includes(s));
  });
});

describe("ending a cutover", () => {
  it("start, complete and abort go only from their states", () => {
    const to = (verb: CutoverVerb) => Object.fromEntries(CUTOVER_STATES.map((s) => { const t = nextState(s, verb); return [s, t.ok ? t.to : null]; }));
    expect(to("start")).toEqual({ draft: "in_progress", scheduled: "in_progress", in_progress: null, completed: null, rolled_back: null, aborted: null });
    expect(to("complete")).toEqual({ draft: null, scheduled: null, in_progress: "completed", completed: null, rolled_back: null, aborted: null });
    expect(to("abort")).toEqual({ draft: "aborted", scheduled: "aborted", in_progress: "aborted", completed: null, rolled_back: null, aborted: null });
  });
  it("ended states are final, with a reason that says so", () => {
    for (const s of ENDED_STATES) for (const verb of ["start", "complete", "abort"] as const) {
      const t = nextState(s, verb);
      expect(t).toMatchObject({ ok: false });
      if (!t.ok) expect(t.reason).toMatch(/cannot be changed/);
    }
  });
  it("completing a draft says it has not started", () => {
    const t = nextState("draft", "complete");
    expect(t.ok).toBe(false);
    if (!t.ok) expect(t.reason).toMatch(/Only a cutover in progress/);
  });
  it("completion is refused below 100 % or during a rollback unless forced", () => {
    const base = { state: "in_progress", trafficPercent: 100, rollbackRunning: false, force: false };
    expect(canComplete(base)).toEqual({ ok: true, to: "completed" });
    const half = canComplete({ ...base, trafficPercent: 50 });
    expect(half.ok).toBe(false);
    if (!half.ok) expect(half.reason).toMatch(/50 %/);
    const rb = canComplete({ ...base, rollbackRunning: true });
    expect(rb.ok).toBe(false);
    if (!rb.ok) expect(rb.reason).toMatch(/rollback is running/);
    expect(canComplete({ ...base, trafficPercent: 50, rollbackRunning: true, force: true })).toEqual({ ok: true, to: "completed" });
    expect(completionBlockers({ trafficPercent: 50, rollbackRunning: true })).toHaveLength(2);
  });
  it("force never reopens an ended cutover", () => {
    expect(canComplete({ state: "aborted", trafficPercent: 100, rollbackRunning: false, force: true }).ok).toBe(false);
  });
});
