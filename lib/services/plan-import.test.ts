import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db/client";
import { importRunbook, PLAN_LIMITS } from "@/lib/domain/runbook-import";
import { HOSTILE, issueRunbook } from "@/bench/support/hostile-runbooks";
import { bundleRunbookWorker, RUNBOOK_WORKER_BUNDLE as BUNDLED_AT } from "@/scripts/server-bundle";
import { dispatch } from "./commands";
import { readRunbook, RUNBOOK_READ_BUDGET_MS, RUNBOOK_WORKER_BUNDLE, RunbookReader, runbookReader, runbookWorkerEntry } from "./plan-import";
import type { Actor } from "./context";
import { digest, useFreshDatabase } from "@/lib/testing/fixtures";

const demo = readFileSync(new URL("../../prisma/demo/production-deployment-checklist.md", import.meta.url), "utf8");
let planner: Actor;

beforeAll(async () => {
  await useFreshDatabase();
  planner = await db().user.create({ data: { email: "planner@test.local", name: "Planner", passwordHash: "x", isPlanner: true }, select: { id: true, name: true, isAdmin: true, isPlanner: true } });
});
// A machine shared with other work may take longer than the production budget for an honest
// document; only the test of the budget itself uses a small one.
const GENEROUS = 60_000;
beforeEach(() => {
  runbookReader.budgetMs = GENEROUS;
});
afterAll(async () => {
  await runbookReader.close();
});

const input = (runbook: string) => ({ name: "From a runbook", systemFrom: "old", systemTo: "new", tZero: new Date("2026-12-01T06:00:00Z"), timeZone: "UTC", runbook });

describe("reading a runbook off the main thread", () => {
  it("has a budget of one second", () => {
    expect(RUNBOOK_READ_BUDGET_MS).toBe(1_000);
    expect(new RunbookReader().budgetMs).toBe(1_000);
  });

  it("gives the same plan as the importer itself", async () => {
    expect(await readRunbook(demo)).toEqual(importRunbook(demo));
  });

  it("imports the 120 kB runbook of the issue (a clock and 120,000 spaces): a cutover with the long line reported", async () => {
    const r = await dispatch(planner, "cutover.create", input(issueRunbook()));
    expect(r.imported?.phases).toBe(0);
    expect(r.imported?.warnings).toContainEqual(expect.stringMatching(/^line 2: line longer than 2,000 characters/));
    expect(await db().cutover.count({ where: { id: r.cutoverId } })).toBe(1);
  });

  it("refuses a runbook that overruns the budget with a 400 and creates nothing; the next import works", async () => {
    const before = await digest();
    runbookReader.budgetMs = 1; // a 1 MB document cannot be parsed in a millisecond
    const big = HOSTILE["many items"]!(1_000_000);
    await expect(dispatch(planner, "cutover.create", input(big))).rejects.toMatchObject({ status: 400, message: "The runbook took too long to read; it was not imported" });
    expect(await digest()).toEqual(before);
    runbookReader.budgetMs = GENEROUS;
    const ok = await dispatch(planner, "cutover.create", input(demo));
    expect(ok.imported?.phases).toBe(importRunbook(demo).phases.length);
  });

  it("keeps the event loop answering while a big runbook is parsed", async () => {
    await readRunbook("# Warm\n- [ ] up"); // a started worker: what is measured is the parse
    let ticks = 0;
    const interval = setInterval(() => ticks++, 1);
    let settled = false;
    let ticksWhilePending = 0;
    const reading = readRunbook(HOSTILE["many items"]!(250_000)).then(
      () => "imported",
      (e: { status?: number }) => (e.status === 400 ? "refused" : "failed"),
    ).finally(() => {
      settled = true;
      ticksWhilePending = ticks;
    });
    const outcome = await reading;
    clearInterval(interval);
    expect(settled).toBe(true);
    expect(["imported", "refused"]).toContain(outcome);
    // Parsing on the main thread would hold every timer until it finished: zero ticks.
    expect(ticksWhilePending).toBeGreaterThan(0);
  });

  it("refuses a plan bigger than the limits, and a document over 1 MB, creating nothing", async () => {
    const before = await digest();
    const items = "# Many\n## Phase\n" + "- [ ] check\n".repeat(PLAN_LIMITS.items + 1);
    await expect(dispatch(planner, "cutover.create", input(items))).rejects.toMatchObject({ status: 400, message: "The runbook has 5,001 checklist items; at most 5,000 can be imported; it was not imported" });
    await expect(readRunbook("x".repeat(1_000_001))).rejects.toMatchObject({ status: 400, message: "The runbook is larger than 1 MB; it was not imported" });
    expect(await digest()).toEqual(before);
  });

  it("runs many imports at once, each answered", async () => {
    const results = await Promise.all(Array.from({ length: 5 }, (_, i) => readRunbook(`# Runbook ${i}\n## Phase\n- [ ] item ${i}`)));
    expect(results.map((p) => p.title)).toEqual(["Runbook 0", "Runbook 1", "Runbook 2", "Runbook 3", "Runbook 4"]);
  });
});

describe("the prebuilt reader (production)", () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(path.join(os.tmpdir(), "warroom-reader-"));
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("is looked for where scripts/server-bundle.ts writes it", () => {
    expect(RUNBOOK_WORKER_BUNDLE).toBe(BUNDLED_AT);
  });

  it("says clearly when it was not built", () => {
    vi.stubEnv("NODE_ENV", "production");
    expect(() => runbookWorkerEntry(root)).toThrow(`The runbook reader ${path.join(root, RUNBOOK_WORKER_BUNDLE)} is missing: build it with \`npm run build\``);
  });

  it("reads a runbook from the bundled file, self-contained, outside the project", async () => {
    const file = bundleRunbookWorker(path.join(root, RUNBOOK_WORKER_BUNDLE));
    expect(existsSync(file)).toBe(true);
    vi.stubEnv("NODE_ENV", "production");
    const reader = new RunbookReader({ root });
    try {
      expect(runbookWorkerEntry(root)).toEqual({ kind: "bundle", file });
      reader.budgetMs = GENEROUS;
      expect(await reader.read(demo)).toEqual(importRunbook(demo));
      reader.budgetMs = 1;
      await expect(reader.read(HOSTILE["deep quotes"]!(200_000))).rejects.toMatchObject({ status: 400 });
    } finally {
      await reader.close();
    }
  });
});


describe("creating a cutover from a runbook applies every kind, and a preview writes nothing", () => {
  const fixture = (name: string) => readFileSync(new URL(`../domain/runbook-fixtures/${name}`, import.meta.url), "utf8");

  it("previews the counts per kind and the skipped lines without writing anything; refuses an empty runbook", async () => {
    const before = await digest();
    const preview = await dispatch(planner, "cutover.preview", { runbook: fixture("t-minus-thresholds.md") });
    expect(preview.counts).toEqual({ phases: 5, sections: 6, items: 9, decisions: 1, thresholds: 3, newMetrics: 0, rules: 5, gates: 4, contacts: 0, escalation: 0, links: 0, templates: 0, risks: 0, timeline: 0, skipped: 0 });
    const fewer = await dispatch(planner, "cutover.preview", { runbook: fixture("t-minus-thresholds.md"), exclude: ["kind:rules", "phase:2"] });
    // Phase 2 carries the decision: its two gates go with it.
    expect(fewer.counts).toMatchObject({ phases: 4, rules: 0, gates: 2, decisions: 0 });
    const skipped = await dispatch(planner, "cutover.preview", { runbook: fixture("bullets-under-steps.md") });
    expect(skipped.skipped.map((s) => s.line)).toEqual([3, 31, 32]);
    expect(await digest()).toEqual(before);
    await expect(dispatch(planner, "cutover.preview", { runbook: "  " })).rejects.toMatchObject({ status: 400 });
    await expect(dispatch(planner, "cutover.create", { ...input("# x"), exclude: ["everything"] })).rejects.toMatchObject({ status: 400 });
    await expect(dispatch({ ...planner, isPlanner: false }, "cutover.preview", { runbook: "# x" })).rejects.toMatchObject({ status: 403 });
  });

  it("writes thresholds onto the matching metrics, new metrics without a query, triggers in recommend mode, gates", async () => {
    const r = await dispatch(planner, "cutover.create", { ...input(fixture("t-minus-thresholds.md")), exclude: ["section:0.0"] });
    const id = r.cutoverId;
    expect(r.imported?.counts).toMatchObject({ phases: 4, items: 7, thresholds: 3, rules: 5, gates: 4 });
    const metrics = await db().metricDefinition.findMany({ where: { cutoverId: id } });
    const m = (name: string) => metrics.find((x) => x.name === name)!;
    expect([m("Error rate").warningThreshold, m("Error rate").criticalThreshold]).toEqual([0.5, 2]);
    expect([m("Latency p99").warningThreshold, m("Latency p99").criticalThreshold]).toEqual([800, 1500]);
    expect([m("Disk free").direction, m("Disk free").warningThreshold, m("Disk free").criticalThreshold]).toEqual(["below", 20, 10]);
    // Untouched: the default for a metric the runbook does not name.
    expect(m("Latency p50").warningThreshold).toBe(200);
    const triggers = await db().rollbackTrigger.findMany({ where: { cutoverId: id }, include: { metric: true }, orderBy: { threshold: "asc" } });
    expect(triggers).toHaveLength(5);
    for (const t of triggers) {
      expect(t.mode).toBe("recommend");
      expect(t.description).toMatch(/^Imported, confirm: /);
    }
    expect(triggers.map((t) => [t.metric?.name, t.comparison, t.threshold, t.forSeconds, t.severity, t.action])).toEqual([
      ["Error rate", ">", 5, 300, "immediate", "rollback"],
      ["Error rate", ">", 10, 60, "immediate", "rollback"],
      ["CPU", ">", 95, 60, "immediate", "alert"],
      ["Latency p99", ">", 2000, 600, "immediate", "rollback"],
      ["Memory", ">", 2 * 1024 ** 3, 900, "graceful", "rollback"],
    ]);
    const gates = await db().metricGate.findMany({ where: { cutoverId: id }, include: { metric: true, decision: true } });
    expect(gates.filter((g) => g.decision !== null).map((g) => [g.decision!.title, g.metric.name, g.condition])).toEqual([
      ["Proceed to 100 %", "Error rate", { kind: "threshold", system: "new", op: "<", value: 1, windowSec: 300 }],
      ["Proceed to 100 %", "Latency p99", { kind: "threshold", system: "new", op: "<", value: 800, windowSec: 300 }],
    ]);
    expect(gates.filter((g) => g.successCriterion).map((g) => g.metric.name).sort()).toEqual(["Error rate", "Latency p95"]);
    const phases = await db().phase.findMany({ where: { cutoverId: id }, orderBy: { position: "asc" }, include: { sections: { include: { items: true } } } });
    expect(phases.map((p) => p.name)).toEqual(["T-1:30 Pre-flight", "T+0:30 Traffic shift", "Rollback triggers", "Success criteria"]);
    const audit = await db().auditEvent.findFirstOrThrow({ where: { cutoverId: id, action: "cutover.created" } });
    expect(audit.after).toMatchObject({ imported: { rules: 5, gates: 4 }, excluded: ["section:0.0"] });
  });

  it("creates contacts, the ladder, links, templates, new 'query needed' metrics and item notes", async () => {
    const r = await dispatch(planner, "cutover.create", input(fixture("table-driven.md")));
    const c = await db().cutover.findUniqueOrThrow({ where: { id: r.cutoverId }, include: { contacts: { orderBy: { escalationOrder: "asc" } }, metrics: true } });
    expect(c.contacts.map((x) => [x.role, x.name, x.email, x.phone, x.chatHandle])).toEqual([
      ["DEPLOYMENT_LEAD", "Ana Silva", "ana@example.com", null, null],
      ["DATABASE_DBA", "Bo Chen", null, "+1 555 0100", null],
      ["QA_LEAD", "Cy Park", null, null, "@cy"],
    ]);
    expect(c.links).toEqual([{ label: "Bridge", url: "https://meet.example.com/payments" }, { label: "Dashboards", url: "https://grafana.example.com/d/payments" }]);
    expect(c.escalation).toEqual([
      { level: "Level 1", who: "On-call engineer", after: "0-15 min" },
      { level: "Level 2", who: "Engineering manager", after: "15-30 min" },
      { level: "Level 3", who: "VP Engineering", after: "30+ min" },
    ]);
    expect((c.announcementTemplates as { name: string }[]).map((t) => t.name)).toEqual(["Success announcement", "Rollback announcement"]);
    const queue = c.metrics.find((m) => m.name === "Queue depth")!;
    expect([queue.queryOld, queue.queryNew, queue.warningThreshold, queue.criticalThreshold]).toEqual([null, null, 1000, 5000]);
    // Each row's owner, status and time as the importer read them (dialects.test.ts checks them one by one).
    const items = await db().item.findMany({ where: { section: { phase: { cutoverId: r.cutoverId } } }, orderBy: { position: "asc" } });
    const read = importRunbook(fixture("table-driven.md")).phases[0]!.sections[0]!.items;
    expect(items.map((i) => `${i.title}|${i.ownerRole}|${i.plannedTime}`)).toEqual(read.map((i) => `${i.title}|${i.ownerRole}|${i.plannedTime}`));
    const notes = await dispatch(planner, "cutover.create", input(fixture("bullets-under-steps.md")));
    const dashboards = await db().item.findFirstOrThrow({ where: { title: "Grafana dashboards shared with the team", section: { phase: { cutoverId: notes.cutoverId } } } });
    expect(dashboards.description).toBe("- include the checkout latency board\n- and the error budget board");
  });

  it("keeps what became no item as notes of its section, as text; a clone keeps them too", async () => {
    const runbook = "# Plan\n\n## Preparation\n\n### Checks\n\n- [ ] Backups verified\n\nThe DBA keeps the <b>old</b> dump for a week.\n";
    const r = await dispatch(planner, "cutover.create", input(runbook));
    const section = await db().section.findFirstOrThrow({ where: { name: "Checks", phase: { cutoverId: r.cutoverId } } });
    expect(section.notes).toEqual(["The DBA keeps the old dump for a week."]);
    const clone = await dispatch(planner, "cutover.clone", { cutoverId: r.cutoverId, name: "Again", tZero: new Date("2026-12-02T06:00:00Z") });
    expect((await db().section.findFirstOrThrow({ where: { name: "Checks", phase: { cutoverId: clone.cutoverId } } })).notes).toEqual(section.notes);
  });
});
