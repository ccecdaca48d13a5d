// The lever against a real HAProxy (Debian package): rollback moves the split, is recorded only
// once verified, runs exactly once when pressed twice at once, fails without recording when the
// router is gone, and the fence keeps a writer that lost its lock from recording a stale change.
// And against a real nginx: a reload is recorded only once nginx itself answers with the new
// split; a file nginx refuses is never recorded and nginx keeps serving the old split.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db/client";
import { withTrafficLock } from "@/lib/db/cutover-lock";
import { ensureSystemPackages } from "@/scripts/ensure-system-packages";
import { BACKEND, startHaproxy, type HaproxyHandle } from "@/scripts/lab/haproxy";
import { freePort } from "@/lib/server/free-port";
import { renderUpstream } from "@/lib/adapters/traffic/nginx";
import { NginxRouterConfigSchema } from "@/lib/adapters/traffic/config";
import { defineFileIntegrations } from "@/lib/testing/server-config";
import { createFixture, createTeam, digest, useFreshDatabase, type Team } from "@/lib/testing/fixtures";
import { dispatch } from "../commands";
import { verifiedSplit } from "./change-split";
import { BUS_CHANNEL } from "@/lib/realtime/bus";

let team: Team;
let dir: string;
let haproxy: HaproxyHandle;
const servers: http.Server[] = [];

beforeAll(async () => {
  ensureSystemPackages(["haproxy"]);
  await useFreshDatabase();
  team = await createTeam();
  dir = mkdtempSync(path.join(os.tmpdir(), "wr-lever-"));
  // Two live servers behind it: the adapter verifies that the servers taking traffic are up.
  for (const name of ["old", "new"]) {
    const server = http.createServer((_req, res) => res.end(name));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    servers.push(server);
  }
  const url = (s: http.Server) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
  haproxy = await startHaproxy({ dataDir: dir, oldUrl: url(servers[0]!), newUrl: url(servers[1]!), newPercent: 0 });
}, 60_000);

afterAll(async () => {
  await haproxy?.stop();
  for (const server of servers) server.close();
  rmSync(dir, { recursive: true, force: true });
});

const weights = async () => {
  const answer = await haproxy.command(`get weight ${BACKEND}/old; get weight ${BACKEND}/new`);
  const [o, n] = answer.trim().split(/\n\s*\n/).map((t) => Number(/^(\d+)/.exec(t.trim())?.[1]));
  return { old: o, new: n };
};

let routers = 0;
/** A cutover moving a router the operator's file defines (a unix socket: only the file may name one). */
async function cutoverWithRouter(kind: string, config: object, state: "draft" | "in_progress" = "in_progress") {
  const name = `router-${++routers}`;
  defineFileIntegrations({ name, type: "router", kind, config: config as Record<string, unknown> });
  const f = await createFixture(team, { state });
  await db().cutover.update({ where: { id: f.cutoverId }, data: { routerIntegration: name } });
  return f;
}

async function leverCutover(socket = haproxy.socketPath, state: "draft" | "in_progress" = "in_progress") {
  return cutoverWithRouter("haproxy", { socket, backend: BACKEND, oldServer: "old", newServer: "new", stateFile: haproxy.stateFilePath, timeoutMs: 2000 }, state);
}

const changes = (cutoverId: string) => db().trafficChange.findMany({ where: { cutoverId }, orderBy: { requestedAt: "asc" } });
const percentOf = async (cutoverId: string) => (await db().cutover.findUniqueOrThrow({ where: { id: cutoverId } })).trafficPercent;

describe("rollback", () => {
  it("sends 100 % to old, verified on HAProxy, then records the change, its duration and the audit event", async () => {
    const f = await leverCutover();
    await dispatch(team.DEPLOYMENT_LEAD, "traffic.shift", { cutoverId: f.cutoverId, toPercent: 25, override: true, note: "canary" });
    expect(await weights()).toEqual({ old: 75, new: 25 });
    expect(await percentOf(f.cutoverId)).toBe(25);

    const r = await dispatch(team.ON_CALL, "rollback.execute", { cutoverId: f.cutoverId, reason: "p95 doubled" });
    expect(r).toMatchObject({ joined: false, from: 25 });
    expect(await weights()).toEqual({ old: 100, new: 0 });
    expect(await percentOf(f.cutoverId)).toBe(0);
    const rows = await changes(f.cutoverId);
    expect(rows.map((c) => [c.fromPercent, c.toPercent, c.state])).toEqual([
      [0, 25, "verified"],
      [25, 0, "verified"],
    ]);
    expect(rows[1]!.fence).toBeGreaterThan(rows[0]!.fence);
    const rb = await db().rollback.findUniqueOrThrow({ where: { id: r.rollbackId } });
    expect(rb.durationMs).toBe(rows[1]!.durationMs);
    expect(rb.userId).toBe(team.ON_CALL.id);
    const audit = await db().auditEvent.findFirstOrThrow({ where: { cutoverId: f.cutoverId, action: "rollback.split_verified" } });
    expect(audit).toMatchObject({ actorId: team.ON_CALL.id, role: "ON_CALL" });
    expect(audit.after).toMatchObject({ percent: 0, reason: "rollback: p95 doubled" });
    // The hooks (none here) finish the rollback after the answer.
    await expect.poll(async () => (await db().rollback.findUniqueOrThrow({ where: { id: r.rollbackId } })).state).toBe("completed");
  });

  it("every row of a shift and a rollback records its person's role, and every announcement names them", async () => {
    const f = await leverCutover();
    const listener = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await listener.connect();
    const heard: { type: string; actor?: string; role?: string }[] = [];
    listener.on("notification", (n) => {
      const e = JSON.parse(n.payload ?? "{}") as { type: string; cutoverId?: string; actor?: string; role?: string };
      if (e.cutoverId === f.cutoverId) heard.push(e);
    });
    await listener.query(`LISTEN ${BUS_CHANNEL}`);
    try {
      await dispatch(team.DEPLOYMENT_LEAD, "traffic.shift", { cutoverId: f.cutoverId, toPercent: 25, override: true, note: "canary" });
      const r = await dispatch(team.ON_CALL, "rollback.execute", { cutoverId: f.cutoverId, reason: "p95 doubled" });
      await expect.poll(async () => (await db().rollback.findUniqueOrThrow({ where: { id: r.rollbackId } })).state).toBe("completed");
      await expect.poll(() => heard.some((e) => e.type === "rollback.completed")).toBe(true);

      const rows = await db().auditEvent.findMany({ where: { cutoverId: f.cutoverId, OR: [{ action: { startsWith: "traffic." } }, { action: { startsWith: "rollback." } }] }, orderBy: { id: "asc" } });
      expect(rows.map((a) => [a.action, a.actorName, a.role])).toEqual([
        ["traffic.shifted", team.DEPLOYMENT_LEAD.name, "DEPLOYMENT_LEAD"],
        ["rollback.split_verified", team.ON_CALL.name, "ON_CALL"],
        ["rollback.completed", team.ON_CALL.name, "ON_CALL"],
      ]);
      const said = (type: string) => heard.find((e) => e.type === type);
      expect(said("traffic.shifted")).toMatchObject({ actor: team.DEPLOYMENT_LEAD.name, role: "DEPLOYMENT_LEAD" });
      for (const type of ["rollback.started", "rollback.completed"]) expect(said(type), type).toMatchObject({ actor: team.ON_CALL.name, role: "ON_CALL" });
    } finally {
      await listener.end();
    }
  });

  it("two presses at the same moment run one rollback: the other joins it", async () => {
    const f = await leverCutover();
    await dispatch(team.DEPLOYMENT_LEAD, "traffic.shift", { cutoverId: f.cutoverId, toPercent: 50, override: true, note: "half" });
    const [a, b] = await Promise.all([dispatch(team.ON_CALL, "rollback.execute", { cutoverId: f.cutoverId, reason: "a" }), dispatch(team.DEPLOYMENT_LEAD, "rollback.execute", { cutoverId: f.cutoverId, reason: "b" })]);
    expect(a.rollbackId).toBe(b.rollbackId);
    expect([a.joined, b.joined].sort()).toEqual([false, true]);
    expect(await db().rollback.count({ where: { cutoverId: f.cutoverId } })).toBe(1);
    expect((await changes(f.cutoverId)).filter((c) => c.toPercent === 0)).toHaveLength(1);
    expect(await weights()).toEqual({ old: 100, new: 0 });
  });

  /** As if everything so far happened a minute ago: far beyond two people pressing at once. */
  const aMinuteAgo = async (cutoverId: string) => {
    await db().$executeRaw`UPDATE rollbacks SET started_at = started_at - interval '1 minute' WHERE cutover_id = ${cutoverId}::uuid`;
    await db().$executeRaw`UPDATE traffic_changes SET requested_at = requested_at - interval '1 minute' WHERE cutover_id = ${cutoverId}::uuid`;
  };

  it("one rollback per episode: a press long after it finished joins it, until traffic moves towards new again", async () => {
    // Not started (a rehearsal of the canary before T-0): a rollback does not end it, traffic may move again.
    const f = await leverCutover(haproxy.socketPath, "draft");
    await dispatch(team.DEPLOYMENT_LEAD, "traffic.shift", { cutoverId: f.cutoverId, toPercent: 50, override: true, note: "half" });
    const first = await dispatch(team.ON_CALL, "rollback.execute", { cutoverId: f.cutoverId, reason: "a" });
    expect(first.joined).toBe(false);
    await expect.poll(async () => (await db().rollback.findUniqueOrThrow({ where: { id: first.rollbackId } })).state).toBe("completed");
    await aMinuteAgo(f.cutoverId);
    // Nothing shifted since: the same episode, so the press joins the finished rollback.
    // It is told how that one ended, since nothing more will be announced about it.
    expect(await dispatch(team.DEPLOYMENT_LEAD, "rollback.execute", { cutoverId: f.cutoverId, reason: "b" })).toEqual({ rollbackId: first.rollbackId, joined: true, finished: { ok: true, durationMs: first.joined ? -1 : first.durationMs } });
    expect(await db().rollback.count({ where: { cutoverId: f.cutoverId } })).toBe(1);
    // A shift towards new that failed does not start a new episode either.
    await db().trafficChange.create({ data: { cutoverId: f.cutoverId, fromPercent: 0, toPercent: 10, state: "failed", fence: 0n, error: "router down" } });
    expect(await dispatch(team.DEPLOYMENT_LEAD, "rollback.execute", { cutoverId: f.cutoverId, reason: "c" })).toMatchObject({ rollbackId: first.rollbackId, joined: true });
    // Traffic on new again: a new episode, and a press rolls back again.
    await dispatch(team.DEPLOYMENT_LEAD, "traffic.shift", { cutoverId: f.cutoverId, toPercent: 10, override: true, note: "again" });
    expect(await weights()).toEqual({ old: 90, new: 10 });
    const second = await dispatch(team.ON_CALL, "rollback.execute", { cutoverId: f.cutoverId, reason: "d" });
    expect(second.joined).toBe(false);
    expect(second.rollbackId).not.toBe(first.rollbackId);
    expect(await db().rollback.count({ where: { cutoverId: f.cutoverId } })).toBe(2);
    expect(await weights()).toEqual({ old: 100, new: 0 });
  });

  it("a rollback whose hooks failed is joined by presses at the same moment, and run again by a later one", async () => {
    const f = await leverCutover();
    await dispatch(team.DEPLOYMENT_LEAD, "traffic.shift", { cutoverId: f.cutoverId, toPercent: 30, override: true, note: "canary" });
    const first = await dispatch(team.ON_CALL, "rollback.execute", { cutoverId: f.cutoverId, reason: "a" });
    await expect.poll(async () => (await db().rollback.findUniqueOrThrow({ where: { id: first.rollbackId } })).state).toBe("completed");
    await db().rollback.update({ where: { id: first.rollbackId }, data: { state: "completed_with_errors" } });
    expect(await dispatch(team.DEPLOYMENT_LEAD, "rollback.execute", { cutoverId: f.cutoverId, reason: "at once" })).toMatchObject({ rollbackId: first.rollbackId, joined: true, finished: { ok: false } });
    await aMinuteAgo(f.cutoverId);
    const retry = await dispatch(team.DEPLOYMENT_LEAD, "rollback.execute", { cutoverId: f.cutoverId, reason: "retry the hooks" });
    expect(retry.joined).toBe(false);
    expect(retry.rollbackId).not.toBe(first.rollbackId);
    expect(await weights()).toEqual({ old: 100, new: 0 });
  });

  it("an Observer is refused and nothing changes", async () => {
    const f = await leverCutover();
    const before = await digest();
    await expect(dispatch(team.OBSERVER, "rollback.execute", { cutoverId: f.cutoverId, reason: null })).rejects.toMatchObject({ code: "forbidden" });
    expect(await digest()).toEqual(before);
    expect(await db().rollback.count({ where: { cutoverId: f.cutoverId } })).toBe(0);
  });

  it("a router that is gone: the rollback fails loudly, the recorded split stays the true one", async () => {
    const f = await leverCutover(path.join(dir, "no-such.sock"));
    await db().cutover.update({ where: { id: f.cutoverId }, data: { trafficPercent: 40 } });
    await expect(dispatch(team.DEPLOYMENT_LEAD, "rollback.execute", { cutoverId: f.cutoverId, reason: "x" })).rejects.toMatchObject({ code: "router_failed" });
    expect(await percentOf(f.cutoverId)).toBe(40);
    expect((await changes(f.cutoverId)).map((c) => c.state)).toEqual(["failed"]);
    const rb = await db().rollback.findFirstOrThrow({ where: { cutoverId: f.cutoverId } });
    expect(rb.state).toBe("failed");
    expect(await db().auditEvent.count({ where: { cutoverId: f.cutoverId, action: "rollback.failed" } })).toBe(1);
    expect(await db().auditEvent.count({ where: { cutoverId: f.cutoverId, action: "rollback.split_verified" } })).toBe(0);
  }, 30_000);
});

describe("the traffic lock and its fence", () => {
  const request = { toPercent: 30, userId: null, override: false, note: null, triggerId: null };
  const record = (changeId: string) => ({
    changeId,
    durationMs: 5,
    audit: { actorId: null, actorName: "test", role: null, action: "traffic.shifted", subject: `traffic:${changeId}`, before: null, after: null, rehearsal: false },
    event: { type: "traffic.shifted" as const, cutoverId: "00000000-0000-4000-8000-000000000000", data: { from: 0, to: 30, durationMs: 5 } },
  });

  it("a writer whose fence was overtaken records nothing", async () => {
    const f = await leverCutover();
    const committed = await withTrafficLock(f.cutoverId, 1000, request, async (change) => {
      // Its own request is not counted among the changes a dead writer left.
      expect(change.abandoned).toBe(0);
      // Another writer took over (e.g. this process's lock connection died) and bumped the fence.
      await db().cutover.update({ where: { id: f.cutoverId }, data: { fence: { increment: 1 }, trafficPercent: 60 } });
      return change.commit(30, verifiedSplit(f.cutoverId, record(change.changeId)));
    });
    expect(committed).toBe(false);
    expect(await percentOf(f.cutoverId)).toBe(60);
    expect((await changes(f.cutoverId)).map((c) => c.state)).toEqual(["requested"]);
  });

  it("one writer at a time: a second one waits for the lock, then runs under a newer fence", async () => {
    const f = await leverCutover();
    const order: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const first = withTrafficLock(f.cutoverId, 5000, request, async (change) => {
      order.push(`first:${change.fence}`);
      await held;
      order.push("first done");
      return change.fence;
    });
    await new Promise((r) => setTimeout(r, 100));
    const second = withTrafficLock(f.cutoverId, 5000, request, async (change) => {
      order.push(`second:${change.fence}`);
      return change.fence;
    });
    await new Promise((r) => setTimeout(r, 200));
    release();
    const [a, b] = await Promise.all([first, second]);
    expect(b).toBe(a + 1n);
    expect(order).toEqual([`first:${a}`, "first done", `second:${b}`]);
  });

  it("a writer that cannot get the lock in time is a 409 and records nothing", async () => {
    const f = await leverCutover();
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const first = withTrafficLock(f.cutoverId, 5000, request, async () => held);
    await new Promise((r) => setTimeout(r, 100));
    await expect(withTrafficLock(f.cutoverId, 200, request, async () => "ran")).rejects.toMatchObject({ code: "conflict" });
    release();
    await first;
    expect(await changes(f.cutoverId)).toHaveLength(1);
    // The lock was given back: the next writer gets it at once.
    expect(await withTrafficLock(f.cutoverId, 500, request, async () => "ran")).toBe("ran");
  });

  it("taking the lock many times adds no listener to the lock pool", async () => {
    const f = await leverCutover();
    await withTrafficLock(f.cutoverId, 1000, request, async () => null);
    const on = vi.spyOn(pg.Pool.prototype, "on");
    try {
      for (let i = 0; i < 12; i++) await withTrafficLock(f.cutoverId, 1000, request, async () => null);
      expect(on.mock.calls.filter(([event]) => event === "error")).toEqual([]);
    } finally {
      on.mockRestore();
    }
  });
});

describe("the lever on a real nginx", () => {
  let ndir: string;
  let nginx: ChildProcess;
  let port: number;
  let statusPort: number;
  const nginxConfig = () =>
    NginxRouterConfigSchema.parse({
      kind: "nginx",
      upstreamFile: path.join(ndir, "upstream.conf"),
      upstreamName: "app",
      oldServer: `127.0.0.1:${(servers[0]!.address() as AddressInfo).port}`,
      newServer: `127.0.0.1:${(servers[1]!.address() as AddressInfo).port}`,
      configFile: path.join(ndir, "nginx.conf"),
      pidFile: path.join(ndir, "nginx.pid"),
      statusListen: `127.0.0.1:${statusPort}`,
    });

  /** n requests on fresh connections: how many reached new. */
  async function newShare(n: number): Promise<number> {
    let hitsNew = 0;
    for (let i = 0; i < n; i++) if ((await (await fetch(`http://127.0.0.1:${port}/`, { headers: { connection: "close" } })).text()) === "new") hitsNew++;
    return hitsNew;
  }
  const status = async () => (await fetch(`http://127.0.0.1:${statusPort}/warroom-split`)).text();

  beforeAll(async () => {
    ensureSystemPackages(["nginx"]);
    ndir = mkdtempSync(path.join(os.tmpdir(), "wr-lever-nginx-"));
    mkdirSync(path.join(ndir, "tmp"));
    port = await freePort();
    statusPort = await freePort();
    const t = path.join(ndir, "tmp");
    writeFileSync(
      path.join(ndir, "nginx.conf"),
      `daemon off;\nmaster_process on;\nworker_processes 2;\nuser ${os.userInfo().username};\npid ${ndir}/nginx.pid;\nerror_log ${ndir}/error.log notice;\nevents { worker_connections 256; }\nhttp {\n  access_log off;\n  client_body_temp_path ${t}/body; proxy_temp_path ${t}/proxy; fastcgi_temp_path ${t}/fastcgi; uwsgi_temp_path ${t}/uwsgi; scgi_temp_path ${t}/scgi;\n  include ${ndir}/upstream.conf;\n  upstream taken { server 127.0.0.1:1; }\n  server { listen 127.0.0.1:${port}; location / { proxy_pass http://app; } }\n}\n`,
    );
    writeFileSync(nginxConfig().upstreamFile, renderUpstream(nginxConfig(), 0));
    nginx = spawn("nginx", ["-c", path.join(ndir, "nginx.conf"), "-e", path.join(ndir, "error.log")], { stdio: "ignore" });
    for (let i = 0; !/percent 0/.test(await status().catch(() => "")); i++) {
      if (i > 200) throw new Error("nginx did not start");
      await new Promise((r) => setTimeout(r, 50));
    }
  }, 30_000);

  afterAll(async () => {
    if (nginx && nginx.exitCode === null) {
      const exited = new Promise((r) => nginx.once("exit", r));
      nginx.kill("SIGTERM");
      await exited;
    }
    if (ndir) rmSync(ndir, { recursive: true, force: true });
  });

  async function nginxCutover(config: object) {
    return cutoverWithRouter("nginx", config);
  }

  it("shift and rollback: each recorded once nginx answers with the new split", async () => {
    const f = await nginxCutover(nginxConfig());
    await dispatch(team.DEPLOYMENT_LEAD, "traffic.shift", { cutoverId: f.cutoverId, toPercent: 50, override: true, note: "half" });
    expect(await status()).toMatch(/percent 50\n$/);
    expect(await percentOf(f.cutoverId)).toBe(50);
    const r = await dispatch(team.ON_CALL, "rollback.execute", { cutoverId: f.cutoverId, reason: "errors" });
    expect(r).toMatchObject({ joined: false, from: 50 });
    expect(await status()).toMatch(/percent 0\n$/);
    expect(await newShare(40)).toBe(0);
    expect(await percentOf(f.cutoverId)).toBe(0);
    expect((await changes(f.cutoverId)).map((c) => [c.fromPercent, c.toPercent, c.state])).toEqual([
      [0, 50, "verified"],
      [50, 0, "verified"],
    ]);
  }, 30_000);

  it("an upstream file nginx refuses: the change fails, nothing is recorded as done, nginx keeps serving the old split", async () => {
    const good = await nginxCutover(nginxConfig());
    await dispatch(team.DEPLOYMENT_LEAD, "traffic.shift", { cutoverId: good.cutoverId, toPercent: 25, override: true, note: "canary" });
    const fileBefore = readFileSync(nginxConfig().upstreamFile, "utf8");
    const statusBefore = await status();
    // Same file, an upstream name nginx.conf already has: nginx rejects the reload ("duplicate upstream").
    const f = await nginxCutover({ ...nginxConfig(), upstreamName: "taken" });
    await expect(dispatch(team.DEPLOYMENT_LEAD, "traffic.shift", { cutoverId: f.cutoverId, toPercent: 100, override: true, note: "all in" })).rejects.toMatchObject({ code: "router_failed", message: expect.stringMatching(/duplicate upstream "taken"/) });
    expect(await percentOf(f.cutoverId)).toBe(0);
    expect((await changes(f.cutoverId)).map((c) => c.state)).toEqual(["failed"]);
    expect(await db().auditEvent.count({ where: { cutoverId: f.cutoverId, action: "traffic.change_failed" } })).toBe(1);
    expect(readFileSync(nginxConfig().upstreamFile, "utf8")).toBe(fileBefore);
    expect(nginx.exitCode).toBeNull();
    // After the reload that puts the previous file back, nginx serves the generation it had.
    await expect.poll(status, { timeout: 10_000 }).toBe(statusBefore);
    const hitsNew = await newShare(80);
    expect(hitsNew).toBeGreaterThan(0);
    expect(hitsNew).toBeLessThan(40);
  }, 30_000);
});
