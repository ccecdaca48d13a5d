// Shift to the next step (or a chosen percent), gated by its go/no-go decision: planned in the
// cutover's transaction (state guard, gate, override permission), applied after it committed.
import { z } from "zod";
import { AppError } from "@/lib/errors";
import type { shiftInput } from "@/lib/schemas/room";
import { auditRole, type Call, type CutoverContext } from "../context";
import { changeSplit } from "./change-split";
import { isEnded } from "@/lib/domain/cutover-state";

export type ShiftPlan = { target: number; gated: string | null; role: string | null };

/** In the cutover's transaction: where the shift goes, and whether it needs (and may take) an override. */
export async function planShift(ctx: CutoverContext, input: z.output<typeof shiftInput>): Promise<ShiftPlan> {
  const c = await ctx.tx.cutover.findUniqueOrThrow({ where: { id: input.cutoverId }, select: { trafficPercent: true, state: true, trafficSteps: { orderBy: { position: "asc" } } } });
  if (isEnded(c.state)) throw new AppError("conflict", `The cutover is ${c.state.replace("_", " ")}: traffic is no longer moved from here`, undefined, "cutover_ended");
  const steps = c.trafficSteps.map((s) => s.percent);
  const target = input.toPercent ?? steps.find((p) => p > c.trafficPercent);
  if (target === undefined) throw new AppError("conflict", `Already at the last step (${c.trafficPercent} %)`);
  if (target === c.trafficPercent) throw new AppError("conflict", `Traffic is already at ${target} %`);
  const isStep = steps.includes(target);
  let gated: string | null = null;
  if (target > c.trafficPercent) {
    const step = c.trafficSteps.find((s) => s.percent === target);
    const decision = step?.decisionId
      ? await ctx.tx.decisionPoint.findUnique({ where: { id: step.decisionId } })
      : await ctx.tx.decisionPoint.findFirst({ where: { cutoverId: input.cutoverId, targetPercent: target }, orderBy: { decidedAt: { sort: "desc", nulls: "last" } } });
    if (!isStep) gated = `${target} % is not a planned step`;
    else if (decision && decision.state !== "proceed") gated = `the go/no-go decision "${decision.title}" is ${decision.state}, not PROCEED`;
  }
  if (gated) {
    if (!input.override) throw new AppError("conflict", `Cannot shift to ${target} %: ${gated}. An override needs a note.`, undefined, "override_required");
    if (!ctx.can("traffic.override")) throw new AppError("forbidden", "Not allowed to override the traffic plan");
    if (!input.note) throw new AppError("bad_request", "An override needs a note", undefined, "note_required");
  }
  return { target, gated, role: auditRole(ctx.actor, ctx.roles) };
}

/** After the plan committed: moves the traffic (never inside a transaction). */
export function applyShift(plan: ShiftPlan, input: z.output<typeof shiftInput>, call: Call) {
  return changeSplit({
    cutoverId: input.cutoverId,
    toPercent: plan.target,
    mover: { userId: call.actor.id, name: call.actor.name, role: plan.role },
    reason: plan.gated ? `override: ${input.note}` : `shift to ${plan.target} %`,
    override: plan.gated !== null,
    note: input.note,
    requestId: call.requestId,
  });
}
