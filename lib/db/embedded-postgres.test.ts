import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { startEmbeddedPostgres } from "./embedded-postgres";

const dir = mkdtempSync(path.join(tmpdir(), "warroom-embedded-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function query(url: string, sql: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql)).rows;
  } finally {
    await c.end();
  }
}

describe("embedded PostgreSQL", () => {
  it("keeps data across restarts, joins a running server, and recovers the stale lock of a killed run", async () => {
    const first = await startEmbeddedPostgres({ dataDir: dir });
    expect(first.owned).toBe(true);
    await query(first.ownerUrl, "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('survives')");

    // A second start on the same data directory while the first runs joins it.
    const second = await startEmbeddedPostgres({ dataDir: dir });
    expect(second.owned).toBe(false);
    expect(second.port).toBe(first.port);
    expect(await query(second.ownerUrl, "SELECT v FROM kept")).toEqual([{ v: "survives" }]);

    // Kill the server hard: its postmaster.pid stays behind, naming a dead process.
    const pidFile = path.join(first.dataDir, "postmaster.pid");
    const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
    process.kill(pid, "SIGKILL");
    await new Promise((r) => setTimeout(r, 300));
    expect(readFileSync(pidFile, "utf8")).toContain(String(pid));

    const third = await startEmbeddedPostgres({ dataDir: dir });
    try {
      expect(third.owned).toBe(true);
      expect(await query(third.ownerUrl, "SELECT v FROM kept")).toEqual([{ v: "survives" }]);
    } finally {
      await third.stop();
    }
  }, 60_000);
});

describe("embedded PostgreSQL roles", () => {
  const roleOf = async (url: string) =>
    (await query(url, "SELECT current_user AS role, rolsuper AS superuser, rolcreaterole AS createrole, rolcreatedb AS createdb FROM pg_roles WHERE rolname = current_user"))[0];

  it("creates an owner (superuser) and a restricted runtime role, each with its own stored password", async () => {
    const own = mkdtempSync(path.join(tmpdir(), "warroom-roles-"));
    const pg1 = await startEmbeddedPostgres({ dataDir: own });
    try {
      expect(await roleOf(pg1.ownerUrl)).toEqual({ role: "warroom", superuser: true, createrole: true, createdb: true });
      expect(await roleOf(pg1.runtimeUrl)).toEqual({ role: "warroom_app", superuser: false, createrole: false, createdb: false });
      const owner = JSON.parse(readFileSync(path.join(own, "credentials.json"), "utf8"));
      const runtime = JSON.parse(readFileSync(path.join(own, "runtime-credentials.json"), "utf8"));
      expect(runtime.user).toBe("warroom_app");
      expect(runtime.password).toMatch(/^[\w-]{20,}$/);
      expect(runtime.password).not.toBe(owner.password);
      expect(pg1.runtimeUrl).toContain(encodeURIComponent(runtime.password));
    } finally {
      await pg1.stop();
      rmSync(own, { recursive: true, force: true });
    }
  }, 60_000);

  it("upgrades a data directory of the one-role version: the runtime role is created on start", async () => {
    const own = mkdtempSync(path.join(tmpdir(), "warroom-roles-"));
    try {
      const before = await startEmbeddedPostgres({ dataDir: own });
      // Make it look like the previous version left it: one role, one credentials file.
      await query(before.ownerUrl, "DROP ROLE warroom_app");
      await before.stop();
      rmSync(path.join(own, "runtime-credentials.json"));

      const after = await startEmbeddedPostgres({ dataDir: own });
      try {
        expect(existsSync(path.join(own, "runtime-credentials.json"))).toBe(true);
        expect(await roleOf(after.runtimeUrl)).toMatchObject({ role: "warroom_app", superuser: false });
        // A lost runtime credentials file is not fatal either: the role's password follows the new file.
        rmSync(path.join(own, "runtime-credentials.json"));
        const joined = await startEmbeddedPostgres({ dataDir: own });
        expect(joined.owned).toBe(false);
        expect(joined.runtimeUrl).not.toBe(after.runtimeUrl);
        expect(await roleOf(joined.runtimeUrl)).toMatchObject({ role: "warroom_app" });
      } finally {
        await after.stop();
      }
    } finally {
      rmSync(own, { recursive: true, force: true });
    }
  }, 60_000);
});
