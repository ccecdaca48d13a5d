// A second app process beside the one playwright.config.ts starts (same production build, same
// database, same data directory for the session secret, the secrets key and the operator's
// file), and an HAProxy balancing both: what "several replicas" means in production.
import { mkdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { SERVER_BUNDLE, SERVER_ENV, SERVER_NODE_ARGS } from "../../scripts/server-bundle";
import { freePort, portAnswers, processesMentioning, spawnManaged, waitFor, type ManagedChild } from "../../scripts/lab/demo-service";
import { ensureSystemPackages } from "../../scripts/ensure-system-packages";
import { e2eDatabaseUrl } from "./fixtures";

const DATA = path.resolve(".data/e2e");

/** The runtime role's connection to the app's embedded PostgreSQL (what a replica serves with). */
export function e2eRuntimeDatabaseUrl(): string {
  const owner = new URL(e2eDatabaseUrl());
  const creds = JSON.parse(readFileSync(path.join(DATA, "postgres", "runtime-credentials.json"), "utf8")) as { user: string; password: string };
  owner.username = creds.user;
  owner.password = encodeURIComponent(creds.password);
  return owner.toString();
}

export interface Replica {
  url: string;
  port: number;
  child: ManagedChild;
  output: string[];
}

/** Starts another app process on a free port, on the same database; resolves once it answers. */
export async function startReplica(label: string): Promise<Replica> {
  const port = await freePort();
  const output: string[] = [];
  // Only what a replica needs: none of this test process's variables leak into it.
  const env: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...SERVER_ENV,
    PORT: String(port),
    WARROOM_DATA_DIR: ".data/e2e",
    NEXT_TELEMETRY_DISABLED: "1",
    DATABASE_URL: e2eRuntimeDatabaseUrl(),
    // Migrations and grants run as the owner at start, as every replica does (a no-op here).
    MIGRATION_DATABASE_URL: e2eDatabaseUrl(),
    WARROOM_OUTBOUND_ALLOW: "127.0.0.1",
  };
  const child = spawnManaged(process.execPath, [...SERVER_NODE_ARGS, SERVER_BUNDLE], { label, env: env as NodeJS.ProcessEnv, dieWithParent: true, onLine: (line) => output.push(line) });
  await waitFor(`${label} to answer on port ${port}`, async () => (await fetch(`http://127.0.0.1:${port}/health/liveness`)).ok, { child, timeoutMs: 60_000, intervalMs: 200 });
  return { url: `http://localhost:${port}`, port, child, output };
}

export interface Balancer {
  /** Reached as localhost, like the app: the session cookie set by a sign-in on the app goes there too. */
  url: string;
  child: ManagedChild;
  stop(): Promise<void>;
}

/**
 * HAProxy in front of the replicas, round robin, sticky by a cookie of its own: socket.io's
 * long-polling sends each session's requests separately and only the process that opened the
 * session knows it. Each response says which server answered (X-Served-By). A server that stops
 * answering its health check is taken out, and its clients are sent to the other.
 */
export async function startBalancer(servers: Record<string, number>): Promise<Balancer> {
  ensureSystemPackages(["haproxy"]);
  const dir = path.resolve(".data/e2e-replicas-haproxy");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const config = path.join(dir, "haproxy.cfg");
  writeFileSync(
    config,
    `defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    timeout tunnel 1h
    option redispatch
    retries 2

frontend app
    bind 127.0.0.1:${port}
    default_backend replicas

backend replicas
    balance roundrobin
    cookie WRSRV insert indirect nocache httponly
    option httpchk GET /health/liveness
    http-response set-header X-Served-By %[srv_name]
${Object.entries(servers)
  .map(([name, p]) => `    server ${name} 127.0.0.1:${p} check inter 500 fall 2 rise 1 cookie ${name}`)
  .join("\n")}
`,
  );
  const check = spawnSync("haproxy", ["-c", "-q", "-f", config], { encoding: "utf8" });
  if (check.status !== 0) throw new Error(`HAProxy rejected ${config}: ${check.stdout}${check.stderr}`);
  const child = spawnManaged("haproxy", ["-db", "-f", config], { label: "haproxy (replicas)", dieWithParent: true });
  await waitFor(`HAProxy to listen on ${port}`, () => portAnswers(port), { child, timeoutMs: 15_000 });
  return { url: `http://localhost:${port}`, child, stop: () => child.stop(2000) };
}

/** Whether this process runs the poller and trigger evaluation, from its /metrics. */
export async function isJobsLeader(port: number): Promise<boolean> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return /^warroom_jobs_leader 1$/m.test(text);
}

/** The pid of the app process playwright.config.ts started (this checkout's server bundle, not `others`). */
export function webServerPid(others: number[]): number {
  const found = processesMentioning(SERVER_BUNDLE).filter(({ pid, argv }) => {
    if (others.includes(pid) || path.basename(argv[0] ?? "") !== "node") return false;
    try {
      return readlinkSync(`/proc/${pid}/cwd`) === process.cwd();
    } catch {
      return false;
    }
  });
  if (found.length !== 1) throw new Error(`expected one app process of this checkout, found ${found.map((p) => p.pid).join(", ") || "none"}`);
  return found[0]!.pid;
}
