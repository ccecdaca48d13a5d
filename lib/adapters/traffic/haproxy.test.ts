// A real HAProxy (Debian package) in master-worker mode in front of two in-test HTTP servers:
// the split is measured on real requests, and HAProxy is reloaded to prove the state file keeps it.
import { freePort } from "@/lib/server/free-port";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addAllowListSource } from "@/lib/net/allow-list";
import { ensureSystemPackages } from "@/scripts/ensure-system-packages";
import { listenLocal, startTwoBackends, waitUntil, type TwoBackends } from "@/lib/testing/two-backends";
import { createRouter } from "./index";

const waitFor = <T>(what: string, fn: () => Promise<T | null | undefined | false>) => waitUntil(what, fn, () => `HAProxy log:\n${haproxyLog}`);
const send = (n: number) => backends.count(`http://127.0.0.1:${fePort}/`, n);

const meta = { cutoverId: "c1", requestId: "r1", reason: "test", fence: "1", rehearsal: true };

let dir: string;
let haproxy: ChildProcess;
let haproxyLog = "";
let fePort: number;
let tcpPort: number;
let disallow: () => void = () => undefined;
let backends: TwoBackends;

/** One runtime/master CLI command, the answer until HAProxy closes the connection. */
function cli(socket: string, line: string, timeoutMs = 2000): Promise<string> {
  return new Promise((resolve, reject) => {
    const c = net.connect(socket);
    let out = "";
    const t = setTimeout(() => (c.destroy(), reject(new Error(`no answer to ${line}`))), timeoutMs);
    c.on("connect", () => c.write(`${line}\n`));
    c.on("data", (d) => (out += d));
    c.on("end", () => (clearTimeout(t), resolve(out)));
    c.on("error", (e) => (clearTimeout(t), reject(e)));
  });
}

async function workerPid(): Promise<number | null> {
  try {
    return Number(/^Pid: (\d+)/m.exec(await cli(path.join(dir, "admin.sock"), "show info", 500))?.[1] ?? NaN) || null;
  } catch {
    return null;
  }
}

async function reload(): Promise<void> {
  const before = await workerPid();
  expect(before).toBeTruthy();
  // The master CLI's `reload` re-executes HAProxy: new worker from haproxy.cfg + the state file.
  await cli(path.join(dir, "master.sock"), "reload").catch(() => "");
  await waitFor("the new HAProxy worker", async () => {
    const pid = await workerPid();
    return pid !== null && pid !== before;
  });
}

beforeAll(async () => {
  ensureSystemPackages(["haproxy"]);
  dir = mkdtempSync(path.join(os.tmpdir(), "warroom-haproxy-"));
  backends = await startTwoBackends();
  fePort = await freePort();
  tcpPort = await freePort();
  // The TCP runtime API on 127.0.0.1 is allow-listed by the operator, as the lab would.
  disallow = addAllowListSource(() => ["127.0.0.1"]);
  writeFileSync(
    path.join(dir, "haproxy.cfg"),
    `global
  stats socket ${dir}/admin.sock mode 600 level admin
  stats socket 127.0.0.1:${tcpPort} level admin
  server-state-file ${dir}/server-state
  nbthread 2
defaults
  mode http
  timeout connect 2s
  timeout client 10s
  timeout server 10s
  load-server-state-from-file global
frontend fe
  bind 127.0.0.1:${fePort}
  default_backend be_app
backend be_app
  balance roundrobin
  server old 127.0.0.1:${backends.ports.old} weight 100
  server new 127.0.0.1:${backends.ports.new} weight 0
`,
  );
  haproxy = spawn("haproxy", ["-W", "-db", "-S", `${dir}/master.sock`, "-f", `${dir}/haproxy.cfg`], { stdio: ["ignore", "pipe", "pipe"] });
  haproxy.stdout!.on("data", (d) => (haproxyLog += d));
  haproxy.stderr!.on("data", (d) => (haproxyLog += d));
  await waitFor("HAProxy to start", workerPid);
});

afterAll(async () => {
  disallow();
  if (haproxy && haproxy.exitCode === null) {
    const exited = new Promise((r) => haproxy.once("exit", r));
    haproxy.kill("SIGTERM"); // the master stops its workers
    await exited;
  }
  await backends?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const config = () => ({
  kind: "haproxy" as const,
  socket: path.join(dir, "admin.sock"),
  backend: "be_app",
  oldServer: "old",
  newServer: "new",
  stateFile: path.join(dir, "server-state"),
});

describe("HaproxyRouter against a real HAProxy", () => {
  it("sets 25 %, real requests follow it, and it reads back 25", async () => {
    const router = createRouter(config());
    expect(await router.read()).toBe(0);
    await router.set(25, meta);
    expect(await router.read()).toBe(25);
    const v = await router.verify(25);
    expect(v).toMatchObject({ ok: true, actual: 25 });
    const got = await send(400);
    expect(got.old + got.new).toBe(400);
    expect(got.new).toBeGreaterThanOrEqual(80); // 25 % ± 5 of 400
    expect(got.new).toBeLessThanOrEqual(120);
    expect((await router.verify(50)).ok).toBe(false);
  });

  it("keeps the split across a reload through the server-state file", async () => {
    const router = createRouter(config());
    await router.set(25, meta);
    await reload();
    expect(await router.read()).toBe(25);
    expect((await router.verify(25)).ok).toBe(true);
    const got = await send(200);
    expect(got.new).toBeGreaterThanOrEqual(40);
    expect(got.new).toBeLessThanOrEqual(60);

    // Control: a weight changed behind the adapter's back (runtime API only, state file not
    // written) is what a reload loses: after it HAProxy is back at the saved 25 %.
    expect(await cli(path.join(dir, "admin.sock"), "set weight be_app/new 60; set weight be_app/old 40")).toMatch(/^\s*$/);
    expect(await router.read()).toBe(60);
    const drift = await router.verify(60);
    expect(drift.ok).toBe(false); // the state file still says 25: a reload would change the split
    expect(drift.detail).toMatch(/state file/);
    await reload();
    expect(await router.read()).toBe(25);
  });

  it("goes all the way to 100 % and back to 0 % without a moment where no server takes traffic", async () => {
    const router = createRouter(config());
    await router.set(100, meta);
    expect(await router.read()).toBe(100);
    expect((await send(40)).old).toBe(0);
    await router.set(0, meta);
    expect(await router.read()).toBe(0);
    expect((await send(40)).new).toBe(0);
  });

  it("says clearly when the runtime API is unreachable", async () => {
    const missing = createRouter({ ...config(), socket: path.join(dir, "nope.sock") });
    await expect(missing.read()).rejects.toThrow(/HAProxy runtime API at .*nope\.sock is unreachable: .*ENOENT/);
    const closed = createRouter({ ...config(), socket: { host: "127.0.0.1", port: await freePort() } });
    await expect(closed.set(10, meta)).rejects.toThrow(/HAProxy runtime API at 127\.0\.0\.1:\d+ is unreachable: .*ECONNREFUSED/);
  });

  it("says clearly when a runtime API never answers", async () => {
    const silent = net.createServer(() => undefined); // accepts, never answers
    const port = await listenLocal(silent);
    try {
      const router = createRouter({ ...config(), socket: { host: "127.0.0.1", port }, timeoutMs: 200 });
      const t0 = Date.now();
      await expect(router.read()).rejects.toThrow(/did not answer "get weight" within 200 ms/);
      expect(Date.now() - t0).toBeLessThan(1500);
    } finally {
      silent.close();
    }
  });

  it("says clearly when the backend or a server does not exist, and changes nothing", async () => {
    const router = createRouter(config());
    await router.set(25, meta);
    await expect(createRouter({ ...config(), backend: "be_nope" }).set(50, meta)).rejects.toThrow(/has no backend "be_nope"/);
    await expect(createRouter({ ...config(), newServer: "typo" }).set(50, meta)).rejects.toThrow(/has no server "typo"/);
    expect(await router.read()).toBe(25);
  });

  it("drives the runtime API over TCP when its address is allow-listed", async () => {
    const router = createRouter({ ...config(), socket: { host: "127.0.0.1", port: tcpPort } });
    await router.set(30, meta);
    expect(await createRouter(config()).read()).toBe(30);
  });

  it("without the allow-list, a TCP runtime API on a local address is refused and never contacted", async () => {
    let connections = 0;
    const listener = net.createServer((c) => {
      connections++;
      c.end("1 (initial 1)\n\n");
    });
    const port = await listenLocal(listener);
    disallow();
    try {
      const before = await createRouter(config()).read();
      await expect(createRouter({ ...config(), socket: { host: "127.0.0.1", port } }).read()).rejects.toThrow(`HAProxy runtime API at 127.0.0.1:${port}: refused: 127.0.0.1 is a loopback address (ask an administrator to allow-list the host)`);
      await expect(createRouter({ ...config(), socket: { host: "localhost", port: tcpPort } }).set(before === 70 ? 60 : 70, meta)).rejects.toThrow(/refused: .* is a loopback address/);
      expect(connections).toBe(0);
      expect(await createRouter(config()).read()).toBe(before);
    } finally {
      disallow = addAllowListSource(() => ["127.0.0.1"]);
      listener.close();
    }
  });

  it("never quotes a state file that is not HAProxy's, nor an answer that is not HAProxy's", async () => {
    const notState = path.join(dir, "not-a-state-file");
    writeFileSync(notState, "AUTH_SECRET=file-content-must-not-leak\n");
    const router = createRouter({ ...config(), stateFile: notState });
    const v = await router.verify(await router.read());
    expect(v.ok).toBe(false);
    expect(v.detail).toContain(`state file ${notState} is not a HAProxy server state`);
    expect(v.detail).not.toContain("file-content-must-not-leak");

    const http = net.createServer((c) => c.end("HTTP/1.1 400 Bad Request\r\n\r\nsecret-page-content"));
    const port = await listenLocal(http);
    try {
      const err = (await createRouter({ ...config(), socket: { host: "127.0.0.1", port } }).read().catch((e: unknown) => e)) as Error;
      expect(err.message).toContain("(an answer that is not HAProxy's runtime API)");
      expect(err.message).not.toContain("secret-page-content");
    } finally {
      http.close();
    }
  });

  it("refuses names that could smuggle runtime API commands", () => {
    expect(() => createRouter({ ...config(), backend: "be_app; shutdown frontend fe" })).toThrow();
  });
});
