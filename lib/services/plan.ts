// Writing the plan: cutovers, phases, sections and items. Starting a cutover freezes the plan's
// structure: afterwards items (and sections/phases) can still be added, with a recorded reason,
// but nothing is renamed, moved or removed.
import { z } from "zod";
import { db, type Tx } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { createPlanFromImport, readRunbook } from "./plan-import";
import { readTemplate } from "./templates";
import { applyExclusions, countPlan } from "@/lib/domain/runbook/preview";
import { createDefaultMetrics } from "./metrics";
import { recordChange } from "./audit";
import { seedAnnouncementTemplates } from "./announcements";
import {
  addItemInput,
  addPhaseInput,
  addSectionInput,
  cloneCutoverInput,
  createCutoverInput,
  abortCutoverInput,
  completeCutoverInput,
  cutoverOnly,
  moveInput,
  previewCutoverInput,
  removeInput,
  renameInput,
  updateItemInput,
} from "@/lib/schemas/room";
import { canComplete, completionBlockers, nextState } from "@/lib/domain/cutover-state";
import { plannedTimeOf, requireFound, type Call, type CutoverContext } from "./context";

const EDITABLE = new Set(["draft", "scheduled"]);

function frozen(ctx: CutoverContext): boolean {
  return !EDITABLE.has(ctx.cutover.state);
}

/** Additions after the start need a reason; structural edits are refused. */
function checkAddition(ctx: CutoverContext, reason: string | null | undefined): string | null {
  if (!frozen(ctx)) return null;
  if (!reason) throw new AppError("conflict", "The plan is frozen since the cutover started: give a reason to add to it", undefined, "plan_frozen");
  return reason;
}
function checkStructural(ctx: CutoverContext) {
  if (frozen(ctx)) throw new AppError("conflict", `The plan is frozen since the cutover started (${ctx.cutover.state}): it can only be added to`, undefined, "plan_frozen");
}

function plannedAt(ctx: CutoverContext, text: string | null | undefined): Date | null {
  return text ? plannedTimeOf(ctx, text) : null;
}

/** Global: the caller (an administrator or planner, says the table) leads the new cutover. */
/**
 * The preview of `POST /api/v1/cutovers?dryRun=1`: what the runbook would create, per kind (after
 * the exclusions), the plan itself for the preview screen, and what was skipped. Writes nothing.
 */
export async function previewCutover(raw: z.output<typeof previewCutoverInput>) {
  const read = await readRunbook(raw.runbook);
  const plan = applyExclusions(read, raw.exclude);
  return { dryRun: true as const, counts: countPlan(plan), plan, warnings: read.warnings, skipped: read.skipped };
}

export async function createCutover({ actor, requestId }: Call, raw: z.output<typeof createCutoverInput>) {
  const { runbook, template, exclude, ...input } = raw;
  if (template && runbook?.trim()) throw new AppError("bad_request", "Start from a runbook or from a template, not both");
  // Read before the transaction, off the main thread: a runbook refused as too slow or too big creates nothing.
  const source = template ? await readTemplate(template) : runbook?.trim() ? { plan: await readRunbook(runbook), trafficSteps: null } : null;
  const plan = source ? applyExclusions(source.plan, exclude) : null;
  return db().$transaction(async (tx) => {
    const c = await tx.cutover.create({ data: { ...input, state: "draft" } });
    // The default metrics first: the runbook's thresholds, triggers and gates land on them.
    await createDefaultMetrics(tx, c.id);
    if (plan) await createPlanFromImport(tx, c.id, plan, { tZero: c.tZero, timeZone: c.timeZone });
    await seedAnnouncementTemplates(tx, c.id);
    // Whoever creates a cutover leads it until they hand the role over.
    await tx.cutoverMember.create({ data: { cutoverId: c.id, userId: actor.id, role: "DEPLOYMENT_LEAD" } });
    await tx.trafficStep.createMany({ data: (source?.trafficSteps ?? [0, 5, 25, 50, 100]).map((percent, position) => ({ cutoverId: c.id, percent, position })) });
    await recordChange(
      tx,
      { cutoverId: c.id, actorId: actor.id, actorName: actor.name, role: "DEPLOYMENT_LEAD", action: "cutover.created", subject: `cutover:${c.id}`, after: { name: c.name, tZero: c.tZero.toISOString(), timeZone: c.timeZone, mode: c.mode, ...(plan ? { imported: countPlan(plan), excluded: exclude } : {}) }, requestId, rehearsal: c.mode === "rehearsal" },
      { type: "cutover.created", cutoverId: c.id, actor: actor.name },
    );
    return { cutoverId: c.id, imported: plan ? { phases: plan.phases.length, counts: countPlan(plan), warnings: plan.warnings, skipped: plan.skipped } : null };
  }, { timeout: 30_000 });
}

/** In the source's transaction: everything a clone copies. */
export function readCloneSource(ctx: CutoverContext, input: z.output<typeof cloneCutoverInput>) {
  return ctx.tx.cutover.findUniqueOrThrow({
    where: { id: input.cutoverId },
    include: {
      members: true,
      phases: { include: { sections: { include: { items: true } }, decisions: true } },
      timeline: true,
      contacts: true,
      risks: true,
      trafficSteps: true,
      metrics: true,
      triggers: true,
      gates: true,
      rollbackHooks: true,
    },
  });
}

/**
 * A new draft with the same plan (items open again), members, contacts, risks and decisions, and
 * the same watch on it: metrics with their queries and thresholds, gates, rollback triggers (back
 * to inactive), rollback hooks, the Prometheus source, the router, the notify channels, the
 * update interval and the check-in cadence. Nothing of the source's run comes along: no sign-off,
 * vote, sample, traffic change, rollback or audit row, and no public status page (its address is
 * the source's own).
 */
export async function cloneCutover(source: Awaited<ReturnType<typeof readCloneSource>>, input: z.output<typeof cloneCutoverInput>, { actor, requestId }: Call) {
  const shift = input.tZero.getTime() - source.tZero.getTime();
  const moved = (d: Date | null) => (d ? new Date(d.getTime() + shift) : null);
  return db().$transaction(
    async (tx) => {
      const c = await tx.cutover.create({
        data: {
          ...{ name: input.name, systemFrom: source.systemFrom, systemTo: source.systemTo, tZero: input.tZero, timeZone: source.timeZone, mode: source.mode, clonedFromId: source.id },
          ...{ links: source.links ?? [], escalation: source.escalation ?? [], announcementTemplates: source.announcementTemplates ?? [] },
          ...{ pollIntervalMs: source.pollIntervalMs, sampleRetentionDays: source.sampleRetentionDays, prometheusSource: source.prometheusSource, routerIntegration: source.routerIntegration },
          ...{ notifyChannels: source.notifyChannels, updateIntervalMinutes: source.updateIntervalMinutes, checkinCadence: source.checkinCadence ?? undefined },
        },
      });
      const members = new Map(source.members.map((m) => [`${m.userId}:${m.role}`, m]));
      members.set(`${actor.id}:DEPLOYMENT_LEAD`, { userId: actor.id, role: "DEPLOYMENT_LEAD" } as (typeof source.members)[number]);
      await tx.cutoverMember.createMany({ data: [...members.values()].map((m) => ({ cutoverId: c.id, userId: m.userId, role: m.role })) });
      const decisionOf = new Map<string, string>();
      for (const phase of source.phases) {
        const p = await tx.phase.create({ data: { cutoverId: c.id, name: phase.name, position: phase.position, plannedAt: phase.plannedAt } });
        for (const section of phase.sections) {
          const s = await tx.section.create({ data: { phaseId: p.id, name: section.name, position: section.position, notes: section.notes } });
          await tx.item.createMany({
            data: section.items.map((i) => ({ sectionId: s.id, title: i.title, description: i.description, commands: i.commands, ownerRole: i.ownerRole, critical: i.critical, position: i.position, plannedTime: i.plannedTime, plannedAt: moved(i.plannedAt) })),
          });
        }
        for (const d of phase.decisions) {
          const copy = await tx.decisionPoint.create({ data: { cutoverId: c.id, phaseId: p.id, title: d.title, requiredRoles: d.requiredRoles, targetPercent: d.targetPercent } });
          decisionOf.set(d.id, copy.id);
        }
      }
      const metricOf = new Map<string, string>();
      for (const { id, cutoverId: _c, ...m } of source.metrics) {
        metricOf.set(id, (await tx.metricDefinition.create({ data: { ...m, cutoverId: c.id }, select: { id: true } })).id);
      }
      // The rule as written; its state starts again (inactive, nothing pending, fired or failed).
      await tx.rollbackTrigger.createMany({
        data: source.triggers.map((t) => ({
          ...{ cutoverId: c.id, conditionKind: t.conditionKind, metricId: t.metricId ? metricOf.get(t.metricId)! : null, alertName: t.alertName, system: t.system, comparison: t.comparison, threshold: t.threshold },
          ...{ forSeconds: t.forSeconds, keepFiringForSeconds: t.keepFiringForSeconds, severity: t.severity, action: t.action, shiftToPercent: t.shiftToPercent, mode: t.mode },
          ...{ errorPolicy: t.errorPolicy, errorRollbackAfter: t.errorRollbackAfter, enabled: t.enabled, description: t.description },
        })),
      });
      // A gate of a decision goes with the decision's copy; a success criterion with the cutover.
      await tx.metricGate.createMany({
        data: source.gates.map((g) => ({ cutoverId: c.id, metricId: metricOf.get(g.metricId)!, decisionId: g.decisionId ? decisionOf.get(g.decisionId)! : null, condition: g.condition ?? {}, successCriterion: g.successCriterion })),
      });
      await tx.rollbackHook.createMany({ data: source.rollbackHooks.map((h) => ({ cutoverId: c.id, name: h.name, position: h.position, integration: h.integration })) });
      await tx.timelineEntry.createMany({
        data: source.timeline.map((t) => ({ cutoverId: c.id, title: t.title, details: t.details, ownerRole: t.ownerRole, position: t.position, plannedStart: moved(t.plannedStart)!, plannedFinish: moved(t.plannedFinish) })),
      });
      await tx.contact.createMany({ data: source.contacts.map(({ id: _id, cutoverId: _c, ...rest }) => ({ ...rest, cutoverId: c.id })) });
      await tx.risk.createMany({ data: source.risks.map(({ id: _id, cutoverId: _c, ...rest }) => ({ ...rest, cutoverId: c.id })) });
      await tx.trafficStep.createMany({ data: source.trafficSteps.map((s) => ({ cutoverId: c.id, percent: s.percent, position: s.position })) });
      await seedAnnouncementTemplates(tx, c.id, { from: source.id });
      await recordChange(
        tx,
        { cutoverId: c.id, actorId: actor.id, actorName: actor.name, role: "DEPLOYMENT_LEAD", action: "cutover.cloned", subject: `cutover:${c.id}`, after: { name: c.name, from: source.id }, requestId, rehearsal: c.mode === "rehearsal" },
        { type: "cutover.created", cutoverId: c.id, actor: actor.name },
      );
      return { cutoverId: c.id };
    },
    { timeout: 30_000 },
  );
}

export async function startCutover(ctx: CutoverContext, input: z.output<typeof cutoverOnly>) {
  const changed = await ctx.tx.cutover.updateMany({ where: { id: input.cutoverId, state: { in: ["draft", "scheduled"] } }, data: { state: "in_progress", startedAt: new Date() } });
  if (changed.count !== 1) throw new AppError("conflict", `The cutover is already ${ctx.cutover.state.replace("_", " ")}`);
  await ctx.record("cutover.started", `cutover:${input.cutoverId}`, { before: { state: ctx.cutover.state }, after: { state: "in_progress" } });
  return { state: "in_progress" as const };
}

/**
 * Declares success. The state, the split and "no rollback running" are re-checked in the update
 * itself: a shift or a rollback that commits between our read and our write makes it refuse,
 * rather than mark complete a cutover that was just rolled back.
 */
export async function completeCutover(ctx: CutoverContext, input: z.output<typeof completeCutoverInput>) {
  const c = await ctx.tx.cutover.findUniqueOrThrow({ where: { id: input.cutoverId }, select: { state: true, trafficPercent: true } });
  const rollbackRunning = (await ctx.tx.rollback.count({ where: { cutoverId: input.cutoverId, state: "running" } })) > 0;
  const facts = { state: c.state, trafficPercent: c.trafficPercent, rollbackRunning, force: input.force };
  const t = canComplete(facts);
  if (!t.ok) throw new AppError("conflict", t.reason);
  const blockers = completionBlockers(facts);
  const guard = input.force ? {} : { trafficPercent: 100, rollbacks: { none: { state: "running" as const } } };
  const changed = await ctx.tx.cutover.updateMany({ where: { id: input.cutoverId, state: c.state, ...guard }, data: { state: t.to } });
  if (changed.count !== 1) throw new AppError("conflict", "The cutover changed while completing it (its state, traffic or a rollback): look again and retry");
  await ctx.record("cutover.completed", `cutover:${input.cutoverId}`, {
    before: { state: c.state, trafficPercent: c.trafficPercent, rollbackRunning },
    after: { state: t.to, ...(input.force ? { forced: true, note: input.note, overrode: blockers } : {}) },
  });
  return { state: t.to };
}

/** Gives up on the cutover; the traffic is left where it is (a rollback is the way to move it back). */
export async function abortCutover(ctx: CutoverContext, input: z.output<typeof abortCutoverInput>) {
  const { state: from } = await ctx.tx.cutover.findUniqueOrThrow({ where: { id: input.cutoverId }, select: { state: true } });
  const t = nextState(from, "abort");
  if (!t.ok) throw new AppError("conflict", t.reason);
  const changed = await ctx.tx.cutover.updateMany({ where: { id: input.cutoverId, state: from }, data: { state: t.to } });
  if (changed.count !== 1) throw new AppError("conflict", "The cutover changed while aborting it: look again and retry");
  await ctx.record("cutover.aborted", `cutover:${input.cutoverId}`, { before: { state: from }, after: { state: t.to, reason: input.reason } });
  return { state: t.to };
}

export async function addPhase(ctx: CutoverContext, input: z.output<typeof addPhaseInput>) {
  const reason = checkAddition(ctx, input.reason);
  const position = await ctx.tx.phase.count({ where: { cutoverId: input.cutoverId } });
  const p = await ctx.tx.phase.create({ data: { cutoverId: input.cutoverId, name: input.name, plannedAt: input.plannedAt, position } });
  await ctx.record("phase.added", `phase:${p.id}`, { after: { name: p.name, reason } });
  return { phaseId: p.id };
}

export async function addSection(ctx: CutoverContext, input: z.output<typeof addSectionInput>) {
  const reason = checkAddition(ctx, input.reason);
  requireFound(await ctx.tx.phase.findFirst({ where: { id: input.phaseId, cutoverId: input.cutoverId } }), "Phase");
  const position = await ctx.tx.section.count({ where: { phaseId: input.phaseId } });
  const s = await ctx.tx.section.create({ data: { phaseId: input.phaseId, name: input.name, position } });
  await ctx.record("section.added", `section:${s.id}`, { after: { name: s.name, reason } });
  return { sectionId: s.id };
}

export async function addItem(ctx: CutoverContext, input: z.output<typeof addItemInput>) {
  const reason = checkAddition(ctx, input.reason);
  requireFound(await ctx.tx.section.findFirst({ where: { id: input.sectionId, phase: { cutoverId: input.cutoverId } } }), "Section");
  const at = plannedAt(ctx, input.plannedTime);
  const position = await ctx.tx.item.count({ where: { sectionId: input.sectionId } });
  const item = await ctx.tx.item.create({
    data: { sectionId: input.sectionId, title: input.title, ownerRole: input.ownerRole, plannedTime: input.plannedTime, plannedAt: at, description: input.description, critical: input.critical, position, addedReason: reason },
  });
  await ctx.record("item.added", `item:${item.id}`, { after: { title: item.title, ownerRole: item.ownerRole, critical: item.critical, plannedTime: item.plannedTime, reason } });
  return { itemId: item.id };
}

export async function updateItem(ctx: CutoverContext, input: z.output<typeof updateItemInput>) {
  checkStructural(ctx);
  const item = requireFound(await ctx.tx.item.findFirst({ where: { id: input.id, section: { phase: { cutoverId: input.cutoverId } } } }), "Item");
  const data = {
    ...(input.title !== undefined && { title: input.title }),
    ...(input.ownerRole !== undefined && { ownerRole: input.ownerRole }),
    ...(input.critical !== undefined && { critical: input.critical }),
    ...(input.description !== undefined && { description: input.description }),
    ...(input.plannedTime !== undefined && { plannedTime: input.plannedTime, plannedAt: plannedAt(ctx, input.plannedTime) }),
  };
  const after = await ctx.tx.item.update({ where: { id: item.id }, data });
  await ctx.record("item.updated", `item:${item.id}`, {
    before: { title: item.title, ownerRole: item.ownerRole, critical: item.critical, plannedTime: item.plannedTime, description: item.description },
    after: { title: after.title, ownerRole: after.ownerRole, critical: after.critical, plannedTime: after.plannedTime, description: after.description },
  });
  return { itemId: item.id };
}

type Level = "phase" | "section" | "item";

async function findNode(tx: Tx, level: Level, cutoverId: string, id: string) {
  if (level === "phase") {
    const p = requireFound(await tx.phase.findFirst({ where: { id, cutoverId } }), "Phase");
    return { name: p.name, position: p.position, parent: { cutoverId } };
  }
  if (level === "section") {
    const s = requireFound(await tx.section.findFirst({ where: { id, phase: { cutoverId } } }), "Section");
    return { name: s.name, position: s.position, parent: { phaseId: s.phaseId } };
  }
  const i = requireFound(await tx.item.findFirst({ where: { id, section: { phase: { cutoverId } } } }), "Item");
  return { name: i.title, position: i.position, parent: { sectionId: i.sectionId } };
}

// Prisma delegates differ per model; these three small tables give each level one code path.
function delegate(tx: Tx, level: Level) {
  const d = { phase: tx.phase, section: tx.section, item: tx.item }[level] as unknown as {
    update(a: { where: { id: string }; data: Record<string, unknown> }): Promise<unknown>;
    updateMany(a: { where: Record<string, unknown>; data: Record<string, unknown> }): Promise<unknown>;
    findFirst(a: { where: Record<string, unknown> }): Promise<{ id: string; position: number } | null>;
    delete(a: { where: { id: string } }): Promise<unknown>;
  };
  return d;
}

type Node = Awaited<ReturnType<typeof findNode>>;
type Delegate = ReturnType<typeof delegate>;

/**
 * Renaming, moving and removing a phase, section or item: the plan must not be frozen, the node
 * must be in this cutover; `change` makes the change and says what the audit row keeps of it.
 */
async function changeNode(ctx: CutoverContext, level: Level, input: { cutoverId: string; id: string }, done: "renamed" | "moved" | "removed", change: (node: Node, d: Delegate) => Promise<{ before: unknown; after?: unknown }>) {
  checkStructural(ctx);
  const node = await findNode(ctx.tx, level, input.cutoverId, input.id);
  await ctx.record(`${level}.${done}`, `${level}:${input.id}`, await change(node, delegate(ctx.tx, level)));
  return { id: input.id };
}

export function renameNode(ctx: CutoverContext, level: Level, input: z.output<typeof renameInput>) {
  return changeNode(ctx, level, input, "renamed", async (node, d) => {
    await d.update({ where: { id: input.id }, data: level === "item" ? { title: input.name } : { name: input.name } });
    return { before: { name: node.name }, after: { name: input.name } };
  });
}

export function moveNode(ctx: CutoverContext, level: Level, input: z.output<typeof moveInput>) {
  return changeNode(ctx, level, input, "moved", async (node, d) => {
    const neighbour = await d.findFirst({
      where: { ...node.parent, position: input.direction === "up" ? { lt: node.position } : { gt: node.position } },
      ...({ orderBy: { position: input.direction === "up" ? "desc" : "asc" } } as object),
    } as { where: Record<string, unknown> });
    if (!neighbour) throw new AppError("conflict", `Already the ${input.direction === "up" ? "first" : "last"} ${level}`);
    await d.update({ where: { id: neighbour.id }, data: { position: node.position } });
    await d.update({ where: { id: input.id }, data: { position: neighbour.position } });
    return { before: { position: node.position }, after: { position: neighbour.position } };
  });
}

export function removeNode(ctx: CutoverContext, level: Level, input: z.output<typeof removeInput>) {
  return changeNode(ctx, level, input, "removed", async (node, d) => {
    await d.delete({ where: { id: input.id } });
    await d.updateMany({ where: { ...node.parent, position: { gt: node.position } }, data: { position: { decrement: 1 } } });
    return { before: { name: node.name, position: node.position } };
  });
}
