// The database keeps the audit log's promise: the app's runtime role reads and appends, and can do
// nothing else to the audit log or the migration history, while ordinary work succeeds; the
// start-up check refuses a runtime connection that could break that promise.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { db } from "@/lib/db/client";
import { createFixture, createFreshDatabase, createTeam } from "@/lib/testing/fixtures";
import { prepareDatabase, StartupError } from "./connection";
import { applyGrants, auditTamperingRights, RUNTIME_ROLE } from "./roles";
import { withClient } from "@/lib/testing/pg";


/** The error PostgreSQL raised for `sql`, or null when it succeeded. */
async function failure(c: pg.Client, sql: string): Promise<{ code?: string; message: string } | null> {
  try {
    await c.query(sql);
    return null;
  } catch (err) {
    return { code: (err as { code?: string }).code, message: (err as Error).message };
  }
}

const withDb = (url: string, name: string) => url.replace(/\/[^/]+$/, `/${name}`);

let runtimeUrl: string;
let ownerUrl: string;

beforeAll(async () => {
  ({ ownerUrl, runtimeUrl } = await createFreshDatabase());
  // The Prisma client of this file runs as the runtime role, as the app does.
  process.env.DATABASE_URL = runtimeUrl;
});

describe("the runtime role and the audit log", () => {
  it("appends and reads audit events, and every way of rewriting them is refused by privilege, not by the trigger", async () => {
    await withClient(runtimeUrl, async (c) => {
      expect((await c.query("SELECT current_user AS u")).rows[0]).toEqual({ u: RUNTIME_ROLE });
      const { rows } = await c.query<{ id: string }>("INSERT INTO audit_events (actor_name, action, subject) VALUES ('tester', 'test.append', 'x') RETURNING id");
      const id = rows[0]!.id;
      expect((await c.query("SELECT action FROM audit_events WHERE id = $1", [id])).rows).toEqual([{ action: "test.append" }]);
      const before = (await c.query("SELECT count(*)::int AS n FROM audit_events")).rows[0].n;

      const refused: Record<string, RegExp> = {
        [`DELETE FROM audit_events WHERE id = ${id}`]: /^permission denied for table audit_events$/,
        [`UPDATE audit_events SET action = 'rewritten' WHERE id = ${id}`]: /^permission denied for table audit_events$/,
        "TRUNCATE audit_events": /^permission denied for table audit_events$/,
        "ALTER TABLE audit_events DISABLE TRIGGER ALL": /^must be owner of table audit_events$/,
        "ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_delete": /^must be owner of table audit_events$/,
        "DROP TRIGGER audit_events_no_update_delete ON audit_events": /^must be owner of (table|relation) audit_events$/,
        "DROP TRIGGER audit_events_no_truncate ON audit_events": /^must be owner of (table|relation) audit_events$/,
        "DROP TABLE audit_events": /^must be owner of table audit_events$/,
        [`ALTER TABLE audit_events OWNER TO ${RUNTIME_ROLE}`]: /^must be owner of table audit_events$/,
        "CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN OLD; END $$": /^permission denied for schema public$/,
        "ALTER FUNCTION audit_events_append_only() RENAME TO allow_everything": /^must be owner of function audit_events_append_only$/,
        // Replica mode skips ordinary triggers: only a superuser may switch to it.
        "SET session_replication_role = replica": /^permission denied to set parameter "session_replication_role"$/,
        // Resetting the id sequence would let forged history slot in between real events.
        "SELECT setval('audit_events_id_seq', 1)": /^permission denied for sequence audit_events_id_seq$/,
        "SET ROLE warroom": /^permission denied to set role "warroom"$/,
        "CREATE TABLE shadow_audit (id int)": /^permission denied for schema public$/,
      };
      for (const [sql, message] of Object.entries(refused)) {
        const err = await failure(c, sql);
        expect(err, sql).not.toBeNull();
        expect(err!.message, sql).toMatch(message);
        expect(err!.code, sql).toBe("42501");
      }
      expect((await c.query("SELECT count(*)::int AS n FROM audit_events")).rows[0].n).toBe(before);
      expect((await c.query("SELECT action FROM audit_events WHERE id = $1", [id])).rows).toEqual([{ action: "test.append" }]);
    });
    // The owner still finds both triggers in place.
    await withClient(ownerUrl, async (c) => {
      const { rows } = await c.query("SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid = 'audit_events'::regclass AND NOT tgisinternal ORDER BY tgname");
      expect(rows).toEqual([
        { tgname: "audit_events_no_truncate", tgenabled: "O" },
        { tgname: "audit_events_no_update_delete", tgenabled: "O" },
      ]);
    });
  });

  it("cannot read or write the migration history at all", async () => {
    await withClient(runtimeUrl, async (c) => {
      for (const sql of [
        "SELECT * FROM _prisma_migrations",
        "SELECT count(*) FROM _prisma_migrations",
        "DELETE FROM _prisma_migrations",
        "UPDATE _prisma_migrations SET checksum = 'x'",
        "INSERT INTO _prisma_migrations (id, checksum, migration_name) VALUES ('x', 'x', 'x')",
        "TRUNCATE _prisma_migrations",
      ]) {
        const err = await failure(c, sql);
        expect(err?.message, sql).toBe("permission denied for table _prisma_migrations");
      }
    });
    await withClient(ownerUrl, async (c) => expect(Number((await c.query("SELECT count(*) AS n FROM _prisma_migrations")).rows[0].n)).toBeGreaterThan(0));
  });
});

describe("the runtime role at work", () => {
  it("holds exactly the privileges it needs on every table: read-write, read-append on the audit log and the used action links, none on the migration history", async () => {
    const rows = await withClient(ownerUrl, async (c) =>
      (
        await c.query<{ t: string; privileges: string }>(
          `SELECT c.relname AS t, concat_ws(',',
                    CASE WHEN has_table_privilege($1, c.oid, 'SELECT') THEN 'SELECT' END,
                    CASE WHEN has_table_privilege($1, c.oid, 'INSERT') THEN 'INSERT' END,
                    CASE WHEN has_table_privilege($1, c.oid, 'UPDATE') THEN 'UPDATE' END,
                    CASE WHEN has_table_privilege($1, c.oid, 'DELETE') THEN 'DELETE' END,
                    CASE WHEN has_table_privilege($1, c.oid, 'TRUNCATE') THEN 'TRUNCATE' END,
                    CASE WHEN has_table_privilege($1, c.oid, 'REFERENCES') THEN 'REFERENCES' END,
                    CASE WHEN has_table_privilege($1, c.oid, 'TRIGGER') THEN 'TRIGGER' END) AS privileges
             FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm') ORDER BY 1`,
          [RUNTIME_ROLE],
        )
      ).rows,
    );
    expect(rows.length).toBeGreaterThan(20);
    for (const { t, privileges } of rows) {
      const expected = t === "audit_events" || t === "action_link_uses" ? "SELECT,INSERT" : t === "_prisma_migrations" ? "" : "SELECT,INSERT,UPDATE,DELETE";
      expect(`${t}: ${privileges}`).toBe(`${t}: ${expected}`);
    }
  });

  it("writes the room through Prisma, draws ids from sequences, LISTENs and NOTIFYs, and takes advisory locks", async () => {
    const team = await createTeam();
    const f = await createFixture(team, { state: "in_progress" });
    await db().item.update({ where: { id: f.qaItemId }, data: { state: "done", version: { increment: 1 } } });
    await db().contact.delete({ where: { id: f.contactId } });
    await db().$transaction(async (tx) => {
      await tx.$executeRawUnsafe("SELECT pg_advisory_xact_lock(7001)");
      await tx.auditEvent.create({ data: { cutoverId: f.cutoverId, actorName: "tester", action: "test.prisma", subject: "item" } });
    });
    const sample = await db().metricSample.create({ data: { metricId: f.metricId, system: "old", at: new Date(), value: 1, status: "ok" } });
    expect(typeof sample.id).toBe("bigint");
    await db().metricSample.deleteMany({ where: { metricId: f.metricId } });
    expect(await db().auditEvent.count({ where: { cutoverId: f.cutoverId, action: "test.prisma" } })).toBe(1);

    const listener = new pg.Client({ connectionString: runtimeUrl });
    await listener.connect();
    try {
      const heard = new Promise<string>((resolve) => listener.on("notification", (n) => resolve(n.payload ?? "")));
      await listener.query("LISTEN roles_test");
      await withClient(runtimeUrl, async (c) => {
        await c.query("SELECT pg_notify('roles_test', 'hello')");
        expect((await c.query("SELECT pg_advisory_lock(42) IS NOT NULL AS locked")).rows[0]).toEqual({ locked: true });
        expect((await c.query("SELECT pg_advisory_unlock(42) AS unlocked")).rows[0]).toEqual({ unlocked: true });
      });
      expect(await heard).toBe("hello");
    } finally {
      await listener.end();
    }
  });

  it("gets a new table's privileges at once (default privileges) and loses hand-made extra grants on the next grant run", async () => {
    await withClient(ownerUrl, (c) => c.query("CREATE TABLE later_table (id bigserial PRIMARY KEY, v text)"));
    await withClient(runtimeUrl, async (c) => {
      await c.query("INSERT INTO later_table (v) VALUES ('a')");
      await c.query("UPDATE later_table SET v = 'b'");
      expect((await c.query("SELECT v FROM later_table")).rows).toEqual([{ v: "b" }]);
    });

    await withClient(ownerUrl, (c) => c.query(`GRANT DELETE, TRUNCATE ON audit_events TO ${RUNTIME_ROLE}`));
    expect(await auditTamperingRights(runtimeUrl)).toEqual({ role: RUNTIME_ROLE, problems: ["may DELETE audit_events", "may TRUNCATE audit_events"] });

    await applyGrants(ownerUrl, RUNTIME_ROLE);
    expect(await auditTamperingRights(runtimeUrl)).toEqual({ role: RUNTIME_ROLE, problems: [] });
    await withClient(runtimeUrl, async (c) => {
      expect((await failure(c, "DELETE FROM audit_events"))?.message).toBe("permission denied for table audit_events");
      await c.query("DELETE FROM later_table");
    });
    // Twice in a row changes nothing.
    await applyGrants(ownerUrl, RUNTIME_ROLE);
    expect(await auditTamperingRights(runtimeUrl)).toEqual({ role: RUNTIME_ROLE, problems: [] });
  });
});

describe("the start-up check", () => {
  it("refuses a superuser runtime connection with one clear line, unless the development escape hatch is set", async () => {
    expect(await auditTamperingRights(ownerUrl)).toEqual({ role: "warroom", problems: ["superuser"] });
    const oneRole = { url: ownerUrl, migrationUrl: ownerUrl, embedded: null };
    const err = await prepareDatabase(oneRole, { log: () => {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StartupError);
    expect((err as Error).message).toBe(
      `The app's database role "warroom" can rewrite the audit log (superuser): set MIGRATION_DATABASE_URL to the owner role and DATABASE_URL to a restricted role (README, "Database roles", has the SQL); WARROOM_ALLOW_OWNER_RUNTIME=1 skips this check, for development only`,
    );
    const lines: string[] = [];
    expect(await prepareDatabase(oneRole, { log: (l) => lines.push(l), allowOwnerRuntime: true })).toEqual([]);
    expect(lines).toEqual([expect.stringMatching(/^WARNING: WARROOM_ALLOW_OWNER_RUNTIME=1: the app runs as "warroom", which can rewrite the audit log \(superuser\)/)]);
  });

  it("follows the README: a non-superuser owner migrates and grants, a restricted role serves; either alone is refused", async () => {
    // What an operator runs (README, "Database roles"), here against the test cluster.
    const suffix = randomBytes(4).toString("hex");
    const owner = { user: `owner_${suffix}`, password: randomBytes(12).toString("hex") };
    const app = { user: `app_${suffix}`, password: randomBytes(12).toString("hex") };
    const database = `shop_${suffix}`;
    await withClient(withDb(inject("ownerDatabaseUrl"), "postgres"), async (c) => {
      await c.query(`CREATE ROLE ${owner.user} LOGIN PASSWORD '${owner.password}'`);
      await c.query(`CREATE ROLE ${app.user} LOGIN PASSWORD '${app.password}'`);
      await c.query(`CREATE DATABASE ${database} OWNER ${owner.user}`);
    });
    const base = new URL(inject("ownerDatabaseUrl"));
    const urlOf = (who: { user: string; password: string }) => `postgresql://${who.user}:${who.password}@${base.host}/${database}`;

    // The restricted role alone cannot migrate: the line says what to set.
    const restrictedOnly = await prepareDatabase({ url: urlOf(app), migrationUrl: urlOf(app), embedded: null }, { log: () => {} }).catch((e: unknown) => e);
    expect(restrictedOnly).toBeInstanceOf(StartupError);
    expect((restrictedOnly as Error).message).toMatch(/^The role of DATABASE_URL may not run migrations \(.*permission denied.*\): set MIGRATION_DATABASE_URL to the owner role/);

    // The owner alone migrates, then is refused as the app's role: it owns the audit log.
    const ownerOnly = await prepareDatabase({ url: urlOf(owner), migrationUrl: urlOf(owner), embedded: null }, { log: () => {} }).catch((e: unknown) => e);
    expect(ownerOnly).toBeInstanceOf(StartupError);
    expect((ownerOnly as Error).message).toMatch(
      new RegExp(`^The app's database role "${owner.user}" can rewrite the audit log \\(owner of audit_events, owner of the schema holding audit_events\\): set MIGRATION_DATABASE_URL`),
    );

    // Both: the owner migrates (nothing left to apply) and grants, the restricted role passes the check.
    expect(await prepareDatabase({ url: urlOf(app), migrationUrl: urlOf(owner), embedded: null }, { log: () => {} })).toEqual([]);
    await withClient(urlOf(app), async (c) => {
      await c.query("INSERT INTO audit_events (actor_name, action, subject) VALUES ('x', 'x', 'x')");
      await c.query("INSERT INTO users (id, email, name, password_hash) VALUES (gen_random_uuid(), 'a@b.c', 'A', 'x')");
      expect((await failure(c, "ALTER TABLE audit_events DISABLE TRIGGER ALL"))?.message).toBe("must be owner of table audit_events");
      expect((await failure(c, "DELETE FROM audit_events"))?.message).toBe("permission denied for table audit_events");
      expect((await failure(c, "SELECT 1 FROM _prisma_migrations"))?.message).toBe("permission denied for table _prisma_migrations");
    });
  }, 60_000);

  it("stops the server start with that line and no stack trace when DATABASE_URL is the superuser", async () => {
    const { ownerUrl: url } = await createFreshDatabase();
    const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: url, PORT: "0", WARROOM_DATA_DIR: ".data/test-owner-runtime" };
    delete env.MIGRATION_DATABASE_URL;
    delete env.WARROOM_ALLOW_OWNER_RUNTIME;
    const child = spawn(process.execPath, ["node_modules/tsx/dist/cli.mjs", "lib/server/main.ts"], { env });
    let stderr = "";
    let stdout = "";
    child.stderr.on("data", (d) => (stderr += d));
    child.stdout.on("data", (d) => (stdout += d));
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(code).toBe(1);
    const lines = stderr.trim().split("\n").filter((l) => !l.includes("nodedir"));
    expect(lines).toEqual([expect.stringMatching(/^\[warroom\] The app's database role "warroom" can rewrite the audit log \(superuser\): set MIGRATION_DATABASE_URL to the owner role and DATABASE_URL to a restricted role/)]);
    expect(stdout).not.toContain("ready");
  }, 90_000);
});
