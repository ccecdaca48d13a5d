// The SQL twin of recordChange (lib/services/audit.ts), for statements that write their rows in
// plain SQL (the batched sign-off, the fenced traffic commit): the same columns, the same JSON
// conversion and the same announcement encoding, built from the same AuditEntry, so neither path
// can forget a field (the rehearsal flag, the request id).
import { BUS_CHANNEL, busPayload } from "@/lib/realtime/bus";
import type { Announcement } from "@/lib/realtime/events";

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

export type { Announcement };

/** JSON-safe copy for the audit columns (bigint as text; undefined stays undefined). */
export function auditJson(value: unknown): object | undefined {
  return value === undefined ? undefined : (JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v))) as object);
}

const AUDIT_COLUMNS = [
  ["cutover_id", "uuid"],
  ["actor_id", "uuid"],
  ["actor_name", "text"],
  ["role", "text"],
  ["action", "text"],
  ["subject", "text"],
  ["before", "jsonb"],
  ["after", "jsonb"],
  ["request_id", "text"],
  ["rehearsal", "bool"],
] as const;
const COLUMN_LIST = AUDIT_COLUMNS.map(([c]) => c).join(", ");
/** How many statement parameters an audit row takes (the event payload is one more). */
export const AUDIT_PARAMS = AUDIT_COLUMNS.length + 1;

const jsonText = (value: unknown) => {
  const v = auditJson(value);
  return v === undefined ? null : JSON.stringify(v);
};

/**
 * The announcement of an audited change says who made it, as its audit row does: the room's ticker
 * names the person and their role from the event alone.
 */
export function withActor(event: Announcement, entry: Pick<AuditEntry, "actorName" | "role">): Announcement {
  return { ...event, actor: event.actor ?? entry.actorName, ...(entry.role && !event.role ? { role: entry.role } : {}) };
}

function rowValues(entry: AuditEntry, event: Announcement | null): unknown[] {
  return [
    entry.cutoverId,
    entry.actorId,
    entry.actorName,
    entry.role,
    entry.action,
    entry.subject,
    jsonText(entry.before),
    jsonText(entry.after),
    entry.requestId ?? null,
    entry.rehearsal,
    event ? busPayload(withActor(event, entry)) : null,
  ];
}

/**
 * One audit row and its announcement inside a larger statement: `insert` appends the row once per
 * row of `from` (so a CTE that matched nothing records nothing), `notify` announces it; both read
 * parameters $first … $first+AUDIT_PARAMS-1, which `values(entry, event)` fills in order.
 */
export function auditRowSql(first: number, from: string) {
  const p = (i: number) => `$${first + i}`;
  return {
    insert: `INSERT INTO audit_events (${COLUMN_LIST}) SELECT ${AUDIT_COLUMNS.map(([, type], i) => `${p(i)}::${type}`).join(", ")} FROM ${from}`,
    notify: `pg_notify('${BUS_CHANNEL}', ${p(AUDIT_COLUMNS.length)}::text)`,
    values: rowValues,
  };
}

/**
 * Many audit rows in one statement: parameters $first … are one array per column (plus the
 * payloads), aligned with the int[] parameter `keyParam` that numbers them; `insert` appends the
 * rows whose number `join` keeps (for example `JOIN upd USING (n)`), `payloads` is a relation
 * `(n, payload)` for `pg_notify` of the same rows.
 */
export function auditBatchSql(first: number, keyParam: string, join: string) {
  const p = (i: number) => `$${first + i}`;
  const arrays = AUDIT_COLUMNS.map(([, type], i) => `${p(i)}::${type}[]`).join(", ");
  const rows = `unnest(${keyParam}, ${arrays}, ${p(AUDIT_COLUMNS.length)}::text[]) AS a(n, ${COLUMN_LIST}, payload)`;
  return {
    insert: `INSERT INTO audit_events (${COLUMN_LIST}) SELECT ${AUDIT_COLUMNS.map(([c]) => `a.${c}`).join(", ")} FROM ${rows} ${join} ORDER BY a.n`,
    /** `SELECT n, payload FROM …`: the announcements of the batch; join it as `p` on the rows written. */
    payloads: `SELECT a.n, a.payload FROM ${rows}`,
    notify: `pg_notify('${BUS_CHANNEL}', p.payload)`,
    values(entries: readonly { entry: AuditEntry; event: Announcement | null }[]): unknown[][] {
      const cols: unknown[][] = Array.from({ length: AUDIT_PARAMS }, () => []);
      for (const { entry, event } of entries) rowValues(entry, event).forEach((v, i) => cols[i]!.push(v));
      return cols;
    },
  };
}
