// Two database roles keep the audit log's promise. The owner runs migrations and owns every table,
// the append-only trigger included; the app runs as a runtime role that may only read and append
// to audit_events, cannot see the migration history, and - not owning anything - cannot alter,
// disable or drop the trigger. Every privilege the runtime role holds is granted here, after each
// migration run, so a new table gets its grants the moment it exists.
import pg from "pg";

/** The runtime role the embedded PostgreSQL creates; with DATABASE_URL the operator names it. */
export const RUNTIME_ROLE = "warroom_app";

/** Read and append only: the history of the cutover is never rewritten by the app, and a used action link stays used. */
const APPEND_ONLY_TABLES = ["audit_events", "action_link_uses"];
/** Not readable at all: the app never needs the migration history, only the owner does. */
const HIDDEN_TABLES = ["_prisma_migrations"];

// Serialises concurrent grant runs of several app processes starting at once (GRANT/REVOKE on
// the same objects from two transactions fails with "tuple concurrently updated").
const GRANTS_LOCK = 724_002;

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

export async function currentRole(url: string): Promise<string> {
  return withClient(url, async (c) => (await c.query<{ r: string }>("SELECT current_user AS r")).rows[0]!.r);
}

/**
 * Creates the runtime login role when missing, and otherwise brings its password and attributes
 * back to what they must be (a restored data directory, a credentials file written again). Runs
 * as a role that may create roles: the embedded cluster's owner.
 */
export async function ensureRuntimeRole(ownerUrl: string, runtime: { user: string; password: string }): Promise<void> {
  await withClient(ownerUrl, async (c) => {
    const role = c.escapeIdentifier(runtime.user);
    const attributes = `LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD ${c.escapeLiteral(runtime.password)}`;
    const found = await c.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [runtime.user]);
    if (found.rowCount === 0) {
      try {
        await c.query(`CREATE ROLE ${role} ${attributes}`);
        return;
      } catch (err) {
        // Another process of ours created it a moment ago: fall through and align it.
        const code = (err as { code?: string }).code;
        if (code !== "42710" && code !== "23505") throw err;
      }
    }
    await c.query(`ALTER ROLE ${role} ${attributes}`);
  });
}

/**
 * (Re)applies the runtime role's privileges on the owner's schema: called after every migration
 * run. Everything is first revoked, then granted, in one transaction, so a privilege granted by
 * hand or by an older version (DELETE on the audit log, say) does not survive a start.
 */
export async function applyGrants(ownerUrl: string, runtimeRole: string): Promise<void> {
  await withClient(ownerUrl, async (c) => {
    const owner = (await c.query<{ owner: string; schema: string; db: string }>("SELECT current_user AS owner, current_schema() AS schema, current_database() AS db")).rows[0]!;
    if (owner.owner === runtimeRole) return; // one role for both: nothing to grant (the start-up check decides)
    const id = (s: string) => c.escapeIdentifier(s);
    const app = id(runtimeRole);
    const schema = id(owner.schema);
    const inSchema = (table: string) => `${schema}.${id(table)}`;
    const existing = new Set(
      (await c.query<{ relname: string }>("SELECT relname FROM pg_class WHERE relnamespace = current_schema()::regnamespace AND relname = ANY($1)", [[...APPEND_ONLY_TABLES, ...HIDDEN_TABLES]])).rows.map((r) => r.relname),
    );
    // Sequences feeding an append-only table: drawing ids yes, resetting them (setval) no.
    const appendOnlySequences = (
      await c.query<{ seq: string }>(
        `SELECT s.relname AS seq FROM pg_depend d
           JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
           JOIN pg_class t ON t.oid = d.refobjid
          WHERE t.relnamespace = current_schema()::regnamespace AND t.relname = ANY($1) AND d.deptype IN ('a', 'i')`,
        [APPEND_ONLY_TABLES],
      )
    ).rows.map((r) => r.seq);

    await c.query("BEGIN");
    try {
      await c.query("SELECT pg_advisory_xact_lock($1)", [GRANTS_LOCK]);
      await c.query(`GRANT CONNECT ON DATABASE ${id(owner.db)} TO ${app}`);
      await c.query(`GRANT USAGE ON SCHEMA ${schema} TO ${app}`);
      await c.query(`REVOKE ALL ON ALL TABLES IN SCHEMA ${schema} FROM ${app}`);
      await c.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${schema} TO ${app}`);
      for (const t of APPEND_ONLY_TABLES) {
        if (!existing.has(t)) continue;
        await c.query(`REVOKE ALL ON ${inSchema(t)} FROM ${app}`);
        await c.query(`GRANT SELECT, INSERT ON ${inSchema(t)} TO ${app}`);
      }
      for (const t of HIDDEN_TABLES) if (existing.has(t)) await c.query(`REVOKE ALL ON ${inSchema(t)} FROM ${app}`);
      await c.query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA ${schema} FROM ${app}`);
      await c.query(`GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA ${schema} TO ${app}`);
      for (const s of appendOnlySequences) await c.query(`REVOKE UPDATE ON SEQUENCE ${inSchema(s)} FROM ${app}`);
      await c.query(`GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA ${schema} TO ${app}`);
      // Objects a later migration creates are usable before the grants above run again.
      await c.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${app}`);
      await c.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO ${app}`);
      await c.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} GRANT EXECUTE ON FUNCTIONS TO ${app}`);
      await c.query("COMMIT");
    } catch (err) {
      await c.query("ROLLBACK").catch(() => {});
      throw err;
    }
  });
}

export interface RuntimeRoleReport {
  role: string;
  /** Why this role could rewrite or erase the audit log; empty when it cannot. */
  problems: string[];
}

/**
 * What the role behind `url` could do to the audit log beyond reading and appending: anything
 * listed means the append-only trigger is a promise that role could break.
 */
export async function auditTamperingRights(url: string): Promise<RuntimeRoleReport> {
  return withClient(url, async (c) => {
    const { rows } = await c.query<{
      role: string;
      superuser: boolean;
      createrole: boolean;
      found: boolean;
      owns_table: boolean | null;
      owns_schema: boolean | null;
      can_update: boolean | null;
      can_delete: boolean | null;
      can_truncate: boolean | null;
    }>(`
      SELECT current_user AS role, r.rolsuper AS superuser, r.rolcreaterole AS createrole, t.oid IS NOT NULL AS found,
             pg_has_role(current_user, t.relowner, 'MEMBER') AS owns_table,
             pg_has_role(current_user, n.nspowner, 'MEMBER') AS owns_schema,
             has_any_column_privilege(t.oid, 'UPDATE') AS can_update,
             has_table_privilege(t.oid, 'DELETE') AS can_delete,
             has_table_privilege(t.oid, 'TRUNCATE') AS can_truncate
        FROM pg_roles r
        LEFT JOIN pg_class t ON t.oid = to_regclass('audit_events')
        LEFT JOIN pg_namespace n ON n.oid = t.relnamespace
       WHERE r.rolname = current_user`);
    const r = rows[0]!;
    const problems: string[] = [];
    if (r.superuser) problems.push("superuser");
    if (!r.found) problems.push("audit_events not found in its search_path");
    if (r.owns_table) problems.push("owner of audit_events");
    // The owner of a schema may drop any table in it.
    if (r.owns_schema) problems.push("owner of the schema holding audit_events");
    // An owner holds every privilege anyway: name only what a non-owner was granted.
    if (!r.owns_table) {
      if (r.can_update) problems.push("may UPDATE audit_events");
      if (r.can_delete) problems.push("may DELETE audit_events");
      if (r.can_truncate) problems.push("may TRUNCATE audit_events");
    }
    // A role that creates roles can grant itself the owner's membership (before PostgreSQL 16).
    if (r.createrole) problems.push("may create roles");
    return { role: r.role, problems: r.superuser ? problems.filter((p) => p === "superuser") : problems };
  });
}

/** The one line the server stops with when its runtime role could tamper with the audit log. */
export function tamperingMessage(report: RuntimeRoleReport): string {
  return (
    `The app's database role "${report.role}" can rewrite the audit log (${report.problems.join(", ")}): ` +
    `set MIGRATION_DATABASE_URL to the owner role and DATABASE_URL to a restricted role ` +
    `(README, "Database roles", has the SQL); WARROOM_ALLOW_OWNER_RUNTIME=1 skips this check, for development only`
  );
}
