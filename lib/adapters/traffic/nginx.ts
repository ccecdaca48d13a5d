// nginx: the split is the weights of two servers in an `upstream` block, in a file this adapter
// owns and nginx.conf includes. A change = write the file, `nginx -t`, reload, wait for the old
// workers to exit.
//
// What clients see during a reload (nginx.test.ts measures it: 115-220 ms from SIGHUP until the
// last old worker is gone on a lightly loaded machine, longer while old workers finish long
// requests). nginx's master starts the new workers, waits 100 ms "to let them start", and only
// then tells the old workers to shut down gracefully; that wait is most of the overlap.
// - Until then, old and new workers both accept connections: a new connection may still land on
//   an old worker and get the old split. After the shutdown signal, old workers stop accepting;
//   every NEW connection goes to a new worker and gets the new split.
// - Requests already in flight on old workers finish normally, proxied with the OLD split. A
//   client with an idle keep-alive connection to an old worker can send one more request on it
//   that is still served with the old split.
// - Old workers then close their idle keep-alive connections. A client that sends a request on
//   such a connection at the moment it is closed sees a reset / "socket hang up" / empty reply
//   and must retry (browsers and most HTTP clients retry idempotent requests by themselves).
// - Long-lived connections (WebSocket, streaming, slow uploads) keep an old worker - and the old
//   split for that connection - alive until they end or `worker_shutdown_timeout` passes.
// So set() returning does not mean the split is in force: verify() says yes only when the file
// has the split AND every worker that existed before the reload has exited (polled every 10 ms
// up to reloadTimeoutMs). Until then a few requests may still take the old path.
//
// Files: the previous upstream file is kept as `<upstreamFile>.previous` (nginx.conf must not
// include it through a glob); if `nginx -t` fails, the previous content is put back and nothing
// is reloaded. read() parses the upstream file, i.e. what nginx loads on its next (re)start.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import path from "node:path";
import type { TrafficChangeMeta, TrafficRouter, VerifyResult } from "@/lib/domain/ports";
import { assertPercent, deadline, type NginxRouterConfig } from "./config";

/** A process identified by pid AND start time, so a recycled pid is not mistaken for an old worker. */
interface Proc {
  pid: number;
  start: string;
}

interface Reload {
  master: number;
  at: number;
  oldWorkers: Proc[];
}

// Shared by every NginxRouter of this process, keyed by upstream file: the router that verifies
// is often not the instance that set (settings are loaded per request), and two changes to the
// same file must not interleave their backup/test/restore steps.
const reloads = new Map<string, Reload>();
const fileLocks = new Map<string, Promise<unknown>>();

export class NginxRouter implements TrafficRouter {
  readonly kind = "nginx" as const;
  /** How long the old workers outlived the last reload this process verified, in ms (for logs and tests). */
  lastOverlapMs: number | null = null;

  constructor(private readonly config: NginxRouterConfig) {}

  describe(): string {
    const { upstreamName, oldServer, newServer, upstreamFile } = this.config;
    return `nginx upstream ${upstreamName} (${oldServer}/${newServer}) in ${upstreamFile}`;
  }

  async read(signal?: AbortSignal): Promise<number> {
    signal?.throwIfAborted();
    let text: string;
    try {
      text = await fs.readFile(this.config.upstreamFile, "utf8");
    } catch (err) {
      throw new Error(`nginx upstream file ${this.config.upstreamFile} cannot be read: ${(err as Error).message}`);
    }
    const w = parseUpstream(text, this.config);
    if (w.old + w.new === 0) throw new Error(`nginx upstream ${this.config.upstreamName} in ${this.config.upstreamFile}: both servers are down or weightless, no server takes traffic`);
    return Math.round((w.new / (w.old + w.new)) * 100);
  }

  async set(percent: number, meta: TrafficChangeMeta, signal?: AbortSignal): Promise<void> {
    assertPercent(percent);
    const file = path.resolve(this.config.upstreamFile);
    await withLock(file, async () => {
      signal?.throwIfAborted();
      // Before touching anything: a change nginx cannot load is better refused than half-done.
      const master = await this.masterPid(signal);
      const previous = await fs.readFile(file, "utf8").catch((err: NodeJS.ErrnoException) => {
        if (err.code === "ENOENT") return null;
        throw new Error(`nginx upstream file ${file} cannot be read: ${err.message}`);
      });
      if (previous !== null) await writeAtomic(`${file}.previous`, previous);
      await writeAtomic(file, renderUpstream(this.config, percent, meta));

      const test = await run(this.config.nginxBinary, [...this.confArgs(), "-t"], this.config.reloadTimeoutMs, signal).catch((err: Error) => ({ code: null, out: err.message }));
      if (test.code !== 0) {
        if (previous === null) await fs.rm(file, { force: true });
        else await writeAtomic(file, previous);
        throw new Error(
          test.code === null
            ? `could not test the new upstream file (${test.out}), the previous one is back in place`
            : `nginx -t rejected the new upstream file, the previous one is back in place: ${nginxMessage(test.out)}`,
        );
      }

      // Whoever is a child of the master now is an old worker once the reload starts.
      const oldWorkers = await childrenOf(master);
      try {
        process.kill(master, "SIGHUP");
      } catch (err) {
        throw new Error(`could not signal the nginx master (pid ${master}) to reload: ${(err as Error).message}`);
      }
      reloads.set(file, { master, at: performance.now(), oldWorkers });
    });
  }

  async verify(percent: number, signal?: AbortSignal): Promise<VerifyResult> {
    assertPercent(percent);
    const file = path.resolve(this.config.upstreamFile);
    const actual = await this.read(signal);
    if (actual !== percent) return { ok: false, actual, detail: `the upstream file has ${actual} % to new, expected ${percent} %` };

    const master = await this.masterPid(signal);
    const pending = reloads.get(file);
    const oldWorkers = pending && pending.master === master ? pending.oldWorkers : [];
    const d = deadline(this.config.reloadTimeoutMs, signal);
    for (;;) {
      // Recorded old workers, plus any worker still titled "shutting down" (a reload done by
      // someone else, or before this process started).
      const kids = await childrenOf(master);
      const stillOld = (await Promise.all(oldWorkers.map(async (p) => ((await alive(p)) ? p : null)))).filter((p): p is Proc => p !== null);
      const draining = await filterAsync(kids, async (k) => !oldWorkers.some((o) => o.pid === k.pid) && /shutting down/.test(await cmdline(k.pid)));
      const fresh = kids.filter((k) => !oldWorkers.some((o) => o.pid === k.pid && o.start === k.start));
      if (stillOld.length === 0 && draining.length === 0 && fresh.length > 0) {
        const overlap = pending && pending.master === master ? Math.round(performance.now() - pending.at) : null;
        if (overlap !== null) this.lastOverlapMs = overlap;
        reloads.delete(file);
        return {
          ok: true,
          actual,
          detail: `nginx upstream ${this.config.upstreamName}: ${percent} % to new; ${overlap !== null ? `the ${oldWorkers.length} old worker(s) exited ${overlap} ms after the reload` : "no old workers left"}`,
        };
      }
      if (d.signal.aborted) {
        if (!d.timedOut()) throw new Error("nginx verify was aborted");
        const left = [...stillOld, ...draining].map((p) => p.pid);
        return {
          ok: false,
          actual,
          detail:
            fresh.length === 0
              ? `nginx (master ${master}) has started no new workers within ${this.config.reloadTimeoutMs} ms: the reload was probably rejected, see nginx's error log`
              : `old nginx workers ${left.join(", ")} still serve the previous split after ${this.config.reloadTimeoutMs} ms (long requests or connections; see worker_shutdown_timeout)`,
        };
      }
      await sleep(10);
    }
  }

  private confArgs(): string[] {
    return this.config.configFile ? ["-c", this.config.configFile] : [];
  }

  /** The running master: pidFile, else the `pid` directive of configFile, else nginx's compiled-in path. */
  private async masterPid(signal?: AbortSignal): Promise<number> {
    let pidFile = this.config.pidFile;
    if (!pidFile && this.config.configFile) {
      const conf = await fs.readFile(this.config.configFile, "utf8").catch(() => "");
      pidFile = /^\s*pid\s+([^;\s]+)\s*;/m.exec(conf)?.[1];
    }
    if (!pidFile) {
      const v = await run(this.config.nginxBinary, ["-V"], this.config.reloadTimeoutMs, signal).catch((err: Error) => {
        throw new Error(`cannot run ${this.config.nginxBinary} -V to find its pid file: ${err.message}`);
      });
      pidFile = /--pid-path=(\S+)/.exec(v.out)?.[1];
      if (!pidFile) throw new Error(`cannot tell where nginx keeps its pid file: set pidFile in the router settings`);
    }
    const text = await fs.readFile(pidFile, "utf8").catch((err: Error) => {
      throw new Error(`nginx is not running (pid file ${pidFile}: ${err.message})`);
    });
    const pid = Number(text.trim());
    if (!Number.isInteger(pid) || pid <= 1) throw new Error(`nginx pid file ${pidFile} holds no pid ("${text.trim().slice(0, 40)}")`);
    if (!(await procStat(pid))) throw new Error(`nginx is not running (pid ${pid} from ${pidFile} is gone)`);
    return pid;
  }
}

/** The upstream block for a split; nginx weights must be >= 1, so a 0 % server is marked `down`. */
export function renderUpstream(config: Pick<NginxRouterConfig, "upstreamName" | "oldServer" | "newServer">, percent: number, meta?: Pick<TrafficChangeMeta, "cutoverId" | "requestId">): string {
  const line = (addr: string, weight: number) => (weight === 0 ? `    server ${addr} down;` : `    server ${addr} weight=${weight};`);
  return [
    `# Written by Cutover War Room${meta ? ` (cutover ${meta.cutoverId}, request ${meta.requestId})` : ""} at ${new Date().toISOString()}: ${percent} % to new.`,
    "# Do not edit by hand; the version before this one is kept next to it as *.previous.",
    `upstream ${config.upstreamName} {`,
    line(config.oldServer, 100 - percent),
    line(config.newServer, percent),
    "}",
    "",
  ].join("\n");
}

/** Effective weights of old and new in the upstream block (down/backup count as 0, no weight= means 1). */
export function parseUpstream(text: string, config: Pick<NginxRouterConfig, "upstreamName" | "oldServer" | "newServer" | "upstreamFile">): { old: number; new: number } {
  const noComments = text.replace(/#[^\n]*/g, "");
  const name = config.upstreamName.replace(/[.]/g, "\\.");
  const block = new RegExp(`upstream\\s+${name}\\s*\\{([^}]*)\\}`).exec(noComments)?.[1];
  if (block === undefined) throw new Error(`nginx upstream file ${config.upstreamFile} has no "upstream ${config.upstreamName} { … }" block`);
  const weights = new Map<string, number>();
  for (const m of block.matchAll(/(?:^|;|\s)server\s+(\S+)([^;]*);/g)) {
    const params = m[2]!.trim().split(/\s+/);
    const weight = Number(/^weight=(\d+)$/.exec(params.find((p) => p.startsWith("weight=")) ?? "")?.[1] ?? 1);
    weights.set(m[1]!, params.includes("down") || params.includes("backup") ? 0 : weight);
  }
  const get = (role: string, addr: string) => {
    const w = weights.get(addr);
    if (w === undefined) throw new Error(`nginx upstream ${config.upstreamName} in ${config.upstreamFile} has no server ${addr} (${role})`);
    return w;
  };
  return { old: get("old", config.oldServer), new: get("new", config.newServer) };
}

// ---- processes

/** /proc/<pid>/stat: start time (field 22) and state; null when the process is gone. */
async function procStat(pid: number): Promise<{ state: string; ppid: number; start: string } | null> {
  try {
    const s = await fs.readFile(`/proc/${pid}/stat`, "utf8");
    // comm (field 2) may contain spaces and parentheses: split after the last ")".
    const f = s.slice(s.lastIndexOf(")") + 2).split(" ");
    return { state: f[0]!, ppid: Number(f[1]), start: f[19]! };
  } catch {
    return null;
  }
}

/** Alive = same pid, same start time, not a zombie (exited but not yet reaped by the master). */
async function alive(p: Proc): Promise<boolean> {
  const s = await procStat(p.pid);
  return s !== null && s.start === p.start && s.state !== "Z";
}

async function childrenOf(master: number): Promise<Proc[]> {
  let pids: number[] = [];
  try {
    // Fast path (CONFIG_PROC_CHILDREN): the kernel's list per thread of the master.
    const tasks = await fs.readdir(`/proc/${master}/task`);
    for (const t of tasks) {
      const c = await fs.readFile(`/proc/${master}/task/${t}/children`, "utf8");
      pids.push(...c.trim().split(/\s+/).filter(Boolean).map(Number));
    }
  } catch {
    // Fallback: every process whose parent is the master.
    pids = [];
    for (const e of await fs.readdir("/proc")) {
      if (!/^\d+$/.test(e)) continue;
      const s = await procStat(Number(e));
      if (s?.ppid === master) pids.push(Number(e));
    }
  }
  const out: Proc[] = [];
  for (const pid of pids) {
    const s = await procStat(pid);
    if (s && s.state !== "Z") out.push({ pid, start: s.start });
  }
  return out;
}

/** nginx renames its processes ("nginx: worker process is shutting down"); the title is in cmdline. */
async function cmdline(pid: number): Promise<string> {
  return fs.readFile(`/proc/${pid}/cmdline`, "utf8").then((s) => s.replace(/\0+/g, " ").trim(), () => "");
}

async function filterAsync<T>(items: T[], pred: (t: T) => Promise<boolean>): Promise<T[]> {
  const keep = await Promise.all(items.map(pred));
  return items.filter((_, i) => keep[i]);
}

// ---- files and commands

async function withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const prev = fileLocks.get(key) ?? Promise.resolve();
  const next = prev.then(fn, fn);
  const tail = next.catch(() => undefined);
  fileLocks.set(key, tail);
  try {
    return await next;
  } finally {
    if (fileLocks.get(key) === tail) fileLocks.delete(key);
  }
}

/** tmp + rename in the same directory: nginx (or a reader) never sees half a file. */
async function writeAtomic(file: string, text: string): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    await fs.writeFile(tmp, text, { mode: 0o644 });
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw new Error(`cannot write ${file}: ${(err as Error).message}`);
  }
}

function run(cmd: string, args: string[], timeoutMs: number, signal?: AbortSignal): Promise<{ code: number; out: string }> {
  const d = deadline(timeoutMs, signal);
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"], signal: d.signal, killSignal: "SIGKILL" });
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr.on("data", (c: Buffer) => (out += c.toString()));
    child.on("error", (err: NodeJS.ErrnoException) => {
      if (err.name === "AbortError") reject(new Error(d.timedOut() ? `${cmd} ${args.join(" ")} timed out after ${timeoutMs} ms` : `${cmd} ${args.join(" ")} was aborted`));
      else reject(new Error(`cannot run ${cmd}: ${err.message}`));
    });
    child.on("close", (code) => resolve({ code: code ?? -1, out }));
  });
}

/** nginx's own words: the [emerg]/[alert] lines, without the "test failed" footer. */
function nginxMessage(out: string): string {
  const lines = out.split("\n").filter((l) => /\[(emerg|alert|crit|error)\]/.test(l));
  const text = (lines.length ? lines : out.split("\n").filter(Boolean)).join(" / ").replace(/^nginx: /, "");
  return text.length > 500 ? `${text.slice(0, 500)}…` : text || "(no output)";
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
