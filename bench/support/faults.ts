// What every row of the fault suite (bench/faults.ts) shares: the row it reports, a bounded wait,
// cleanups that run even when a row throws, a small API client, and access to a data directory's
// embedded PostgreSQL (the app's own, or one this suite starts for several app processes).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "../../lib/db/embedded-postgres";
import type { Lab } from "../../scripts/lab/index";
import { isAlive } from "../../scripts/lab/demo-service";
import { runtimeCommand, startHaproxy, type HaproxyHandle } from "../../scripts/lab/haproxy";
import { BENCH_TOKEN } from "./app";

/** One line of the table. */
export interface FaultRow {
  fault: string;
  done: string;
  users: string;
  /** Time to recover as text ("3.2 s", "not within 20 s"). */
  recover: string;
  /** Acknowledged writes lost: a number, or "n/a" when the row makes none. */
  lost: string;
  recovered: boolean;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * Polls `check` until it returns something other than null/undefined/false, at most `timeoutMs`.
 * Resolves with the value and the time it took, or null on timeout. A check that throws counts
 * as "not yet" (the thing it asks may be down: that is the point of the suite).
 */
export async function waitFor<T>(check: () => Promise<T | null | undefined | false>, timeoutMs: number, intervalMs = 200): Promise<{ value: T; ms: number } | null> {
  const start = Date.now();
  for (;;) {
    try {
      const v = await check();
      if (v !== null && v !== undefined && v !== false) return { value: v, ms: Date.now() - start };
    } catch {
      /* not yet */
    }
    if (Date.now() - start >= timeoutMs) return null;
    await sleep(intervalMs);
  }
}

/** Cleanups, last registered first; each runs even if an earlier one throws. */
export class Cleanup {
  private readonly steps: { what: string; run: () => Promise<unknown> | unknown }[] = [];
  add(what: string, run: () => Promise<unknown> | unknown): void {
    this.steps.push({ what, run });
  }
  async run(): Promise<void> {
    while (this.steps.length) {
      const step = this.steps.pop()!;
      try {
        // A cleanup that hangs must not hold the rest hostage.
        await Promise.race([Promise.resolve().then(step.run), sleep(30_000).then(() => Promise.reject(new Error("took over 30 s")))]);
      } catch (err) {
        console.error(`[faults] cleanup "${step.what}" failed: ${(err as Error).message}`);
      }
    }
  }
}

export interface ApiAnswer {
  status: number;
  /** 0 when there was no HTTP answer (refused, reset, timed out). */
  body: Record<string, unknown> | null;
  /** The error message of the answer, or of the failed request. */
  message: string;
  ms: number;
}

/**
 * The REST API as a script or a CI job calls it (bearer token) or as the room does from a browser
 * (session cookie, same origin): JSON, a timeout on every request.
 */
export class Api {
  private readonly auth: Record<string, string>;
  constructor(
    public url: string,
    credential: string | { cookie: string } = BENCH_TOKEN,
  ) {
    this.auth = typeof credential === "string" ? { authorization: `Bearer ${credential}` } : { cookie: credential.cookie, origin: url };
  }

  async call(method: "GET" | "POST", pathname: string, body?: unknown, opts: { timeoutMs?: number; headers?: Record<string, string> } = {}): Promise<ApiAnswer> {
    const start = Date.now();
    try {
      const res = await fetch(`${this.url}${pathname}`, {
        method,
        headers: { ...this.auth, "content-type": "application/json", ...opts.headers },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000),
      });
      const text = await res.text();
      let parsed: Record<string, unknown> | null = null;
      try {
        parsed = JSON.parse(text) as Record<string, unknown>;
      } catch {
        /* not JSON */
      }
      const message = typeof parsed?.message === "string" ? parsed.message : res.ok ? "" : text.slice(0, 200);
      return { status: res.status, body: parsed, message, ms: Date.now() - start };
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } };
      const message = e.name === "TimeoutError" ? "no answer (timed out)" : `no answer (${e.cause?.code ?? e.message})`;
      return { status: 0, body: null, message, ms: Date.now() - start };
    }
  }

  get(pathname: string, opts?: { timeoutMs?: number }) {
    return this.call("GET", pathname, undefined, opts);
  }

  post(pathname: string, body: unknown, opts?: { timeoutMs?: number; headers?: Record<string, string> }) {
    return this.call("POST", pathname, body, opts);
  }

  /** A POST that must succeed (setting a row up): throws with the answer otherwise. */
  async must(pathname: string, body?: unknown): Promise<Record<string, unknown>> {
    const a = body === undefined ? await this.get(pathname) : await this.post(pathname, body);
    if (a.status < 200 || a.status >= 300) throw new Error(`${pathname}: ${a.status} ${a.message}`);
    return a.body ?? {};
  }

  async createCutover(opts: { name: string; runbook?: string; router?: string }): Promise<string> {
    const { cutoverId } = (await this.must("/api/v1/cutovers", { name: opts.name, systemFrom: "old", systemTo: "new", tZero: new Date().toISOString(), runbook: opts.runbook })) as { cutoverId: string };
    if (opts.router) await this.must("/api/v1/commands/router.set", { cutoverId, integration: opts.router });
    return cutoverId;
  }

  /** The recorded split and the last rollbacks, as the traffic tab reads them. */
  async traffic(cutoverId: string) {
    const a = await this.get(`/api/v1/cutovers/${cutoverId}/traffic`, { timeoutMs: 5000 });
    if (a.status !== 200 || !a.body) throw new Error(`traffic view: ${a.status} ${a.message}`);
    return a.body as { percent: number; rollbacks: { id: string; state: string; startedAt: string }[]; changes: { state: string; to: number; error: string | null }[] };
  }
}

/** "status ×count" for each status seen, most frequent first, with one message per status. */
export function describeAnswers(answers: ApiAnswer[]): string {
  if (answers.length === 0) return "no requests";
  const by = new Map<string, { n: number; message: string }>();
  for (const a of answers) {
    const key = a.status === 0 ? "no answer" : String(a.status);
    const e = by.get(key) ?? { n: 0, message: a.message };
    e.n++;
    by.set(key, e);
  }
  return [...by.entries()]
    .sort((a, b) => b[1].n - a[1].n)
    .map(([k, v]) => `${k} ×${v.n}${v.message ? ` ("${oneLine(v.message, 90)}")` : ""}`)
    .join(", ");
}

/** One table cell: one line, no pipes, absolute paths cut to their last part, at most `max` characters. */
export function oneLine(s: string, max = 120): string {
  const flat = s
    .replace(/\s+/g, " ")
    .replace(/(?:\/[^\s/"]+){2,}\/([^\s/"]+)/g, "…/$1")
    .replace(/\|/g, "/")
    .trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** The postmaster's pid and port from `<cluster>/postmaster.pid`, or null when it is not there. */
export function postmaster(clusterDir: string): { pid: number; port: number } | null {
  const file = path.join(clusterDir, "postmaster.pid");
  if (!existsSync(file)) return null;
  const lines = readFileSync(file, "utf8").split("\n");
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  return Number.isInteger(pid) && pid > 0 ? { pid, port } : null;
}

export { isAlive };

/**
 * The owner's URL of an embedded PostgreSQL while it runs, from its directory (`root`: the
 * credentials, and the cluster in `root/cluster`).
 */
export function embeddedOwnerUrl(root: string, database = "warroom"): string {
  const pm = postmaster(path.join(root, "cluster"));
  if (!pm) throw new Error(`no PostgreSQL running in ${root}`);
  const creds = JSON.parse(readFileSync(path.join(root, "credentials.json"), "utf8")) as { user: string; password: string };
  return `postgresql://${creds.user}:${encodeURIComponent(creds.password)}@127.0.0.1:${pm.port}/${database}`;
}

/** One query on a short-lived connection (the server it asks may have died since the last one). */
export async function query<R extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<R[]> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000, statement_timeout: 10_000 });
  c.on("error", () => {});
  await c.connect();
  try {
    return (await c.query<R>(text, values)).rows;
  } finally {
    await c.end().catch(() => {});
  }
}

/**
 * Ends an embedded PostgreSQL left running in `root/cluster` (an app SIGKILLed does not take it
 * with it): fast shutdown, then SIGKILL if it lingers.
 */
export async function stopLeftoverPostgres(root: string): Promise<void> {
  const pm = postmaster(path.join(root, "cluster"));
  if (!pm || !isAlive(pm.pid)) return;
  process.kill(pm.pid, "SIGINT");
  if (!(await waitFor(async () => !isAlive(pm.pid), 10_000, 100))) process.kill(pm.pid, "SIGKILL");
}

/**
 * A PostgreSQL cluster of its own for rows with several app processes on one DATABASE_URL, as in
 * production; stopped by the returned handle's stop().
 */
export function startSharedPostgres(dataDir: string): Promise<EmbeddedPostgres> {
  return startEmbeddedPostgres({ dataDir: path.resolve(dataDir) });
}

/** A runbook of `n` items owned by the Deployment Lead (who the bench token may sign for). */
export function runbookOf(title: string, n: number): string {
  return `# ${title}\n\n## Cutover\n\n### Steps\n\n${Array.from({ length: n }, (_, i) => `- [ ] Step ${i + 1}`).join("\n")}\n`;
}

/** The pids of a process's children (HAProxy's workers under its master), from /proc. */
export function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, "utf8");
      if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === pid) out.push(Number(d));
    } catch {
      /* gone meanwhile */
    }
  }
  return out;
}

/**
 * HAProxy frozen (SIGSTOP to master and workers): its runtime socket still accepts connections
 * but nothing answers, as with a router that hangs. Returns how to thaw it; thawing twice is fine.
 */
export function freezeHaproxy(h: HaproxyHandle): () => void {
  const pids = [h.pid, ...childrenOf(h.pid)];
  for (const pid of pids) process.kill(pid, "SIGSTOP");
  let thawed = false;
  return () => {
    if (thawed) return;
    thawed = true;
    for (const pid of pids) {
      try {
        process.kill(pid, "SIGCONT");
      } catch {
        /* gone */
      }
    }
  };
}

/** HAProxy killed outright (SIGKILL to master and workers, frozen or not), its sockets removed. */
export async function killHaproxy(h: HaproxyHandle): Promise<void> {
  for (const pid of [h.pid, ...childrenOf(h.pid)]) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      /* gone */
    }
  }
  await h.stop();
}

/**
 * HAProxy started again after lab.haproxy.stop(), on the same ports, sockets and backends (so the
 * app's router settings still name it), with the weights of `newPercent`. The lab's handle is
 * replaced: lab.haproxy.stop() stops the new one.
 */
export async function restartHaproxy(lab: Lab, newPercent: number): Promise<HaproxyHandle> {
  const old = lab.haproxy;
  const h = await startHaproxy({ port: old.port, statsPort: old.statsPort, oldUrl: lab.old.url, newUrl: lab.new.url, dataDir: lab.dataDir, newPercent });
  lab.haproxy = h;
  return h;
}

/** The percent HAProxy really sends to new (its runtime weights), or null when it does not answer. */
export async function haproxyPercent(h: HaproxyHandle): Promise<number | null> {
  try {
    const weight = async (srv: string) => Number(/^(\d+)/.exec(await runtimeCommand(h.socketPath, `get weight be_app/${srv}`, 2000))?.[1]);
    const [n, o] = [await weight("new"), await weight("old")];
    return Number.isFinite(n) && Number.isFinite(o) && n + o > 0 ? Math.round((100 * n) / (n + o)) : null;
  } catch {
    return null;
  }
}
