// The cutover's router: a name from the integrations catalog (or none), never its settings.
import { z } from "zod";
import { requireIntegration } from "@/lib/integrations/resolve";
import type { routerInput } from "@/lib/schemas/room";
import type { CutoverContext } from "../context";

export async function setRouter(ctx: CutoverContext, input: z.output<typeof routerInput>) {
  const picked = input.integration === null ? null : await requireIntegration(input.integration, "router");
  const before = await ctx.tx.cutover.findUniqueOrThrow({ where: { id: input.cutoverId }, select: { routerIntegration: true } });
  await ctx.tx.cutover.update({ where: { id: input.cutoverId }, data: { routerIntegration: picked?.name ?? null } });
  await ctx.record("router.updated", `cutover:${input.cutoverId}`, { before: { integration: before.routerIntegration }, after: { integration: picked?.name ?? null, kind: picked?.kind ?? null } });
  return { integration: picked?.name ?? null, kind: picked?.kind ?? null };
}
