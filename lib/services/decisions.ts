// Go/no-go decision points. Votes on one decision are serialised (row lock), so the vote that
// completes the picture closes the decision exactly once, with a snapshot of gates and votes.
import { z } from "zod";
import type { Tx } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { canVote, checklistGate, decisionSnapshot, evaluateDecision, type DecisionState, type Gate, type Vote } from "@/lib/domain/decision";
import type { ItemState } from "@/lib/domain/item-state";
import type { Role } from "@/lib/domain/roles";
import { abortDecisionInput, decisionInput, openVoteInput, voteInput } from "@/lib/schemas/room";
import { requireFound, type CutoverContext } from "./context";
import { evaluateMetricGates } from "./metrics";
import { enqueueApprovalLinks } from "./action-links";

/** The gates of a decision as they stand now: the checklist gate of its phase and its metric gates. */
export async function gatesFor(tx: Tx, decision: { id: string; cutoverId: string; phaseId: string }): Promise<Gate[]> {
  const phase = await tx.phase.findUniqueOrThrow({
    where: { id: decision.phaseId },
    select: { name: true, sections: { select: { items: { select: { title: true, critical: true, state: true } } } } },
  });
  const items = phase.sections.flatMap((s) => s.items.map((i) => ({ ...i, state: i.state as ItemState })));
  const metric = (await evaluateMetricGates(tx, decision.cutoverId, { decisionIds: [decision.id] })).get(decision.id) ?? [];
  return [checklistGate(phase.name, items), ...metric];
}

async function lockDecision(tx: Tx, cutoverId: string, decisionId: string) {
  // FOR UPDATE: concurrent votes wait here, so each sees the votes committed before it.
  const locked = await tx.$queryRawUnsafe<{ id: string }[]>("SELECT id FROM decision_points WHERE id = $1::uuid AND cutover_id = $2::uuid FOR UPDATE", decisionId, cutoverId);
  requireFound(locked[0], "Decision point");
  return tx.decisionPoint.findUniqueOrThrow({ where: { id: decisionId }, include: { votes: { include: { user: { select: { name: true } } }, orderBy: { createdAt: "asc" } } } });
}

function toVotes(rows: { role: string; choice: string; comment: string | null; createdAt: Date; user: { name: string } }[]): Vote[] {
  return rows.map((v) => ({ role: v.role as Role, choice: v.choice as Vote["choice"], userName: v.user.name, comment: v.comment, at: v.createdAt.toISOString() }));
}

export async function createDecision(ctx: CutoverContext, input: z.output<typeof decisionInput>) {
  requireFound(await ctx.tx.phase.findFirst({ where: { id: input.phaseId, cutoverId: input.cutoverId } }), "Phase");
  const d = await ctx.tx.decisionPoint.create({
    data: { cutoverId: input.cutoverId, phaseId: input.phaseId, title: input.title, requiredRoles: [...new Set(input.requiredRoles)], targetPercent: input.targetPercent ?? null },
  });
  await ctx.record("decision.created", `decision:${d.id}`, { after: { title: d.title, requiredRoles: d.requiredRoles } });
  return { decisionId: d.id };
}

export async function openVote(ctx: CutoverContext, input: z.output<typeof openVoteInput>) {
  const d = await lockDecision(ctx.tx, input.cutoverId, input.decisionId);
  if (d.state !== "pending") throw new AppError("conflict", `Voting cannot be opened: the decision is ${d.state}`);
  await ctx.tx.decisionPoint.update({ where: { id: d.id }, data: { state: "voting", openedAt: new Date(), version: { increment: 1 } } });
  await ctx.record("decision.vote_opened", `decision:${d.id}`, { before: { state: "pending" }, after: { state: "voting", title: d.title } });
  await enqueueApprovalLinks(ctx.tx, { kind: "vote", cutoverId: d.cutoverId, decision: d }, ctx.actor.name);
  return { decisionId: d.id, state: "voting" as const };
}

export async function castVote(ctx: CutoverContext, input: z.output<typeof voteInput>) {
  const d = await lockDecision(ctx.tx, input.cutoverId, input.decisionId);
  const required = d.requiredRoles as Role[];
  const allowed = canVote(d.state as DecisionState, ctx.roles, required, d.votes.map((v) => v.role as Role), input.role);
  if (!allowed.ok) throw new AppError(allowed.code, allowed.message);
  const vote = await ctx.tx.vote.create({
    data: { decisionId: d.id, userId: ctx.actor.id, role: allowed.role, choice: input.choice, comment: input.comment },
    include: { user: { select: { name: true } } },
  });
  await ctx.record("decision.voted", `decision:${d.id}`, { role: allowed.role, after: { choice: input.choice, comment: input.comment, title: d.title } });

  const votes = toVotes([...d.votes, vote]);
  const gates = await gatesFor(ctx.tx, d);
  const evaluation = evaluateDecision({ state: "voting", gates, requiredRoles: required, votes });
  if (evaluation.outcome !== "waiting") {
    const now = new Date();
    await ctx.tx.decisionPoint.update({
      where: { id: d.id },
      data: { state: evaluation.outcome, decidedAt: now, reason: evaluation.reason, snapshot: decisionSnapshot(gates, votes, now), version: { increment: 1 } },
    });
    await ctx.record(`decision.${evaluation.outcome}`, `decision:${d.id}`, { before: { state: "voting" }, after: { state: evaluation.outcome, reason: evaluation.reason, title: d.title } });
  }
  return { decisionId: d.id, role: allowed.role, choice: input.choice, outcome: evaluation.outcome, reason: evaluation.reason };
}

export async function abortDecision(ctx: CutoverContext, input: z.output<typeof abortDecisionInput>) {
  const d = await lockDecision(ctx.tx, input.cutoverId, input.decisionId);
  if (d.state === "proceed" || d.state === "abort") throw new AppError("conflict", `Decision is closed: ${d.state}`);
  const gates = await gatesFor(ctx.tx, d);
  const now = new Date();
  await ctx.tx.decisionPoint.update({
    where: { id: d.id },
    data: { state: "abort", decidedAt: now, reason: input.reason, snapshot: decisionSnapshot(gates, toVotes(d.votes), now), version: { increment: 1 } },
  });
  await ctx.record("decision.abort", `decision:${d.id}`, { before: { state: d.state }, after: { state: "abort", reason: input.reason, title: d.title } });
  return { decisionId: d.id, state: "abort" as const };
}
