// The pool factory against the test PostgreSQL: the name PostgreSQL sees, one error listener per
// pool whatever the use, and an idle connection killed under the pool costs nothing but a reconnect.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";
import { createFreshDatabase } from "@/lib/testing/fixtures";
import { createPool } from "./pool";

let url = "";
const pools: pg.Pool[] = [];
const open = (opts: Partial<Parameters<typeof createPool>[0]> = {}) => {
  const p = createPool({ connectionString: url, name: "pool-test", ...opts });
  pools.push(p);
  return p;
};

beforeAll(async () => {
  url = (await createFreshDatabase()).runtimeUrl;
});
afterAll(async () => {
  await Promise.all(pools.map((p) => p.end().catch(() => {})));
});

describe("createPool", () => {
  it("names its connections for pg_stat_activity", async () => {
    const pool = open({ name: "named" });
    const { rows } = await pool.query<{ name: string }>("SELECT current_setting('application_name') AS name");
    expect(rows[0]!.name).toBe("warroom-named");
  });

  it("holds one error listener, however many queries and checkouts it serves", async () => {
    const pool = open({ max: 2 });
    await Promise.all(Array.from({ length: 20 }, () => pool.query("SELECT 1")));
    for (let i = 0; i < 5; i++) (await pool.connect()).release();
    expect(pool.listenerCount("error")).toBe(1);
  });

  it("survives an idle connection that PostgreSQL closes, and the next query reconnects", async () => {
    const errors: Error[] = [];
    const pool = open({ max: 1, onError: (err) => errors.push(err) });
    const { rows } = await pool.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
    const killer = open({ name: "killer", max: 1 });
    await killer.query("SELECT pg_terminate_backend($1)", [rows[0]!.pid]);
    // The idle client's error arrives as an event; wait for it without a clock.
    await new Promise<void>((resolve) => (errors.length ? resolve() : pool.once("error", () => resolve())));
    expect(errors.length).toBeGreaterThan(0);
    const again = await pool.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
    expect(again.rows[0]!.pid).not.toBe(rows[0]!.pid);
  });

  it("survives a checked-out connection that PostgreSQL closes (a library's LISTEN client), reporting it", async () => {
    const errors: Error[] = [];
    const pool = open({ max: 1, onError: (err) => errors.push(err) });
    const held = await pool.connect();
    const { rows } = await held.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
    const ended = new Promise<void>((resolve) => held.once("end", () => resolve()));
    await open({ name: "killer", max: 1 }).query("SELECT pg_terminate_backend($1)", [rows[0]!.pid]);
    await ended;
    expect(errors.map((e) => (e as { code?: string }).code)).toContain("57P01");
    held.release(true);
    expect((await pool.query<{ one: number }>("SELECT 1 AS one")).rows[0]!.one).toBe(1);
  });

  it("refuses a limit that is not a positive count (a typo in WARROOM_DB_POOL is an error, not NaN connections)", () => {
    expect(() => createPool({ connectionString: url, name: "bad", max: Number("twenty") })).toThrow(/max must be an integer/);
    expect(() => createPool({ connectionString: url, name: "bad", max: 0 })).toThrow(/max must be an integer/);
  });
});
