// Sign-off, N/A and undo of checklist items. The state check and the write are one conditional
// UPDATE (state and version must still be what the caller saw), so two people acting on the same
// item at once get one winner and one 409 with the current state: nothing lost, nothing doubled.
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { canSignOffItem, type OwnedItemAction } from "@/lib/domain/permissions";
import { transitionItem, type ItemState, type ItemTransition } from "@/lib/domain/item-state";
import { ROLE_LABELS, type Role } from "@/lib/domain/roles";
import { notApplicableInput, signOffInput, undoInput } from "@/lib/schemas/room";
import { withCutover, requireFound, type Actor } from "./context";

const ACTION_OF: Record<ItemTransition, OwnedItemAction> = { sign_off: "item.sign_off", undo: "item.undo", not_applicable: "item.not_applicable" };
const AUDIT_OF: Record<ItemTransition, string> = { sign_off: "item.signed_off", undo: "item.undone", not_applicable: "item.not_applicable" };

async function transition(
  actor: Actor,
  kind: ItemTransition,
  input: { cutoverId: string; itemId: string; note?: string | null; reason?: string | null; expectedVersion?: number },
  requestId?: string,
) {
  // The table decides whether the caller may act on items at all; whose items is decided below.
  return withCutover(actor, input.cutoverId, "cutover.view", async (ctx) => {
    const item = requireFound(
      await ctx.tx.item.findFirst({
        where: { id: input.itemId, section: { phase: { cutoverId: input.cutoverId } } },
        include: { signOffs: { orderBy: { createdAt: "desc" }, take: 1, include: { user: { select: { name: true } } } } },
      }),
      "Item",
    );
    const owner = item.ownerRole as Role;
    const permission = canSignOffItem(ctx.roles, owner, ACTION_OF[kind]);
    if (!permission.allowed) {
      throw new AppError("forbidden", `Only ${ROLE_LABELS[owner]} (or the Deployment Lead, as an override) can do that to "${item.title}"`);
    }
    const note = kind === "sign_off" ? (input.note ?? null) : (input.reason ?? null);
    const step = transitionItem(item.state as ItemState, kind, { reason: input.reason, note, override: permission.override });
    const last = item.signOffs[0];
    const current = { state: item.state, version: item.version, by: last?.user.name ?? null, at: last?.createdAt.toISOString() ?? null };
    if (!step.ok) {
      if (step.code === "conflict") {
        const who = last && item.state !== "open" ? ` by ${last.user.name}` : "";
        throw new AppError("conflict", `${step.message}${who}`, { current });
      }
      throw new AppError("bad_request", step.message);
    }
    if (input.expectedVersion !== undefined && input.expectedVersion !== item.version) {
      throw new AppError("conflict", `"${item.title}" changed since you loaded it: it is now ${item.state.replace("_", " ")}`, { current });
    }
    const changed = await ctx.tx.item.updateMany({ where: { id: item.id, state: item.state, version: item.version }, data: { state: step.next, version: { increment: 1 } } });
    if (changed.count !== 1) throw new AppError("conflict", `Someone else changed "${item.title}" at the same moment: reload to see the current state`, { current });
    const role: Role = permission.override ? "DEPLOYMENT_LEAD" : owner;
    const signOff = await ctx.tx.signOff.create({
      data: { itemId: item.id, userId: actor.id, role, kind, note: note, override: permission.override },
    });
    await ctx.record(AUDIT_OF[kind], `item:${item.id}`, {
      role,
      before: { state: item.state },
      after: { state: step.next, note, override: permission.override, title: item.title },
      data: { itemId: item.id, state: step.next },
    });
    return { itemId: item.id, state: step.next, version: item.version + 1, signOffId: signOff.id, override: permission.override };
  }, { requestId });
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
