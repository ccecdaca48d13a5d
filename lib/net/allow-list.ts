// Where the outbound allow-list comes from: the operator's environment (WARROOM_OUTBOUND_ALLOW),
// the administrators' table outbound_allowed_hosts, and sources registered by code (the server
// configuration file registers one). Only consulted for addresses that are not public, so a
// request to a public host costs no database round trip.
import { sql } from "@/lib/db/client";
import { parseAllowList, splitAllowList, type AllowEntry } from "./policy";

const DB_TTL_MS = 2000;

type Source = () => readonly string[];
const sources = new Set<Source>();

let dbCache: { at: number; hosts: string[] } | null = null;
let dbLoading: Promise<string[]> | null = null;
let dbGeneration = 0;
const warned = new Set<string>();

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
  dbCache = null;
  dbLoading = null;
  dbGeneration++;
}

async function loadDbHosts(): Promise<string[]> {
  // Adapter tests and scripts run without a database: then only the other sources count.
  if (!process.env.DATABASE_URL) return [];
  if (dbCache && Date.now() - dbCache.at < DB_TTL_MS) return dbCache.hosts;
  if (!dbLoading) {
    const generation = dbGeneration;
    dbLoading = (async () => {
      try {
        const r = await sql().query<{ host: string }>("SELECT host FROM outbound_allowed_hosts");
        const hosts = r.rows.map((row) => row.host);
        if (generation === dbGeneration) dbCache = { at: Date.now(), hosts };
        return hosts;
      } catch (err) {
        // Fail closed: without the table, only the operator's entries allow non-public addresses.
        warnOnce("db", `[warroom] outbound allow-list: the table outbound_allowed_hosts cannot be read (${(err as Error).message}); using the operator's entries only`);
        return [];
      } finally {
        if (generation === dbGeneration) dbLoading = null;
      }
    })();
  }
  return dbLoading;
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
