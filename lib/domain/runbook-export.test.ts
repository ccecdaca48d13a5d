import { describe, expect, it } from "vitest";
import type { CutoverDocument } from "@/lib/schemas/export";
import { DOCUMENT, item, trigger } from "@/lib/testing/export-document";
import { escapeMarkdown, formatFor, formatOffset, formatValue, itemAnnotation, readItemAnnotation, renderRunbook, triggerLine } from "./runbook-export";
import { importRunbook } from "./runbook-import";

describe("markdown of a cutover", () => {
  const md = renderRunbook(DOCUMENT);
  const lines = md.split("\n");

  it("phases as h2, sections as h3, items as task lists; done items ticked", () => {
    expect(lines[0]).toBe("# Payments: Python → Go");
    expect(lines).toEqual(expect.arrayContaining(["## Preparation (T-2h)", "### Database", "- [x] Take a database backup", "## Canary"]));
  });

  it("says an owner and a time only where the import would not read them from the words", () => {
    // "schema" reads as the DBA's; the line says Backend Lead and its own time.
    const said = ["- [ ] Freeze schema changes (Backend Lead, T-1:30)", "- [ ] Shift 10% of traffic (T+0:00)", "- [ ] Watch \\*the\\* error rate \\| \\<b\\>now\\</b\\>"];
    expect(lines).toEqual(expect.arrayContaining(said));
  });

  it("the decision with its gates right under the phase heading", () => {
    const at = lines.indexOf("## Canary");
    expect(lines.slice(at, at + 8)).toEqual(["## Canary", "", "**Decision point**: Proceed to 50 %", "", "**Success criteria**:", "", "- Error rate < 1% over 30 minutes", "- Latency p95 <= 1.2 × old over 10 minutes"]);
  });

  it("thresholds table, rollback triggers by severity, success criteria", () => {
    expect(md).toContain("| Metric | Warning | Critical |\n| --- | --- | --- |\n| Error rate | > 1% | > 5% |\n| Latency p95 | > 500ms | > 1000ms |\n| Disk free | < 20% |  |");
    expect(md).toContain(
      "## Rollback triggers\n\n### Immediate rollback\n\n- If Error rate > 5% for 5 minutes → ROLLBACK\n- If alert PaymentsDown is firing → ROLLBACK\n\n" +
        "### Graceful rollback\n\n- If Latency p95 > 1000ms for 90 seconds → SHIFT TO 10%\n- If alert payments\\_latency:p99\\_high is firing for 2 minutes → SHIFT TO 10%",
    );
    expect(md).toContain("## Success criteria\n\n- Cache hit rate > 80%");
  });

  it("contacts table, numbered escalation, links, risks, schedule", () => {
    expect(md).toContain("| Name | Role | Contact |\n| --- | --- | --- |\n| Pager rota | On-call | +1 555 0100 · @oncall |");
    expect(md).toContain("## Escalation\n\n1. L1: On-call engineer after 5 min\n2. L2: Head of platform after 15 min (critical only)");
    expect(md).toContain("- [Bridge](https://meet.example.com/war%20room%20%281%29)");
    expect(md).toContain("| Replica lag \\| backfill | medium | high | Throttle the backfill |");
    expect(md).toContain("```\nT-0:30 - Freeze writes - all regions\n├─ Announce in #launch\n├─ Confirm with the DBA\nT+0:05 - Shift 10 %\n```");
  });

  it("holds no query, integration or member: those are in the JSON export only", () => {
    expect(md).not.toContain("edge-haproxy");
    expect(md).not.toContain("lab-prometheus");
    expect(md).not.toContain("Dana");
  });

  it("a rehearsal says so at the top", () => {
    expect(renderRunbook({ ...DOCUMENT, cutover: { ...DOCUMENT.cutover, mode: "rehearsal" } }).split("\n")[2]).toMatch(/^> \*\*REHEARSAL\*\*/);
  });

  it("reads back through the import: phases, sections (empty ones dropped), items, owners, times, decision, risks, schedule", () => {
    const plan = importRunbook(md);
    expect(plan.title).toBe("Payments: Python → Go");
    expect(plan.phases.map((p) => [p.name, p.plannedTime, p.sections.map((s) => s.name), p.decision])).toEqual([
      ["Preparation (T-2h)", "T-2h", ["Database"], null],
      ["Canary", null, ["Go"], { title: "Proceed to 50 %", targetPercent: 50 }],
    ]);
    // The "(Backend Lead, T-1:30)" a line carries is read as the owner and time and left off the title.
    const items = plan.phases.flatMap((p) => p.sections.flatMap((s) => s.items)).map((i) => ({ title: i.title, ownerRole: i.ownerRole, plannedTime: i.plannedTime, checked: i.checked }));
    expect(items).toEqual([
      // No time of its own: creating the cutover gives it the phase's T-2h.
      { title: "Take a database backup", ownerRole: "DATABASE_DBA", plannedTime: null, checked: true },
      { title: "Freeze schema changes", ownerRole: "BACKEND_LEAD", plannedTime: "T-1:30", checked: false },
      { title: "Shift 10% of traffic", ownerRole: "DEPLOYMENT_LEAD", plannedTime: "T+0:00", checked: false },
      { title: "Watch *the* error rate | <b>now</b>", ownerRole: "ON_CALL", plannedTime: null, checked: false },
    ]);
    // The decision's success criteria gate that decision again, with their windows and the ratio to old.
    expect(plan.gates.filter((g) => g.phase === "Canary").map((g) => [g.metric, g.comparison, g.value, g.system, g.factor, g.windowSec])).toEqual([
      ["Error rate", "<", 1, "new", null, 1800],
      ["Latency p95", "<=", 1.2, "new", 1.2, 600],
    ]);
    expect(plan.risks).toEqual([{ title: "Replica lag | backfill", probability: "medium", impact: "high", mitigation: "Throttle the backfill" }]);
    expect(plan.timeline).toEqual([
      { time: "T-0:30", title: "Freeze writes - all regions", details: ["Announce in #launch", "Confirm with the DBA"] },
      { time: "T+0:05", title: "Shift 10 %", details: [] },
    ]);
  });

  it("rollback triggers read back, those on a metric and those on an alert, with their waits, actions and severities", () => {
    const plan = importRunbook(md);
    expect(plan.rules.map((r) => [r.alertName ?? r.metric, r.comparison, r.threshold, r.forSeconds, r.action, r.shiftToPercent, r.severity])).toEqual([
      ["Error rate", ">", 5, 300, "rollback", null, "immediate"],
      ["PaymentsDown", ">", 0, 0, "rollback", null, "immediate"],
      ["Latency p95", ">", 1000, 90, "shift", 10, "graceful"],
      ["payments_latency:p99_high", ">", 0, 120, "shift", 10, "graceful"],
    ]);
    // An alert makes no metric.
    expect(plan.rules.filter((r) => r.alertName !== undefined).map((r) => r.metric)).toEqual([null, null]);
  });

  it("sections named like phases are written as bold labels, so the import keeps them sections", () => {
    const doc: CutoverDocument = { ...DOCUMENT, phases: [{ name: "Deployment phases", plannedAt: null, decisions: [], sections: [{ name: "Phase 1: Canary", items: [item("Deploy", "DEPLOYMENT_LEAD")] }, { name: "Phase 2: All", items: [item("Deploy all", "DEPLOYMENT_LEAD")] }] }] };
    const out = renderRunbook(doc);
    expect(out).toContain("**Phase 1: Canary**:");
    expect(importRunbook(out).phases.map((p) => [p.name, p.sections.map((s) => s.name)])).toEqual([["Deployment phases", ["Phase 1: Canary", "Phase 2: All"]]]);
  });
});

describe("item details", () => {
  it("a description and commands go under the item, and the import still reads one item with its own title", () => {
    const withDetails = { ...item("Run the database migration", "DATABASE_DBA"), description: "Check *lag* first\n- not a list", commands: "psql -c 'select 1'\n```\necho done" };
    const doc: CutoverDocument = { ...DOCUMENT, phases: [{ name: "Migration", plannedAt: null, decisions: [], sections: [{ name: "Steps", items: [withDetails, item("Verify row counts", "DEPLOYMENT_LEAD")] }] }] };
    const out = renderRunbook(doc);
    expect(out).toContain("- [ ] Run the database migration\n\n  Check \\*lag\\* first - not a list\n\n  ````sh\n  psql -c 'select 1'\n  ```\n  echo done\n  ````");
    expect(importRunbook(out).phases[0]!.sections[0]!.items.map((i) => i.title)).toEqual(["Run the database migration", "Verify row counts"]);
  });
});

describe("pieces", () => {
  it("values with units, durations, offsets", () => {
    expect([formatValue(500, "ms"), formatValue(1, "%"), formatValue(120, "req/s"), formatValue(3, "count")]).toEqual(["500ms", "1%", "120 req/s", "3"]);
    expect([formatFor(0), formatFor(60), formatFor(300), formatFor(90)]).toEqual(["", " for 1 minute", " for 5 minutes", " for 90 seconds"]);
    const t0 = new Date("2026-03-14T12:00:00Z");
    expect([formatOffset(new Date("2026-03-14T10:30:00Z"), t0), formatOffset(t0, t0), formatOffset(new Date("2026-03-15T14:05:00Z"), t0)]).toEqual(["T-1:30", "T+0:00", "T+26:05"]);
    expect(triggerLine({ ...trigger, metric: "Error rate", comparison: ">", threshold: 5, forSeconds: 0, severity: "immediate", action: "alert" })).toBe("If Error rate > 5% for 0 seconds → ALERT");
    // Said, because a rule without a duration is read as waiting DEFAULT_RULE_FOR_SECONDS.
    expect(importRunbook("# X\n\n## Rollback triggers\n\n- If Error rate > 5% for 0 seconds → ALERT\n").rules.map((r) => r.forSeconds)).toEqual([0]);
  });

  it("escaping: markup characters and line breaks", () => {
    expect(escapeMarkdown("a *b* [c](d) <e> `f` #g |h\nnext")).toBe("a \\*b\\* \\[c\\](d) \\<e\\> \\`f\\` \\#g \\|h next");
  });

  it("annotation and its reading", () => {
    const ctx = { section: "Checks", phase: "Canary", phaseTime: null };
    expect(itemAnnotation({ title: "Smoke tests pass", ownerRole: "QA_LEAD", plannedTime: null }, ctx)).toBe("");
    expect(itemAnnotation({ title: "Smoke tests pass", ownerRole: "COMMS_LEAD", plannedTime: "T-0:30" }, ctx)).toBe(" (Comms Lead, T-0:30)");
    expect(itemAnnotation({ title: "Smoke tests pass T-0:30", ownerRole: "QA_LEAD", plannedTime: "T-0:30" }, ctx)).toBe("");
    expect(itemAnnotation({ title: "Smoke tests pass", ownerRole: "QA_LEAD", plannedTime: "T-2h" }, { ...ctx, phaseTime: "T-2h" })).toBe("");
    const suffixed = { ...item("Run the tests (QA Lead)", "QA_LEAD"), plannedTime: "T-0:30" };
    const line = `- [ ] ${suffixed.title}${itemAnnotation(suffixed, { section: "Checks", phase: "Go", phaseTime: null })}`;
    expect(line).toBe("- [ ] Run the tests (QA Lead) (QA Lead, T-0:30)");
    expect(importRunbook(`# X\n\n## Go\n\n${line}\n`).phases[0]!.sections[0]!.items.map((i) => [i.title, i.ownerRole, i.plannedTime])).toEqual([["Run the tests (QA Lead)", "QA_LEAD", "T-0:30"]]);
    expect(readItemAnnotation("Smoke tests pass (Comms Lead, T-0:30)")).toEqual({ title: "Smoke tests pass", role: "COMMS_LEAD", time: "T-0:30" });
    expect(readItemAnnotation("Canary (10% traffic)")).toEqual({ title: "Canary (10% traffic)", role: null, time: null });
    expect(readItemAnnotation("Canary (T-2h)")).toEqual({ title: "Canary", role: null, time: "T-2h" });
  });
});
