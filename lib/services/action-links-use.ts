// Opening and using a signed action link. The link names the action, the cutover, the subject and
// the recipient; the caller is whoever is signed in. Using one is the command `action_link.use`:
// the pipeline loads the caller's roles in the link's cutover (non-member: 404), then this checks
// the link (signature, expiry, recipient, not used), asks the permission table for the link's own
// action (decision.vote or trigger.confirm), and runs that action's own service in the same
// transaction, recorded with via "link".
//
// "Used" and the action are one transaction: the link's id is inserted first (ON CONFLICT DO
// NOTHING; a second use finds it and is refused, and a concurrent second use waits on the key and
// then finds it), and any refusal of the action rolls the insert back, so a link is never spent
// by an action that did not happen and never usable again after one that did. A confirmed
// trigger's rollback or shift runs after commit, as trigger.confirm's does: the confirmation is
// what the link carried.
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { ACTION_LINK_REFUSALS, actionLinkLabel, verifyActionLink, type ActionLinkClaims } from "@/lib/domain/action-links";
import { canVote, type DecisionState } from "@/lib/domain/decision";
import { ACTION_LABELS } from "@/lib/domain/permissions";
import { ROLE_LABELS, type Role } from "@/lib/domain/roles";
import type { actionLinkUseInput } from "@/lib/schemas/action-links";
import { actionLinkKey } from "./action-links";
import { withCutover, type Actor, type Call, type CutoverContext } from "./context";
import { castVote } from "./decisions";
import { actOnConfirmed, confirmTrigger } from "./triggers";

/** The link's claims, or the refusal of a link that is damaged, forged, expired or not this server's. */
export function verifiedClaims(token: string, now: number = Date.now()): ActionLinkClaims {
  const key = actionLinkKey();
  if (!key) throw new AppError("conflict", "Action links are not available on this server");
  const verdict = verifyActionLink(token, key, now);
  if (!verdict.ok) throw new AppError(verdict.reason === "expired" ? "conflict" : "bad_request", ACTION_LINK_REFUSALS[verdict.reason]);
  return verdict.claims;
}

export interface ActionLinkView {
  cutoverId: string;
  cutoverName: string;
  action: ActionLinkClaims["action"];
  /** The button's words: "Vote GO", "Confirm rollback". */
  label: string;
  /** What is decided or confirmed: the decision's title, the trigger's description. */
  subject: string;
  /** The roles the vote counts for (a vote). */
  asRoles: string[];
  expiresAt: string;
}

/**
 * Everything that would refuse the link now, in the caller's transaction: the recipient, its use,
 * the table's permission for the link's action and the state of its subject. Returns the view.
 */
async function checkLink(ctx: CutoverContext, claims: ActionLinkClaims): Promise<ActionLinkView> {
  if (claims.cutoverId !== ctx.cutover.id) throw new AppError("bad_request", "This link belongs to another cutover");
  if (claims.recipient !== ctx.actor.id) throw new AppError("forbidden", "This link was made for someone else: links work only for the person they were sent to. Act in the room instead.");
  const used = await ctx.tx.actionLinkUse.findUnique({ where: { jti: claims.jti }, select: { usedAt: true } });
  if (used) throw new AppError("conflict", `This link was already used (${used.usedAt.toISOString()}): a link works once.`);
  if (!ctx.can(claims.action)) throw new AppError("forbidden", `Your roles in this cutover no longer allow you to ${ACTION_LABELS[claims.action]}`);
  const base = { cutoverId: ctx.cutover.id, cutoverName: ctx.cutover.name, action: claims.action, expiresAt: new Date(claims.expiresAt).toISOString() };
  if (claims.action === "decision.vote") {
    const d = await ctx.tx.decisionPoint.findFirst({ where: { id: claims.subjectId, cutoverId: ctx.cutover.id }, select: { title: true, state: true, requiredRoles: true, votes: { select: { role: true } } } });
    if (!d) throw new AppError("not_found", "This decision no longer exists");
    if (d.state === "proceed" || d.state === "abort") throw new AppError("conflict", `The decision is closed (${d.state === "proceed" ? "PROCEED" : "ABORT"}): votes are no longer taken`);
    const allowed = canVote(d.state as DecisionState, ctx.roles, d.requiredRoles as Role[], d.votes.map((v) => v.role as Role));
    if (!allowed.ok) throw new AppError(allowed.code, allowed.message);
    return { ...base, label: actionLinkLabel(claims), subject: d.title, asRoles: [ROLE_LABELS[allowed.role]] };
  }
  const t = await ctx.tx.rollbackTrigger.findFirst({ where: { id: claims.subjectId, cutoverId: ctx.cutover.id }, select: { description: true, state: true, action: true, shiftToPercent: true } });
  if (!t) throw new AppError("not_found", "This trigger no longer exists");
  if (t.state !== "firing") throw new AppError("conflict", "This trigger is not firing any more: nothing to confirm");
  return { ...base, label: actionLinkLabel(claims, t), subject: t.description ?? "Rollback trigger", asRoles: [] };
}

/** For the page: what the link would do for `actor` now, or the refusal (an AppError) saying why not. */
export async function previewActionLink(actor: Actor, token: string): Promise<ActionLinkView> {
  const claims = verifiedClaims(token);
  return withCutover(actor, claims.cutoverId, "cutover.view", (ctx) => checkLink(ctx, claims));
}

/** Every audit row the link's action writes says it came from a signed link. */
function viaLink(ctx: CutoverContext): CutoverContext {
  return { ...ctx, record: (action, subject, change) => ctx.record(action, subject, { ...change, after: { ...(change.after as object | undefined), via: "link" } }) };
}

export async function useActionLink(ctx: CutoverContext, input: z.output<typeof actionLinkUseInput>) {
  const claims = verifiedClaims(input.token);
  await checkLink(ctx, claims);
  const inserted = await ctx.tx.actionLinkUse.createMany({ data: [{ jti: claims.jti, cutoverId: ctx.cutover.id, userId: ctx.actor.id, action: claims.action, subjectId: claims.subjectId }], skipDuplicates: true });
  if (inserted.count !== 1) throw new AppError("conflict", "This link was already used: a link works once.");
  if (claims.action === "decision.vote") {
    const vote = await castVote(viaLink(ctx), { cutoverId: ctx.cutover.id, decisionId: claims.subjectId, choice: claims.choice === "GO" ? "go" : "no_go", comment: null });
    return { action: claims.action, vote, confirmed: null };
  }
  const confirmed = await confirmTrigger(viaLink(ctx), { cutoverId: ctx.cutover.id, triggerId: claims.subjectId });
  return { action: claims.action, vote: null, confirmed };
}

/** After commit: a confirmed trigger's action, exactly as trigger.confirm runs it. */
export async function afterActionLink(result: Awaited<ReturnType<typeof useActionLink>>, input: unknown, call: Call) {
  if (result.confirmed) {
    await actOnConfirmed(result.confirmed, input, call);
    return { action: result.action, triggerId: result.confirmed.trigger.id };
  }
  return { action: result.action, vote: result.vote };
}
