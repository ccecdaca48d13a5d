import { describe, expect, it } from "vitest";
import { buildReport, formatDuration, momentWindows, MOMENT_WINDOW_MS, reportMarkdown, thinSamples, type ReportInput } from "./report";
import type { Sample } from "./metrics";

const T0 = new Date("2026-11-28T10:00:00Z");
const min = (n: number) => new Date(T0.getTime() + n * 60_000);

function input(over: Partial<ReportInput> = {}, cutover: Partial<ReportInput["cutover"]> = {}): ReportInput {
  return {
    cutover: { id: "c1", name: "Payments", systemFrom: "old-pay", systemTo: "new-pay", mode: "live", state: "completed", tZero: T0, timeZone: "UTC", startedAt: min(3), ...cutover },
    endedAt: min(95),
    timeline: [
      { title: "Freeze writes", ownerRole: "DATABASE_DBA", plannedStart: min(0), plannedFinish: min(30), actualStart: min(3), actualFinish: min(42) },
      { title: "Flip DNS", ownerRole: "BACKEND_LEAD", plannedStart: min(60), plannedFinish: min(80), actualStart: null, actualFinish: null },
    ],
    decisions: [],
    triggers: [{ id: "t1", label: "Error rate (new) > 5 % for 5 min", metricId: "m1", mode: "automatic", action: "rollback", severity: "immediate", firedAt: null }],
    traffic: [],
    rollbacks: [],
    openItems: [],
    metrics: [{ id: "m1", name: "Error rate", unit: "%", warning: 1, critical: 5 }],
    samples: [],
    lessons: null,
    ...over,
  };
}

const rollbackRow = (over: Partial<ReportInput["rollbacks"][number]> = {}): ReportInput["rollbacks"][number] => ({
  state: "completed",
  reason: "p95 doubled",
  durationMs: 4200,
  startedAt: min(90),
  finishedAt: min(90.07),
  by: null,
  triggerId: null,
  hooks: [{ name: "Page the team", ok: true, durationMs: 300 }],
  ...over,
});

describe("the outcome, in words", () => {
  it("completed", () => {
    const r = buildReport(input());
    expect(r.outcome).toEqual({ kind: "completed", headline: "Completed at 2026-11-28 11:35:00 UTC", why: null });
  });

  it("rolled back by a person, with why", () => {
    const r = buildReport(input({ rollbacks: [rollbackRow({ by: "Dana Ops" })] }, { state: "rolled_back" }));
    expect(r.outcome.kind).toBe("rolled_back");
    expect(r.outcome.headline).toMatch(/^Rolled back by Dana Ops at /);
    expect(r.outcome.why).toBe("p95 doubled");
  });

  it("rolled back by an automatic trigger, and by a recommending trigger a person confirmed", () => {
    const auto = buildReport(input({ rollbacks: [rollbackRow({ triggerId: "t1", reason: "Error rate 7 % > 5 %" })] }, { state: "rolled_back" }));
    expect(auto.outcome.headline).toMatch(/^Rolled back by trigger “Error rate \(new\) > 5 % for 5 min” \(automatic\) at /);
    expect(auto.outcome.why).toBe("Error rate 7 % > 5 %");
    const confirmed = buildReport(input({ rollbacks: [rollbackRow({ triggerId: "t1", by: "Oscar" })] }, { state: "rolled_back" }));
    expect(confirmed.outcome.headline).toMatch(/^Rolled back by trigger “Error rate \(new\) > 5 % for 5 min”, confirmed by Oscar at /);
    const gone = buildReport(input({ rollbacks: [rollbackRow({ triggerId: "t-removed" })] }, { state: "rolled_back" }));
    expect(gone.outcome.headline).toMatch(/^Rolled back by trigger \(a trigger since removed\)/);
  });

  it("the rollback that finished decides, not an earlier failed one", () => {
    const r = buildReport(input({ rollbacks: [rollbackRow({ state: "failed", by: "First try" }), rollbackRow({ by: "Second try", startedAt: min(92) })] }, { state: "rolled_back" }));
    expect(r.outcome.headline).toMatch(/^Rolled back by Second try/);
  });

  it("aborted at a decision, with its reason; and a cutover still running says so", () => {
    const decisions: ReportInput["decisions"] = [{ title: "Go to 50 %", phase: "Canary", state: "abort", requiredRoles: ["QA_LEAD"], openedAt: min(10), decidedAt: min(12), reason: "NO-GO by QA: p95", gates: [], votes: [] }];
    expect(buildReport(input({ decisions }, { state: "aborted" })).outcome).toMatchObject({ kind: "aborted", headline: expect.stringMatching(/^Aborted at decision “Go to 50 %”/), why: "NO-GO by QA: p95" });
    expect(buildReport(input({ endedAt: null }, { state: "in_progress" })).outcome).toMatchObject({ kind: "not_ended", headline: "Not ended (in progress)" });
  });

  it("declared in the room: completed or aborted by the lead, with the note or reason they gave", () => {
    expect(buildReport(input({ ending: { by: "Dana", reason: "last 5 % stays on old until Monday" } }, { state: "completed" })).outcome).toMatchObject({
      kind: "completed",
      headline: expect.stringMatching(/^Completed by Dana at /),
      why: "last 5 % stays on old until Monday",
    });
    expect(buildReport(input({ ending: { by: "Dana", reason: "vendor outage" } }, { state: "aborted" })).outcome).toMatchObject({ kind: "aborted", headline: expect.stringMatching(/^Aborted by Dana at /), why: "vendor outage" });
  });
});

describe("schedule and drift", () => {
  it("start and end against plan, each step's drift as of the end, never-started steps named so", () => {
    const r = buildReport(input());
    expect(r.schedule.startDrift).toBe("+3 min behind plan");
    expect(r.schedule.plannedEnd).toEqual(min(80));
    expect(r.schedule.endDrift).toBe("+15 min behind plan");
    expect(r.timeline.map((e) => [e.title, e.status, e.drift])).toEqual([
      ["Freeze writes", "done", "+12 min behind plan"],
      ["Flip DNS", "overdue", "never started"],
    ]);
    // The schedule is as late as its latest step that began or was due.
    expect(r.schedule.overallDrift).toBe("+35 min behind plan");
  });

  it("ahead of plan, and no timeline at all", () => {
    const r = buildReport(input({ timeline: [], endedAt: min(-5) }, { startedAt: min(-10) }));
    expect(r.schedule.startDrift).toBe("10 min ahead of plan");
    expect(r.schedule.plannedEnd).toBeNull();
    expect(r.schedule.endDrift).toBeNull();
    expect(r.schedule.overallDrift).toBe("no timeline");
  });
});

describe("open items, traffic, triggers", () => {
  it("lists what stayed open and names the trigger of a change", () => {
    const r = buildReport(
      input({
        openItems: [{ phase: "Canary", section: "Checks", title: "Backups verified", ownerRole: "DATABASE_DBA", critical: true }],
        traffic: [{ from: 0, to: 10, state: "verified", override: false, note: null, error: null, durationMs: 850, requestedAt: min(20), finishedAt: min(20), by: "Lee", triggerId: null }, { from: 10, to: 0, state: "verified", override: false, note: null, error: null, durationMs: 1200, requestedAt: min(40), finishedAt: min(40), by: null, triggerId: "t1" }],
        triggers: [{ id: "t1", label: "Errors > 5", metricId: "m1", mode: "automatic", action: "shift", severity: "graceful", firedAt: min(39) }],
      }),
    );
    expect(r.openItems.map((i) => i.title)).toEqual(["Backups verified"]);
    expect(r.traffic.map((t) => t.trigger)).toEqual([null, "Errors > 5"]);
    expect(r.firedTriggers.map((t) => t.label)).toEqual(["Errors > 5"]);
    const text = reportMarkdown(r);
    expect(text).toContain("| Backups verified | Canary / Checks | Database DBA | yes |");
    expect(text).toContain("| 0 % → 10 % | verified | 850 ms | Lee |");
    expect(text).toContain("| 10 % → 0 % | verified | 1.2 s | trigger: Errors &gt; 5 |");
  });

  it("durations read like a person would say them", () => {
    expect([formatDuration(850), formatDuration(4200), formatDuration(185_000), formatDuration(3_720_000), formatDuration(null)]).toEqual(["850 ms", "4.2 s", "3 min 5 s", "1 h 2 min", "—"]);
  });
});

describe("charts around moments", () => {
  it("windows around each moment, merged when they overlap; series of the moment's metric, thinned", () => {
    const samples: ReportInput["samples"] = [];
    for (let i = 0; i < 600; i++) samples.push({ metricId: "m1", system: "new", sample: { at: min(80).getTime() + i * 2000, status: "ok", value: i === 300 ? 99 : 1 } });
    samples.push({ metricId: "m1", system: "new", sample: { at: min(200).getTime(), status: "ok", value: 5 } });
    const r = buildReport(input({ rollbacks: [rollbackRow({ triggerId: "t1" })], triggers: [{ id: "t1", label: "Errors", metricId: "m1", mode: "automatic", action: "rollback", severity: "immediate", firedAt: min(89) }], samples }, { state: "rolled_back" }));
    expect(r.charts.map((c) => c.moment.kind)).toEqual(["trigger", "rollback"]);
    expect(momentWindows(r.charts.map((c) => c.moment))).toEqual([{ from: new Date(min(89).getTime() - MOMENT_WINDOW_MS), to: new Date(min(90).getTime() + MOMENT_WINDOW_MS) }]);
    const series = r.charts[1]!.series[0]!;
    expect(series.old).toBeNull();
    expect(series.new!.length).toBeLessThanOrEqual(120);
    // The spike survives the thinning; the sample outside the window is not drawn.
    expect(series.new!.some((s) => s.value === 99)).toBe(true);
    expect(series.new!.every((s) => s.at <= min(100).getTime())).toBe(true);
  });

  it("thinning keeps a gap a gap", () => {
    const s: Sample[] = Array.from({ length: 400 }, (_, i) => (i >= 200 && i < 210 ? { at: i, status: "no_data", value: null, reason: "down" } : { at: i, status: "ok", value: i % 7 }));
    const thin = thinSamples(s, 40);
    expect(thin.length).toBeLessThanOrEqual(40);
    expect(thin.some((x) => x.status === "no_data")).toBe(true);
  });
});

describe("rehearsal marking and markdown safety", () => {
  it("a rehearsal says REHEARSAL in the title, at the top and at the end; a live cutover never does", () => {
    const text = reportMarkdown(buildReport(input({}, { mode: "rehearsal" })));
    expect(text.split("\n")[0]).toBe("# REHEARSAL · Post-mortem: Payments");
    expect(text.match(/REHEARSAL/g)!.length).toBeGreaterThanOrEqual(3);
    expect(reportMarkdown(buildReport(input()))).not.toContain("REHEARSAL");
  });

  it("user text cannot break tables, inject headings or carry HTML", () => {
    const r = buildReport(
      input({
        openItems: [{ phase: "P", section: "S", title: "a | b\n<script>alert(1)</script>", ownerRole: "QA_LEAD", critical: false }],
        lessons: { wentWell: "# Not a heading\nfine", wentWrong: "", actions: "<img src=x onerror=alert(1)>", version: 2, updatedAt: min(100), updatedBy: "Kim" },
      }),
    );
    const text = reportMarkdown(r);
    expect(text).toContain("| a \\| b &lt;script&gt;alert(1)&lt;/script&gt; | P / S |");
    expect(text).toContain("\\# Not a heading\nfine");
    expect(text).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(text).not.toMatch(/<script|<img/);
    expect(text).toContain("### What went wrong\n\n_Not filled in._");
    expect(text).toContain("_Last edited by Kim at 2026-11-28 11:40:00 UTC._");
  });
});
