import { describe, expect, inject, it } from "vitest";
import { applyMigrations, readMigrationList } from "./migrate";
import { withClient } from "@/lib/testing/pg";

// The owner: it runs migrations and reads their history (the runtime role may not).
const url = inject("ownerDatabaseUrl");


describe("offline migrations", () => {
  it("recorded every migration as prisma migrate deploy does, and a second run applies nothing", async () => {
    const dirs = (await readMigrationList()).migrationDirectories.map((d) => d.path);
    expect(dirs.length).toBeGreaterThan(0);
    const rows = await withClient(url, (c) => c.query<{ migration_name: string; checksum: string; finished_at: Date | null }>("SELECT migration_name, checksum, finished_at FROM _prisma_migrations ORDER BY migration_name"));
    expect(rows.rows.map((r) => r.migration_name)).toEqual(dirs);
    for (const r of rows.rows) {
      expect(r.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(r.finished_at).not.toBeNull();
    }
    expect(await applyMigrations(url)).toEqual([]);
  });

  it("indexes every foreign key", async () => {
    const unindexed = await withClient(url, (c) =>
      c.query<{ tbl: string; col: string }>(`
        SELECT conrelid::regclass::text AS tbl, a.attname AS col
        FROM pg_constraint con
        JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = con.conkey[1]
        WHERE con.contype = 'f' AND NOT EXISTS (
          SELECT 1 FROM pg_index i WHERE i.indrelid = con.conrelid AND i.indkey[0] = con.conkey[1])`),
    );
    expect(unindexed.rows).toEqual([]);
  });

  it("refuses UPDATE, DELETE and TRUNCATE on the audit log", async () => {
    await withClient(url, async (c) => {
      const { rows } = await c.query<{ id: string }>("INSERT INTO audit_events (actor_name, action, subject) VALUES ('test', 'test.append', 'x') RETURNING id");
      const id = rows[0]!.id;
      await expect(c.query("UPDATE audit_events SET action = 'changed' WHERE id = $1", [id])).rejects.toThrow(/append-only: UPDATE refused/);
      await expect(c.query("DELETE FROM audit_events WHERE id = $1", [id])).rejects.toThrow(/append-only: DELETE refused/);
      await expect(c.query("TRUNCATE audit_events")).rejects.toThrow(/append-only: TRUNCATE refused/);
      const still = await c.query("SELECT action FROM audit_events WHERE id = $1", [id]);
      expect(still.rows[0]).toEqual({ action: "test.append" });
    });
  });
});
