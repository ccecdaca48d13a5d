// A rollback hook removed; the ones after it move up so positions stay 0..n-1.
import { z } from "zod";
import type { removeInput } from "@/lib/schemas/room";
import { requireFound, type CutoverContext } from "../context";

export async function removeHook(ctx: CutoverContext, input: z.output<typeof removeInput>) {
  const h = requireFound(await ctx.tx.rollbackHook.findFirst({ where: { id: input.id, cutoverId: input.cutoverId } }), "Hook");
  await ctx.tx.rollbackHook.delete({ where: { id: h.id } });
  await ctx.tx.rollbackHook.updateMany({ where: { cutoverId: input.cutoverId, position: { gt: h.position } }, data: { position: { decrement: 1 } } });
  await ctx.record("rollback_hook.removed", `hook:${h.id}`, { before: { name: h.name, integration: h.integration } });
  return { hookId: h.id };
}
