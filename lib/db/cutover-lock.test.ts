// The rollback lease against a real PostgreSQL: one holder at a time, locks that do not stack past
// what the holder counts, TCP probes on its session, and a session PostgreSQL ends (a restart)
// while the lease idles: the process survives and the lease is free for the next holder at once.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "@/lib/db/client";
import { useFreshDatabase } from "@/lib/testing/fixtures";
import { openLease, tryLocks } from "./cutover-lock";

beforeAll(async () => {
  await useFreshDatabase();
});

describe("the rollback lease", () => {
  it("one holder at a time; released, it is free again, and the connection holds nothing more", async () => {
    const id = randomUUID();
    const a = await tryLocks(id, ["rollback", "traffic"]);
    expect([a.holds("rollback"), a.holds("traffic")]).toEqual([true, true]);
    const b = await tryLocks(id, ["rollback"]);
    expect(b.holds("rollback")).toBe(false);
    await b.release();
    // Trying again what it holds does not stack a second lock (one unlock frees it).
    expect(await a.try("rollback")).toBe(true);
    await a.release();
    const c = await openLease(id);
    expect(await c.try("rollback")).toBe(true);
    expect(await c.try("traffic")).toBe(true);
    await c.release();
    const { rows } = await sql().query<{ n: number }>("SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())");
    expect(rows[0]!.n).toBe(0);
  });

  it("its session asks PostgreSQL to probe the connection, so a vanished host loses the lease in seconds", async () => {
    const lease = await tryLocks(randomUUID(), ["rollback"]);
    try {
      const { rows } = await lease.query<{ tcp: boolean; idle: string; interval: string; count: string }>(
        "SELECT inet_client_addr() IS NOT NULL AS tcp, current_setting('tcp_keepalives_idle') AS idle, current_setting('tcp_keepalives_interval') AS interval, current_setting('tcp_keepalives_count') AS count",
        [],
      );
      // Over a Unix socket there is no TCP to probe (PostgreSQL shows 0): the test database is reached over TCP.
      expect(rows[0]).toEqual({ tcp: true, idle: "10", interval: "5", count: "3" });
    } finally {
      await lease.release();
    }
  });

  it("a session PostgreSQL ends while the lease idles: the process lives on and the next holder gets it at once", async () => {
    const id = randomUUID();
    const lease = await tryLocks(id, ["rollback"]);
    expect(lease.holds("rollback")).toBe(true);
    const { rows } = await lease.query<{ pid: number }>("SELECT pg_backend_pid() AS pid", []);
    await sql().query("SELECT pg_terminate_backend($1)", [rows[0]!.pid]);
    await expect.poll(() => lease.lost).toBe(true);
    expect(lease.holds("rollback")).toBe(false);
    const next = await tryLocks(id, ["rollback"]);
    expect(next.holds("rollback")).toBe(true);
    await next.release();
    await lease.release();
  });
});
