// Templates: the built-in starting plans (lib/domain/templates) and the team's, saved from a
// cutover. A new cutover starts from one through the runbook import's path: a template written as
// markdown is read by readRunbook like a pasted runbook, a saved plan becomes the plan the
// importer would have read (toImportedPlan); createPlanFromImport writes either.
import type { z } from "zod";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { canGlobal, canRemoveTemplate, GLOBAL_ACTION_LABELS } from "@/lib/domain/permissions";
import { importRunbook, type ImportedPlan } from "@/lib/domain/runbook-import";
import { BUILTIN_TEMPLATES, builtinTemplate } from "@/lib/domain/templates";
import { templatePlanFromCutover, templatePlanSchema, toImportedPlan } from "@/lib/domain/templates/plan";
import { id } from "@/lib/schemas/room";
import type { templateRemoveInput, templateSaveInput } from "@/lib/schemas/templates";
import { recordChange } from "./audit";
import { readRunbook } from "./plan-import";
import type { Actor, CutoverContext } from "./context";

export interface TemplateSummary {
  /** What `cutover.create` takes as `template`. */
  key: string;
  name: string;
  description: string;
  builtin: boolean;
  savedBy: string | null;
  savedAt: Date | null;
  /** Whether the caller may remove it (canRemoveTemplate). */
  removable: boolean;
}

/** The templates a new cutover can start from: the built-in ones, then the team's by name. */
export async function listTemplates(actor: Actor): Promise<TemplateSummary[]> {
  if (!canGlobal(actor, "cutover.create")) throw new AppError("forbidden", `Not allowed to ${GLOBAL_ACTION_LABELS["cutover.create"]}`);
  const team = await db().cutoverTemplate.findMany({
    orderBy: { name: "asc" },
    select: { id: true, name: true, description: true, createdAt: true, createdById: true, createdBy: { select: { name: true } } },
  });
  return [
    ...BUILTIN_TEMPLATES.map((t) => ({ key: t.key, name: t.name, description: t.description, builtin: true, savedBy: null, savedAt: null, removable: false })),
    ...team.map((t) => ({
      key: t.id,
      name: t.name,
      description: t.description,
      builtin: false,
      savedBy: t.createdBy?.name ?? null,
      savedAt: t.createdAt,
      removable: canRemoveTemplate(actor, t.createdById),
    })),
  ];
}

/** A template's plan and traffic ladder, read as a runbook would be; an unknown key is a 404. */
export async function readTemplate(key: string): Promise<{ plan: ImportedPlan; trafficSteps: readonly number[] | null }> {
  const builtin = builtinTemplate(key);
  if (builtin) return { plan: await readRunbook(builtin.markdown), trafficSteps: builtin.trafficSteps };
  const row = id.safeParse(key).success ? await db().cutoverTemplate.findUnique({ where: { id: key } }) : null;
  if (!row) throw new AppError("not_found", "Unknown template");
  if (row.markdown !== null) return { plan: await readRunbook(row.markdown), trafficSteps: null };
  const saved = templatePlanSchema.safeParse(row.plan);
  if (!saved.success) throw new AppError("conflict", `The template "${row.name}" cannot be read; save it again from a cutover`);
  return { plan: toImportedPlan(row.name, saved.data, importRunbook("")), trafficSteps: saved.data.trafficSteps };
}

/** In the cutover's transaction: its plan becomes a team template under a new name. */
export async function saveTemplate(ctx: CutoverContext, input: z.output<typeof templateSaveInput>) {
  const { tx } = ctx;
  if (await tx.cutoverTemplate.findUnique({ where: { name: input.name }, select: { id: true } })) {
    throw new AppError("conflict", `A template named "${input.name}" already exists: choose another name`);
  }
  const source = await tx.cutover.findUniqueOrThrow({
    where: { id: input.cutoverId },
    select: {
      tZero: true,
      phases: { include: { sections: { include: { items: true } }, decisions: { orderBy: { id: "asc" } } } },
      risks: true,
      timeline: true,
      trafficSteps: true,
    },
  });
  // Checked as it will be read back, so that no saved template is one that cannot be started from.
  const checked = templatePlanSchema.safeParse(templatePlanFromCutover(source));
  if (!checked.success) throw new AppError("bad_request", "This plan is larger than a template can hold; it was not saved");
  const plan = checked.data;
  const created = await tx.cutoverTemplate.create({ data: { name: input.name, description: input.description, plan, createdById: ctx.actor.id } });
  const counts = {
    phases: plan.phases.length,
    sections: plan.phases.reduce((n, p) => n + p.sections.length, 0),
    items: plan.phases.reduce((n, p) => p.sections.reduce((m, s) => m + s.items.length, n), 0),
  };
  await ctx.record("template.saved", `template:${created.id}`, { after: { name: created.name, ...counts } });
  return { templateId: created.id, ...counts };
}

/** Global: a team template goes away (its creator, or whoever manages templates). */
export async function removeTemplate(actor: Actor, input: z.output<typeof templateRemoveInput>, requestId?: string) {
  return db().$transaction(async (tx) => {
    const row = await tx.cutoverTemplate.findUnique({ where: { id: input.templateId }, select: { id: true, name: true, createdById: true } });
    if (!row) throw new AppError("not_found", "Unknown template");
    if (!canRemoveTemplate(actor, row.createdById)) throw new AppError("forbidden", "Only the one who saved this template, or an administrator, may remove it");
    await tx.cutoverTemplate.delete({ where: { id: row.id } });
    await recordChange(tx, { cutoverId: null, actorId: actor.id, actorName: actor.name, role: null, action: "template.removed", subject: `template:${row.id}`, before: { name: row.name }, requestId, rehearsal: false });
    return { templateId: row.id };
  });
}
