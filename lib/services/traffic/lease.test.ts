// The rollback button is never dead: a process that claims a rollback (or requests a shift) and is
// SIGKILLed while its router has not answered leaves a row marked running (requested); its lease
// (lock) died with it, so the next press takes over at once, and each start closes what is left,
// with the router's real split read back and recorded. A live owner is still joined.
// Real parts: a second node process, PostgreSQL, and a webhook router receiver over HTTP.
import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, sql } from "@/lib/db/client";
import { gone } from "@/lib/testing/processes";
import { defineFileIntegrations } from "@/lib/testing/server-config";
import { createFixture, createTeam, useFreshDatabase, type Team } from "@/lib/testing/fixtures";
import { dispatch } from "../commands";
import { reconcileTraffic } from "./reconcile";

let team: Team;
// The receiver of two routers ("a", "b": /a/hook, /a/split …): the split in force on each, what it
// does with the next POSTs, and whether reads work.
const splits: Record<string, number> = { a: 0, b: 0 };
let postMode: "apply" | "hang" | "apply-and-hang" = "apply";
let readWorks = true;
let hungPosts = 0;
const server = http.createServer((req, res) => {
  const router = (req.url ?? "").split("/")[1] ?? "";
  let body = "";
  req.on("data", (d: Buffer) => (body += d.toString()));
  req.on("end", () => {
    if (req.method === "GET") {
      if (!readWorks) {
        res.statusCode = 503;
        return res.end("down");
      }
      res.setHeader("content-type", "application/json");
      return res.end(JSON.stringify({ percent: splits[router] }));
    }
    // A router that took the change (or not) and never answers: the caller waits until it dies.
    if (postMode !== "hang") splits[router] = (JSON.parse(body) as { to: number }).to;
    if (postMode !== "apply") {
      hungPosts++;
      return;
    }
    res.end("ok");
  });
});
const children: ChildProcess[] = [];

beforeAll(async () => {
  await useFreshDatabase();
  team = await createTeam();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // The children inherit this file (through the environment), as a server reads its operator's file.
  for (const r of ["a", "b"]) defineFileIntegrations({ name: `lease-router-${r}`, type: "router", kind: "webhook", config: { url: `${base}/${r}/hook`, readUrl: `${base}/${r}/split`, secret: "lease-test-secret-0123456789" } });
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

/** A cutover on router `router` of the receiver, with the split in force and recorded at `percent`. */
async function cutoverAt(percent: number, router: "a" | "b" = "a") {
  const f = await createFixture(team, { state: "in_progress" });
  await db().cutover.update({ where: { id: f.cutoverId }, data: { routerIntegration: `lease-router-${router}` } });
  postMode = "apply";
  readWorks = true;
  await dispatch(team.DEPLOYMENT_LEAD, "traffic.shift", { cutoverId: f.cutoverId, toPercent: percent, override: true, note: "setup" });
  expect(splits[router]).toBe(percent);
  return f.cutoverId;
}

/** Another app process pressing rollback (or shifting) on this cutover; resolves once its router call hangs. */
async function ownerInRouter(cutoverId: string, mode: "hang" | "apply-and-hang", action: { shift?: number } = {}) {
  postMode = mode;
  const before = hungPosts;
  const env = { ...process.env, CUTOVER_ID: cutoverId, ACTION: action.shift === undefined ? "rollback" : "shift", TO_PERCENT: String(action.shift ?? 0) };
  const child = spawn(process.execPath, ["--import", "tsx", "lib/services/traffic/traffic-owner.fixture.ts"], { env, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  await expect.poll(() => hungPosts > before || child.exitCode !== null, { timeout: 30_000, interval: 20 }).toBe(true);
  expect(child.exitCode, output).toBeNull();
  postMode = "apply";
  return child;
}

/** Whether some session holds this cutover's lock of `kind` (as PostgreSQL keys two-int advisory locks). */
async function held(kind: "rollback" | "traffic", cutoverId: string) {
  const { rows } = await sql().query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 2 AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
       AND classid = (hashtext($1)::bigint & 4294967295)::oid AND objid = (hashtext($2)::bigint & 4294967295)::oid`,
    [kind, cutoverId],
  );
  return rows[0]!.n > 0;
}

/** SIGKILL, then wait until PostgreSQL ended its sessions (what the OOM killer leaves). */
async function kill(child: ChildProcess, cutoverId: string) {
  child.kill("SIGKILL");
  await expect.poll(() => gone(child.pid!), { timeout: 10_000, interval: 20 }).toBe(true);
  await expect.poll(async () => (await held("rollback", cutoverId)) || (await held("traffic", cutoverId)), { timeout: 10_000, interval: 20 }).toBe(false);
}

const rollbacks = (cutoverId: string) => db().rollback.findMany({ where: { cutoverId }, orderBy: { startedAt: "asc" } });
const changes = (cutoverId: string) => db().trafficChange.findMany({ where: { cutoverId }, orderBy: { requestedAt: "asc" } });
const audits = (cutoverId: string, action: string) => db().auditEvent.findMany({ where: { cutoverId, action }, orderBy: { id: "asc" } });
const percentOf = async (cutoverId: string) => (await db().cutover.findUniqueOrThrow({ where: { id: cutoverId } })).trafficPercent;
const hooksDone = (cutoverId: string) => expect.poll(async () => (await rollbacks(cutoverId)).filter((r) => r.state === "running").length).toBe(0);

/** A rollback pressed on another process, at `percent`, whose process was SIGKILLed while its router hung. */
async function deadOwnerAt(percent: number) {
  const c = await cutoverAt(percent);
  const owner = await ownerInRouter(c, "hang");
  const [dead] = await rollbacks(c);
  await kill(owner, c);
  return { c, dead: dead! };
}

describe("the rollback lease", () => {
  it("a live owner is joined: no takeover while its lease is held", async () => {
    const c = await cutoverAt(40);
    const owner = await ownerInRouter(c, "hang");
    const [running] = await rollbacks(c);
    expect(running).toMatchObject({ state: "running" });
    expect(await held("rollback", c)).toBe(true);

    const r = await dispatch(team.ON_CALL, "rollback.execute", { cutoverId: c, reason: "still running?" });
    expect(r).toEqual({ rollbackId: running!.id, joined: true });
    expect((await rollbacks(c)).map((x) => x.state)).toEqual(["running"]);
    expect(await audits(c, "rollback.abandoned")).toHaveLength(0);
    expect(splits.a).toBe(40);

    // Once it dies, the same press takes over.
    await kill(owner, c);
    const again = await dispatch(team.ON_CALL, "rollback.execute", { cutoverId: c, reason: "owner gone" });
    expect(again).toMatchObject({ joined: false });
    expect(splits.a).toBe(0);
    await hooksDone(c);
  }, 60_000);

  it("the owner SIGKILLed in the router: the next press closes its row with the router's real split and takes over at once", async () => {
    const { c, dead } = await deadOwnerAt(50);
    // The row still says running: only the lease tells the owner is gone.
    expect((await rollbacks(c)).map((x) => x.state)).toEqual(["running"]);

    const r = await dispatch(team.DEPLOYMENT_LEAD, "rollback.execute", { cutoverId: c, reason: "again" });
    expect(r).toMatchObject({ joined: false, from: 50 });
    expect(r.rollbackId).not.toBe(dead.id);
    expect(splits.a).toBe(0);
    expect(await percentOf(c)).toBe(0);
    await hooksDone(c);
    const rows = await rollbacks(c);
    expect(rows.map((x) => [x.id, x.state])).toEqual([
      [dead.id, "abandoned"],
      [r.rollbackId, "completed"],
    ]);
    // The dead one's record: who closed it, and what the router said (it never took the change).
    const [audit] = await audits(c, "rollback.abandoned");
    expect(audit).toMatchObject({ subject: `rollback:${dead.id}`, actorId: team.DEPLOYMENT_LEAD.id });
    expect(audit!.after).toMatchObject({ state: "abandoned", routerPercent: 50, recordedPercent: 50 });
    // Its change, left requested, is closed as failed with the same read-back; the new one verified.
    const cs = await changes(c);
    expect(cs.map((x) => [x.fromPercent, x.toPercent, x.state])).toEqual([
      [0, 50, "verified"],
      [50, 0, "failed"],
      [50, 0, "verified"],
    ]);
    expect(cs[1]!.error).toMatch(/^abandoned: .* the router reads 50 %/);
    expect(await audits(c, "traffic.change_abandoned")).toHaveLength(1);
    expect(cs[2]!.fence).toBeGreaterThan(cs[1]!.fence);
  }, 60_000);

  it("two presses at once after the owner died: exactly one executes", async () => {
    const { c, dead } = await deadOwnerAt(30);

    const [a, b] = await Promise.all([dispatch(team.ON_CALL, "rollback.execute", { cutoverId: c, reason: "a" }), dispatch(team.DEPLOYMENT_LEAD, "rollback.execute", { cutoverId: c, reason: "b" })]);
    expect([a.joined, b.joined].sort()).toEqual([false, true]);
    await hooksDone(c);
    const rows = await rollbacks(c);
    expect(rows.map((x) => x.state)).toEqual(["abandoned", "completed"]);
    expect(rows[0]!.id).toBe(dead.id);
    expect((await changes(c)).filter((x) => x.toPercent === 0 && x.state === "verified")).toHaveLength(1);
    expect(await audits(c, "rollback.abandoned")).toHaveLength(1);
    expect(splits.a).toBe(0);
  }, 60_000);
  it("at start: a rollback whose owner died is closed with the router's split; one whose owner lives is left alone", async () => {
    const { c, dead } = await deadOwnerAt(70);
    const live = await cutoverAt(45, "b");
    const owner = await ownerInRouter(live, "hang");
    try {
      const settled = await reconcileTraffic();
      expect(settled.filter((r) => r.cutoverId === live)).toEqual([]);
      expect(settled.filter((r) => r.cutoverId === c)).toEqual([{ cutoverId: c, rollbacks: [dead.id], changes: [expect.any(String)], routerPercent: 70, recordedPercent: 70 }]);
      expect((await rollbacks(live)).map((x) => x.state)).toEqual(["running"]);
    } finally {
      await kill(owner, live);
    }
    expect((await rollbacks(c)).map((x) => x.state)).toEqual(["abandoned"]);
    const [audit] = await audits(c, "rollback.abandoned");
    expect(audit).toMatchObject({ subject: `rollback:${dead.id}`, actorId: null, actorName: "warroom (start-up check)" });
    expect(audit!.after).toMatchObject({ routerPercent: 70, recordedPercent: 70 });
    // Nothing was moved: the start-up check records, it does not roll back.
    expect(splits.a).toBe(70);
  }, 60_000);
});

describe("traffic changes a dead process left requested", () => {
  it("at start: the change is closed with the split the router really has, and the recorded split follows it", async () => {
    const c = await cutoverAt(20);
    // The router took 80 % but its answer never reached the owner, which then died.
    const owner = await ownerInRouter(c, "apply-and-hang", { shift: 80 });
    await kill(owner, c);
    expect(splits.a).toBe(80);
    expect(await percentOf(c)).toBe(20);

    // Two processes starting at once record it once.
    const [x, y] = await Promise.all([reconcileTraffic(), reconcileTraffic()]);
    expect([...x, ...y].filter((r) => r.cutoverId === c)).toEqual([{ cutoverId: c, rollbacks: [], changes: [expect.any(String)], routerPercent: 80, recordedPercent: 80 }]);
    expect(await percentOf(c)).toBe(80);
    const cs = await changes(c);
    expect(cs.map((t) => [t.fromPercent, t.toPercent, t.state])).toEqual([
      [0, 20, "verified"],
      [20, 80, "failed"],
    ]);
    const found = await audits(c, "traffic.change_abandoned");
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ subject: `traffic:${cs[1]!.id}`, actorId: null, actorName: "warroom (start-up check)" });
    expect(found[0]!.after).toMatchObject({ state: "failed", routerPercent: 80, recordedBefore: 20, recordedPercent: 80 });
    // Nothing is left: a later start records nothing more.
    expect((await reconcileTraffic()).filter((r) => r.cutoverId === c)).toEqual([]);
  }, 60_000);

  it("at start, a router that cannot be read: the change is closed, the split recorded as unknown, the recorded split left alone", async () => {
    const c = await cutoverAt(10);
    const owner = await ownerInRouter(c, "apply-and-hang", { shift: 60 });
    await kill(owner, c);
    readWorks = false;
    try {
      const settled = (await reconcileTraffic()).filter((r) => r.cutoverId === c);
      expect(settled).toMatchObject([{ routerPercent: null, recordedPercent: 10 }]);
    } finally {
      readWorks = true;
    }
    expect(await percentOf(c)).toBe(10);
    const [audit] = await audits(c, "traffic.change_abandoned");
    expect(audit!.after).toMatchObject({ routerPercent: "unknown", recordedPercent: 10, readError: expect.stringMatching(/503/) });
    expect((await changes(c)).map((t) => t.state)).toEqual(["verified", "failed"]);
  }, 60_000);

  it("the next shift closes it first and starts from the router's real split", async () => {
    const c = await cutoverAt(10);
    const owner = await ownerInRouter(c, "apply-and-hang", { shift: 35 });
    await kill(owner, c);
    await dispatch(team.DEPLOYMENT_LEAD, "traffic.shift", { cutoverId: c, toPercent: 50, override: true, note: "next step" });
    expect(splits.a).toBe(50);
    expect(await percentOf(c)).toBe(50);
    expect((await changes(c)).map((t) => [t.fromPercent, t.toPercent, t.state])).toEqual([
      [0, 10, "verified"],
      [10, 35, "failed"],
      [35, 50, "verified"],
    ]);
    const [audit] = await audits(c, "traffic.change_abandoned");
    expect(audit).toMatchObject({ actorId: team.DEPLOYMENT_LEAD.id });
    expect(audit!.after).toMatchObject({ routerPercent: 35, recordedBefore: 10, recordedPercent: 35 });
  }, 60_000);

  it("a change whose writer is alive is left alone at start", async () => {
    const c = await cutoverAt(5);
    const owner = await ownerInRouter(c, "hang", { shift: 15 });
    try {
      expect((await reconcileTraffic()).filter((r) => r.cutoverId === c)).toEqual([]);
      expect((await changes(c)).map((t) => t.state)).toEqual(["verified", "requested"]);
    } finally {
      await kill(owner, c);
    }
  }, 60_000);
});
