// nginx: the split is the weights of two servers in an `upstream` block, in a file this adapter
// owns and nginx.conf includes. A change = write the file, signal the master (SIGHUP), wait until
// it has started new workers, then (verify) wait for the old workers to exit.
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
// So the change is only verified when the file has the split AND every worker that existed before
// the reload has exited (polled every few ms up to reloadTimeoutMs) AND, with statusListen set,
// nginx itself answers on a fresh connection with the file's generation and split (read back from
// what nginx runs, not from the file). Until then a few requests may still take the old path.
//
// The path from "set" to the SIGHUP is kept short, because every millisecond there adds to the
// time until traffic moves: one atomic write of the upstream file, a few reads of /proc, the
// signal. There is no `nginx -t` in front of the reload: the master validates the new
// configuration itself on SIGHUP and, when it is invalid, logs the error and keeps serving the
// old one with the old workers (nginx never goes down on a bad reload). set() then waits until
// the master has taken the file (new workers exist); only if none appear quickly does it run
// `nginx -t` to learn whether nginx refused it. A refused or unconfirmed change puts the previous
// file back and signals the master once more, so that nginx ends up on the previous content in
// every case and the recorded split (which is not touched) stays the true one.
//
// Files: the previous upstream file is kept as `<upstreamFile>.previous` (nginx.conf must not
// include it through a glob), written after the signal. read() parses the upstream file, i.e.
// what nginx loads on its next (re)start.
import { randomBytes } from "node:crypto";
import { promises as fs, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import type { TrafficChangeMeta, TrafficRouter, VerifyResult } from "@/lib/domain/ports";
import { runProcess } from "../process-runner";
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
// same file must not interleave their write/signal/restore steps.
const reloads = new Map<string, Reload>();
const fileLocks = new Map<string, Promise<unknown>>();
// Where the master's pid file is, per binary + config (finding it may take a `nginx -V`).
const pidFiles = new Map<string, string>();

/** How often set() and verify() look at the master's children (cheap reads of /proc). */
const POLL_MS = 3;
/** No new workers this long after the signal: ask `nginx -t` whether nginx refused the file. */
const TEST_AFTER_MS = 40;

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
    return splitOf(parseUpstream(text, this.config), this.config);
  }

  async set(percent: number, meta: TrafficChangeMeta, signal?: AbortSignal): Promise<void> {
    assertPercent(percent);
    const file = path.resolve(this.config.upstreamFile);
    await withLock(file, async () => {
      signal?.throwIfAborted();
      // Before touching anything: a change to an nginx that is not running is refused.
      const master = await this.masterPid(signal);
      // From here to the signal everything is synchronous and small (one file of a few hundred
      // bytes, /proc): no thread-pool round trips between the click and the reload.
      const previous = readPrevious(file);
      // Whoever is a child of the master now is an old worker once the reload starts.
      const oldWorkers = childrenOf(master);
      writeAtomic(file, renderUpstream(this.config, percent, meta));
      const at = performance.now();
      try {
        process.kill(master, "SIGHUP");
      } catch (err) {
        restore(file, previous);
        throw new Error(`could not signal the nginx master (pid ${master}) to reload: ${(err as Error).message}; the previous upstream file is back in place`);
      }
      reloads.set(file, { master, at, oldWorkers });
      // Out of the reload's way: the version before this one, for people.
      if (previous !== null) {
        try {
          writeAtomic(`${file}.previous`, previous);
        } catch {
          /* a missing copy for people must not fail a change nginx is already loading */
        }
      }

      const refused = await this.awaitNewWorkers(master, oldWorkers, signal);
      if (refused !== null) {
        reloads.delete(file);
        restore(file, previous);
        // nginx normally kept its old configuration; if it took the new one after all (a slow
        // master, a test that disagrees with it), this second reload puts the previous one back.
        try {
          process.kill(master, "SIGHUP");
        } catch {
          /* the master is gone: nothing serves either split */
        }
        throw new Error(`${refused}; the previous upstream file is back in place`);
      }
    });
  }

  /**
   * Resolves null once the master has started workers for the new configuration; else the reason
   * it did not (nginx refused the file, or nothing happened within reloadTimeoutMs).
   */
  private async awaitNewWorkers(master: number, oldWorkers: Proc[], signal?: AbortSignal): Promise<string | null> {
    const d = deadline(this.config.reloadTimeoutMs, signal);
    const started = performance.now();
    // Set by the `nginx -t` started when the new workers are late.
    const probe: { test?: Promise<void>; verdict?: { code: number | null; out: string } } = {};
    for (;;) {
      if (childrenOf(master).some((k) => !oldWorkers.some((o) => o.pid === k.pid && o.start === k.start))) return null;
      if (!procStat(master)) return `the nginx master (pid ${master}) exited during the reload`;
      const verdict = probe.verdict;
      if (verdict && verdict.code !== 0) {
        return verdict.code === null ? `nginx started no new workers and could not be tested (${verdict.out})` : `nginx refused the new upstream file: ${nginxMessage(verdict.out, [this.config.upstreamName, this.config.oldServer, this.config.newServer])}`;
      }
      if (d.signal.aborted) {
        if (!d.timedOut()) return "the change was aborted before nginx started new workers";
        return `nginx (master ${master}) started no new workers within ${this.config.reloadTimeoutMs} ms${verdict ? " although nginx -t accepts the file" : ""}: see nginx's error log`;
      }
      if (!probe.test && performance.now() - started >= TEST_AFTER_MS) {
        probe.test = run(this.config.nginxBinary, [...this.confArgs(), "-t"], this.config.reloadTimeoutMs, signal).then(
          (v) => void (probe.verdict = v),
          (err: Error) => void (probe.verdict = { code: null, out: err.message }),
        );
      }
      await sleep(POLL_MS);
    }
  }

  async verify(percent: number, signal?: AbortSignal): Promise<VerifyResult> {
    assertPercent(percent);
    const file = path.resolve(this.config.upstreamFile);
    let text: string;
    try {
      text = await fs.readFile(file, "utf8");
    } catch (err) {
      throw new Error(`nginx upstream file ${file} cannot be read: ${(err as Error).message}`);
    }
    const actual = splitOf(parseUpstream(text, this.config), this.config);
    if (actual !== percent) return { ok: false, actual, detail: `the upstream file has ${actual} % to new, expected ${percent} %` };
    const generation = parseGeneration(text);
    const status = this.config.statusListen;
    if (status && !generation) return { ok: false, actual, detail: `the upstream file carries no generation (written by hand?): cannot tell whether nginx runs it` };

    const master = await this.masterPid(signal);
    const pending = reloads.get(file);
    const oldWorkers = pending && pending.master === master ? pending.oldWorkers : [];
    const isOld = (k: Proc) => oldWorkers.some((o) => o.pid === k.pid && o.start === k.start);
    // Workers still draining from an earlier reload (someone else's, or before this process
    // started): titled "shutting down". Looked up once; a reload nobody waits for is rare.
    const waitFor = [...oldWorkers, ...childrenOf(master).filter((k) => !isOld(k) && /shutting down/.test(cmdline(k.pid)))];
    const d = deadline(this.config.reloadTimeoutMs, signal);
    let served: string | null = null;
    for (;;) {
      const stillOld = waitFor.filter(alive);
      if (stillOld.length === 0) {
        // One full look at the children: new workers serve, and nothing else is draining.
        const kids = childrenOf(master);
        const fresh = kids.filter((k) => !isOld(k));
        const draining = fresh.filter((k) => /shutting down/.test(cmdline(k.pid)));
        // Only new workers are left, so a fresh connection reaches one: it must answer with the
        // generation and split of the file.
        const answer = status && fresh.length > draining.length && draining.length === 0 ? await probeStatus(status, d.signal) : null;
        if (answer !== null) served = answer;
        const readBack = !status || answer === `generation ${generation} percent ${percent}`;
        if (fresh.length > draining.length && draining.length === 0 && readBack) {
          const overlap = pending && pending.master === master ? Math.round(performance.now() - pending.at) : null;
          if (overlap !== null) this.lastOverlapMs = overlap;
          reloads.delete(file);
          return {
            ok: true,
            actual,
            detail: `nginx upstream ${this.config.upstreamName}: ${percent} % to new${status ? ` (read back from nginx, generation ${generation})` : ""}; ${overlap !== null ? `the ${oldWorkers.length} old worker(s) exited ${overlap} ms after the reload` : "no old workers left"}`,
          };
        }
        for (const k of draining) if (!waitFor.some((w) => w.pid === k.pid && w.start === k.start)) waitFor.push(k);
      }
      if (d.signal.aborted) {
        if (!d.timedOut()) throw new Error("nginx verify was aborted");
        const left = waitFor.filter(alive).map((p) => p.pid);
        return {
          ok: false,
          actual,
          detail:
            left.length > 0
              ? `old nginx workers ${left.join(", ")} still serve the previous split after ${this.config.reloadTimeoutMs} ms (long requests or connections; see worker_shutdown_timeout)`
              : status
                ? `nginx does not run the upstream file after ${this.config.reloadTimeoutMs} ms: its status at ${status} answers ${served === null ? "nothing" : /^generation [0-9a-f]{1,32} percent \d{1,3}$/.test(served) ? JSON.stringify(served) : "something else than a generation and split"}, the file has generation ${generation} (${percent} %)`
                : `nginx (master ${master}) has no workers for the new configuration after ${this.config.reloadTimeoutMs} ms: the reload was probably rejected, see nginx's error log`,
        };
      }
      await sleep(POLL_MS);
    }
  }

  private confArgs(): string[] {
    return this.config.configFile ? ["-c", this.config.configFile] : [];
  }

  /** The running master: pidFile, else the `pid` directive of configFile, else nginx's compiled-in path. */
  private async masterPid(signal?: AbortSignal): Promise<number> {
    const key = `${this.config.nginxBinary}\0${this.config.configFile ?? ""}`;
    let pidFile = this.config.pidFile ?? pidFiles.get(key);
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
      pidFiles.set(key, pidFile);
    }
    let text: string;
    try {
      text = readFileSync(pidFile, "utf8");
    } catch (err) {
      throw new Error(`nginx is not running (pid file ${pidFile}: ${(err as Error).message})`);
    }
    const pid = Number(text.trim());
    // Never quote the file: pidFile can name any readable file, and this error reaches the room.
    if (!/^\s*\d{1,10}\s*$/.test(text) || !Number.isInteger(pid) || pid <= 1) throw new Error(`nginx pid file ${pidFile} does not hold a pid`);
    if (!procStat(pid)) throw new Error(`nginx is not running (pid ${pid} from ${pidFile} is gone)`);
    return pid;
  }
}

/** The path of the status location (see NginxRouterConfig.statusListen). */
export const STATUS_PATH = "/warroom-split";

/**
 * The upstream block for a split; nginx weights must be >= 1, so a 0 % server is marked `down`.
 * Every rendering carries a fresh generation; with statusListen, a status server answers with it,
 * so what nginx runs can be told apart from what the file says.
 */
export function renderUpstream(
  config: Pick<NginxRouterConfig, "upstreamName" | "oldServer" | "newServer"> & { statusListen?: string },
  percent: number,
  meta?: Pick<TrafficChangeMeta, "cutoverId" | "requestId">,
): string {
  const line = (addr: string, weight: number) => (weight === 0 ? `    server ${addr} down;` : `    server ${addr} weight=${weight};`);
  const generation = randomBytes(8).toString("hex");
  return [
    `# Written by Cutover War Room${meta ? ` (cutover ${meta.cutoverId}, request ${meta.requestId})` : ""} at ${new Date().toISOString()}: ${percent} % to new.`,
    "# Do not edit by hand; the version before this one is kept next to it as *.previous.",
    `# generation ${generation}`,
    `upstream ${config.upstreamName} {`,
    line(config.oldServer, 100 - percent),
    line(config.newServer, percent),
    "}",
    ...(config.statusListen
      ? [
          "# What nginx runs, for the war room's read-back (answers on this address only).",
          `server {`,
          `    listen ${config.statusListen};`,
          `    access_log off;`,
          `    location = ${STATUS_PATH} { default_type text/plain; return 200 "generation ${generation} percent ${percent}\n"; }`,
          `    location / { return 404; }`,
          `}`,
        ]
      : []),
    "",
  ].join("\n");
}

/** The generation a rendered file carries (null for a file written by hand or by an older version). */
export function parseGeneration(text: string): string | null {
  return /^# generation ([0-9a-f]+)$/m.exec(text)?.[1] ?? null;
}

function splitOf(w: { old: number; new: number }, config: Pick<NginxRouterConfig, "upstreamName" | "upstreamFile">): number {
  if (w.old + w.new === 0) throw new Error(`nginx upstream ${config.upstreamName} in ${config.upstreamFile}: both servers are down or weightless, no server takes traffic`);
  return Math.round((w.new / (w.old + w.new)) * 100);
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

// ---- processes (/proc lives in memory: these reads are synchronous and take microseconds)

/** /proc/<pid>/stat: start time (field 22) and state; null when the process is gone. */
function procStat(pid: number): { state: string; ppid: number; start: string } | null {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, "utf8");
    // comm (field 2) may contain spaces and parentheses: split after the last ")".
    const f = s.slice(s.lastIndexOf(")") + 2).split(" ");
    return { state: f[0]!, ppid: Number(f[1]), start: f[19]! };
  } catch {
    return null;
  }
}

/** Alive = same pid, same start time, not a zombie (exited but not yet reaped by the master). */
function alive(p: Proc): boolean {
  const s = procStat(p.pid);
  return s !== null && s.start === p.start && s.state !== "Z";
}

function childrenOf(master: number): Proc[] {
  let pids: number[] = [];
  try {
    // Fast path (CONFIG_PROC_CHILDREN): the kernel's list per thread of the master.
    for (const t of readdirSync(`/proc/${master}/task`)) {
      const c = readFileSync(`/proc/${master}/task/${t}/children`, "utf8");
      pids.push(...c.trim().split(/\s+/).filter(Boolean).map(Number));
    }
  } catch {
    // Fallback: every process whose parent is the master.
    pids = [];
    for (const e of readdirSync("/proc")) {
      if (!/^\d+$/.test(e)) continue;
      if (procStat(Number(e))?.ppid === master) pids.push(Number(e));
    }
  }
  const out: Proc[] = [];
  for (const pid of pids) {
    const s = procStat(pid);
    if (s && s.state !== "Z") out.push({ pid, start: s.start });
  }
  return out;
}

/** nginx renames its processes ("nginx: worker process is shutting down"); the title is in cmdline. */
function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0+/g, " ").trim();
  } catch {
    return "";
  }
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

function readPrevious(file: string): string | null {
  try {
    return readFileSync(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw new Error(`nginx upstream file ${file} cannot be read: ${(err as Error).message}`);
  }
}

/**
 * tmp + rename in the same directory: nginx (or a reader) never sees half a file. Synchronous:
 * a few hundred bytes into the page cache, on the path between the click and the reload.
 */
function writeAtomic(file: string, text: string): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    writeFileSync(tmp, text, { mode: 0o644 });
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw new Error(`cannot write ${file}: ${(err as Error).message}`);
  }
}

/** Puts the file as it was before a change back (or removes it when there was none). */
function restore(file: string, previous: string | null): void {
  if (previous === null) rmSync(file, { force: true });
  else writeAtomic(file, previous);
}

/** GET the status location on a fresh connection: the body, or null when nothing answers (yet). */
function probeStatus(hostPort: string, signal: AbortSignal): Promise<string | null> {
  const i = hostPort.lastIndexOf(":");
  const host = hostPort.slice(0, i).replace(/^\[|\]$/g, "");
  return new Promise((resolve) => {
    const req = http.get({ host, port: Number(hostPort.slice(i + 1)), path: STATUS_PATH, agent: false, headers: { connection: "close" }, signal, timeout: 1000 }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      // The status line is a few dozen bytes; whatever else answers there is not read further.
      res.on("data", (c: string) => {
        body += c;
        if (body.length > 200) {
          res.destroy();
          resolve(null);
        }
      });
      res.on("end", () => resolve(res.statusCode === 200 ? body.trim() : null));
      res.on("error", () => resolve(null));
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(null));
  });
}

async function run(cmd: string, args: string[], timeoutMs: number, signal?: AbortSignal): Promise<{ code: number; out: string }> {
  // nginx's output is filtered by nginxMessage (every quote hidden) or only searched for its pid
  // path: it is kept whole here, not redacted.
  const r = await runProcess({ argv: [cmd, ...args], timeoutMs, signal, redact: false, killGraceMs: 0 });
  if (r.startError) throw new Error(`cannot run ${cmd}: ${r.startError.code === "ENOENT" ? "program not found" : (r.startError.code ?? "spawn failed")}`);
  if (r.stopped) throw new Error(r.stopped === "timeout" ? `${cmd} ${args.join(" ")} timed out after ${timeoutMs} ms` : `${cmd} ${args.join(" ")} was aborted`);
  return { code: r.code ?? -1, out: r.output };
}

/**
 * nginx's own words: the [emerg]/[alert] lines, without the "test failed" footer, and with every
 * quoted token hidden: nginx quotes what it read (`unknown directive "root:$6$…" in /etc/shadow:1`),
 * so a quote would let a configured path leak a file's contents into the room.
 */
export function nginxMessage(out: string, known: readonly string[] = []): string {
  const lines = out.split("\n").filter((l) => /\[(emerg|alert|crit|error)\]/.test(l));
  const text = lines
    .join(" / ")
    .slice(0, 20_000)
    .replace(/nginx: /g, "")
    .replace(/[^\x20-\x7e]/g, "")
    // Names from the router's own settings are not file contents: they stay readable.
    .replace(/"[^"]*"?/g, (q) => (known.includes(q.slice(1, -1)) ? q : '"…"'));
  return text.length > 500 ? `${text.slice(0, 500)}…` : text || "(no [emerg] line; see nginx's error log)";
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
