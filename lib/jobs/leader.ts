// Leader election among server processes sharing one database: whoever holds the PostgreSQL
// advisory lock on its own connection runs the job. If the holder dies its connection closes,
// PostgreSQL releases the lock, and another process takes over at its next attempt (every 2 s).
import pg from "pg";

export interface Leadership {
  isLeader(): boolean;
  stop(): Promise<void>;
}

export function runAsLeader(opts: {
  url: string;
  lockKey: number;
  name: string;
  /** Starts the job; returns how to stop it. Called each time leadership is gained. */
  lead: () => Promise<() => Promise<void>> | (() => Promise<void>);
  log: (line: string) => void;
  retryMs?: number;
}): Leadership {
  const retryMs = opts.retryMs ?? 2000;
  let client: pg.Client | null = null;
  let stopJob: (() => Promise<void>) | null = null;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;

  const resign = async (why: string) => {
    if (stopJob) {
      opts.log(`${opts.name}: no longer leader (${why})`);
      const s = stopJob;
      stopJob = null;
      await s().catch(() => {});
    }
    const c = client;
    client = null;
    await c?.end().catch(() => {});
  };

  const attempt = async () => {
    if (stopped) return;
    try {
      if (!client) {
        const c = new pg.Client({ connectionString: opts.url, connectionTimeoutMillis: 3000 });
        c.on("error", (err) => void resign(err.message));
        await c.connect();
        client = c;
      }
      if (!stopJob) {
        const r = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1) AS locked", [opts.lockKey]);
        if (r.rows[0]?.locked) {
          opts.log(`${opts.name}: this process is the leader`);
          stopJob = await opts.lead();
        }
      } else {
        // Still connected means still holding the lock.
        await client.query("SELECT 1");
      }
    } catch (err) {
      await resign((err as Error).message);
    } finally {
      if (!stopped) timer = setTimeout(() => void attempt(), retryMs);
    }
  };
  void attempt();

  return {
    isLeader: () => stopJob !== null,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await resign("stopping");
    },
  };
}
