import { describe, expect, it } from "vitest";
import { BINDING_EVENT_NAMES, bindingEventOf, BOUND_AUDIT_ACTIONS, DEFAULT_TEMPLATES, guessKind, reasonOf, seedTemplates, templatesFor } from "./announcements";
import { checkTemplateText } from "./render";
import { DEFAULT_METRICS } from "@/lib/domain/default-metrics";

describe("guessKind", () => {
  it("guesses the kind from a runbook template's name", () => {
    const names = ["Success announcement", "Go-live message", "Rollback announcement", "Roll back notice", "Maintenance window", "Status update", "Customer FAQ"];
    expect(names.map(guessKind)).toEqual(["go_live", "go_live", "rollback", "rollback", "maintenance", "status_update", "custom"]);
  });
});

describe("bindings", () => {
  it("maps the recorded audit actions onto the events", () => {
    const actions = ["rollback.split_verified", "rollback.failed", "rollback.completed", "trigger.fired", "decision.proceed", "decision.abort", "cutover.started", "cutover.completed", "cutover.aborted", "decision.voted", "announcement.sent"];
    expect(actions.map(bindingEventOf)).toEqual([
      "rollback_started", "rollback_started", "rollback_completed", "trigger_fired", "decision_closed", "decision_closed", "cutover_started", "cutover_completed", "cutover_aborted", null, null,
    ]);
  });
  it("follows each action of each event", () => {
    for (const e of BINDING_EVENT_NAMES) expect(BOUND_AUDIT_ACTIONS.some((a) => bindingEventOf(a) === e)).toBe(true);
  });
  it("picks the enabled templates bound to the event", () => {
    const ts = [
      { id: 1, bindingEvent: "rollback_started", enabled: true },
      { id: 2, bindingEvent: "rollback_started", enabled: false },
      { id: 3, bindingEvent: "cutover_started", enabled: true },
      { id: 4, bindingEvent: null, enabled: true },
    ];
    expect(templatesFor("rollback_started", ts).map((t) => t.id)).toEqual([1]);
  });
  it("reads the reason each kind of row carries", () => {
    expect(reasonOf({ action: "rollback.split_verified", subject: "traffic:1", after: { reason: "rollback: error rate high" } })).toBe("error rate high");
    expect(reasonOf({ action: "rollback.split_verified", subject: "traffic:1", after: { reason: "rollback" } })).toBeNull();
    expect(reasonOf({ action: "rollback.failed", subject: "rollback:1", after: { error: "router down" } })).toBe("router down");
    expect(reasonOf({ action: "trigger.fired", subject: "trigger:1", after: { reason: "Error rate 7 % > 5 % for 30 s" } })).toBe("Error rate 7 % > 5 % for 30 s");
    expect(reasonOf({ action: "decision.proceed", subject: "decision:1", after: { state: "proceed" } })).toBe("PROCEED");
    expect(reasonOf({ action: "cutover.aborted", subject: "cutover:1", after: { reason: "DB lag" } })).toBe("DB lag");
    expect(reasonOf({ action: "cutover.started", subject: "cutover:1", after: null })).toBeNull();
  });
});

describe("seedTemplates", () => {
  const metrics = DEFAULT_METRICS.map((m) => m.name);
  it("gives the four defaults, all renderable with the default metrics", () => {
    const seeded = seedTemplates([], metrics);
    expect(seeded.map((t) => t.kind)).toEqual(["go_live", "rollback", "status_update", "maintenance"]);
    for (const t of seeded) expect(checkTemplateText([t.title, t.body], metrics)).toBeNull();
    expect(seeded).toEqual(DEFAULT_TEMPLATES);
  });
  it("drops the lines naming a metric the cutover lacks", () => {
    const seeded = seedTemplates([], []);
    for (const t of seeded) expect(checkTemplateText([t.title, t.body], [])).toBeNull();
    expect(seeded.find((t) => t.kind === "status_update")!.body).not.toMatch(/metric/);
  });
  it("adds the imported ones with a guessed kind, skipping names taken", () => {
    const seeded = seedTemplates([{ name: "Success announcement", body: "We are live {{ not a var }}" }, { name: "rollback", body: "dup" }, { name: "FAQ", body: "x" }], metrics, ["FAQ"]);
    const imported = seeded.slice(4);
    expect(imported.map((t) => [t.name, t.kind])).toEqual([["Success announcement", "go_live"]]);
    expect(imported[0]!.body).toBe("We are live { not a var }");
    expect(checkTemplateText([imported[0]!.title, imported[0]!.body], metrics)).toBeNull();
  });
});
