// The lab's two demo services, "old" and "new": the systems a cutover moves traffic between.
// Each runs as its own Node process by default so its process metrics (CPU, memory, event loop)
// are its own, as they would be for two real systems; `inProcess: true` is there for quick tests.
//
// This file also holds the child-process plumbing the whole lab shares (spawning with tails of
// the output, free ports, waiting, no orphans): it is the lowest module every other one imports.
import { freePort } from "../../lib/server/free-port";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import http from "node:http";
import { createRequire } from "node:module";
import net from "node:net";
import { fileURLToPath, pathToFileURL } from "node:url";
import client from "prom-client";
import { z } from "zod";

// ---------------------------------------------------------------------------------------------
// Child-process plumbing shared by the lab
// ---------------------------------------------------------------------------------------------

const TAIL_LINES = 60;

/** A child process the lab started: its output tail is kept for error messages. */
export interface ManagedChild {
  readonly label: string;
  readonly pid: number;
  /** The exact command line, as a shell would show it. */
  readonly command: string;
  readonly proc: ChildProcess;
  /** Resolves with the exit code (or the signal name) once the process is gone. */
  readonly exited: Promise<number | string>;
  isRunning(): boolean;
  /** The last lines of stderr (falling back to stdout when stderr is empty). */
  tail(lines?: number): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

const live = new Set<ManagedChild>();
let exitHookInstalled = false;

function installExitHook() {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // 'exit' handlers must be synchronous: a kill is, so whatever is left is killed outright.
  process.on("exit", () => {
    for (const c of live) {
      try {
        if (c.isRunning()) process.kill(c.pid, "SIGKILL");
      } catch {
        /* already gone */
      }
    }
  });
}

let pdeathsigSupported: boolean | null = null;
function setprivPath(): string | null {
  if (pdeathsigSupported === null) pdeathsigSupported = existsSync("/usr/bin/setpriv");
  return pdeathsigSupported ? "/usr/bin/setpriv" : null;
}

function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

export interface SpawnOptions {
  label: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Open a Node IPC channel (for Node children that report readiness with process.send). */
  ipc?: boolean;
  /**
   * Ask the kernel to SIGTERM the child when this process dies, even by SIGKILL, where Node's
   * own 'exit' handlers never run (util-linux `setpriv --pdeathsig`, when installed).
   */
  dieWithParent?: boolean;
  /** Every output line, e.g. to echo it with a prefix. */
  onLine?: (line: string, stream: "stdout" | "stderr") => void;
}

export function spawnManaged(cmd: string, args: string[], opts: SpawnOptions): ManagedChild {
  installExitHook();
  const setpriv = opts.dieWithParent ? setprivPath() : null;
  const [file, argv] = setpriv ? [setpriv, ["--pdeathsig", "TERM", "--", cmd, ...args]] : [cmd, args];
  const command = [file, ...argv].map(quote).join(" ");
  const proc = spawn(file, argv, {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    stdio: opts.ipc ? ["ignore", "pipe", "pipe", "ipc"] : ["ignore", "pipe", "pipe"],
  });
  const tails = { stdout: [] as string[], stderr: [] as string[] };
  for (const stream of ["stdout", "stderr"] as const) {
    let partial = "";
    proc[stream]?.setEncoding("utf8");
    proc[stream]?.on("data", (chunk: string) => {
      const lines = (partial + chunk).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) {
        tails[stream].push(line);
        if (tails[stream].length > TAIL_LINES) tails[stream].shift();
        opts.onLine?.(line, stream);
      }
    });
  }
  let running = true;
  let spawnError: Error | null = null;
  const exited = new Promise<number | string>((resolve) => {
    proc.once("error", (err) => {
      // ENOENT and friends: there is no 'exit' after a failed spawn.
      spawnError = err;
      running = false;
      tails.stderr.push(err.message);
      live.delete(child);
      resolve(-1);
    });
    proc.once("exit", (code, signal) => {
      running = false;
      live.delete(child);
      resolve(code ?? signal ?? -1);
    });
  });
  const child: ManagedChild = {
    label: opts.label,
    pid: proc.pid ?? -1,
    command,
    proc,
    exited,
    isRunning: () => running && !spawnError,
    tail(lines = 20) {
      const src = tails.stderr.some((l) => l.trim()) ? tails.stderr : tails.stdout;
      return src.slice(-lines).join("\n");
    },
    async stop(graceMs = 5000) {
      if (!running) return;
      proc.kill("SIGTERM");
      const timer = setTimeout(() => running && proc.kill("SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
  if (proc.pid !== undefined) live.add(child);
  return child;
}

/** An Error naming what failed to start, the exact command and the child's last output lines. */
export function startError(child: ManagedChild, what: string): Error {
  const tail = child.tail();
  return new Error(`${what}\n  command: ${child.command}${tail ? `\n  last output:\n${tail.replace(/^/gm, "    ")}` : ""}`);
}

/** A port the OS says is free right now on 127.0.0.1 (listen on 0, close, hand it out). */

/** True when something accepts TCP connections on 127.0.0.1:port. */
export function portAnswers(port: number, host = "127.0.0.1", timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ port, host });
    const done = (ok: boolean) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(timeoutMs, () => done(false));
    sock.once("connect", () => done(true));
    sock.once("error", () => done(false));
  });
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Polls `check` until it returns true. Fails early when `child` exits (with its output tail), or
 * after `timeoutMs`.
 */
export async function waitFor(what: string, check: () => Promise<boolean>, opts: { timeoutMs?: number; child?: ManagedChild; intervalMs?: number } = {}): Promise<void> {
  const deadline = Date.now() + (opts.timeoutMs ?? 20_000);
  for (;;) {
    if (opts.child && !opts.child.isRunning()) {
      const code = await opts.child.exited;
      throw startError(opts.child, `${opts.child.label} exited (${code}) before ${what}`);
    }
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) {
      throw opts.child ? startError(opts.child, `${opts.child.label}: timed out waiting for ${what}`) : new Error(`timed out waiting for ${what}`);
    }
    await sleep(opts.intervalMs ?? 100);
  }
}

/** Processes whose command line mentions `needle` (Linux /proc), except this one, with their argv. */
export function processesMentioning(needle: string): { pid: number; argv: string[] }[] {
  if (!existsSync("/proc")) return [];
  const out: { pid: number; argv: string[] }[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
      if (argv.some((a) => a.includes(needle))) out.push({ pid, argv });
    } catch {
      /* gone meanwhile */
    }
  }
  return out;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

// ---------------------------------------------------------------------------------------------
// The demo service
// ---------------------------------------------------------------------------------------------

export type DemoName = "old" | "new";

export interface DemoSettings {
  /** Probability (0..1) that `GET /` answers 500. */
  errorRate: number;
  /** Added to every `GET /`, in ms (0..60000). */
  latencyMs: number;
  /** Probability (0..1) that a request fails on its (simulated) database connection. */
  dbErrorRate: number;
}

export const AdminInput = z
  .object({
    errorRate: z.number().min(0).max(1).optional(),
    latencyMs: z.number().min(0).max(60_000).optional(),
    dbErrorRate: z.number().min(0).max(1).optional(),
  })
  .strict();

const DB_POOL_MAX: Record<DemoName, number> = { old: 20, new: 30 };
const MAX_ADMIN_BODY = 16 * 1024;

export interface DemoApp {
  server: http.Server;
  registry: client.Registry;
  settings: DemoSettings;
}

/** The demo service as a plain node:http server (not listening yet). */
export function createDemoApp(name: DemoName): DemoApp {
  const settings: DemoSettings = { errorRate: 0, latencyMs: 0, dbErrorRate: 0 };
  // A registry of its own: the global one may already hold another app's metrics.
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: "demo_" });
  const requests = new client.Counter({ name: "demo_http_requests_total", help: "Requests to the demo service by status code", labelNames: ["service", "code"], registers: [registry] });
  const duration = new client.Histogram({
    name: "demo_http_request_duration_seconds",
    help: "Time to answer a request, including the added latency",
    labelNames: ["service"],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const dbErrors = new client.Counter({ name: "demo_db_connection_errors_total", help: "Requests that failed to get or use a database connection", labelNames: ["service"], registers: [registry] });
  const poolMax = DB_POOL_MAX[name];
  new client.Gauge({ name: "demo_db_connections_max", help: "Size of the (simulated) database connection pool", labelNames: ["service"], registers: [registry] }).set({ service: name }, poolMax);

  // The pool follows load: a few idle connections kept warm, plus about one per request in flight,
  // smoothed so the gauge moves like a real pool rather than jumping on every request.
  let inFlight = 0;
  let smoothed = 0;
  new client.Gauge({
    name: "demo_db_connections_in_use",
    help: "Database connections currently checked out of the (simulated) pool",
    labelNames: ["service"],
    registers: [registry],
    collect() {
      smoothed = smoothed * 0.6 + inFlight * 0.4;
      const value = Math.round(2 + smoothed + Math.random() * 2);
      this.set({ service: name }, Math.max(0, Math.min(poolMax, value)));
    },
  });
  // The injected error rate as set through /admin: the lab's alert rule (scripts/lab/alertmanager.ts)
  // watches it, so an alert can be made to fire and resolve without any load.
  new client.Gauge({
    name: "demo_injected_error_ratio",
    help: "The error rate injected through /admin (0 to 1)",
    labelNames: ["service"],
    registers: [registry],
    collect() {
      this.set({ service: name }, settings.errorRate);
    },
  });
  // Series exist at 0 from the first scrape, so rate() sees the very first error as an increase.
  requests.inc({ service: name, code: "200" }, 0);
  requests.inc({ service: name, code: "500" }, 0);
  duration.zero({ service: name });
  dbErrors.inc({ service: name }, 0);

  const json = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
    res.end(text);
  };

  async function handleApp(req: http.IncomingMessage, res: http.ServerResponse) {
    const started = process.hrtime.bigint();
    inFlight++;
    let status = 200;
    try {
      // A small base latency so the histogram looks like a real service, not a flat zero.
      await sleep(0.5 + Math.random() * 2 + settings.latencyMs);
      const headers = { "x-served-by": name };
      const url = new URL(req.url ?? "/", "http://x");
      if (req.method !== "GET" || url.pathname !== "/") {
        status = 404;
        json(res, status, { error: "not found", served_by: name }, headers);
      } else if (Math.random() < settings.dbErrorRate) {
        dbErrors.inc({ service: name });
        status = 500;
        json(res, status, { error: "database connection failed", served_by: name }, headers);
      } else if (Math.random() < settings.errorRate) {
        status = 500;
        json(res, status, { error: "injected error", served_by: name }, headers);
      } else {
        json(res, status, { served_by: name }, headers);
      }
    } finally {
      inFlight--;
      requests.inc({ service: name, code: String(status) });
      duration.observe({ service: name }, Number(process.hrtime.bigint() - started) / 1e9);
    }
  }

  function readBody(req: http.IncomingMessage): Promise<string> {
    return new Promise((resolve, reject) => {
      let size = 0;
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => {
        size += c.length;
        if (size > MAX_ADMIN_BODY) {
          reject(new Error("body too large"));
          req.destroy();
        } else chunks.push(c);
      });
      req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
      req.on("error", reject);
    });
  }

  async function handleAdmin(req: http.IncomingMessage, res: http.ServerResponse) {
    if (req.method === "GET") return json(res, 200, { service: name, ...settings });
    if (req.method !== "POST") return json(res, 405, { error: "use GET or POST" }, { allow: "GET, POST" });
    let raw: unknown;
    try {
      raw = JSON.parse(await readBody(req));
    } catch (err) {
      return json(res, 400, { error: `invalid JSON body: ${(err as Error).message}` });
    }
    const parsed = AdminInput.safeParse(raw);
    if (!parsed.success) {
      return json(res, 400, { error: "invalid settings", issues: parsed.error.issues.map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`) });
    }
    Object.assign(settings, Object.fromEntries(Object.entries(parsed.data).filter(([, v]) => v !== undefined)));
    return json(res, 200, { service: name, ...settings });
  }

  const server = http.createServer((req, res) => {
    const pathname = (req.url ?? "/").split("?")[0];
    const handle = async () => {
      if (pathname === "/metrics") {
        const body = await registry.metrics();
        res.writeHead(200, { "content-type": registry.contentType });
        res.end(body);
      } else if (pathname === "/health") {
        json(res, 200, { status: "ok", service: name });
      } else if (pathname === "/admin") {
        await handleAdmin(req, res);
      } else {
        await handleApp(req, res);
      }
    };
    handle().catch((err: Error) => {
      if (!res.headersSent) json(res, 500, { error: err.message });
      else res.destroy();
    });
  });
  // HAProxy keeps idle server connections for reuse; a Node keep-alive timeout shorter than
  // HAProxy's would close them under its feet and turn into sporadic 502s.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  return { server, registry, settings };
}

export interface DemoServiceHandle {
  name: DemoName;
  url: string;
  port: number;
  /** The child's pid (this process's pid when in-process). */
  pid: number;
  adminUrl: string;
  metricsUrl: string;
  /** POST /admin; resolves with the settings now in force. */
  configure(settings: Partial<DemoSettings>): Promise<DemoSettings>;
  stop(): Promise<void>;
}

export interface DemoServiceOptions {
  name: DemoName;
  /** 0 or unset: a free port. */
  port?: number;
  /** Run inside this process instead of a child process. */
  inProcess?: boolean;
  /** Put on the child's command line so a later lab can recognise (and clean up) its orphans. */
  tag?: string;
  onLine?: SpawnOptions["onLine"];
}

function handleFor(name: DemoName, port: number, pid: number, stop: () => Promise<void>): DemoServiceHandle {
  const url = `http://127.0.0.1:${port}`;
  return {
    name,
    url,
    port,
    pid,
    adminUrl: `${url}/admin`,
    metricsUrl: `${url}/metrics`,
    async configure(settings) {
      const res = await fetch(`${url}/admin`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(settings) });
      const body = (await res.json()) as DemoSettings & { error?: string; issues?: string[] };
      if (!res.ok) throw new Error(`${name} /admin answered ${res.status}: ${body.error ?? ""} ${(body.issues ?? []).join("; ")}`);
      return { errorRate: body.errorRate, latencyMs: body.latencyMs, dbErrorRate: body.dbErrorRate };
    },
    stop,
  };
}

function listen(server: http.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve((server.address() as net.AddressInfo).port));
  });
}

function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

const THIS_FILE = fileURLToPath(import.meta.url);

export async function startDemoService(opts: DemoServiceOptions): Promise<DemoServiceHandle> {
  const port = opts.port ?? 0;
  if (opts.inProcess) {
    const app = createDemoApp(opts.name);
    const actual = await listen(app.server, port);
    return handleFor(opts.name, actual, process.pid, () => closeServer(app.server));
  }
  // Run this very file under tsx's loader, resolved from here so the lab works from any cwd.
  const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
  const args = ["--import", tsxLoader, THIS_FILE, "--demo-child", "--name", opts.name, "--port", String(port)];
  if (opts.tag) args.push("--lab-tag", opts.tag);
  const child = spawnManaged(process.execPath, args, { label: `demo service ${opts.name}`, ipc: true, onLine: opts.onLine });
  const actual = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      void child.stop();
      reject(startError(child, `demo service ${opts.name} did not report ready within 20 s`));
    }, 20_000);
    child.proc.on("message", (msg: { type?: string; port?: number; message?: string }) => {
      if (msg?.type === "ready" && typeof msg.port === "number") {
        clearTimeout(timer);
        resolve(msg.port);
      } else if (msg?.type === "error") {
        clearTimeout(timer);
        reject(startError(child, `demo service ${opts.name} could not listen on 127.0.0.1:${port}: ${msg.message}`));
      }
    });
    void child.exited.then((code) => {
      clearTimeout(timer);
      reject(startError(child, `demo service ${opts.name} exited (${code}) before it was ready`));
    });
  });
  return handleFor(opts.name, actual, child.pid, () => child.stop(3000));
}

// Child entry point: `node --import tsx demo-service.ts --demo-child --name old --port 0`.
async function childMain() {
  const argv = process.argv.slice(2);
  const arg = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const name = arg("--name");
  if (name !== "old" && name !== "new") {
    console.error(`--name must be old or new, got ${name}`);
    process.exit(2);
  }
  const app = createDemoApp(name);
  const stop = async () => {
    await closeServer(app.server);
    process.exit(0);
  };
  process.once("SIGTERM", () => void stop());
  process.once("SIGINT", () => void stop());
  // The IPC channel closes when the parent goes away, however it died: never outlive the lab.
  process.once("disconnect", () => process.exit(0));
  try {
    const port = await listen(app.server, Number(arg("--port") ?? 0));
    process.send?.({ type: "ready", port });
  } catch (err) {
    process.send?.({ type: "error", message: (err as Error).message });
    process.exit(1);
  }
}

if (process.argv.includes("--demo-child") && process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  void childMain();
}

export { freePort };
