// Sign-off, N/A and undo of checklist items: the busiest command of a cutover day. Every call goes
// through one group commit (./group-commit.ts): the requests that arrive while a batch is in
// flight are served together by two plain SQL round trips, whatever their number. The first reads
// each caller's roles and item; the domain decides each request alone (permission table, item
// state machine); the second is ONE autocommit statement that changes each item only if its state
// and version are still what was read and its caller still holds the role used, and appends, per
// changed item, the sign-off row, the audit event and the room's announcement. A caller is
// answered only after that statement committed. Two people acting on the same item at once: never
// in the same batch; one winner, one 409 with the current state; nothing lost, nothing doubled.
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { sql } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { can, canSignOffItem, type OwnedItemAction } from "@/lib/domain/permissions";
import { transitionItem, type ItemState, type ItemTransition } from "@/lib/domain/item-state";
import { ROLE_LABELS, type Role } from "@/lib/domain/roles";
import { notApplicableInput, signOffInput, undoInput } from "@/lib/schemas/room";
import { auditBatchSql, type Announcement, type AuditEntry } from "@/lib/db/audit-sql";
import type { ItemEventType } from "@/lib/realtime/events";
import type { AuthorizingCall } from "./context";
import { GroupCommit, type Outcome } from "./group-commit";

const ACTION_OF: Record<ItemTransition, OwnedItemAction> = { sign_off: "item.sign_off", undo: "item.undo", not_applicable: "item.not_applicable" };
const AUDIT_OF: Record<ItemTransition, ItemEventType> = { sign_off: "item.signed_off", undo: "item.undone", not_applicable: "item.not_applicable" };

interface ItemRow {
  n: number;
  found: boolean;
  mode: string;
  roles: Role[];
  item_id: string | null;
  title: string;
  state: ItemState;
  version: number;
  owner_role: Role;
  last_by: string | null;
  last_at: Date | null;
}

// One row per requested (cutover, item, caller), numbered by its place in the batch; `found` is
// false when the cutover does not exist.
const READ = {
  name: "item-transition-read-batch",
  text: `SELECT q.n::int AS n, c.id IS NOT NULL AS found, c.mode::text AS mode,
         ARRAY(SELECT m.role::text FROM cutover_members m WHERE m.cutover_id = c.id AND m.user_id = q.user_id ORDER BY m.role) AS roles,
         i.id AS item_id, i.title, i.state::text AS state, i.version, i.owner_role::text AS owner_role,
         lu.name AS last_by, ls.created_at AS last_at
    FROM unnest($1::uuid[], $2::uuid[], $3::uuid[]) WITH ORDINALITY AS q(cutover_id, item_id, user_id, n)
    LEFT JOIN cutovers c ON c.id = q.cutover_id
    LEFT JOIN (items i JOIN sections s ON s.id = i.section_id JOIN phases p ON p.id = s.phase_id) ON i.id = q.item_id AND p.cutover_id = c.id
    LEFT JOIN LATERAL (SELECT so.user_id, so.created_at FROM sign_offs so WHERE so.item_id = i.id ORDER BY so.created_at DESC LIMIT 1) ls ON true
    LEFT JOIN users lu ON lu.id = ls.user_id`,
};

// One array per column, one element per planned change (items are distinct within a batch). The
// "= ANY" conditions keep the generic plan on the indexes whatever the tables' sizes.
// $1 n, $2 item, $3 state read, $4 version read, $5 next state, $6 cutover, $7 user, $8 role used,
// $9 kind, $10 note, $11 override, $12 sign-off id; from $13 the audit rows and their
// announcements (lib/services/audit.ts), numbered by $1 too.
const AUDIT = auditBatchSql(13, "$1::int[]", "JOIN upd USING (n)");
const WRITE = {
  name: "item-transition-write-batch",
  text: `WITH q AS (
      SELECT * FROM unnest($1::int[], $2::uuid[], $3::"ItemState"[], $4::int[], $5::"ItemState"[], $6::uuid[], $7::uuid[], $8::"Role"[],
                           $9::"SignOffKind"[], $10::text[], $11::bool[], $12::uuid[])
        AS q(n, item_id, state, version, next, cutover_id, user_id, role, kind, note, override, sign_off_id)
    ), upd AS (
      UPDATE items i SET state = q.next, version = i.version + 1, updated_at = now()
        FROM q
       WHERE i.id = ANY($2::uuid[]) AND i.id = q.item_id AND i.state = q.state AND i.version = q.version
         AND EXISTS (SELECT 1 FROM cutover_members m
                      WHERE m.cutover_id = ANY($6::uuid[]) AND m.cutover_id = q.cutover_id AND m.user_id = q.user_id AND m.role = q.role)
      RETURNING q.n, i.version
    ), so AS (
      INSERT INTO sign_offs (id, item_id, user_id, role, kind, note, override, created_at)
      SELECT q.sign_off_id, q.item_id, q.user_id, q.role, q.kind, q.note, q.override, now() FROM upd JOIN q USING (n) ORDER BY q.n
      RETURNING id
    ), au AS (
      ${AUDIT.insert}
      RETURNING id
    )
    SELECT upd.n, upd.version, ${AUDIT.notify} IS NULL AS announced
      FROM upd JOIN (${AUDIT.payloads}) p USING (n) ORDER BY upd.n`,
};

interface TransitionInput {
  cutoverId: string;
  itemId: string;
  note?: string | null;
  reason?: string | null;
  expectedVersion?: number;
}

interface TransitionRequest {
  /** The caller, with the command's permission from the table. */
  call: AuthorizingCall;
  kind: ItemTransition;
  input: TransitionInput;
}

export interface TransitionResult {
  itemId: string;
  state: ItemState;
  version: number;
  signOffId: string;
  override: boolean;
}

/** A change the domain allowed, as the write statement needs it. */
interface Planned {
  n: number;
  row: ItemRow;
  itemId: string;
  next: ItemState;
  role: Role;
  note: string | null;
  override: boolean;
  signOffId: string;
}

async function readItems(keys: readonly { cutoverId: string; itemId: string; userId: string }[]): Promise<(ItemRow | null)[]> {
  const { rows } = await sql().query<ItemRow>({
    ...READ,
    values: [keys.map((k) => k.cutoverId), keys.map((k) => k.itemId), keys.map((k) => k.userId)],
  });
  const out: (ItemRow | null)[] = new Array(keys.length).fill(null);
  for (const row of rows) if (row.found) out[row.n - 1] = row;
  return out;
}

const currentOf = (row: ItemRow) => ({ state: row.state, version: row.version, by: row.last_by, at: row.last_at?.toISOString() ?? null });

/** The domain's decision on one request, given what was read: a planned change, or the caller's error. */
function decide(n: number, { call, kind, input }: TransitionRequest, row: ItemRow | null): Planned {
  // The table decides whether the caller may act on items at all; whose items is decided below.
  call.authorize(row?.roles ?? null);
  if (!row) throw new AppError("not_found", "No such cutover, or you are not a member of it");
  if (!row.item_id) throw new AppError("not_found", "Item not found in this cutover");
  const owner = row.owner_role;
  const permission = canSignOffItem(row.roles, owner, ACTION_OF[kind]);
  if (!permission.allowed) {
    throw new AppError("forbidden", `Only ${ROLE_LABELS[owner]} (or the Deployment Lead, as an override) can do that to "${row.title}"`);
  }
  const note = kind === "sign_off" ? (input.note ?? null) : (input.reason ?? null);
  const step = transitionItem(row.state, kind, { reason: input.reason, note, override: permission.override });
  if (!step.ok) {
    if (step.code === "conflict") {
      const who = row.last_by && row.state !== "open" ? ` by ${row.last_by}` : "";
      throw new AppError("conflict", `${step.message}${who}`, { current: currentOf(row) });
    }
    throw new AppError("bad_request", step.message);
  }
  if (input.expectedVersion !== undefined && input.expectedVersion !== row.version) {
    throw new AppError("conflict", `"${row.title}" changed since you loaded it: it is now ${row.state.replace("_", " ")}`, { current: currentOf(row) }, "stale_version");
  }
  // The role the change is made under: the owner's, or for an override the caller's role that the
  // table lets override (the write checks the caller still holds it).
  const role = permission.override ? row.roles.find((r) => can([r], "item.override")) : owner;
  if (!role) throw new AppError("forbidden", `Only ${ROLE_LABELS[owner]} can do that to "${row.title}"`);
  return {
    n,
    row,
    itemId: row.item_id,
    next: step.next,
    role,
    note,
    override: permission.override,
    signOffId: randomUUID(),
  };
}

async function writeItems(batch: readonly TransitionRequest[], planned: readonly Planned[]): Promise<Map<number, number>> {
  const cols = {
    n: [] as number[], item: [] as string[], state: [] as string[], version: [] as number[], next: [] as string[], cutover: [] as string[],
    user: [] as string[], role: [] as string[], kind: [] as string[], note: [] as (string | null)[], override: [] as boolean[], signOffId: [] as string[],
  };
  const audit: { entry: AuditEntry; event: Announcement }[] = [];
  for (const p of planned) {
    const { call, kind, input } = batch[p.n]!;
    const action = AUDIT_OF[kind];
    cols.n.push(p.n);
    cols.item.push(p.itemId);
    cols.state.push(p.row.state);
    cols.version.push(p.row.version);
    cols.next.push(p.next);
    cols.cutover.push(input.cutoverId);
    cols.user.push(call.actor.id);
    cols.role.push(p.role);
    cols.kind.push(kind);
    cols.note.push(p.note);
    cols.override.push(p.override);
    cols.signOffId.push(p.signOffId);
    audit.push({
      entry: {
        cutoverId: input.cutoverId,
        actorId: call.actor.id,
        actorName: call.actor.name,
        role: p.role,
        action,
        subject: `item:${p.itemId}`,
        before: { state: p.row.state },
        after: { state: p.next, note: p.note, override: p.override, title: p.row.title },
        requestId: call.requestId,
        rehearsal: p.row.mode === "rehearsal",
      },
      event: { type: action, cutoverId: input.cutoverId, actor: call.actor.name, subject: `item:${p.itemId}`, data: { itemId: p.itemId, state: p.next } },
    });
  }
  const { rows } = await sql().query<{ n: number; version: number }>({
    ...WRITE,
    values: [cols.n, cols.item, cols.state, cols.version, cols.next, cols.cutover, cols.user, cols.role, cols.kind, cols.note, cols.override, cols.signOffId, ...AUDIT.values(audit)],
  });
  return new Map(rows.map((r) => [r.n, r.version]));
}

/** Serves one batch of requests on distinct items: one read, at most one write (one commit). */
async function runTransitions(batch: readonly TransitionRequest[]): Promise<Outcome<TransitionResult>[]> {
  const rows = await readItems(batch.map((r) => ({ cutoverId: r.input.cutoverId, itemId: r.input.itemId, userId: r.call.actor.id })));
  const outcomes: Outcome<TransitionResult>[] = new Array(batch.length);
  const planned: Planned[] = [];
  batch.forEach((request, n) => {
    try {
      planned.push(decide(n, request, rows[n]!));
    } catch (error) {
      outcomes[n] = { ok: false, error };
    }
  });
  if (planned.length === 0) return outcomes;
  // A throw here means the statement wrote nothing: the group commit retries each request alone.
  const written = await writeItems(batch, planned);
  // Committed: from here on nothing may throw, or requests that were written would be retried.
  const missed: Planned[] = [];
  for (const p of planned) {
    const version = written.get(p.n);
    if (version === undefined) missed.push(p);
    else outcomes[p.n] = { ok: true, value: { itemId: p.itemId, state: p.next, version, signOffId: p.signOffId, override: p.override } };
  }
  if (missed.length > 0) {
    // The item moved (or the caller lost the role) between the read and the write.
    let now: (ItemRow | null)[];
    try {
      now = await readItems(missed.map((p) => ({ cutoverId: batch[p.n]!.input.cutoverId, itemId: p.itemId, userId: batch[p.n]!.call.actor.id })));
    } catch (error) {
      for (const p of missed) outcomes[p.n] = { ok: false, error };
      return outcomes;
    }
    missed.forEach((p, i) => {
      const row = now[i];
      outcomes[p.n] = {
        ok: false,
        error:
          row && !row.roles.includes(p.role)
            ? new AppError("forbidden", `You no longer hold ${ROLE_LABELS[p.role]} in this cutover`)
            : new AppError("conflict", `Someone else changed "${p.row.title}" at the same moment: reload to see the current state`, { current: currentOf(row ?? p.row) }, "concurrent_change"),
      };
    });
  }
  return outcomes;
}

// One group commit per loaded copy of this module (the custom server and Next's bundle each have
// one). Requests on the same item wait for each other here, but correctness does not depend on
// it: the write is conditional on state and version. One batch in flight at a time: a second one
// (reading while the first commits) made batches smaller and cost PostgreSQL more CPU per request
// on the 2-core bench machine, for no measurable gain.
const transitions = new GroupCommit<TransitionRequest, TransitionResult>({
  key: (r) => r.input.itemId,
  run: runTransitions,
  maxBatch: 256,
  maxInFlight: 1,
});

/** Batches served so far (for tests and diagnostics). */
export const transitionStats = () => ({ ...transitions.stats });

function transition(call: AuthorizingCall, kind: ItemTransition, input: TransitionInput): Promise<TransitionResult> {
  return transitions.submit({ call, kind, input });
}

export function signOffItem(call: AuthorizingCall, input: z.output<typeof signOffInput>) {
  return transition(call, "sign_off", input);
}

export function undoItem(call: AuthorizingCall, input: z.output<typeof undoInput>) {
  return transition(call, "undo", input);
}

export function markNotApplicable(call: AuthorizingCall, input: z.output<typeof notApplicableInput>) {
  return transition(call, "not_applicable", input);
}
