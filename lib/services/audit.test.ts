// One recording function, whichever path wrote the rows: on a rehearsal cutover every audit row
// says so, and every row written for a request carries its request id — the Prisma path (plan
// edits), the batched sign-off statement, the fenced traffic commit, a failed change, a rollback
// and its completion, and a trigger firing on its own.
import { defineFileIntegrations } from "@/lib/testing/server-config";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { dispatch } from "./commands";
import { evaluateTriggers } from "./triggers";
import { createFixture, createTeam, useFreshDatabase, type Team } from "@/lib/testing/fixtures";

let team: Team;
let listener: http.Server;
let url = "";

beforeAll(async () => {
  await useFreshDatabase();
  team = await createTeam();
  // A webhook router's receiver: acknowledges every change.
  listener = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => res.end("{}"));
  });
  await new Promise<void>((r) => listener.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
});
afterAll(() => listener?.close());

const rowsOf = (cutoverId: string) => db().auditEvent.findMany({ where: { cutoverId }, orderBy: { at: "asc" }, select: { action: true, rehearsal: true, requestId: true } });

describe("recording changes", () => {
  it("every path marks a rehearsal's rows and keeps the request id", async () => {
    const f = await createFixture(team, { state: "in_progress" });
    defineFileIntegrations(
      { name: "audit-router", type: "router", kind: "webhook", config: { url: `${url}/router`, secret: "0123456789abcdef" } },
      { name: "audit-router-gone", type: "router", kind: "webhook", config: { url: "http://127.0.0.1:9/gone", secret: "0123456789abcdef", timeoutMs: 500 } },
    );
    await db().cutover.update({ where: { id: f.cutoverId }, data: { mode: "rehearsal", routerIntegration: "audit-router" } });
    const lead = team.DEPLOYMENT_LEAD;

    await dispatch(lead, "phase.add", { cutoverId: f.cutoverId, name: "Later", reason: "found late" }, { requestId: "req-prisma" });
    await dispatch(team.QA_LEAD, "item.sign_off", { cutoverId: f.cutoverId, itemId: f.qaItemId, note: "ok" }, { requestId: "req-batch" });
    await dispatch(lead, "traffic.shift", { cutoverId: f.cutoverId, toPercent: 10, override: true, note: "canary" }, { requestId: "req-shift" });
    await dispatch(team.ON_CALL, "rollback.execute", { cutoverId: f.cutoverId, reason: "drill" }, { requestId: "req-rollback" });
    for (;;) {
      if ((await db().rollback.count({ where: { cutoverId: f.cutoverId, state: "running" } })) === 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    // A router that is gone: the failed change is recorded too.
    await db().cutover.update({ where: { id: f.cutoverId }, data: { state: "in_progress", routerIntegration: "audit-router-gone" } });
    await expect(dispatch(lead, "traffic.shift", { cutoverId: f.cutoverId, toPercent: 10, override: true, note: "again" }, { requestId: "req-failed" })).rejects.toMatchObject({ status: 502 });
    // A trigger firing on its own: no request, still a rehearsal.
    const t = await db().rollbackTrigger.create({ data: { cutoverId: f.cutoverId, metricId: f.metricId, system: "new", comparison: ">", threshold: 1, forSeconds: 0, severity: "immediate", action: "alert", mode: "recommend" } });
    await evaluateTriggers(f.cutoverId, [{ metricId: f.metricId, system: "new", sample: { at: Date.now(), status: "ok", value: 5 } }], Date.now());

    const rows = await rowsOf(f.cutoverId);
    const byAction = (a: string) => rows.filter((r) => r.action === a);
    expect(rows.every((r) => r.rehearsal)).toBe(true);
    expect(byAction("phase.added").map((r) => r.requestId)).toEqual(["req-prisma"]);
    expect(byAction("item.signed_off").map((r) => r.requestId)).toEqual(["req-batch"]);
    expect(byAction("traffic.shifted").map((r) => r.requestId)).toEqual(["req-shift"]);
    expect(byAction("rollback.split_verified").map((r) => r.requestId)).toEqual(["req-rollback"]);
    expect(byAction("rollback.completed").map((r) => r.requestId)).toEqual(["req-rollback"]);
    expect(byAction("traffic.change_failed").map((r) => r.requestId)).toEqual(["req-failed"]);
    expect(byAction("trigger.fired")).toEqual([{ action: "trigger.fired", rehearsal: true, requestId: null }]);
    expect(t.id).toBeTruthy();
  });

  it("a live cutover's rows are not marked as a rehearsal", async () => {
    const f = await createFixture(team);
    await dispatch(team.DEPLOYMENT_LEAD, "phase.add", { cutoverId: f.cutoverId, name: "Later" });
    await dispatch(team.QA_LEAD, "item.sign_off", { cutoverId: f.cutoverId, itemId: f.qaItemId });
    const rows = await rowsOf(f.cutoverId);
    expect(rows.map((r) => [r.action, r.rehearsal])).toEqual([
      ["phase.added", false],
      ["item.signed_off", false],
    ]);
  });
});
