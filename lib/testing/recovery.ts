// For tests only: what a server process keeps open on PostgreSQL (Prisma and its pool, the plain
// SQL pool, the traffic-lock pool, the bus, the leader lock), watched across an outage, and the
// checks that each of them serves again without restarting the process.
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect } from "vitest";
import { closeDb, db, sql } from "@/lib/db/client";
import { prepareDatabase } from "@/lib/db/connection";
import { closeLockPool, withTrafficLock } from "@/lib/db/cutover-lock";
import type { EmbeddedPostgres } from "@/lib/db/embedded-postgres";
import { AppError, isDatabaseUnavailable } from "@/lib/errors";
import { announce, listen, type BusEvent } from "@/lib/realtime/bus";
import { runAsLeader } from "@/lib/jobs/leader";

/** Polls `fn` until it returns a value (not null/false/undefined, not a throw): no timed assertion, only a bound. */
export async function waitUntil<T>(what: string, fn: () => Promise<T | null | false | undefined> | T | null | false | undefined, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = null;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v !== null && v !== false && v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what}: not within ${timeoutMs} ms (${(last as Error)?.message ?? "no value"})`);
}

/**
 * This test file's own PostgreSQL (the shared one of the run must not be killed), migrated, with the
 * app's pools pointed at it, small so that the checks after an outage go through every pooled
 * connection; stopped and removed after the file. `current` follows a restart by the test.
 */
export function ownPostgres(start: (dataDir: string) => Promise<EmbeddedPostgres>) {
  const dir = mkdtempSync(path.join(tmpdir(), "warroom-recovery-"));
  const holder = { dir, current: null as unknown as EmbeddedPostgres };
  beforeAll(async () => {
    holder.current = await start(dir);
    await prepareDatabase({ url: holder.current.runtimeUrl, migrationUrl: holder.current.ownerUrl, embedded: null }, { log: () => {} });
    process.env.DATABASE_URL = holder.current.runtimeUrl;
    process.env.WARROOM_DB_POOL = "4";
  }, 120_000);
  afterAll(async () => {
    await closeDb();
    await closeLockPool();
    await holder.current?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  return holder;
}

const NO_CHANGE = { toPercent: 0, userId: null, override: false, note: null, triggerId: null };

/** One statement through the traffic-lock pool: a missing cutover answers not_found once the pool works. */
export async function lockPoolAnswer(): Promise<unknown> {
  return withTrafficLock(randomUUID(), 1000, NO_CHANGE, async () => "locked").catch((e: unknown) => e);
}

export function watchConnections(url: string) {
  const events: BusEvent[] = [];
  const resyncs: number[] = [];
  let leads = 0;
  const bus = listen(url, (e) => events.push(e), () => {}, () => {}, () => resyncs.push(Date.now()));
  const leader = runAsLeader({
    url,
    lockKey: 724_999,
    name: "recovery-test",
    retryMs: 200,
    log: () => {},
    lead: async () => {
      leads++;
      return async () => {};
    },
  });
  return {
    events,
    resyncs,
    bus,
    leader,
    leads: () => leads,
    async ready() {
      await waitUntil("bus listening", () => bus.connected());
      await waitUntil("leader elected", () => leader.isLeader());
      expect(await lockPoolAnswer()).toMatchObject({ code: "not_found" });
    },
    async stop() {
      await leader.stop();
      await bus.stop();
    },
  };
}

/** What a write answers while PostgreSQL is gone: the 503 reason, from Prisma and from the plain pool alike. */
export async function expectUnavailable(): Promise<void> {
  const prismaError = await db().user.create({ data: { email: `down-${randomUUID()}@example.test`, name: "Down", passwordHash: "x" } }).catch((e: unknown) => e);
  expect(isDatabaseUnavailable(prismaError)).toBe(true);
  const poolError = await sql().query("SELECT 1").catch((e: unknown) => e);
  expect(isDatabaseUnavailable(poolError)).toBe(true);
  const lockError = await lockPoolAnswer();
  expect(lockError).not.toBeInstanceOf(AppError);
  expect(isDatabaseUnavailable(lockError)).toBe(true);
}

/**
 * After PostgreSQL is back: every pool serves (more queries than connections, so no dead connection
 * is handed out), the bus listens again, told its pages to resync and delivers, and the leader leads
 * again. Returns when each was back, in ms after `since`, to be printed.
 */
export async function expectRecovered(w: ReturnType<typeof watchConnections>, since: number, resyncsBefore: number) {
  const at: Record<string, number> = {};
  await waitUntil("Prisma answers", async () => (await db().$queryRawUnsafe<{ one: number }[]>("SELECT 1 AS one"))[0]?.one === 1);
  at.prisma = Date.now() - since;
  const rows = await Promise.all(Array.from({ length: 12 }, (_, i) => sql().query<{ n: number }>("SELECT $1::int AS n", [i])));
  expect(rows.map((r) => r.rows[0]!.n)).toEqual(Array.from({ length: 12 }, (_, i) => i));
  const users = await Promise.all(Array.from({ length: 12 }, () => db().user.count()));
  expect(users.every((n) => n >= 0)).toBe(true);
  await waitUntil("traffic-lock pool answers", async () => ((await lockPoolAnswer()) as { code?: string }).code === "not_found");
  at.lockPool = Date.now() - since;
  await waitUntil("bus resync", () => w.resyncs.length > resyncsBefore);
  at.busResync = Date.now() - since;
  const cutoverId = randomUUID();
  await db().$transaction(async (tx) => announce(tx, { type: "cutover.created", cutoverId }));
  await waitUntil("bus delivers", () => w.events.some((e) => e.cutoverId === cutoverId));
  at.busDelivers = Date.now() - since;
  await waitUntil("leader again", () => w.leader.isLeader() && w.leads() >= 2);
  at.leader = Date.now() - since;
  return at;
}
