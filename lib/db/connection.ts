// Where the database comes from: DATABASE_URL when set (checked within 15 s, one clear line on
// failure), otherwise the embedded PostgreSQL with its data under the data directory.
import path from "node:path";
import pg from "pg";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "./embedded-postgres";

export class StartupError extends Error {}

export interface DatabaseHandle {
  url: string;
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

export async function openDatabase(opts: { databaseUrl: string | null; dataDir: string; log: (line: string) => void }): Promise<DatabaseHandle> {
  if (opts.databaseUrl) {
    await checkReachable(opts.databaseUrl);
    return { url: opts.databaseUrl, embedded: null };
  }
  const dir = path.join(opts.dataDir, "postgres");
  const embedded = await startEmbeddedPostgres({ dataDir: dir, log: opts.log });
  opts.log(`embedded PostgreSQL ${embedded.owned ? "started" : "joined"} on 127.0.0.1:${embedded.port}, data in ${embedded.dataDir}`);
  return { url: embedded.url, embedded };
}
