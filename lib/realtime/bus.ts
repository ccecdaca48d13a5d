// The realtime bus. A domain change is written in a transaction that also calls pg_notify, so
// the announcement is delivered only if (and when) the change commits. Every server process
// LISTENs on one channel and forwards events to its socket.io clients. Only this module knows
// the channel and the payload encoding.
import pg from "pg";
import { z } from "zod";
import { eventEnvelopeSchema, type Announcement } from "./events";

export const BUS_CHANNEL = "warroom_events";

/** What is announced is typed per event (./events.ts); what is relayed is checked as far as its envelope. */
export const busEventSchema = eventEnvelopeSchema;
export type BusEvent = z.infer<typeof busEventSchema>;

/**
 * An event about a person rather than a cutover: they were disabled, re-enabled, their password
 * was reset or their global roles changed. Every process re-checks that user's sessions, API
 * tokens and open sockets (lib/server/main.ts).
 */
export const accessEventSchema = z.object({
  type: z.literal("user.access_changed"),
  userId: z.string().uuid(),
  at: z.string(),
});
export type AccessEvent = z.infer<typeof accessEventSchema>;

/** Anything that can run a parameterised statement inside the caller's transaction. */
export interface SqlRunner {
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
}

// PostgreSQL caps a NOTIFY payload at 8000 bytes: events carry ids and a summary, never whole records.
const MAX_PAYLOAD = 7900;

/** The NOTIFY payload of an event, for statements that announce in SQL: `pg_notify(BUS_CHANNEL, payload)`. */
export function busPayload(event: Announcement): string {
  const full: BusEvent = { ...event, at: event.at ?? new Date().toISOString() };
  const payload = JSON.stringify(full);
  return Buffer.byteLength(payload) > MAX_PAYLOAD ? JSON.stringify({ ...full, data: { truncated: true } }) : payload;
}

export async function announce(tx: SqlRunner, event: Announcement): Promise<void> {
  await tx.$executeRawUnsafe("SELECT pg_notify($1, $2)", BUS_CHANNEL, busPayload(event));
}

/** Announces, on commit of the caller's transaction, that a user's access changed. */
export async function announceAccessChange(tx: SqlRunner, userId: string): Promise<void> {
  const event: AccessEvent = { type: "user.access_changed", userId, at: new Date().toISOString() };
  await tx.$executeRawUnsafe("SELECT pg_notify($1, $2)", BUS_CHANNEL, JSON.stringify(event));
}

export interface BusListener {
  stop(): Promise<void>;
  connected(): boolean;
}

/**
 * LISTENs with its own connection and reconnects with backoff when PostgreSQL goes away.
 * `onResync` is called each time the LISTEN is back after a lost (or failed) connection: whatever
 * was committed meanwhile was announced to nobody here, so whoever shows state must refetch it.
 */
export function listen(
  url: string,
  onEvent: (event: BusEvent) => void,
  log: (line: string) => void = () => {},
  onAccessChange: (event: AccessEvent) => void = () => {},
  onResync: () => void = () => {},
): BusListener {
  let client: pg.Client | null = null;
  let stopped = false;
  let isConnected = false;
  let attempt = 0;
  let firstTry = true;
  let lostAt = 0;
  let timer: NodeJS.Timeout | null = null;

  const connect = async () => {
    if (stopped) return;
    const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
    client = c;
    c.on("notification", (msg) => {
      if (msg.channel !== BUS_CHANNEL || !msg.payload) return;
      try {
        const json: unknown = JSON.parse(msg.payload);
        // Handled in the order of commit, like cutover events: nothing committed after a
        // user's access changed reaches their sockets before the change is acted on.
        const access = accessEventSchema.safeParse(json);
        if (access.success) return onAccessChange(access.data);
        const parsed = busEventSchema.safeParse(json);
        if (parsed.success) onEvent(parsed.data);
        else log(`bus: ignored malformed event: ${parsed.error.issues[0]?.message}`);
      } catch {
        log("bus: ignored a payload that is not JSON");
      }
    });
    const retry = (why: string) => {
      if (stopped || client !== c) return;
      if (isConnected) lostAt = Date.now();
      isConnected = false;
      client = null;
      c.end().catch(() => {});
      // Capped low: a PostgreSQL restart takes seconds, and pages wait for this reconnect to resync.
      const delay = Math.min(2000, 100 * 2 ** attempt++);
      log(`bus: connection lost (${why}); reconnecting in ${delay} ms`);
      timer = setTimeout(connect, delay);
    };
    c.on("error", (err) => retry(err.message));
    c.on("end", () => retry("ended"));
    try {
      await c.connect();
      await c.query(`LISTEN ${BUS_CHANNEL}`);
      if (client !== c) return;
      isConnected = true;
      attempt = 0;
      if (!firstTry) {
        log(`bus: listening again${lostAt ? ` after ${Date.now() - lostAt} ms` : ""}; every page refetches`);
        onResync();
      }
      firstTry = false;
    } catch (err) {
      firstTry = false;
      retry((err as Error).message);
    }
  };
  void connect();

  return {
    connected: () => isConnected,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      const c = client;
      client = null;
      isConnected = false;
      await c?.end().catch(() => {});
    },
  };
}
