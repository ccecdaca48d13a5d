// Where the outbound allow-list comes from: the operator's environment (WARROOM_OUTBOUND_ALLOW),
// the administrators' table outbound_allowed_hosts, and sources registered by code (the server
// configuration file registers one). Only consulted for addresses that are not public, so a
// request to a public host costs no database round trip.
import { sql } from "@/lib/db/client";
import { parseAllowList, splitAllowList, type AllowEntry } from "./policy";

const DB_TTL_MS = 2000;

type Source = () => readonly string[];
interface State {
  sources: Set<Source>;
  dbCache: { at: number; hosts: string[] } | null;
  dbLoading: Promise<string[]> | null;
  dbGeneration: number;
  warned: Set<string>;
}
// One allow-list per process, shared through globalThis: the custom server and Next's route
// handlers load their own copies of this module, and an administrator's change made through one
// must hold for the other at once.
const holder = globalThis as unknown as { __warroomAllowList?: State };
const state: State = (holder.__warroomAllowList ??= { sources: new Set(), dbCache: null, dbLoading: null, dbGeneration: 0, warned: new Set() });
const { sources, warned } = state;

/**
 * Adds entries computed by `source` (called on every check, so keep it cheap). Returns a
 * function that removes the source again.
 */
export function addAllowListSource(source: Source): () => void {
  sources.add(source);
  return () => void sources.delete(source);
}

/** Drops the cached database entries: the next check reads the table again (call after a change). */
export function invalidateAllowList(): void {
  state.dbCache = null;
  state.dbLoading = null;
  state.dbGeneration++;
}

async function loadDbHosts(): Promise<string[]> {
  // Adapter tests and scripts run without a database: then only the other sources count.
  if (!process.env.DATABASE_URL) return [];
  if (state.dbCache && Date.now() - state.dbCache.at < DB_TTL_MS) return state.dbCache.hosts;
  if (!state.dbLoading) {
    const generation = state.dbGeneration;
    state.dbLoading = (async () => {
      try {
        const r = await sql().query<{ host: string }>("SELECT host FROM outbound_allowed_hosts");
        const hosts = r.rows.map((row) => row.host);
        if (generation === state.dbGeneration) state.dbCache = { at: Date.now(), hosts };
        return hosts;
      } catch (err) {
        // Fail closed: without the table, only the operator's entries allow non-public addresses.
        warnOnce("db", `[warroom] outbound allow-list: the table outbound_allowed_hosts cannot be read (${(err as Error).message}); using the operator's entries only`);
        return [];
      } finally {
        if (generation === state.dbGeneration) state.dbLoading = null;
      }
    })();
  }
  return state.dbLoading;
}

function warnOnce(key: string, line: string): void {
  if (warned.has(key)) return;
  warned.add(key);
  console.warn(line);
}

/** Every entry in force now, from all sources; invalid entries are skipped with one warning each. */
export async function currentAllowList(): Promise<AllowEntry[]> {
  const raw: string[] = [...splitAllowList(process.env.WARROOM_OUTBOUND_ALLOW)];
  for (const source of sources) {
    try {
      raw.push(...source());
    } catch (err) {
      warnOnce(`source:${(err as Error).message}`, `[warroom] outbound allow-list: a source failed (${(err as Error).message})`);
    }
  }
  raw.push(...(await loadDbHosts()));
  const { entries, invalid } = parseAllowList(raw);
  for (const bad of invalid) warnOnce(`invalid:${bad}`, `[warroom] outbound allow-list: ignoring ${JSON.stringify(bad)} (not a host name, IP address or range)`);
  return entries;
}
