import { describe, expect, it } from "vitest";
import { checkTemplateText, currentPhase, metricText, NO_DATA, nextUpdateDue, renderAnnouncement, renderText, UnknownVariableError, unknownVariables, type RenderState } from "./render";

const state = (over: Partial<RenderState> = {}): RenderState => ({
  cutover: { name: "Payments to Go", timeZone: "Europe/Berlin", tZero: new Date("2026-11-29T09:00:00Z"), startedAt: new Date("2026-11-29T08:55:00Z"), trafficPercent: 25, systemFrom: "python", systemTo: "go" },
  phase: "Canary",
  metrics: [
    { name: "Error rate", unit: "%", system: "both", old: 0.5, new: 1.234 },
    { name: "Latency p99", unit: "ms", system: "both", old: null, new: 812.4 },
    { name: "Memory", unit: "bytes", system: "new", old: null, new: 1.5e9 },
  ],
  reason: "error rate (new) above 5 %",
  now: new Date("2026-11-29T10:15:00Z"),
  nextUpdateDue: new Date("2026-11-29T10:45:00Z"),
  roomUrl: "https://warroom.example.com/cutovers/abc",
  ...over,
});

describe("renderText", () => {
  it("fills every variable from the state, times in the cutover's zone", () => {
    const text = "{{cutover}} | {{phase}} | {{traffic_new}} / {{traffic_old}} | {{reason}} | {{now}} | {{started_at}} | {{t_zero}} | {{next_update_due}} | {{room_url}}";
    expect(renderText(text, state())).toBe(
      "Payments to Go | Canary | 25 % / 75 % | error rate (new) above 5 % | 2026-11-29 11:15:00 Europe/Berlin | 2026-11-29 09:55:00 Europe/Berlin | 2026-11-29 10:00:00 Europe/Berlin | 2026-11-29 11:45:00 Europe/Berlin | https://warroom.example.com/cutovers/abc",
    );
  });

  it("writes metrics with their units, new then old, as the room formats them", () => {
    expect(renderText("{{metric:Error rate}}", state())).toBe("new 1.23 %, old 0.50 %");
    expect(renderText("{{ metric: latency P99 }}", state())).toBe(`new 812 ms, old ${NO_DATA}`);
    expect(renderText("{{metric:Memory}}", state())).toBe("1.50 GB");
  });

  it("says 'no data' rather than leaving a blank", () => {
    const s = state({ phase: null, reason: null, nextUpdateDue: null, roomUrl: null, cutover: { ...state().cutover, startedAt: null }, metrics: [{ name: "Error rate", unit: "%", system: "both", old: null, new: null }] });
    expect(renderText("{{phase}}|{{reason}}|{{next_update_due}}|{{room_url}}|{{started_at}}|{{metric:Error rate}}", s)).toBe(Array(6).fill(NO_DATA).join("|"));
    expect(renderText("{{reason}}", state({ reason: "   " }))).toBe(NO_DATA);
  });

  it("refuses unknown variables, naming them and what is known", () => {
    expect(() => renderText("Hello {{colour}}", state())).toThrow(UnknownVariableError);
    expect(() => renderText("Hello {{colour}}", state())).toThrow(/\{\{colour\}\}.*\{\{cutover\}\}/);
    expect(() => renderText("{{metric:Disk}}", state())).toThrow(/Metrics of this cutover: Error rate, Latency p99, Memory/);
    expect(() => renderText("{{reason:x}}", state())).toThrow(UnknownVariableError);
  });

  it("refuses stray braces rather than sending them", () => {
    expect(unknownVariables("{{phase}", [])).toEqual(["{{phase}"]);
    expect(unknownVariables("{{ }}", [])).toEqual(["{{ }}"]);
    expect(unknownVariables("a { single } brace is fine", [])).toEqual([]);
  });

  it("leaves text without variables as it is", () => {
    expect(renderText("Plain text, 100 % sure.", state())).toBe("Plain text, 100 % sure.");
  });
});

describe("checkTemplateText", () => {
  it("is null when every variable is known, case-insensitively", () => {
    expect(checkTemplateText(["{{CUTOVER}} {{ Phase }}", "{{metric:error RATE}}"], ["Error rate"])).toBeNull();
  });
  it("lists each unknown variable once", () => {
    const error = checkTemplateText(["{{x}} {{x}}", "{{y}}"], []);
    expect(error).toMatch(/^Unknown variables \{\{x\}\}, \{\{y\}\}:/);
  });
});

describe("renderAnnouncement", () => {
  it("keeps the title on one line and bounded", () => {
    const out = renderAnnouncement({ title: "{{cutover}}\n  rolled   back", body: "Body {{traffic_old}}" }, state());
    expect(out).toEqual({ title: "Payments to Go rolled back", text: "Body 75 %" });
    expect(renderAnnouncement({ title: "x".repeat(500), body: "" }, state()).title).toHaveLength(200);
  });
  it("checks title and body before rendering either", () => {
    expect(() => renderAnnouncement({ title: "ok", body: "{{nope}}" }, state())).toThrow(/\{\{nope\}\}/);
  });
});

describe("helpers", () => {
  it("metricText of a one-system metric shows that system only", () => {
    expect(metricText({ name: "CPU", unit: "%", system: "old", old: 42.123, new: 1 })).toBe("42.1 %");
  });
  it("currentPhase is the first with open items, else the last", () => {
    expect(currentPhase([{ name: "Prep", openItems: 0 }, { name: "Canary", openItems: 2 }, { name: "Full", openItems: 5 }])).toBe("Canary");
    expect(currentPhase([{ name: "Prep", openItems: 0 }, { name: "Full", openItems: 0 }])).toBe("Full");
    expect(currentPhase([])).toBeNull();
  });
  it("nextUpdateDue is the last send plus the interval", () => {
    expect(nextUpdateDue(new Date("2026-01-01T10:00:00Z"), 30)?.toISOString()).toBe("2026-01-01T10:30:00.000Z");
    expect(nextUpdateDue(null, 30)).toBeNull();
  });
});
