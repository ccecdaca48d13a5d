// Who is in a cutover's room across every app process: each process counts its own sockets, and
// the room's view is the union of the processes' answers. Pure: no sockets, no I/O.
import { z } from "zod";
import { ROLES, type Role } from "@/lib/domain/roles";

export interface PresenceEntry {
  userId: string;
  name: string;
  roles: Role[];
}

/**
 * One process's answer as another process receives it (over PostgreSQL NOTIFY): checked like any
 * input, so a malformed or oversized answer is dropped, never shown.
 */
export const presenceAnswer = z
  .array(z.object({ userId: z.string().min(1).max(100), name: z.string().max(500), roles: z.array(z.enum(ROLES)).max(ROLES.length) }))
  .max(10_000);

/** The union of the processes' lists: one entry per user, their roles from every process, in a stable order (by name, then id). */
export function mergePresence(lists: readonly (readonly PresenceEntry[])[]): PresenceEntry[] {
  const people = new Map<string, { name: string; roles: Set<Role> }>();
  for (const list of lists) {
    for (const p of list) {
      const had = people.get(p.userId);
      if (had) for (const r of p.roles) had.roles.add(r);
      else people.set(p.userId, { name: p.name, roles: new Set(p.roles) });
    }
  }
  const order = (r: Role) => ROLES.indexOf(r);
  return [...people]
    .map(([userId, p]) => ({ userId, name: p.name, roles: [...p.roles].sort((a, b) => order(a) - order(b)) }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
}

/** The same text for the same people: whether the room must be told again. */
export const presenceKey = (people: readonly PresenceEntry[]) => JSON.stringify(people);
