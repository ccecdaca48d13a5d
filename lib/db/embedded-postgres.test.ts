import { mkdtempSync, readFileSync, rmSync } from "node:fs";
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
    await query(first.url, "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('survives')");

    // A second start on the same data directory while the first runs joins it.
    const second = await startEmbeddedPostgres({ dataDir: dir });
    expect(second.owned).toBe(false);
    expect(second.port).toBe(first.port);
    expect(await query(second.url, "SELECT v FROM kept")).toEqual([{ v: "survives" }]);

    // Kill the server hard: its postmaster.pid stays behind, naming a dead process.
    const pidFile = path.join(first.dataDir, "postmaster.pid");
    const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
    process.kill(pid, "SIGKILL");
    await new Promise((r) => setTimeout(r, 300));
    expect(readFileSync(pidFile, "utf8")).toContain(String(pid));

    const third = await startEmbeddedPostgres({ dataDir: dir });
    try {
      expect(third.owned).toBe(true);
      expect(await query(third.url, "SELECT v FROM kept")).toEqual([{ v: "survives" }]);
    } finally {
      await third.stop();
    }
  }, 60_000);
});
