// The planned steps of the split; a step keeps its go/no-go decision when its percent stays.
import { z } from "zod";
import type { trafficStepsInput } from "@/lib/schemas/room";
import type { CutoverContext } from "../context";

export async function setTrafficSteps(ctx: CutoverContext, input: z.output<typeof trafficStepsInput>) {
  const before = await ctx.tx.trafficStep.findMany({ where: { cutoverId: input.cutoverId }, orderBy: { position: "asc" } });
  await ctx.tx.trafficStep.deleteMany({ where: { cutoverId: input.cutoverId } });
  await ctx.tx.trafficStep.createMany({ data: input.steps.map((percent, position) => ({ cutoverId: input.cutoverId, percent, position, decisionId: before.find((b) => b.percent === percent)?.decisionId ?? null })) });
  await ctx.record("traffic.steps_updated", `cutover:${input.cutoverId}`, { before: before.map((b) => b.percent), after: input.steps });
  return { steps: input.steps };
}
