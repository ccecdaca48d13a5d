// The one way a change is recorded: the audit row and the bus announcement, in the caller's
// transaction (NOTIFY is delivered only on commit). Every writer calls this, whether its rows were
// written through Prisma or a batched SQL statement (those use the SQL twin, lib/db/audit-sql.ts,
// built from the same AuditEntry), so no audit row ever misses a field (the rehearsal flag, the
// request id) and no change goes unannounced.
import type { Tx } from "@/lib/db/client";
import { announce } from "@/lib/realtime/bus";
import { auditJson, withActor, type Announcement, type AuditEntry } from "@/lib/db/audit-sql";

// The entry's shape lives with the SQL twin (lib/db/audit-sql.ts), which statements in lib/db use too.
export { auditJson, type Announcement, type AuditEntry };

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
  if (event) await announce(tx, withActor(event, entry));
}
