// A real nginx (Debian package, own config/pid/logs in a temp dir, `daemon off` so it is our
// child) in front of two in-test HTTP servers: the split is measured on real requests after
// verify(), and a change nginx refuses must leave the previous file in place.
import { freePort } from "@/lib/server/free-port";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureSystemPackages } from "@/scripts/ensure-system-packages";
import { startTwoBackends, waitUntil, type TwoBackends } from "@/lib/testing/two-backends";
import { createRouter } from "./index";
import { NginxRouter, nginxMessage, renderUpstream } from "./nginx";
import { NginxRouterConfigSchema } from "./config";

const waitFor = <T>(what: string, fn: () => Promise<T | null | undefined | false>) => waitUntil(what, fn, () => `nginx output:\n${nginxLog}`);
/** n requests on fresh connections (20 at a time); counts which backend answered. */
const send = (n: number) => backends.count(`http://127.0.0.1:${port}/`, n, { headers: { connection: "close" } });

const meta = { cutoverId: "c1", requestId: "r1", reason: "test", fence: "1", rehearsal: true };

let dir: string;
let nginx: ChildProcess;
let nginxLog = "";
let port: number;
let statusPort: number;
let backends: TwoBackends;

const config = () =>
  NginxRouterConfigSchema.parse({
    kind: "nginx",
    upstreamFile: path.join(dir, "upstream.conf"),
    upstreamName: "app",
    oldServer: `127.0.0.1:${backends.ports.old}`,
    newServer: `127.0.0.1:${backends.ports.new}`,
    configFile: path.join(dir, "nginx.conf"),
    pidFile: path.join(dir, "nginx.pid"),
    statusListen: `127.0.0.1:${statusPort}`,
  });

beforeAll(async () => {
  ensureSystemPackages(["nginx"]);
  dir = mkdtempSync(path.join(os.tmpdir(), "warroom-nginx-"));
  mkdirSync(path.join(dir, "tmp"));
  // /slow: a long request, to hold an old worker open across a reload.
  backends = await startTwoBackends({ "/slow": 800 });
  port = await freePort();
  statusPort = await freePort();
  const t = path.join(dir, "tmp");
  writeFileSync(
    path.join(dir, "nginx.conf"),
    `daemon off;
master_process on;
worker_processes 2;
user ${os.userInfo().username};
pid ${dir}/nginx.pid;
error_log ${dir}/error.log notice;
events { worker_connections 512; }
http {
  access_log off;
  client_body_temp_path ${t}/body;
  proxy_temp_path ${t}/proxy;
  fastcgi_temp_path ${t}/fastcgi;
  uwsgi_temp_path ${t}/uwsgi;
  scgi_temp_path ${t}/scgi;
  include ${dir}/upstream.conf;
  # Another upstream: a router that renders this name makes nginx -t fail (duplicate upstream).
  upstream taken { server 127.0.0.1:${backends.ports.old}; }
  server {
    listen 127.0.0.1:${port};
    keepalive_timeout 30s;
    location / { proxy_pass http://app; }
  }
}
`,
  );
  writeFileSync(path.join(dir, "upstream.conf"), renderUpstream(config(), 0));
  nginx = spawn("nginx", ["-c", path.join(dir, "nginx.conf"), "-e", path.join(dir, "error.log")], { stdio: ["ignore", "pipe", "pipe"] });
  nginx.stdout!.on("data", (d) => (nginxLog += d));
  nginx.stderr!.on("data", (d) => (nginxLog += d));
  await waitFor("nginx to answer", async () => (await fetch(`http://127.0.0.1:${port}/`)).status === 200);
});

afterAll(async () => {
  if (nginx && nginx.exitCode === null) {
    const exited = new Promise((r) => nginx.once("exit", r));
    nginx.kill("SIGTERM"); // fast shutdown: the master stops its workers
    await exited;
  }
  await backends?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("NginxRouter against a real nginx", () => {
  it("sets 25 %: after verify ~25 % of real requests reach new, and the previous file is kept", async () => {
    const router = createRouter(config());
    expect(await router.read()).toBe(0);
    await router.set(25, meta);
    const v = await router.verify(25);
    expect(v).toMatchObject({ ok: true, actual: 25 });
    expect(v.detail).toMatch(/read back from nginx, generation [0-9a-f]+\); the \d+ old worker\(s\) exited \d+ ms after the reload/);
    // The status server answers with what nginx runs.
    expect(await (await fetch(`http://127.0.0.1:${statusPort}/warroom-split`)).text()).toMatch(/^generation [0-9a-f]+ percent 25\n$/);
    const got = await send(400);
    expect(got.old + got.new).toBe(400);
    expect(got.new).toBeGreaterThanOrEqual(80); // 25 % ± 5 of 400
    expect(got.new).toBeLessThanOrEqual(120);
    expect(await router.read()).toBe(25);
    expect(readFileSync(path.join(dir, "upstream.conf"), "utf8")).toMatch(/weight=75;[\s\S]*weight=25;/);
    expect(readFileSync(path.join(dir, "upstream.conf.previous"), "utf8")).toMatch(/down;/);
  });

  it("sets 0 %: the new server is marked down and gets no request once verified", async () => {
    const router = createRouter(config());
    await router.set(0, meta);
    expect(readFileSync(path.join(dir, "upstream.conf"), "utf8")).toMatch(new RegExp(`server 127\\.0\\.0\\.1:${backends.ports.new} down;`));
    expect((await router.verify(0)).ok).toBe(true);
    expect((await send(200)).new).toBe(0);
    expect((await router.verify(25)).ok).toBe(false);
  });

  it("waits for the old workers: measures the overlap and what keep-alive clients see during reloads", async () => {
    const router = new NginxRouter(config());
    const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
    const seen = { ok: 0, errors: 0, newBeforeVerify: 0 };
    let phase: "before" | "after" = "after";
    let running = true;
    // Clients on keep-alive connections, as browsers and proxies are, firing during the reloads.
    const client = async () => {
      while (running) {
        await new Promise<void>((resolve) => {
          const req = http.get({ host: "127.0.0.1", port, path: "/", agent }, (res) => {
            let body = "";
            res.on("data", (d) => (body += d));
            res.on("end", () => {
              seen.ok++;
              if (phase === "before" && body === "new") seen.newBeforeVerify++;
              resolve();
            });
          });
          req.on("error", () => {
            seen.errors++;
            resolve();
          });
        });
      }
    };
    const clients = Array.from({ length: 8 }, client);
    const overlaps: number[] = [];
    try {
      for (const p of [100, 0, 100, 0, 100, 0]) {
        await router.set(p, meta);
        phase = p === 100 ? "after" : "before";
        const v = await router.verify(p);
        expect(v.ok).toBe(true);
        overlaps.push(router.lastOverlapMs!);
        phase = "after";
      }
    } finally {
      running = false;
      await Promise.all(clients);
      agent.destroy();
    }
    // Reported, not asserted: these numbers depend on the machine and the load.
    console.info(`[nginx] reload overlap (SIGHUP -> last old worker gone): ${overlaps.join(", ")} ms; keep-alive clients: ${seen.ok} ok, ${seen.errors} errors (resets); ${seen.newBeforeVerify} answers from "new" after set(0) returned but before verify`);
    expect(overlaps.every((ms) => ms >= 0 && ms < 5000)).toBe(true);
    expect((await send(100)).new).toBe(0);
  });

  it("does not call a change verified while an old worker still serves a long request", async () => {
    const router = new NginxRouter(config());
    await router.set(0, meta);
    expect((await router.verify(0)).ok).toBe(true);
    const slow = fetch(`http://127.0.0.1:${port}/slow`).then((r) => r.text());
    await new Promise((r) => setTimeout(r, 100)); // the request is now in flight on a current worker
    await router.set(100, meta);
    const early = await new NginxRouter({ ...config(), reloadTimeoutMs: 300 }).verify(100);
    expect(early.ok).toBe(false);
    expect(early.detail).toMatch(/old nginx workers [\d, ]+ still serve the previous split after 300 ms/);
    expect(await slow).toBe("old"); // finished by the old worker, with the old split
    expect((await router.verify(100)).ok).toBe(true);
  });

  it("a file nginx refuses: set fails in nginx's words, the previous file is back, nginx keeps serving the old split", async () => {
    const good = createRouter(config());
    await good.set(25, meta);
    expect((await good.verify(25)).ok).toBe(true);
    const before = readFileSync(path.join(dir, "upstream.conf"), "utf8");
    const master = Number(readFileSync(path.join(dir, "nginx.pid"), "utf8").trim());
    // Same file, but an upstream name nginx.conf already defines: nginx says "duplicate upstream"
    // and keeps its running configuration.
    const broken = createRouter({ ...config(), upstreamName: "taken" });
    await expect(broken.set(50, meta)).rejects.toThrow(/nginx refused the new upstream file: .*duplicate upstream "taken".*the previous upstream file is back in place/);
    expect(readFileSync(path.join(dir, "upstream.conf"), "utf8")).toBe(before);
    expect(await good.read()).toBe(25);
    // Nothing to verify: the refused split was never served.
    expect((await broken.verify(50).catch(() => ({ ok: false }))).ok).toBe(false);
    expect(Number(readFileSync(path.join(dir, "nginx.pid"), "utf8").trim())).toBe(master);
    expect(nginx.exitCode).toBeNull();
    // The second reload that set() sends after a refusal settles before we count.
    await new Promise((r) => setTimeout(r, 400));
    const got = await send(200);
    expect(got.new).toBeGreaterThanOrEqual(40);
    expect(got.new).toBeLessThanOrEqual(60);
    // And the next good change goes through as usual.
    await good.set(0, meta);
    expect((await good.verify(0)).ok).toBe(true);
    expect((await send(100)).new).toBe(0);
  });

  it("verify reads back what nginx runs: a file changed behind nginx's back is not called verified", async () => {
    const router = createRouter(config());
    await router.set(0, meta);
    expect((await router.verify(0)).ok).toBe(true);
    // The file says 100 % but nginx was never told: the split in force is still 0 %.
    writeFileSync(path.join(dir, "upstream.conf"), renderUpstream(config(), 100));
    const v = await createRouter({ ...config(), reloadTimeoutMs: 300 }).verify(100);
    expect(v.ok).toBe(false);
    expect(v.detail).toMatch(/nginx does not run the upstream file after 300 ms: its status at .* answers "generation [0-9a-f]+ percent 0"/);
    expect((await send(100)).new).toBe(0);
    writeFileSync(path.join(dir, "upstream.conf"), renderUpstream(config(), 0));
  });

  it("refuses to touch the file when nginx is not running", async () => {
    const before = readFileSync(path.join(dir, "upstream.conf"), "utf8");
    const router = createRouter({ ...config(), pidFile: path.join(dir, "missing.pid") });
    await expect(router.set(50, meta)).rejects.toThrow(/nginx is not running \(pid file .*missing\.pid/);
    expect(readFileSync(path.join(dir, "upstream.conf"), "utf8")).toBe(before);
  });

  it("never quotes a pid file that holds something else than a pid", async () => {
    const notPid = path.join(dir, "auth-secret");
    writeFileSync(notPid, "file-content-must-not-leak-0123456789abcdef\n");
    const before = readFileSync(path.join(dir, "upstream.conf"), "utf8");
    const err = (await createRouter({ ...config(), pidFile: notPid }).set(50, meta).catch((e: unknown) => e)) as Error;
    expect(err.message).toBe(`nginx pid file ${notPid} does not hold a pid`);
    expect(readFileSync(path.join(dir, "upstream.conf"), "utf8")).toBe(before);
  });

  it("says clearly when the upstream file lacks the block or a server", async () => {
    const router = createRouter({ ...config(), newServer: "127.0.0.1:1" });
    await expect(router.read()).rejects.toThrow(/has no server 127\.0\.0\.1:1 \(new\)/);
    const other = createRouter({ ...config(), upstreamFile: path.join(dir, "none.conf") });
    await expect(other.read()).rejects.toThrow(/cannot be read/);
    expect(existsSync(path.join(dir, "none.conf"))).toBe(false);
  });

  it("refuses settings that could inject nginx configuration", () => {
    expect(() => createRouter({ ...config(), upstreamName: "app { }" })).toThrow();
    expect(() => createRouter({ ...config(), newServer: "127.0.0.1:80; include /etc/passwd" })).toThrow();
  });
});

describe("nginxMessage", () => {
  it("keeps nginx's words but no quoted token read from a file, except the router's own names", () => {
    const out = [
      'nginx: [emerg] unknown directive "root:$6$saltsalt$hashhash:19000:0:99999:7:::" in /etc/shadow:1',
      "nginx: configuration file /etc/shadow test failed",
    ].join("\n");
    const msg = nginxMessage(out);
    expect(msg).toBe('[emerg] unknown directive "…" in /etc/shadow:1');
    expect(nginxMessage('nginx: [emerg] duplicate upstream "taken" in /x/upstream.conf:4', ["taken"])).toBe('[emerg] duplicate upstream "taken" in /x/upstream.conf:4');
    expect(nginxMessage("some unrelated output with secret words")).toBe("(no [emerg] line; see nginx's error log)");
  });
});
