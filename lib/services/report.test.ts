// The post-mortem report against a real PostgreSQL and a real (webhook) router: a cutover driven
// through the commands (items signed, a vote, a shift, a rollback with a hook) reads back with its
// outcome, durations, decision, open items and charts; the lessons are written by the team only
// once it has ended, audited, and a stale edit is refused.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { matchRoute, runRoute } from "@/lib/api/routes";
import { defineFileIntegrations } from "@/lib/testing/server-config";
import { createFixture, createTeam, digest, useFreshDatabase, type Team } from "@/lib/testing/fixtures";
import { dispatch } from "./commands";
import { getReport, reportFile } from "./report";

let team: Team;
let listener: http.Server;
let outsider: { id: string; name: string; isAdmin: boolean; isPlanner: boolean };

beforeAll(async () => {
  await useFreshDatabase();
  team = await createTeam();
  outsider = await db().user.create({ data: { email: `outsider-${Date.now()}@test.local`, name: "Outsider", passwordHash: "x" }, select: { id: true, name: true, isAdmin: true, isPlanner: true } });
  // A webhook router that remembers the split it was told and answers it when read; a hook that says ok.
  let percent = 0;
  listener = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      res.setHeader("content-type", "application/json");
      if (req.url === "/router" && req.method === "POST") percent = (JSON.parse(body) as { to: number }).to;
      res.end(req.url === "/router" ? JSON.stringify({ percent }) : "{}");
    });
  });
  await new Promise<void>((r) => listener.listen(0, "127.0.0.1", r));
  const base = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
  defineFileIntegrations(
    { name: "report-router", type: "router", kind: "webhook", config: { url: `${base}/router`, readUrl: `${base}/router`, secret: "0123456789abcdef" } },
    { name: "report-hook", type: "hook", kind: "webhook", config: { url: `${base}/hook` } },
  );
});

afterAll(() => listener?.close());

/** A cutover taken through a vote, a 25 % shift and a rollback by on-call, with samples stored around them. */
async function rolledBackCutover() {
  const f = await createFixture(team, { state: "in_progress" });
  const c = f.cutoverId;
  await db().cutover.update({ where: { id: c }, data: { routerIntegration: "report-router", startedAt: new Date(Date.now() - 5 * 60_000) } });
  await dispatch(team.DEPLOYMENT_LEAD, "hook.add", { cutoverId: c, name: "Page the team", integration: "report-hook" });
  await dispatch(team.DATABASE_DBA, "timeline.progress", { cutoverId: c, entryId: f.entryId, step: "start" });
  await dispatch(team.DATABASE_DBA, "timeline.progress", { cutoverId: c, entryId: f.entryId, step: "finish" });
  await dispatch(team.DATABASE_DBA, "item.sign_off", { cutoverId: c, itemId: f.criticalItemId, note: "restored to staging" });
  await dispatch(team.QA_LEAD, "decision.vote", { cutoverId: c, decisionId: f.decisionId, choice: "go", comment: "smoke green" });
  await dispatch(team.DEPLOYMENT_LEAD, "decision.vote", { cutoverId: c, decisionId: f.decisionId, choice: "go" });
  await dispatch(team.DEPLOYMENT_LEAD, "traffic.shift", { cutoverId: c, toPercent: 25, override: true, note: "canary" });
  const now = Date.now();
  await db().metricSample.createMany({
    data: Array.from({ length: 60 }, (_, i) => ({ metricId: f.metricId, system: "new" as const, at: new Date(now - 150_000 + i * 5000), value: i < 40 ? 0.4 : 7.5, status: "ok" as const })),
  });
  const r = await dispatch(team.ON_CALL, "rollback.execute", { cutoverId: c, reason: "p95 doubled" });
  await expect.poll(async () => (await db().rollback.findUniqueOrThrow({ where: { id: r.rollbackId } })).state).toBe("completed");
  return f;
}

describe("post-mortem report", () => {
  it("is refused while the cutover runs, and to a caller who may not see it", async () => {
    const f = await createFixture(team, { state: "in_progress" });
    await expect(getReport(team.OBSERVER, { cutoverId: f.cutoverId })).rejects.toMatchObject({ status: 409, message: expect.stringMatching(/once the cutover has ended \(it is in progress\)/) });
    await db().cutover.update({ where: { id: f.cutoverId }, data: { state: "completed" } });
    await expect(getReport(outsider, { cutoverId: f.cutoverId })).rejects.toMatchObject({ status: 404 });
    await expect(getReport(team.OBSERVER, { cutoverId: f.cutoverId, format: "pdf" })).rejects.toBeTruthy();
  });

  it("a rolled-back cutover reads back with who rolled back and why, every change with its duration, the decision, what stayed open", async () => {
    const f = await rolledBackCutover();
    const r = await getReport(team.OBSERVER, { cutoverId: f.cutoverId });
    expect(r.outcome.kind).toBe("rolled_back");
    expect(r.outcome.headline).toMatch(new RegExp(`^Rolled back by ${team.ON_CALL.name} at `));
    expect(r.outcome.why).toBe("p95 doubled");
    expect(r.schedule.actualEnd).not.toBeNull();

    expect(r.traffic.map((t) => [t.from, t.to, t.state, t.by])).toEqual([
      [0, 25, "verified", team.DEPLOYMENT_LEAD.name],
      [25, 0, "verified", team.ON_CALL.name],
    ]);
    for (const t of r.traffic) expect(t.durationMs).toEqual(expect.any(Number));
    expect(r.rollbacks).toHaveLength(1);
    expect(r.rollbacks[0]).toMatchObject({ state: "completed", reason: "p95 doubled", by: team.ON_CALL.name, durationMs: expect.any(Number), hooks: [{ name: "Page the team", ok: true }] });

    expect(r.decisions).toHaveLength(1);
    const d = r.decisions[0]!;
    expect(d).toMatchObject({ title: "Proceed to 50 %", state: "proceed" });
    expect(d.gates.map((g) => [g.label, g.passed])).toEqual([[expect.stringMatching(/critical/i), true]]);
    expect(d.votes.map((v) => [v.role, v.choice, v.comment])).toEqual([
      ["QA_LEAD", "go", "smoke green"],
      ["DEPLOYMENT_LEAD", "go", null],
    ]);

    expect(r.timeline.map((e) => [e.title, e.status])).toEqual([["Run migration", "done"]]);
    expect(r.openItems.map((i) => i.title)).toEqual(["Smoke tests pass"]);

    // Charts around the shift, the decision and the rollback, from the stored samples.
    expect(r.charts.map((c) => c.moment.kind).sort()).toEqual(["decision", "rollback", "traffic", "traffic"]);
    const rollbackChart = r.charts.find((c) => c.moment.kind === "rollback")!;
    expect(rollbackChart.series.map((s) => s.name)).toEqual(["Error rate"]);
    expect(rollbackChart.series[0]!.new!.some((s) => s.value === 7.5)).toBe(true);

    const file = await reportFile(team.OBSERVER, { cutoverId: f.cutoverId });
    expect(file.filename).toMatch(/^fixture-cutover-post-mortem-\d{8}-\d{4}\.md$/);
    expect(file.body).toContain(`**Rolled back by ${team.ON_CALL.name} at `);
    expect(file.body).toMatch(/\| 25 % → 0 % \| verified \| \d+(\.\d)? (ms|s) \|/);
    expect(file.body).not.toContain("REHEARSAL");
  });

  it("lessons: written by the team once ended, audited, a stale edit refused; observers may not write", async () => {
    const f = await rolledBackCutover();
    const c = f.cutoverId;
    const before = await digest();
    await expect(dispatch(team.OBSERVER, "report.lessons", { cutoverId: c, wentWell: "x" })).rejects.toMatchObject({ status: 403 });
    await expect(dispatch(team.QA_LEAD, "report.lessons", { cutoverId: c })).rejects.toMatchObject({ status: 400 });
    expect(await digest()).toEqual(before);

    await expect(dispatch(team.QA_LEAD, "report.lessons", { cutoverId: c, wentWell: "Rollback took seconds", version: 0 })).resolves.toEqual({ version: 1 });
    await expect(dispatch(team.ON_CALL, "report.lessons", { cutoverId: c, actions: "Alert on p95 earlier", version: 1 })).resolves.toEqual({ version: 2 });
    await expect(dispatch(team.DEPLOYMENT_LEAD, "report.lessons", { cutoverId: c, wentWrong: "late", version: 1 })).rejects.toMatchObject({ status: 409 });

    const r = await getReport(team.OBSERVER, { cutoverId: c });
    expect(r.lessons).toMatchObject({ wentWell: "Rollback took seconds", wentWrong: "", actions: "Alert on p95 earlier", version: 2, updatedBy: team.ON_CALL.name });
    const audit = await db().auditEvent.findMany({ where: { cutoverId: c, action: "report.lessons_saved" }, orderBy: { id: "asc" } });
    expect(audit.map((a) => [a.actorId, a.role])).toEqual([
      [team.QA_LEAD.id, "QA_LEAD"],
      [team.ON_CALL.id, "ON_CALL"],
    ]);
    // Writing lessons afterwards does not move when the cutover ended.
    expect(r.schedule.actualEnd).toEqual((await getReport(team.OBSERVER, { cutoverId: c })).schedule.actualEnd);

    const running = await createFixture(team, { state: "in_progress" });
    await expect(dispatch(team.QA_LEAD, "report.lessons", { cutoverId: running.cutoverId, wentWell: "x" })).rejects.toMatchObject({ status: 409 });
  });

  it("a rehearsal's markdown says REHEARSAL in its name and text; the REST route serves it as a file to anyone who may view", async () => {
    const f = await createFixture(team);
    await db().cutover.update({ where: { id: f.cutoverId }, data: { state: "completed", mode: "rehearsal" } });
    const hit = matchRoute("GET", `/api/v1/cutovers/${f.cutoverId}/report`)!;
    const res = (await runRoute(hit.route, { actor: { ...team.OBSERVER, email: "o@test.local" } as never, params: hit.params, data: { format: "markdown" }, requestId: "report-test" })) as Response;
    expect(res.headers.get("content-type")).toBe("text/markdown; charset=utf-8");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="REHEARSAL-fixture-cutover-post-mortem-/);
    const text = await res.text();
    expect(text.split("\n")[0]).toBe("# REHEARSAL · Post-mortem: Fixture cutover");
    expect(text).toContain("Completed at ");
    const json = (await runRoute(hit.route, { actor: { ...team.OBSERVER, email: "o@test.local" } as never, params: hit.params, data: {}, requestId: "report-test" })) as { rehearsal: boolean };
    expect(json.rehearsal).toBe(true);
    await expect(runRoute(hit.route, { actor: { ...team.OBSERVER, email: "o@test.local" } as never, params: hit.params, data: { format: "docx" }, requestId: "report-test" })).rejects.toMatchObject({ status: 400 });
  });
});
