// Export → import gives the same plan. Each runbook of ../shared/runbooks is imported as a user
// would (cutover.create with the runbook), exported as markdown, and the export imported again:
// the two cutovers must hold the same plan for everything the import reads (phases and their
// planned times, sections, items with owners, times and the critical flag, decisions, risks, the
// schedule, the metrics' thresholds, rollback triggers, metric gates and success criteria,
// contacts, the escalation ladder and the war-room links). A cutover built command by command, as
// the room builds one, round-trips too. Rollback triggers come back in recommend mode on purpose
// (an imported rule acts only once someone confirms it), so their mode is not compared.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { readItemAnnotation } from "@/lib/domain/runbook-export";
import { dispatch } from "./commands";
import type { Actor } from "./context";
import { exportCutover } from "./export";
import { runbookReader } from "./plan-import";
import { useFreshDatabase } from "@/lib/testing/fixtures";
import { PLAN_STRUCTURE_INCLUDE } from "@/lib/testing/plan-structure";

// The three runbooks teams wrote, as the repository keeps them (prisma/demo/: byte for byte the shared ones).
const RUNBOOKS = path.resolve(__dirname, "../../prisma/demo");
const files = readdirSync(RUNBOOKS).filter((f) => f.endsWith(".md")).sort();

let planner: Actor;
beforeAll(async () => {
  await useFreshDatabase();
  planner = await db().user.create({ data: { email: "planner@round-trip.local", name: "Planner", passwordHash: "x", isPlanner: true }, select: { id: true, name: true, isAdmin: true, isPlanner: true } });
  // A machine shared with other work may read slower than the production budget.
  runbookReader.budgetMs = 60_000;
});
afterAll(async () => {
  await runbookReader.close();
});

const T_ZERO = new Date("2026-12-01T06:00:00Z");
const create = async (name: string, runbook: string | null) => {
  const r = await dispatch(planner, "cutover.create", { name, systemFrom: "old", systemTo: "new", tZero: T_ZERO, timeZone: "Europe/Berlin", runbook });
  return r.cutoverId;
};
const markdownOf = async (cutoverId: string) => (await exportCutover(planner, { cutoverId, format: "markdown" })).body;

/** The plan as the import writes it, without ids and positions. */
async function planOf(cutoverId: string) {
  const c = await db().cutover.findUniqueOrThrow({
    where: { id: cutoverId },
    include: {
      ...PLAN_STRUCTURE_INCLUDE,
      metrics: { orderBy: [{ position: "asc" }, { name: "asc" }] },
      triggers: { include: { metric: { select: { name: true } } } },
      gates: { include: { metric: { select: { name: true } }, decision: { select: { title: true } } } },
      contacts: { orderBy: [{ escalationOrder: "asc" }, { name: "asc" }] },
    },
  });
  // Neither the room nor the import keeps an order of triggers and gates: compared as sets.
  const sorted = <T,>(xs: T[]) => xs.map((x) => JSON.stringify(x)).sort().map((x) => JSON.parse(x) as T);
  return {
    phases: c.phases.map((p) => ({
      name: p.name,
      plannedAt: p.plannedAt,
      sections: p.sections.map((s) => ({
        name: s.name,
        items: s.items.map((i) => ({ title: i.title, ownerRole: i.ownerRole, critical: i.critical, plannedTime: i.plannedTime, plannedAt: i.plannedAt?.toISOString() ?? null })),
      })),
      decisions: p.decisions.map((d) => ({ title: d.title, targetPercent: d.targetPercent })),
    })),
    risks: c.risks.map((r) => ({ title: r.title, probability: r.probability, impact: r.impact, mitigation: r.mitigation || null })),
    timeline: c.timeline.map((e) => ({ title: e.title, details: e.details, plannedStart: e.plannedStart.toISOString() })),
    thresholds: c.metrics.map((m) => ({ name: m.name, unit: m.unit, direction: m.direction, warning: m.warningThreshold, critical: m.criticalThreshold })),
    triggers: sorted(c.triggers.map((t) => ({ metric: t.metric?.name, alertName: t.alertName, conditionKind: t.conditionKind, system: t.system, comparison: t.comparison, threshold: t.threshold, forSeconds: t.forSeconds, severity: t.severity, action: t.action, shiftToPercent: t.shiftToPercent }))),
    gates: sorted(c.gates.map((g) => ({ metric: g.metric.name, decision: g.decision?.title ?? null, successCriterion: g.successCriterion, condition: g.condition }))),
    contacts: c.contacts.map((k) => ({ role: k.role, name: k.name, phone: k.phone, chatHandle: k.chatHandle, email: k.email })),
    escalation: c.escalation,
    links: c.links,
  };
}
type Plan = Awaited<ReturnType<typeof planOf>>;

const count = (p: Plan) => ({
  phases: p.phases.length,
  sections: p.phases.reduce((n, x) => n + x.sections.length, 0),
  items: p.phases.reduce((n, x) => x.sections.reduce((m, s) => m + s.items.length, n), 0),
  decisions: p.phases.reduce((n, x) => n + x.decisions.length, 0),
  risks: p.risks.length,
  timeline: p.timeline.length,
  triggers: p.triggers.length,
  gates: p.gates.length,
  contacts: p.contacts.length,
});

describe("round trip of the runbooks teams wrote", () => {
  const totals = { thresholds: 0, triggers: 0, gates: 0, contacts: 0, escalation: 0, decisions: 0 };
  it("has all three to read", () => {
    expect(files).toEqual(["go-migration-week12-cutover.md", "parallel-deployment-strategy.md", "production-deployment-checklist.md"]);
  });

  it("finds the runbooks", () => {
    expect(files.length).toBeGreaterThanOrEqual(3);
  });

  for (const file of files) {
    it(`${file}: import, export, import again → the same plan`, async () => {
      const original = await create(file, readFileSync(path.join(RUNBOOKS, file), "utf8"));
      const before = await planOf(original);
      // Something to compare: a runbook that imports nothing would pass trivially.
      expect(count(before).items).toBeGreaterThan(0);
      totals.thresholds += before.thresholds.length;
      totals.triggers += before.triggers.length;
      totals.gates += before.gates.length;
      totals.contacts += before.contacts.length;
      totals.escalation += (before.escalation as unknown[]).length;
      totals.decisions += count(before).decisions;

      const exported = await markdownOf(original);
      const again = await create(file, exported);
      const after = await planOf(again);
      expect(after).toEqual(before);

      // And the export of the copy is the export of the original: the dialect is a fixed point.
      const exportedAgain = await markdownOf(again);
      const body = (md: string) => md.split("\n").filter((l) => !/^\S.*Exported \d{4}-/.test(l)).join("\n");
      expect(body(exportedAgain)).toBe(body(exported));
    });
  }

  it("compared more than empty lists: the runbooks carry triggers, gates, contacts, a ladder and decisions", () => {
    for (const [what, n] of Object.entries(totals)) expect(n, what).toBeGreaterThan(0);
  });
});

describe("round trip of a cutover built in the room", () => {
  it("phases, sections, items with owners and times, decisions, risks, the schedule, triggers, gates, contacts, the ladder and links come back", async () => {
    const cutoverId = await create("Built in the room", null);
    const run = (name: Parameters<typeof dispatch>[1], input: Record<string, unknown>) => dispatch(planner, name, { cutoverId, ...input } as never) as Promise<Record<string, string>>;

    const prep = await run("phase.add", { name: "Preparation", plannedAt: "T-2h" });
    const canary = await run("phase.add", { name: "Canary: 10% of users" });
    const checks = await run("section.add", { phaseId: prep.phaseId, name: "Database" });
    const comms = await run("section.add", { phaseId: prep.phaseId, name: "People & *stakeholders*" });
    const go = await run("section.add", { phaseId: canary.phaseId, name: "Go" });
    // Owners the import would guess from the words, and owners it would not (the line says them).
    // The import gives an item without a time of its own its phase's time, so in a phase with a
    // time every item has one.
    await run("item.add", { sectionId: checks.sectionId, title: "Take a database backup", ownerRole: "DATABASE_DBA", critical: true, plannedTime: "T-2h" });
    await run("item.add", { sectionId: checks.sectionId, title: "Freeze schema changes", ownerRole: "BACKEND_LEAD", plannedTime: "T-1:30" });
    await run("item.add", { sectionId: checks.sectionId, title: "Confirm [vendor] window | 2nd line", ownerRole: "COMMS_LEAD", plannedTime: "T-0:45" });
    await run("item.add", { sectionId: comms.sectionId, title: "Notify stakeholders in #launch", ownerRole: "COMMS_LEAD", plannedTime: "T-2h" });
    await run("item.add", { sectionId: go.sectionId, title: "Shift 10% of traffic", ownerRole: "DEPLOYMENT_LEAD", plannedTime: "T+0:00" });
    await run("item.add", { sectionId: go.sectionId, title: "Watch the error rate", ownerRole: "ON_CALL", plannedTime: "T+0:15" });
    const decision = await run("decision.create", { phaseId: canary.phaseId, title: "Proceed to 50 %", requiredRoles: ["DEPLOYMENT_LEAD", "QA_LEAD"], targetPercent: 50 });
    const metric = await db().metricDefinition.findFirstOrThrow({ where: { cutoverId, name: "Error rate" } });
    await run("gate.add", { metricId: metric.id, decisionId: decision.decisionId, condition: { kind: "threshold", system: "new", op: "<", value: 1, windowSec: 1800 } });
    await run("trigger.save", { metricId: metric.id, comparison: ">", threshold: 5, forSeconds: 300, severity: "immediate", action: "rollback" });
    await run("risk.save", { title: "Replica lag during backfill", probability: "medium", impact: "high", mitigation: "Throttle the backfill" });
    await run("risk.save", { title: "Cache cold start", probability: "low", impact: "medium" });
    await run("timeline.add", { title: "Freeze writes - all regions", plannedStart: "T-0:30", ownerRole: "DEPLOYMENT_LEAD", details: "Announce in #launch\nConfirm with the DBA" });
    await run("timeline.add", { title: "Shift 10 %", plannedStart: "T+0:00", ownerRole: "DEPLOYMENT_LEAD" });
    await run("contact.add", { role: "ON_CALL", name: "Pager rota", phone: "+1 555 0100" });
    await run("contact.add", { role: "DATABASE_DBA", name: "Dana DBA", chatHandle: "@dana", email: "dana@example.com" });
    const latency = await db().metricDefinition.findFirstOrThrow({ where: { cutoverId, name: "Latency p95" } });
    // A success criterion of the whole cutover on the old system's ratio, and an instant shift rule on the old system.
    await run("gate.add", { metricId: latency.id, successCriterion: true, condition: { kind: "ratio", op: "<=", factor: 1.2, windowSec: 600 } });
    await run("gate.add", { metricId: metric.id, successCriterion: true, condition: { kind: "threshold", system: "old", op: "<", value: 2.5, windowSec: 300 } });
    await run("trigger.save", { metricId: latency.id, system: "old", comparison: ">", threshold: 800, forSeconds: 0, severity: "graceful", action: "shift", shiftToPercent: 10 });
    // A rule on an Alertmanager alert, acting at once.
    await run("trigger.save", { conditionKind: "alert", alertName: "Payments_Down", forSeconds: 0, severity: "immediate", action: "rollback" });
    await run("escalation.set", { escalation: [{ level: "Level 1", who: "On-call engineer", after: "15 min" }, { level: "Executive", who: "VP Engineering", after: "30+ min", criticalOnly: true }] });
    await run("links.set", { links: [{ label: "Grafana", url: "https://grafana.example.com/d/cutover?from=now-1h" }, { label: "Bridge", url: "https://meet.example.com/war-room" }] });

    const before = await planOf(cutoverId);
    expect(count(before)).toEqual({ phases: 2, sections: 3, items: 6, decisions: 1, risks: 2, timeline: 2, triggers: 3, gates: 3, contacts: 2 });

    const exported = await markdownOf(cutoverId);
    expect(exported).toContain("- If Error rate > 5% for 5 minutes → ROLLBACK");
    expect(exported).toContain("- If alert Payments\\_Down is firing → ROLLBACK");
    expect(exported).toContain("- Error rate < 1%");
    const after = await planOf(await create("Built in the room, again", exported));

    // The owner and time the import could not guess from the words travel as "(Role, T-0:45)" at
    // the end of the line; the import reads them and takes the suffix off the title, so items
    // compare exactly. A phase's time the name does not give stays in its name ("Preparation (T-2h)").
    const annotated = after.phases.map((p) => ({ ...p, name: readItemAnnotation(p.name).title }));
    expect(after.phases.flatMap((p) => p.sections.flatMap((s) => s.items.map((i) => i.title)))).toEqual(before.phases.flatMap((p) => p.sections.flatMap((s) => s.items.map((i) => i.title))));
    // The critical flag the import derives from the words; in the room a planner sets it.
    const withoutCritical = (p: Plan["phases"]) => p.map((x) => ({ ...x, sections: x.sections.map((s) => ({ ...s, items: s.items.map(({ critical: _c, ...i }) => i) })) }));
    expect(withoutCritical(annotated)).toEqual(withoutCritical(before.phases));
    expect(after.risks).toEqual(before.risks);
    expect(after.timeline).toEqual(before.timeline);
    expect(after.thresholds).toEqual(before.thresholds);
    expect(after.triggers).toEqual(before.triggers);
    expect(after.gates).toEqual(before.gates);
    expect(after.contacts).toEqual(before.contacts);
    expect(after.escalation).toEqual(before.escalation);
    expect(after.links).toEqual(before.links);
  });
});
