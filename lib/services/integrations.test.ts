// The integrations catalog against a real PostgreSQL: only administrators manage it; whatever runs
// a program or names a server path is refused from the app and works only from the operator's
// file; secrets are encrypted and appear in no view or audit row; cutovers pick integrations by
// name, and a rollback runs through a file-defined command router and hook.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { toSafeError, type SafeError } from "@/lib/errors";
import { defineFileIntegrations } from "@/lib/testing/server-config";
import { currentAllowList } from "@/lib/net/allow-list";

const allowListEntries = async () => (await currentAllowList()).map((e) => e.raw);
import { resolveIntegration } from "@/lib/integrations/resolve";
import { dispatch, type CommandName } from "./commands";
import { getIntegrationsView } from "./integrations";
import { getTrafficView } from "./traffic/get-traffic-view";
import { getMetricsView } from "./metrics";
import type { Actor } from "./context";
import { createFixture, createTeam, useFreshDatabase, type Team } from "@/lib/testing/fixtures";

const SECRET = "s3cret-webhook-key-0123456789";
const TOKEN = "prom-bearer-token-abcdef";

let team: Team;
let admin: Actor;
let planner: Actor;
let dir: string;
let prometheus: Server;
let prometheusUrl: string;

/** Rows of the tables the catalog writes: equal means nothing was stored. */
async function catalogState() {
  return {
    integrations: await db().integration.findMany({ orderBy: { name: "asc" } }),
    hosts: await db().outboundAllowedHost.findMany({ orderBy: { host: "asc" } }),
    audit: await db().auditEvent.count(),
  };
}

/** "ok", or the error as an API caller would see it (status and message). */
async function outcome(actor: Actor, name: CommandName, input: unknown): Promise<SafeError | "ok"> {
  return dispatch(actor, name, input as never).then(
    () => "ok" as const,
    (err: unknown) => toSafeError(err, "test"),
  );
}
const text = (v: unknown) => JSON.stringify(v, (_k, x: unknown) => (typeof x === "bigint" ? x.toString() : x));

beforeAll(async () => {
  await useFreshDatabase();
  team = await createTeam();
  admin = await db().user.create({ data: { email: "admin@test.local", name: "Admin", passwordHash: "x", isAdmin: true }, select: { id: true, name: true, isAdmin: true, isPlanner: true } });
  planner = await db().user.create({ data: { email: "planner@test.local", name: "Planner", passwordHash: "x", isPlanner: true }, select: { id: true, name: true, isAdmin: true, isPlanner: true } });
  dir = mkdtempSync(path.join(os.tmpdir(), "wr-integrations-"));
  prometheus = createServer((req, res) => {
    res.setHeader("content-type", "application/json");
    if (req.headers.authorization !== `Bearer ${TOKEN}`) {
      res.statusCode = 401;
      return res.end(`{"status":"error","error":"unauthorized ${"x".repeat(500)}"}`);
    }
    res.end(JSON.stringify({ status: "success", data: { resultType: "vector", result: [{ metric: {}, value: [Date.now() / 1000, "7"] }] } }));
  });
  await new Promise<void>((r) => prometheus.listen(0, "127.0.0.1", r));
  const a = prometheus.address();
  prometheusUrl = `http://127.0.0.1:${typeof a === "object" && a ? a.port : 0}`;
  // The operator's file: a command router whose "load balancer" is a file, a command hook, and a name the app may not take.
  const state = path.join(dir, "split");
  defineFileIntegrations(
    { name: "ops-router", type: "router", kind: "command", config: { setCommand: ["sh", "-c", `echo "$WARROOM_TARGET_PERCENT" > ${state}`, "--token=argv-secret-1"], readCommand: ["sh", "-c", `cat ${state} 2>/dev/null || echo 0`] } },
    { name: "ops-hook", type: "hook", kind: "command", config: { argv: ["sh", "-c", `echo "$WARROOM_REASON" > ${path.join(dir, "hook-ran")}`] } },
    { name: "reserved", type: "prometheus", kind: "prometheus", config: { url: "http://127.0.0.1:1" } },
  );
});

afterAll(async () => {
  await new Promise<void>((r) => prometheus.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

const webhookRouter = (over: Record<string, unknown> = {}) => ({ name: "flags", type: "router", kind: "webhook", config: { url: "https://flags.example.com/hook", secret: SECRET, ...over } });

describe("who manages the catalog", () => {
  const inputs: [CommandName, unknown][] = [
    ["integration.save", webhookRouter()],
    ["integration.remove", { name: "flags" }],
    ["outbound.allow", { host: "10.0.0.0/8" }],
    ["outbound.disallow", { host: "10.0.0.0/8" }],
  ];
  for (const [name, input] of inputs) {
    it(`${name}: every cutover role and a planner get 403 and nothing is stored`, async () => {
      const before = await catalogState();
      for (const actor of [...Object.values(team), planner]) {
        expect(await outcome(actor, name, input)).toMatchObject({ status: 403 });
      }
      // Even an actor object claiming to be an administrator: the stored user decides.
      const r = await outcome({ ...team.DEPLOYMENT_LEAD, isAdmin: true }, name, input);
      expect(r).toMatchObject({ status: 403 });
      expect(await catalogState()).toEqual(before);
    });
  }

  it("the administration view is for administrators only", async () => {
    await expect(getIntegrationsView(team.DEPLOYMENT_LEAD)).rejects.toMatchObject({ status: 403 });
    await expect(getIntegrationsView(planner)).rejects.toMatchObject({ status: 403 });
  });
});

describe("what an administrator may define", () => {
  const refused: [string, unknown][] = [
    ["a command router", { name: "cmd", type: "router", kind: "command", config: { setCommand: ["touch", "/tmp/pwned"] } }],
    ["a command hook", { name: "cmd-hook", type: "hook", kind: "command", config: { argv: ["touch", "/tmp/pwned"] } }],
    ["an nginx router", { name: "ng", type: "router", kind: "nginx", config: { upstreamFile: "/etc/passwd", upstreamName: "app", oldServer: "127.0.0.1:1", newServer: "127.0.0.1:2" } }],
    ["HAProxy over a unix socket", { name: "hx", type: "router", kind: "haproxy", config: { socket: "/run/haproxy.sock", backend: "be", oldServer: "a", newServer: "b" } }],
    ["an HAProxy state file", { name: "hx", type: "router", kind: "haproxy", config: { socket: { host: "10.0.0.5", port: 9999 }, backend: "be", oldServer: "a", newServer: "b", stateFile: "/etc/shadow" } }],
  ];
  for (const [what, input] of refused) {
    it(`${what}: 400 "defined only in the server configuration file", nothing stored`, async () => {
      const before = await catalogState();
      const r = await outcome(admin, "integration.save", input);
      expect(r).toMatchObject({ status: 400, message: expect.stringMatching(/server configuration file/) });
      expect(await catalogState()).toEqual(before);
    });
  }

  it("credentials inside a URL are refused (they belong in the secret fields)", async () => {
    const before = await catalogState();
    expect(await outcome(admin, "integration.save", { name: "p1", type: "prometheus", kind: "prometheus", config: { url: "http://user:pw@prom.example.com" } })).toMatchObject({ status: 400 });
    expect(await outcome(admin, "integration.save", { name: "w1", type: "hook", kind: "webhook", config: { url: "https://hooks.example.com/x?token=abc" } })).toMatchObject({ status: 400 });
    expect(await catalogState()).toEqual(before);
  });

  it("a name the server configuration file uses cannot be taken, changed or removed from the app", async () => {
    const before = await catalogState();
    expect(await outcome(admin, "integration.save", { name: "reserved", type: "prometheus", kind: "prometheus", config: { url: "https://prom.example.com" } })).toMatchObject({ status: 409 });
    expect(await outcome(admin, "integration.remove", { name: "ops-router" })).toMatchObject({ status: 400 });
    expect(await catalogState()).toEqual(before);
  });

  it("HAProxy over TCP, webhook routers and hooks and Prometheus sources are accepted", async () => {
    expect(await outcome(admin, "integration.save", { name: "edge-haproxy", type: "router", kind: "haproxy", config: { socket: { host: "10.0.0.5", port: 9999 }, backend: "be_app", oldServer: "old", newServer: "new" } })).toBe("ok");
    expect(await outcome(admin, "integration.save", { name: "notify", type: "hook", kind: "webhook", config: { url: "https://hooks.example.com/rollback", secret: "hook-secret-123" } })).toBe("ok");
    expect((await resolveIntegration("edge-haproxy"))?.kind).toBe("haproxy");
  });
});

describe("secrets", () => {
  it("are encrypted in their own column and appear in no config, view or audit row", async () => {
    expect(await outcome(admin, "integration.save", webhookRouter())).toBe("ok");
    expect(await outcome(admin, "integration.save", { name: "prom", type: "prometheus", kind: "prometheus", config: { url: prometheusUrl, auth: { kind: "bearer", token: TOKEN } } })).toBe("ok");
    const rows = await db().integration.findMany({ where: { name: { in: ["flags", "prom"] } } });
    for (const row of rows) {
      expect(row.secret).toBeTruthy();
      expect(row.secret).not.toContain(SECRET);
      expect(row.secret).not.toContain(TOKEN);
      expect(JSON.stringify(row.config)).not.toMatch(new RegExp(`${SECRET}|${TOKEN}|secret|auth`));
    }
    const audit = text(await db().auditEvent.findMany({ where: { subject: { startsWith: "integration:" } } }));
    expect(audit).not.toContain(SECRET);
    expect(audit).not.toContain(TOKEN);
    expect(audit).toContain('"hasSecret":true');
    const view = await getIntegrationsView(admin);
    expect(JSON.stringify(view)).not.toContain(SECRET);
    expect(JSON.stringify(view)).not.toContain(TOKEN);
    expect(JSON.stringify(view)).not.toContain("argv-secret-1");
    expect(view.integrations.find((i) => i.name === "flags")).toMatchObject({ source: "db", hasSecret: true });
    expect(view.integrations.find((i) => i.name === "ops-router")).toMatchObject({ source: "file", config: null });
    expect(view.changes).toEqual(expect.arrayContaining([expect.objectContaining({ action: "integration.created", subject: "integration:flags", actor: "Admin" })]));
    // The adapters get the secret back.
    const resolved = await resolveIntegration("flags");
    expect(resolved?.type === "router" && resolved.config.kind === "webhook" && resolved.config.secret).toBe(SECRET);
  });

  it("are kept when the address stays, and must be entered again when it changes", async () => {
    expect(await outcome(admin, "integration.save", webhookRouter({ secret: undefined, timeoutMs: 3000 }))).toBe("ok");
    const kept = await resolveIntegration("flags");
    expect(kept?.type === "router" && kept.config.kind === "webhook" && kept.config.secret).toBe(SECRET);

    const before = await catalogState();
    const moved = await outcome(admin, "integration.save", webhookRouter({ url: "https://evil.example.net/hook", secret: undefined }));
    expect(moved).toMatchObject({ status: 400, message: expect.stringMatching(/enter the secret again/) });
    const movedRead = await outcome(admin, "integration.save", webhookRouter({ readUrl: "https://evil.example.net/read", secret: undefined }));
    expect(movedRead).toMatchObject({ status: 400 });
    const prom = await outcome(admin, "integration.save", { name: "prom", type: "prometheus", kind: "prometheus", config: { url: "http://203.0.113.9:9090" } });
    expect(prom).toMatchObject({ status: 400, message: expect.stringMatching(/auth again/) });
    expect(await catalogState()).toEqual(before);

    expect(await outcome(admin, "integration.save", webhookRouter({ url: "https://flags2.example.com/hook", secret: "another-secret-0123456789" }))).toBe("ok");
    const now = await resolveIntegration("flags");
    expect(now?.type === "router" && now.config.kind === "webhook" && now.config.secret).toBe("another-secret-0123456789");
  });

  it("are removed with null; a Prometheus source without auth stores no secret", async () => {
    expect(await outcome(admin, "integration.save", { name: "notify", type: "hook", kind: "webhook", config: { url: "https://hooks.example.com/rollback", secret: null } })).toBe("ok");
    expect((await db().integration.findUniqueOrThrow({ where: { name: "notify" } })).secret).toBeNull();
  });
});

describe("cutovers pick integrations by name", () => {
  it("unknown names and names of the wrong type are 400 and change nothing", async () => {
    const f = await createFixture(team);
    const before = await db().cutover.findUniqueOrThrow({ where: { id: f.cutoverId } });
    expect(await outcome(team.DEPLOYMENT_LEAD, "router.set", { cutoverId: f.cutoverId, integration: "nope" })).toMatchObject({ status: 400 });
    expect(await outcome(team.DEPLOYMENT_LEAD, "router.set", { cutoverId: f.cutoverId, integration: "prom" })).toMatchObject({ status: 400 });
    expect(await outcome(team.DEPLOYMENT_LEAD, "hook.add", { cutoverId: f.cutoverId, name: "x", integration: "flags" })).toMatchObject({ status: 400 });
    expect(await outcome(team.DEPLOYMENT_LEAD, "metrics.settings", { cutoverId: f.cutoverId, prometheusSource: "flags" })).toMatchObject({ status: 400 });
    // The old shape (settings typed into the room) is refused outright.
    expect(await outcome(team.DEPLOYMENT_LEAD, "router.set", { cutoverId: f.cutoverId, config: { kind: "command", setCommand: ["touch", "pwned"] } })).toMatchObject({ status: 400 });
    expect(await db().cutover.findUniqueOrThrow({ where: { id: f.cutoverId } })).toEqual(before);
    expect(await db().rollbackHook.count({ where: { cutoverId: f.cutoverId } })).toBe(0);
  });

  it("a file-defined command router and hook: shift and rollback run through them; the room sees names and kinds only", async () => {
    const f = await createFixture(team, { state: "in_progress" });
    expect(await outcome(team.DEPLOYMENT_LEAD, "router.set", { cutoverId: f.cutoverId, integration: "ops-router" })).toBe("ok");
    expect(await outcome(team.DEPLOYMENT_LEAD, "hook.add", { cutoverId: f.cutoverId, name: "Read-only mode", integration: "ops-hook" })).toBe("ok");
    expect(await dispatch(team.DEPLOYMENT_LEAD, "router.test", { cutoverId: f.cutoverId })).toEqual({ percent: 0 });
    await dispatch(team.DEPLOYMENT_LEAD, "traffic.shift", { cutoverId: f.cutoverId, toPercent: 30, override: true, note: "canary" });
    expect(readFileSync(path.join(dir, "split"), "utf8").trim()).toBe("30");
    const r = await dispatch(team.ON_CALL, "rollback.execute", { cutoverId: f.cutoverId, reason: "errors up" });
    expect(r).toMatchObject({ joined: false, from: 30 });
    expect(readFileSync(path.join(dir, "split"), "utf8").trim()).toBe("0");
    await expect.poll(async () => (await db().rollback.findUniqueOrThrow({ where: { id: r.rollbackId } })).state).toBe("completed");
    expect(existsSync(path.join(dir, "hook-ran"))).toBe(true);
    expect(readFileSync(path.join(dir, "hook-ran"), "utf8").trim()).toBe("errors up");

    for (const role of ["OBSERVER", "DEPLOYMENT_LEAD"] as const) {
      const view = await getTrafficView(team[role], { cutoverId: f.cutoverId });
      expect(view.router).toEqual({ name: "ops-router", kind: "command" });
      expect(view.hooks).toMatchObject([{ name: "Read-only mode", integration: "ops-hook", kind: "command" }]);
      const shown = JSON.stringify(view);
      for (const leak of ["argv-secret-1", "sh -c", dir, "WARROOM_TARGET_PERCENT"]) expect(shown).not.toContain(leak);
      expect(view.choices === null).toBe(role === "OBSERVER");
    }
    const audit = text(await db().auditEvent.findMany({ where: { cutoverId: f.cutoverId } }));
    expect(audit).not.toContain("argv-secret-1");
    expect(audit).not.toContain(dir);
  });

  it("a Prometheus source from the catalog: metric.test answers the value only; the view names the source", async () => {
    const f = await createFixture(team);
    expect(await outcome(team.DEPLOYMENT_LEAD, "metrics.settings", { cutoverId: f.cutoverId, prometheusSource: "prom", pollIntervalMs: 2000 })).toBe("ok");
    // The stand-in Prometheus answers only with the bearer token the catalog holds.
    expect(await dispatch(team.DEPLOYMENT_LEAD, "metric.test", { cutoverId: f.cutoverId, query: "up" })).toMatchObject({ status: "ok", value: 7 });
    const view = await getMetricsView(team.OBSERVER, { cutoverId: f.cutoverId, rangeSec: 300 });
    expect(view.settings).toMatchObject({ prometheusSource: "prom", choices: null });
    expect(JSON.stringify(view)).not.toContain(TOKEN);
    expect(JSON.stringify(view)).not.toContain(prometheusUrl);
  });

  it("an integration in use cannot be removed; once unused it can", async () => {
    const f = await createFixture(team);
    await dispatch(team.DEPLOYMENT_LEAD, "router.set", { cutoverId: f.cutoverId, integration: "edge-haproxy" });
    expect(await outcome(admin, "integration.remove", { name: "edge-haproxy" })).toMatchObject({ status: 409 });
    await dispatch(team.DEPLOYMENT_LEAD, "router.set", { cutoverId: f.cutoverId, integration: null });
    expect(await outcome(admin, "integration.remove", { name: "edge-haproxy" })).toBe("ok");
    expect(await resolveIntegration("edge-haproxy")).toBeNull();
    expect(await db().auditEvent.count({ where: { action: "integration.removed", cutoverId: null, actorId: admin.id } })).toBe(1);
  });
});

describe("the outbound allow-list", () => {
  it("holds hosts, addresses and ranges an administrator adds, and the file's; refuses anything else", async () => {
    expect(await allowListEntries()).toEqual(expect.arrayContaining(["127.0.0.1"]));
    for (const host of ["http://x", "a b", "10.0.0.0/99", "-bad.example.com"]) expect(await outcome(admin, "outbound.allow", { host })).toMatchObject({ status: 400 });
    expect(await outcome(admin, "outbound.allow", { host: "Prometheus.Internal", note: "in-cluster" })).toBe("ok");
    expect(await outcome(admin, "outbound.allow", { host: "10.0.0.0/8" })).toBe("ok");
    expect(await allowListEntries()).toEqual(expect.arrayContaining(["prometheus.internal", "10.0.0.0/8", "127.0.0.1"]));
    expect(await outcome(admin, "outbound.disallow", { host: "10.0.0.0/8" })).toBe("ok");
    expect(await allowListEntries()).not.toContain("10.0.0.0/8");
    expect(await outcome(admin, "outbound.disallow", { host: "10.0.0.0/8" })).toMatchObject({ status: 404 });
    expect(await db().auditEvent.count({ where: { action: { in: ["outbound.allowed", "outbound.disallowed"] }, cutoverId: null } })).toBe(3);
  });
});
