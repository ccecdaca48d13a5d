// Starts the war room (production build) for a benchmark as `npm start` runs it: its own data
// directory, a free port, an admin token for the API. Builds Next first when there is no build;
// bundles the server entry (lib/server/main.ts) every time, which takes a fraction of a second,
// so a benchmark never runs yesterday's server code.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import os from "node:os";
import { freePort } from "../../lib/server/free-port";
import { bundleServer, SERVER_ENV, SERVER_NODE_ARGS } from "../../scripts/server-bundle";

export { freePort };

export const BENCH_TOKEN = "bench-admin-token-0123456789abcdef";


export interface BenchApp {
  url: string;
  child: ChildProcess;
  dataDir: string;
  /** The last lines the app printed (stdout and stderr). */
  log(): string;
  stop(): Promise<void>;
}

export interface StartAppOptions {
  dataDir?: string;
  env?: Record<string, string>;
  nodeArgs?: string[];
  /** Start on what an earlier run left in dataDir (a restart) instead of a fresh directory. */
  keepData?: boolean;
  /** Every line the app prints, as it comes. */
  onLine?: (line: string) => void;
}

/** Ended, by exit or by a signal (a SIGKILLed child has no exit code). */
export function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

export async function startApp(opts: StartAppOptions = {}): Promise<BenchApp> {
  if (!existsSync(".next/BUILD_ID")) {
    const r = spawnSync("npx", ["next", "build"], { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
    if (r.status !== 0) throw new Error("next build failed");
  }
  const dataDir = opts.dataDir ?? ".data/bench";
  if (!opts.keepData) rmSync(dataDir, { recursive: true, force: true });
  const port = await freePort();
  // The same bundle and flags as `npm start`; one file per run, as several benchmarks may start at once.
  const entry = bundleServer(`.next/warroom-server/bench-${process.pid}-${Date.now()}.mjs`);
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), ...SERVER_NODE_ARGS, entry], {
    env: { ...process.env, ...SERVER_ENV, PORT: String(port), WARROOM_DATA_DIR: dataDir, DATABASE_URL: "", MIGRATION_DATABASE_URL: "", WARROOM_ADMIN_TOKEN: BENCH_TOKEN, NEXT_TELEMETRY_DISABLED: "1", ...opts.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.once("exit", () => rmSync(entry, { force: true }));
  let log = "";
  let partial = "";
  const take = (d: Buffer) => {
    log = (log + d).slice(-16_000);
    if (!opts.onLine) return;
    const lines = (partial + d).split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) opts.onLine(line);
  };
  child.stdout?.on("data", take);
  child.stderr?.on("data", take);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited(child)) throw new Error(`the app exited: ${log}`);
    try {
      if ((await fetch(`${url}/health/readiness`)).ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`the app did not start within 60 s: ${log}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    child,
    dataDir,
    log: () => log,
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited(child)) return resolve();
        // An app whose shutdown hangs (its database gone, say) must not hang the benchmark.
        const hard = setTimeout(() => child.kill("SIGKILL"), 20_000);
        child.once("exit", () => {
          clearTimeout(hard);
          resolve();
        });
        child.kill("SIGTERM");
      }),
  };
}

/** Signs in through next-auth's credentials endpoint and returns the session cookie header. */
export async function sessionCookie(url: string, email: string, password = "warroom-demo"): Promise<string> {
  const csrf = await fetch(`${url}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const jar = csrf.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const res = await fetch(`${url}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
  });
  const session = res.headers.getSetCookie().map((c) => c.split(";")[0]).find((c) => c.includes("session-token"));
  if (!session) throw new Error(`sign-in as ${email} failed (HTTP ${res.status})`);
  return session;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function machine(): string {
  return `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, ${Math.round(os.totalmem() / 1024 ** 3)} GiB, Node ${process.version}`;
}

/** `--name value` from the command line, or the default. */
export function numberArg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
}
