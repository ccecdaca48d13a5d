// Exact counts per kind for every runbook we know, counted by hand from each file once. The three
// team runbooks are read from prisma/demo/ (byte for byte the ones in the shared runbooks folder).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { importRunbook, MAX_RUNBOOK_CHARS, planTooLarge, readsLikeSteps, checkMark, parseEscalation, explicitTime, type ImportedPlan } from "../runbook-import";
import { normaliseRunbook, repairMojibake } from "./repair";
import { matchMetric, parseAlertCondition, parseMeasure, readComparison, readDuration } from "./measures";
import { countPlan } from "./preview";

function read(rel: string): string {
  return readFileSync(new URL(rel, import.meta.url), "utf8");
}

/** The preview's counts, without the number of new metrics (checked in the service tests). */
function counts(plan: ImportedPlan) {
  const { newMetrics: _newMetrics, ...rest } = countPlan(plan);
  return rest;
}

const none = { decisions: 0, thresholds: 0, rules: 0, gates: 0, contacts: 0, escalation: 0, links: 0, templates: 0, risks: 0, timeline: 0, skipped: 0 };

describe("exact counts per kind", () => {
  it("production-deployment-checklist.md", () => {
    // 174 task lines + 13 ✅ criteria; 3 task lines are rules (error rate, degradation, latency),
    // 2 are decision gates (error rate < 1% in phases 1 and 2), 2 criteria are gates.
    expect(counts(importRunbook(read("../../../prisma/demo/production-deployment-checklist.md")))).toEqual({
      ...none, phases: 10, sections: 29, items: 180, decisions: 2, rules: 3, gates: 4, contacts: 5, escalation: 1, skipped: 7,
    });
  });

  it("go-migration-week12-cutover.md", () => {
    expect(counts(importRunbook(read("../../../prisma/demo/go-migration-week12-cutover.md")))).toEqual({
      ...none, phases: 5, sections: 13, items: 81, thresholds: 6, rules: 3, gates: 2, contacts: 6, risks: 5, timeline: 11, skipped: 28,
    });
  });

  it("parallel-deployment-strategy.md", () => {
    expect(counts(importRunbook(read("../../../prisma/demo/parallel-deployment-strategy.md")))).toEqual({
      ...none, phases: 5, sections: 7, items: 35, skipped: 25,
    });
  });

  it("bullets under numbered step headings: items, sub-bullets as notes, times from headings", () => {
    const plan = importRunbook(read("../runbook-fixtures/bullets-under-steps.md"));
    expect(counts(plan)).toEqual({ ...none, phases: 2, sections: 4, items: 11, skipped: 3 });
    const items = plan.phases.flatMap((p) => p.sections.flatMap((s) => s.items));
    expect(items.map((i) => [i.title, i.ownerRole, i.plannedTime])).toEqual([
      ["VPN access granted to the on-call engineer", "ON_CALL", "T+0d"],
      ["Grafana dashboards shared with the team", "ON_CALL", "T+0d"],
      ["Take a database backup", "DATABASE_DBA", "T-4h"],
      ["Verify replication lag on the replica", "DATABASE_DBA", "T-4h"],
      ["Run the schema migration dry-run at T-1:30", "DATABASE_DBA", "T-1:30"],
      ["Flag service configured", "DEPLOYMENT_LEAD", null],
      ["Kill switch tested by QA", "QA_LEAD", null],
      ["Default state documented", "DEPLOYMENT_LEAD", null],
      ["Shift 5% traffic to the new service at 06:30 AM", "DEPLOYMENT_LEAD", "06:30 AM"],
      ["Watch the error rate for 15 minutes", "ON_CALL", null],
      ["Notify stakeholders on the status page", "COMMS_LEAD", null],
    ]);
    expect(items[1]!.notes).toEqual(["include the checkout latency board", "and the error budget board"]);
    expect(plan.skipped.map((s) => s.line)).toEqual([3, 31, 32]);
  });

  it("a table-driven plan: tasks with owners, status and times; thresholds; contacts; ladder; links; templates", () => {
    const plan = importRunbook(read("../runbook-fixtures/table-driven.md"));
    expect(counts(plan)).toEqual({ ...none, phases: 1, sections: 1, items: 5, thresholds: 4, contacts: 3, escalation: 3, links: 2, templates: 2 });
    const items = plan.phases[0]!.sections[0]!.items;
    expect(items.map((i) => [i.title, i.ownerRole, i.checked, i.plannedTime])).toEqual([
      ["Freeze deployments", "DEPLOYMENT_LEAD", true, "T-24h"],
      ["Back up the ledger database", "DATABASE_DBA", false, "T-4h"],
      ["Run the contract test suite", "QA_LEAD", false, "T-2h"],
      ["Switch the load balancer", "DEPLOYMENT_LEAD", false, "T-0"],
      ["Announce completion", "COMMS_LEAD", false, "T+1h"],
    ]);
    expect(plan.thresholds.map((t) => [t.name, t.metric, t.unit, t.direction, t.warning, t.critical])).toEqual([
      ["Error rate", "Error rate", "%", "above", 1, 3],
      ["P95 Latency", "Latency p95", "ms", "above", 500, 1000],
      ["CPU", "CPU", "%", "above", 70, 90],
      ["Queue depth", null, "", "above", 1000, 5000],
    ]);
    expect(plan.contacts).toEqual([
      { role: "DEPLOYMENT_LEAD", name: "Ana Silva", phone: null, chatHandle: null, email: "ana@example.com" },
      { role: "DATABASE_DBA", name: "Bo Chen", phone: "+1 555 0100", chatHandle: null, email: null },
      { role: "QA_LEAD", name: "Cy Park", phone: null, chatHandle: "@cy", email: null },
    ]);
    expect(plan.escalation).toEqual([
      { level: "Level 1", who: "On-call engineer", after: "0-15 min" },
      { level: "Level 2", who: "Engineering manager", after: "15-30 min" },
      { level: "Level 3", who: "VP Engineering", after: "30+ min" },
    ]);
    expect(plan.links).toEqual([
      { label: "Bridge", url: "https://meet.example.com/payments" },
      { label: "Dashboards", url: "https://grafana.example.com/d/payments" },
    ]);
    expect(plan.templates.map((t) => t.name)).toEqual(["Success announcement", "Rollback announcement"]);
    expect(plan.templates[1]!.body).toBe("We rolled the payments API back to the old platform. Payments keep working.");
  });

  it("a T-minus timeline with thresholds, 'If … → ROLLBACK' lines, rollback labels, gates", () => {
    const plan = importRunbook(read("../runbook-fixtures/t-minus-thresholds.md"));
    expect(counts(plan)).toEqual({ ...none, phases: 5, sections: 6, items: 9, decisions: 1, thresholds: 3, rules: 5, gates: 4 });
    expect(plan.phases.map((p) => p.plannedTime)).toEqual(["T-4h", "T-1:30", "T+0:30", null, null]);
    expect(plan.rules.map((r) => [r.metric, r.comparison, r.threshold, r.forSeconds, r.severity, r.action])).toEqual([
      ["Error rate", ">", 5, 300, "immediate", "rollback"],
      ["Latency p99", ">", 2000, 600, "immediate", "rollback"],
      ["CPU", ">", 95, 60, "immediate", "alert"],
      ["Error rate", ">", 10, 60, "immediate", "rollback"],
      ["Memory", ">", 2 * 1024 ** 3, 900, "graceful", "rollback"],
    ]);
    expect(plan.gates.map((g) => [g.metric, g.comparison, g.value, g.phase])).toEqual([
      ["Error rate", "<", 1, "T+0:30 Traffic shift"],
      ["Latency p99", "<", 800, "T+0:30 Traffic shift"],
      ["Error rate", "<", 0.5, null],
      ["Latency p95", "<", 300, null],
    ]);
    expect(plan.thresholds.map((t) => [t.metric, t.direction, t.warning, t.critical])).toEqual([
      ["Error rate", "above", 0.5, 2],
      ["Latency p99", "above", 800, 1500],
      ["Disk free", "below", 20, 10],
    ]);
  });

  it("mis-encoded arrows and check marks, CRLF and front matter", () => {
    const plan = importRunbook(read("../runbook-fixtures/mojibake-crlf.md"));
    expect(counts(plan)).toEqual({ ...none, phases: 3, sections: 3, items: 7, rules: 1, gates: 1 });
    expect(plan.title).toBe("Mis-encoded runbook");
    const items = plan.phases.flatMap((p) => p.sections.flatMap((s) => s.items));
    expect(items.map((i) => [i.title, i.checked])).toEqual([
      ["Backups verified → stored off-site", false],
      ["Runbook reviewed by the team", false],
      ["Bridge open", true],
      ["Traffic moved to the new cluster", true],
      ["DNS TTL lowered", false],
      ["Smoke tests passed", false],
      ["Customers happy", false],
    ]);
    expect(plan.gates[0]).toMatchObject({ metric: "Error rate", comparison: "<=", value: 1, line: 20 });
    expect(plan.rules[0]).toMatchObject({ metric: "Error rate", threshold: 5, forSeconds: 300, line: 25 });
    expect(plan.warnings).toEqual(['line 23: "Rollback triggers" has no checklist items; not made a phase']);
  });

  it("reads the export's own formats back", () => {
    const md = [
      "# Exported",
      "## Checks",
      "- [ ] Verify backups (DBA) T-2h",
      "## Thresholds",
      "| Metric | Warning | Critical |",
      "|---|---|---|",
      "| Latency p95 | > 400 ms | > 900 ms |",
      "## Rollback triggers",
      "- If Error rate > 2 for 5 minutes → ROLLBACK",
      "## Success criteria",
      "- Error rate < 1",
      "## Contacts",
      "| Name | Role | Contact |",
      "|---|---|---|",
      "| Dee | On-call | dee@example.com |",
    ].join("\n");
    const plan = importRunbook(md);
    expect(counts(plan)).toEqual({ ...none, phases: 1, sections: 1, items: 1, thresholds: 1, rules: 1, gates: 1, contacts: 1 });
    expect(plan.thresholds[0]).toMatchObject({ metric: "Latency p95", warning: 400, critical: 900 });
    expect(plan.rules[0]).toMatchObject({ metric: "Error rate", threshold: 2, forSeconds: 300, action: "rollback" });
    expect(plan.gates[0]).toMatchObject({ metric: "Error rate", comparison: "<", value: 1, phase: null });
    expect(plan.contacts[0]).toEqual({ role: "ON_CALL", name: "Dee", phone: null, chatHandle: null, email: "dee@example.com" });
  });
});

describe("dialect helpers", () => {
  it("repairs cp1252 mojibake and leaves correct text alone", () => {
    expect(repairMojibake("a â†’ b âœ… c â‰¤ 1 cafÃ©").text).toBe("a → b ✅ c ≤ 1 café");
    expect(repairMojibake("Â is fine; naïve → ok; Ãx").text).toBe("Â is fine; naïve → ok; Ãx");
    const n = normaliseRunbook("---\r\ntitle: 'X'\r\n---\r\n# Y\r\n");
    expect(n).toEqual({ text: "\n\n\n# Y\n", frontMatterTitle: "X", repaired: 0 });
  });

  it("reads measures, units, directions and durations", () => {
    expect(parseMeasure("P95 Latency > 1 second sustained for 2 minutes")).toEqual({ name: "P95 Latency", metric: "Latency p95", unit: "ms", comparison: ">", value: 1000, forSeconds: 120 });
    expect(parseMeasure("Memory Usage > 85%")).toMatchObject({ metric: null, unit: "%" });
    expect(parseMeasure("Disk space below 10%")).toMatchObject({ metric: "Disk free", comparison: "<", value: 10 });
    expect(parseMeasure("99%+ service availability")).toBeNull();
    expect(parseMeasure("Database performance good")).toBeNull();
    expect(readComparison(">= 2.5 %")).toMatchObject({ comparison: ">=", value: 2.5, unit: "%" });
    expect(readDuration("for 5 consecutive minutes")).toBe(300);
    expect(matchMetric("db_connection_errors", "%")).toBe("DB connection errors");
    expect(matchMetric("p50 latency", null)).toBe("Latency p50");
  });

  it("reads the export's own lines back: ladder, contacts, links, a line's owner and time, gates of a decision", () => {
    expect(parseEscalation("L2: Head of platform after 15 min (critical only)")).toEqual({ level: "L2", who: "Head of platform", after: "15 min", criticalOnly: true });
    expect(parseEscalation("Escalation: Manager after -")).toEqual({ level: "Escalation", who: "Manager", after: "" });
    const plan = importRunbook(
      [
        "# X",
        "## Canary",
        "**Decision point**: Proceed to 50 %",
        "**Success criteria**:",
        "- Error rate < 1% (old) over 30 minutes",
        "### Go",
        "- [ ] Freeze schema changes (Backend Lead, T-1:30)",
        "- [ ] Check the docs (optional)",
        "## Success criteria",
        "- Latency p95 <= 1.2 × old",
        "## Contacts",
        "| Name | Role | Contact |\n| --- | --- | --- |\n| Dana | Database DBA | +1 555 0100 · @dana · dana@example.com |",
        "## War room links",
        "- [Grafana](https://grafana.example.com/d/x)",
      ].join("\n\n"),
    );
    expect(plan.phases[0]!.sections[0]!.items.map((i) => [i.title, i.ownerRole, i.plannedTime])).toEqual([
      ["Freeze schema changes", "BACKEND_LEAD", "T-1:30"],
      ["Check the docs (optional)", "DEPLOYMENT_LEAD", null],
    ]);
    expect(plan.gates.map((g) => [g.phase, g.metric, g.system, g.factor, g.value, g.windowSec])).toEqual([
      ["Canary", "Error rate", "old", null, 1, 1800],
      [null, "Latency p95", "new", 1.2, 1.2, 300],
    ]);
    expect(plan.contacts).toEqual([{ role: "DATABASE_DBA", name: "Dana", phone: "+1 555 0100", chatHandle: "@dana", email: "dana@example.com" }]);
    expect(plan.links).toEqual([{ label: "Grafana", url: "https://grafana.example.com/d/x" }]);
  });

  it("reads every digit of a large value, with or without thousands separators and units", () => {
    // The export writes the default Memory thresholds as "> 1500000000 bytes".
    expect(readComparison("> 1500000000 bytes")).toMatchObject({ comparison: ">", value: 1_500_000_000, unit: "bytes", rest: "" });
    expect(readComparison("> 2000000000 bytes")).toMatchObject({ value: 2_000_000_000 });
    expect(readComparison("> 1,500,000,000")).toMatchObject({ value: 1_500_000_000, unit: null });
    expect(readComparison("> 1,500,000.5 B")).toMatchObject({ value: 1_500_000.5, unit: "bytes" });
    expect(readComparison("> 1.5 GB")).toMatchObject({ value: 1.5 * 1024 ** 3, unit: "bytes" });
    expect(readComparison("> 512 KiB")).toMatchObject({ value: 512 * 1024, unit: "bytes" });
    expect(readComparison("< 1,5 %")).toMatchObject({ value: 1.5, unit: "%" });
    expect(parseMeasure("Memory > 1500000000 bytes")).toMatchObject({ metric: "Memory", unit: "bytes", value: 1_500_000_000 });
    // A number longer than any value a metric holds is not read as a shorter one.
    expect(readComparison("> 1234567890123456789")).toBeNull();
  });

  it("knows step headings, check marks, ladders and times", () => {
    for (const h of ["3. Feature Flags Setup (1 day)", "Step 2: Go", "T-4 Hours", "Tasks", "Day 3", "Week 1"]) expect(readsLikeSteps(h), h).toBe(true);
    expect(readsLikeSteps("Overview")).toBe(false);
    expect(checkMark("✅ Done")).toEqual({ text: "Done", checked: true });
    expect(checkMark("☐ Open")).toEqual({ text: "Open", checked: false });
    expect(checkMark("[ ] Open")).toEqual({ text: "Open", checked: false });
    expect(checkMark("Plain")).toBeNull();
    expect(parseEscalation("Level 2: Engineering manager (15-30 min)")).toEqual({ level: "Level 2", who: "Engineering manager", after: "15-30 min" });
    expect(explicitTime("T-4 Hours")).toBe("T-4h");
    expect(explicitTime("Week 2")).toBe("T+7d");
    expect(explicitTime("Week 12 Completion Criteria")).toBeNull();
  });
});

describe("rules on an Alertmanager alert", () => {
  it("reads the alert's name and its wait; none said is none", () => {
    expect(parseAlertCondition("If alert HighErrorRate is firing for 2 minutes")).toEqual({ alertName: "HighErrorRate", forSeconds: 120 });
    expect(parseAlertCondition("When alert `payments:p99_high` fires")).toEqual({ alertName: "payments:p99_high", forSeconds: null });
    expect(parseAlertCondition("the alert PaymentsDown is firing sustained for 30s")).toEqual({ alertName: "PaymentsDown", forSeconds: 30 });
  });
  it("is no alert rule when the line says more, or names no alert a trigger could watch", () => {
    for (const text of ["If alert X is firing and error rate > 5%", "If alert X is firing for 2 minutes, then page", "If alert 9lives is firing", "If alert  is firing", "If an alert is firing", "Alerting is firing", "If alert X is resolved"]) {
      expect(parseAlertCondition(text), text).toBeNull();
    }
  });
  it("becomes a trigger on the alert, at once unless a wait is said, and counts no new metric", () => {
    const plan = importRunbook("# P\n\n## Rollback triggers\n\n- If alert PaymentsDown is firing → ROLLBACK\n- When alert Slow_Checkout fires for 5 minutes → SHIFT TO 25%\n- alert DiskFull is firing\n- If error rate > 5% for 5 minutes → ROLLBACK\n");
    expect(plan.rules.map((r) => [r.alertName ?? null, r.name, r.forSeconds, r.action, r.shiftToPercent])).toEqual([
      ["PaymentsDown", "alert PaymentsDown", 0, "rollback", null],
      ["Slow_Checkout", "alert Slow_Checkout", 300, "shift", 25],
      ["DiskFull", "alert DiskFull", 0, "rollback", null],
      [null, "error rate", 300, "rollback", null],
    ]);
    expect(countPlan(plan)).toMatchObject({ rules: 4, newMetrics: 0 });
  });
  it("a \"Condition\" block reads an alert the same way as a line does", () => {
    const plan = importRunbook("# P\n\n## Rollback triggers\n\n```\nCondition 1: Payments down\nIf alert PaymentsDown is firing for 2 minutes\n→ Rollback immediately\n```\n");
    expect(plan.rules.map((r) => [r.alertName, r.name, r.metric, r.forSeconds, r.action])).toEqual([["PaymentsDown", "alert PaymentsDown", null, 120, "rollback"]]);
    expect(plan.warnings.filter((w) => /no rule made/.test(w))).toEqual([]);
  });
});

describe("hostile documents in the new dialects", () => {
  const fill = (line: string, head = "# H\n## Rollback triggers\n", size = MAX_RUNBOOK_CHARS) => head + line.repeat(Math.floor((size - head.length) / line.length));
  // One paragraph or one table is a single piece for the markdown parser, which is slow on a
  // megabyte of either (tens of seconds): the worker's 1 s budget refuses those with a 400
  // (plan-import.test.ts). Here the importer's own work on them, at 100 kB.
  const SMALL = 100_000;

  it("a megabyte of rollback lines is read, and refused as too many triggers", () => {
    const md = fill("- If error rate > 5% for 5 minutes → ROLLBACK\n");
    const plan = importRunbook(md);
    expect(plan.rules.length).toBe(md.split("\n").length - 3);
    expect(planTooLarge(plan)).toMatch(/rollback triggers; at most 500 can be imported$/);
  });

  it("a big thresholds table, check-mark lines and mojibake: read to the end", () => {
    const table = importRunbook(fill("| Error rate | > 1% | > 5% |\n", "# H\n## T\n| Metric | Warning | Critical |\n|---|---|---|\n", SMALL));
    expect(table.thresholds.length).toBeGreaterThan(3_000);
    expect(planTooLarge(table)).toMatch(/thresholds; at most 200/);
    const marks = importRunbook(fill("✅ done thing\n", "# H\n## Steps\n\n", SMALL));
    expect(marks.phases[0]!.sections[0]!.items.length).toBeGreaterThan(5_000);
    const mojibake = importRunbook(fill("- step â†’ next âœ… â‰¤ 1 Ã\n", "# H\n## Steps\n", SMALL));
    expect(mojibake.phases[0]!.sections[0]!.items[0]!.title).toBe("step → next ✅ ≤ 1 Ã");
  });

  it("prose-only documents keep a bounded list of notes", () => {
    const plan = importRunbook(fill("Some words that are not a list.\n\n", "# H\n## Steps\n- a\n\n", SMALL));
    expect(plan.skipped).toHaveLength(200);
    expect(plan.phases[0]!.sections[0]!.notes).toHaveLength(50);
  });
});
