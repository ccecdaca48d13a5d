// Members, timeline, contacts, war-room links, escalation ladder and risks of a cutover.
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { canProgressTimelineEntry } from "@/lib/domain/permissions";
import { ROLE_LABELS, type Role } from "@/lib/domain/roles";
import {
  contactInput,
  escalationInput,
  linksInput,
  memberInput,
  removeInput,
  removeMemberInput,
  riskInput,
  timelineEntryInput,
  timelineProgressInput,
} from "@/lib/schemas/room";
import { plannedTimeOf, requireFound, type CutoverContext } from "./context";

export async function addMember(ctx: CutoverContext, input: z.output<typeof memberInput>) {
  const user = requireFound(await ctx.tx.user.findUnique({ where: { email: input.email }, select: { id: true, name: true } }), "User with that email");
  const exists = await ctx.tx.cutoverMember.findFirst({ where: { cutoverId: input.cutoverId, userId: user.id, role: input.role } });
  if (exists) throw new AppError("conflict", `${user.name} already holds ${ROLE_LABELS[input.role]}`);
  await ctx.tx.cutoverMember.create({ data: { cutoverId: input.cutoverId, userId: user.id, role: input.role } });
  await ctx.record("member.added", `user:${user.id}`, { after: { name: user.name, role: input.role } });
  return { userId: user.id };
}

export async function removeMember(ctx: CutoverContext, input: z.output<typeof removeMemberInput>) {
  const m = requireFound(await ctx.tx.cutoverMember.findFirst({ where: { cutoverId: input.cutoverId, userId: input.userId, role: input.role } }), "Member");
  if (input.role === "DEPLOYMENT_LEAD" && (await ctx.tx.cutoverMember.count({ where: { cutoverId: input.cutoverId, role: "DEPLOYMENT_LEAD" } })) === 1) {
    throw new AppError("conflict", "A cutover keeps at least one Deployment Lead");
  }
  await ctx.tx.cutoverMember.delete({ where: { id: m.id } });
  await ctx.record("member.removed", `user:${input.userId}`, { before: { role: input.role } });
  return { userId: input.userId };
}

const at = plannedTimeOf;

export async function addTimelineEntry(ctx: CutoverContext, input: z.output<typeof timelineEntryInput>) {
  const plannedStart = at(ctx, input.plannedStart);
  const plannedFinish = input.plannedFinish ? at(ctx, input.plannedFinish) : null;
  if (plannedFinish && plannedFinish < plannedStart) throw new AppError("bad_request", "The planned finish is before the planned start");
  const position = await ctx.tx.timelineEntry.count({ where: { cutoverId: input.cutoverId } });
  const e = await ctx.tx.timelineEntry.create({ data: { cutoverId: input.cutoverId, title: input.title, details: input.details, ownerRole: input.ownerRole, plannedStart, plannedFinish, position } });
  await ctx.record("timeline.added", `timeline:${e.id}`, { after: { title: e.title, plannedStart: e.plannedStart.toISOString() } });
  return { entryId: e.id };
}

export async function progressTimelineEntry(ctx: CutoverContext, input: z.output<typeof timelineProgressInput>) {
  const e = requireFound(await ctx.tx.timelineEntry.findFirst({ where: { id: input.entryId, cutoverId: input.cutoverId } }), "Timeline step");
  if (!canProgressTimelineEntry(ctx.roles, e.ownerRole as Role)) throw new AppError("forbidden", `Only ${ROLE_LABELS[e.ownerRole as Role]} (or the Deployment Lead) can progress "${e.title}"`);
  const now = new Date();
  const where = input.step === "start" ? { id: e.id, actualStart: null } : { id: e.id, actualFinish: null };
  if (input.step === "finish" && !e.actualStart) throw new AppError("conflict", `"${e.title}" has not started`);
  const changed = await ctx.tx.timelineEntry.updateMany({ where, data: input.step === "start" ? { actualStart: now } : { actualFinish: now } });
  if (changed.count !== 1) throw new AppError("conflict", `"${e.title}" is already ${input.step === "start" ? "started" : "finished"}`);
  await ctx.record(`timeline.${input.step === "start" ? "started" : "finished"}`, `timeline:${e.id}`, { after: { title: e.title, at: now.toISOString() } });
  return { entryId: e.id, at: now.toISOString() };
}

export async function addContact(ctx: CutoverContext, input: z.output<typeof contactInput>) {
  const { cutoverId, ...data } = input;
  const c = await ctx.tx.contact.create({ data: { cutoverId, ...data } });
  await ctx.record("contact.added", `contact:${c.id}`, { after: data });
  return { contactId: c.id };
}

export async function removeContact(ctx: CutoverContext, input: z.output<typeof removeInput>) {
  const c = requireFound(await ctx.tx.contact.findFirst({ where: { id: input.id, cutoverId: input.cutoverId } }), "Contact");
  await ctx.tx.contact.delete({ where: { id: c.id } });
  await ctx.record("contact.removed", `contact:${c.id}`, { before: { name: c.name, role: c.role } });
  return { contactId: c.id };
}

export async function setLinks(ctx: CutoverContext, input: z.output<typeof linksInput>) {
  const before = await ctx.tx.cutover.findUniqueOrThrow({ where: { id: input.cutoverId }, select: { links: true } });
  await ctx.tx.cutover.update({ where: { id: input.cutoverId }, data: { links: input.links } });
  await ctx.record("links.updated", `cutover:${input.cutoverId}`, { before: before.links, after: input.links });
  return { links: input.links };
}

export async function setEscalation(ctx: CutoverContext, input: z.output<typeof escalationInput>) {
  const before = await ctx.tx.cutover.findUniqueOrThrow({ where: { id: input.cutoverId }, select: { escalation: true } });
  await ctx.tx.cutover.update({ where: { id: input.cutoverId }, data: { escalation: input.escalation } });
  await ctx.record("escalation.updated", `cutover:${input.cutoverId}`, { before: before.escalation, after: input.escalation });
  return { escalation: input.escalation };
}

export async function saveRisk(ctx: CutoverContext, input: z.output<typeof riskInput>) {
  const { cutoverId, id, ...data } = input;
  if (id) {
    const before = requireFound(await ctx.tx.risk.findFirst({ where: { id, cutoverId } }), "Risk");
    await ctx.tx.risk.update({ where: { id }, data });
    await ctx.record("risk.updated", `risk:${id}`, { before, after: data });
    return { riskId: id };
  }
  const r = await ctx.tx.risk.create({ data: { cutoverId, ...data } });
  await ctx.record("risk.added", `risk:${r.id}`, { after: data });
  return { riskId: r.id };
}
