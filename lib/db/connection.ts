// Where the database comes from: DATABASE_URL when set (checked within 15 s, one clear line on
// failure), otherwise the embedded PostgreSQL with its data under the data directory. Two roles:
// the app's runtime connection (DATABASE_URL) and the owner that migrates and grants
// (MIGRATION_DATABASE_URL, the same URL when not given).
import path from "node:path";
import pg from "pg";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "./embedded-postgres";
import { applyMigrations } from "./migrate";
import { applyGrants, auditTamperingRights, currentRole, tamperingMessage } from "./roles";

export class StartupError extends Error {}

export interface DatabaseHandle {
  /** The runtime role's connection: the only one the app serves with. */
  url: string;
  /** The owner's connection: migrations and grants at start, nothing else. */
  migrationUrl: string;
  embedded: EmbeddedPostgres | null;
}

function describeHost(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}`;
  } catch {
    return "(unparseable DATABASE_URL)";
  }
}

function firstLine(err: unknown): string {
  return String((err as Error)?.message ?? err).split("\n")[0]!.trim();
}

export async function checkReachable(url: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: Error | null = null;
  while (Date.now() < deadline) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: Math.max(500, Math.min(5000, deadline - Date.now())) });
    try {
      await client.connect();
      await client.query("SELECT 1");
      await client.end();
      return;
    } catch (err) {
      last = err as Error;
      await client.end().catch(() => {});
      // Wrong credentials or a missing database will not fix themselves: fail at once.
      const code = (err as { code?: string }).code;
      if (code === "28P01" || code === "28000" || code === "3D000") break;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  throw new StartupError(`Cannot reach PostgreSQL at ${describeHost(url)}: ${last?.message ?? "timed out"}`);
}

export async function openDatabase(opts: {
  databaseUrl: string | null;
  migrationDatabaseUrl?: string | null;
  dataDir: string;
  log: (line: string) => void;
}): Promise<DatabaseHandle> {
  if (opts.databaseUrl) {
    await checkReachable(opts.databaseUrl);
    if (opts.migrationDatabaseUrl && opts.migrationDatabaseUrl !== opts.databaseUrl) await checkReachable(opts.migrationDatabaseUrl);
    return { url: opts.databaseUrl, migrationUrl: opts.migrationDatabaseUrl || opts.databaseUrl, embedded: null };
  }
  // Migrating some other database while serving from the embedded one is never what was meant.
  if (opts.migrationDatabaseUrl) throw new StartupError("MIGRATION_DATABASE_URL is set but DATABASE_URL is not: set both (owner and runtime role) or neither (embedded PostgreSQL)");
  const dir = path.join(opts.dataDir, "postgres");
  // Supervised: a postmaster that dies is brought back on the same data and port, and every pool
  // of the app reconnects to it by itself. Whatever stops the start is said in one line.
  const embedded = await startEmbeddedPostgres({ dataDir: dir, log: opts.log, supervise: true }).catch((err: unknown) => {
    throw new StartupError(`The embedded PostgreSQL could not start: ${firstLine(err)}. Set DATABASE_URL to a PostgreSQL server instead, or see README "When PostgreSQL fails"`);
  });
  opts.log(`embedded PostgreSQL ${embedded.owned ? "started" : "joined"} on 127.0.0.1:${embedded.port}, data in ${embedded.dataDir}`);
  return { url: embedded.runtimeUrl, migrationUrl: embedded.ownerUrl, embedded };
}

/**
 * Migrates as the owner, (re)grants the runtime role its privileges, then refuses to go on if the
 * runtime role could rewrite the audit log, unless `allowOwnerRuntime` (development only).
 * Returns the migrations applied now.
 */
export async function prepareDatabase(database: DatabaseHandle, opts: { log: (line: string) => void; allowOwnerRuntime?: boolean }): Promise<string[]> {
  let applied: string[];
  try {
    applied = await applyMigrations(database.migrationUrl);
  } catch (err) {
    if (database.migrationUrl === database.url && /permission denied|must be owner/i.test(String((err as Error)?.message ?? err))) {
      throw new StartupError(
        `The role of DATABASE_URL may not run migrations (${(err as Error).message.split("\n")[0]}): set MIGRATION_DATABASE_URL to the owner role (README, "Database roles")`,
      );
    }
    throw err;
  }
  const [owner, runtime] = await Promise.all([currentRole(database.migrationUrl), currentRole(database.url)]);
  if (owner !== runtime) await applyGrants(database.migrationUrl, runtime);
  const report = await auditTamperingRights(database.url);
  if (report.problems.length > 0) {
    if (!opts.allowOwnerRuntime) throw new StartupError(tamperingMessage(report));
    opts.log(`WARNING: WARROOM_ALLOW_OWNER_RUNTIME=1: the app runs as "${report.role}", which can rewrite the audit log (${report.problems.join(", ")}). Development only.`);
  }
  return applied;
}
