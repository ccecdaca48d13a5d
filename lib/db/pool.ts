// The one way this code base opens a pg pool: every pool gets its error listener exactly once, at
// creation (a listener added per use leaks, and a pool without one lets an idle connection that
// PostgreSQL closed crash the process), a name PostgreSQL shows in pg_stat_activity, and bounded
// waits, so a database that stops answering turns into errors, not hung requests.
import pg from "pg";

export interface PoolOptions {
  connectionString: string;
  /** Shown as application_name ("warroom-<name>") in pg_stat_activity and PostgreSQL's logs. */
  name: string;
  /** Connections at most (default 10). */
  max?: number;
  /** How long a query waits for a free connection (default 3 s). */
  connectionTimeoutMillis?: number;
  /** How long an unused connection stays open (default 30 s). */
  idleTimeoutMillis?: number;
  /** Errors of idle connections; by default dropped: the pool discards the connection and the next query reconnects. */
  onError?: (err: Error) => void;
}

export const POOL_DEFAULTS = { max: 10, connectionTimeoutMillis: 3000, idleTimeoutMillis: 30_000 } as const;

export function createPool(opts: PoolOptions): pg.Pool {
  const max = opts.max ?? POOL_DEFAULTS.max;
  if (!Number.isInteger(max) || max < 1 || max > 500) throw new Error(`pool "${opts.name}": max must be an integer from 1 to 500, not ${opts.max}`);
  const pool = new pg.Pool({
    connectionString: opts.connectionString,
    application_name: `warroom-${opts.name}`,
    max,
    connectionTimeoutMillis: opts.connectionTimeoutMillis ?? POOL_DEFAULTS.connectionTimeoutMillis,
    idleTimeoutMillis: opts.idleTimeoutMillis ?? POOL_DEFAULTS.idleTimeoutMillis,
  });
  const onError = opts.onError ?? (() => {});
  pool.on("error", onError);
  // A connection checked out for long (a LISTEN client a library keeps, a held advisory lock) has no
  // pool listener while out: PostgreSQL going away would be an uncaught 'error' event, i.e. a crash.
  // Each connection gets one listener of its own, once, when it is opened; its owner still sees the
  // failure through its queries and its 'end' event.
  pool.on("connect", (client) => client.on("error", onError));
  return pool;
}
