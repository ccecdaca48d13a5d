// Sign-off, N/A and undo of checklist items: the busiest command of a cutover day, so it is two
// plain SQL round trips instead of an interactive transaction. The first reads the caller's roles
// and the item; the domain decides (permission table, item state machine); the second is ONE
// statement that changes the item only if its state and version are still what was read and the
// caller still holds the role used, and in the same statement appends the sign-off row, the audit
// event and the room's announcement. Two people acting on the same item at once: one winner, one
// 409 with the current state; nothing lost, nothing doubled.
import { z } from "zod";
import { sql } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { canSignOffItem, type OwnedItemAction } from "@/lib/domain/permissions";
import { transitionItem, type ItemState, type ItemTransition } from "@/lib/domain/item-state";
import { ROLE_LABELS, type Role } from "@/lib/domain/roles";
import { BUS_CHANNEL, busPayload } from "@/lib/realtime/bus";
import { notApplicableInput, signOffInput, undoInput } from "@/lib/schemas/room";
import { authorize, type Actor } from "./context";

const ACTION_OF: Record<ItemTransition, OwnedItemAction> = { sign_off: "item.sign_off", undo: "item.undo", not_applicable: "item.not_applicable" };
const AUDIT_OF: Record<ItemTransition, string> = { sign_off: "item.signed_off", undo: "item.undone", not_applicable: "item.not_applicable" };

interface ItemRow {
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

const READ = {
  name: "item-transition-read",
  text: `SELECT c.mode::text AS mode,
         ARRAY(SELECT m.role::text FROM cutover_members m WHERE m.cutover_id = c.id AND m.user_id = $3 ORDER BY m.role) AS roles,
         i.id AS item_id, i.title, i.state::text AS state, i.version, i.owner_role::text AS owner_role,
         lu.name AS last_by, ls.created_at AS last_at
    FROM cutovers c
    LEFT JOIN (items i JOIN sections s ON s.id = i.section_id JOIN phases p ON p.id = s.phase_id) ON i.id = $2 AND p.cutover_id = c.id
    LEFT JOIN LATERAL (SELECT so.user_id, so.created_at FROM sign_offs so WHERE so.item_id = i.id ORDER BY so.created_at DESC LIMIT 1) ls ON true
    LEFT JOIN users lu ON lu.id = ls.user_id
   WHERE c.id = $1`,
};

// $1 item, $2 state read, $3 version read, $4 next state, $5 cutover, $6 user, $7 role used,
// $8 kind, $9 note, $10 override, $11 actor name, $12 audit action, $13 before, $14 after,
// $15 request id, $16 rehearsal, $17 bus payload.
const WRITE = {
  name: "item-transition-write",
  text: `WITH upd AS (
      UPDATE items SET state = $4::"ItemState", version = version + 1, updated_at = now()
       WHERE id = $1 AND state = $2::"ItemState" AND version = $3
         AND EXISTS (SELECT 1 FROM cutover_members m WHERE m.cutover_id = $5 AND m.user_id = $6 AND m.role = $7::"Role")
      RETURNING id, version
    ), so AS (
      INSERT INTO sign_offs (id, item_id, user_id, role, kind, note, override, created_at)
      SELECT gen_random_uuid(), upd.id, $6, $7::"Role", $8::"SignOffKind", $9, $10, now() FROM upd
      RETURNING id
    ), au AS (
      INSERT INTO audit_events (cutover_id, actor_id, actor_name, role, action, subject, before, after, request_id, rehearsal)
      SELECT $5, $6, $11, $7, $12, 'item:' || upd.id, $13::jsonb, $14::jsonb, $15, $16 FROM upd
      RETURNING id
    )
    SELECT upd.version, so.id AS sign_off_id, pg_notify('${BUS_CHANNEL}', $17) IS NULL AS announced
      FROM upd CROSS JOIN so CROSS JOIN au`,
};

async function readItem(cutoverId: string, itemId: string, userId: string) {
  const { rows } = await sql().query<ItemRow>({ ...READ, values: [cutoverId, itemId, userId] });
  return rows[0] ?? null;
}

const currentOf = (row: ItemRow) => ({ state: row.state, version: row.version, by: row.last_by, at: row.last_at?.toISOString() ?? null });

async function transition(
  actor: Actor,
  kind: ItemTransition,
  input: { cutoverId: string; itemId: string; note?: string | null; reason?: string | null; expectedVersion?: number },
  requestId?: string,
) {
  const row = await readItem(input.cutoverId, input.itemId, actor.id);
  // The table decides whether the caller may act on items at all; whose items is decided below.
  authorize(actor, row?.roles ?? null, "cutover.view");
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
    throw new AppError("conflict", `"${row.title}" changed since you loaded it: it is now ${row.state.replace("_", " ")}`, { current: currentOf(row) });
  }
  const role: Role = permission.override ? "DEPLOYMENT_LEAD" : owner;
  const action = AUDIT_OF[kind];
  const subject = `item:${row.item_id}`;
  const { rows } = await sql().query<{ version: number; sign_off_id: string }>({
    ...WRITE,
    values: [
      row.item_id,
      row.state,
      row.version,
      step.next,
      input.cutoverId,
      actor.id,
      role,
      kind,
      note,
      permission.override,
      actor.name,
      action,
      JSON.stringify({ state: row.state }),
      JSON.stringify({ state: step.next, note, override: permission.override, title: row.title }),
      requestId ?? null,
      row.mode === "rehearsal",
      busPayload({ type: action, cutoverId: input.cutoverId, actor: actor.name, subject, data: { itemId: row.item_id, state: step.next } }),
    ],
  });
  const written = rows[0];
  if (!written) {
    // The item moved (or the caller lost the role) between the read and the write.
    const now = await readItem(input.cutoverId, input.itemId, actor.id);
    if (now && !now.roles.includes(role)) throw new AppError("forbidden", `You no longer hold ${ROLE_LABELS[role]} in this cutover`);
    throw new AppError("conflict", `Someone else changed "${row.title}" at the same moment: reload to see the current state`, { current: now ? currentOf(now) : currentOf(row) });
  }
  return { itemId: row.item_id, state: step.next, version: written.version, signOffId: written.sign_off_id, override: permission.override };
}

export async function signOffItem(actor: Actor, raw: z.input<typeof signOffInput>, requestId?: string) {
  const input = signOffInput.parse(raw);
  return transition(actor, "sign_off", input, requestId);
}

export async function undoItem(actor: Actor, raw: z.input<typeof undoInput>, requestId?: string) {
  const input = undoInput.parse(raw);
  return transition(actor, "undo", input, requestId);
}

export async function markNotApplicable(actor: Actor, raw: z.input<typeof notApplicableInput>, requestId?: string) {
  const input = notApplicableInput.parse(raw);
  return transition(actor, "not_applicable", input, requestId);
}
