// A rollback hook appended to the cutover's list: a hook from the integrations catalog, by name.
import { z } from "zod";
import { requireIntegration } from "@/lib/integrations/resolve";
import type { hookInput } from "@/lib/schemas/room";
import type { CutoverContext } from "../context";

export async function addHook(ctx: CutoverContext, input: z.output<typeof hookInput>) {
  const picked = await requireIntegration(input.integration, "hook");
  const position = await ctx.tx.rollbackHook.count({ where: { cutoverId: input.cutoverId } });
  const h = await ctx.tx.rollbackHook.create({ data: { cutoverId: input.cutoverId, name: input.name, integration: picked.name, position } });
  await ctx.record("rollback_hook.added", `hook:${h.id}`, { after: { name: h.name, integration: picked.name, kind: picked.kind } });
  return { hookId: h.id };
}
