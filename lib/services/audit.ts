// The one way a change is recorded: the audit row and the bus announcement, in the caller's
// transaction (NOTIFY is delivered only on commit). Every writer calls this, whether its rows were
// written through Prisma or a batched SQL statement, so no audit row ever misses a field (the
// rehearsal flag, the request id) and no change goes unannounced.
import type { Tx } from "@/lib/db/client";
import { announce, type BusEvent } from "@/lib/realtime/bus";

export interface AuditEntry {
  /** null for changes outside any cutover (users, integrations). */
  cutoverId: string | null;
  actorId: string | null;
  actorName: string;
  role: string | null;
  action: string;
  subject: string;
  before?: unknown;
  after?: unknown;
  requestId?: string | null;
  rehearsal: boolean;
}

export type Announcement = Omit<BusEvent, "at"> & { at?: string };

/** JSON-safe copy for the audit columns (bigint as text; undefined stays undefined). */
export function auditJson(value: unknown): object | undefined {
  return value === undefined ? undefined : (JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v))) as object);
}

/** Appends the audit row and, when given, announces the change to the room. */
export async function recordChange(tx: Tx, entry: AuditEntry, event?: Announcement | null): Promise<void> {
  await tx.auditEvent.create({
    data: {
      cutoverId: entry.cutoverId,
      actorId: entry.actorId,
      actorName: entry.actorName,
      role: entry.role,
      action: entry.action,
      subject: entry.subject,
      before: auditJson(entry.before),
      after: auditJson(entry.after),
      requestId: entry.requestId ?? null,
      rehearsal: entry.rehearsal,
    },
  });
  if (event) await announce(tx, event);
}
