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

