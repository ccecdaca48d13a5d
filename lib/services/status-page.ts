// The public status page's use cases: turning it on or off under a slug, publishing and
// retracting updates (the status.* commands), the room's view of it, and the reads the custom
// server's snapshots are built from (lib/server/status-page.ts). Those reads run once per change
// of a cutover, never per reader, and return only what lib/domain/status-page.ts projects from.
import type { z } from "zod";
import { db, type Tx } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { DEFAULT_NEXT_UPDATE_MINUTES, publicFigures, STATUS_LIMITS, suggestSlug, type PublicHealth, type RollbackFact, type StatusSource } from "@/lib/domain/status-page";
import { statusConfigureInput, statusPublishInput, statusRetractInput } from "@/lib/schemas/status-page";
import { cutoverOnly } from "@/lib/schemas/room";
import { requireFound, withCutover, type Actor, type CutoverContext } from "./context";

const MINUTE = 60_000;

async function slugTaken(tx: Tx, slug: string, cutoverId: string): Promise<boolean> {
  return (await tx.cutover.count({ where: { statusSlug: slug, id: { not: cutoverId } } })) > 0;
}

/** A free slug made from the name: the name's, or with -2, -3 … appended. */
async function freeSlug(tx: Tx, name: string, cutoverId: string): Promise<string> {
  const base = suggestSlug(name);
  for (let n = 1; n < 50; n++) {
    const suffix = n === 1 ? "" : `-${n}`;
    const slug = `${base.slice(0, STATUS_LIMITS.slugMax - suffix.length).replace(/-+$/, "")}${suffix}`;
    if (!(await slugTaken(tx, slug, cutoverId))) return slug;
  }
  throw new AppError("conflict", "Choose an address for the status page: the ones made from the name are taken");
}

/** status.configure: the page on or off, its address and its title. */
export async function configureStatusPage(ctx: CutoverContext, input: z.output<typeof statusConfigureInput>) {
  const cutoverId = input.cutoverId;
  const before = await ctx.tx.cutover.findUniqueOrThrow({ where: { id: cutoverId }, select: { statusPageEnabled: true, statusSlug: true, statusTitle: true } });
  let slug = input.slug ?? before.statusSlug;
  if (input.slug !== undefined && input.slug !== before.statusSlug && (await slugTaken(ctx.tx, input.slug, cutoverId))) {
    throw new AppError("conflict", `The address /status/${input.slug} is taken: choose another`);
  }
  if (!slug && input.enabled) slug = await freeSlug(ctx.tx, ctx.cutover.name, cutoverId);
  const title = input.title === undefined ? before.statusTitle : input.title || null;
  const after = { statusPageEnabled: input.enabled, statusSlug: slug, statusTitle: title };
  await ctx.tx.cutover.update({ where: { id: cutoverId }, data: after });
  await ctx.record("status.configured", `cutover:${cutoverId}`, {
    before: { enabled: before.statusPageEnabled, slug: before.statusSlug, title: before.statusTitle },
    after: { enabled: after.statusPageEnabled, slug: after.statusSlug, title: after.statusTitle },
  });
  return { enabled: input.enabled, slug, title };
}

/** status.publish: an update readers see at once (the page's health is the last one published). */
export async function publishStatusUpdate(ctx: CutoverContext, input: z.output<typeof statusPublishInput>, now: Date = new Date()) {
  const nextUpdateAt: Date | null = input.nextUpdateAt === undefined ? new Date(now.getTime() + DEFAULT_NEXT_UPDATE_MINUTES * MINUTE) : input.nextUpdateAt;
  if (nextUpdateAt && nextUpdateAt.getTime() < now.getTime() - MINUTE) throw new AppError("bad_request", "The next update must be due in the future");
  if (nextUpdateAt && nextUpdateAt.getTime() > now.getTime() + STATUS_LIMITS.nextUpdateMaxMinutes * MINUTE) throw new AppError("bad_request", "The next update must be due within 7 days");
  const cutover = await ctx.tx.cutover.findUniqueOrThrow({ where: { id: input.cutoverId }, select: { statusPageEnabled: true } });
  if (!cutover.statusPageEnabled) throw new AppError("conflict", "Turn the status page on before publishing to it");
  const figures = publicFigures(input.figures);
  const update = await ctx.tx.statusUpdate.create({
    data: { cutoverId: input.cutoverId, body: input.body, health: input.health, figures, nextUpdateAt, publishedById: ctx.actor.id, publishedByName: ctx.actor.name, publishedAt: now },
    select: { id: true, publishedAt: true },
  });
  await ctx.record("status.published", `status_update:${update.id}`, { after: { body: input.body, health: input.health, figures, nextUpdateAt } });
  return { id: update.id, publishedAt: update.publishedAt, nextUpdateAt };
}

/** status.retract: takes a published update off the page (it stays in the room and the audit log). */
export async function retractStatusUpdate(ctx: CutoverContext, input: z.output<typeof statusRetractInput>) {
  const update = requireFound(await ctx.tx.statusUpdate.findFirst({ where: { id: input.id, cutoverId: input.cutoverId }, select: { id: true, body: true, health: true, retractedAt: true } }), "Status update");
  if (update.retractedAt) throw new AppError("conflict", "That update was already retracted");
  const written = await ctx.tx.statusUpdate.updateMany({ where: { id: update.id, retractedAt: null }, data: { retractedAt: new Date(), retractedByName: ctx.actor.name } });
  if (written.count !== 1) throw new AppError("conflict", "That update was already retracted");
  await ctx.record("status.retracted", `status_update:${update.id}`, { before: { body: update.body, health: update.health } });
  return { id: update.id };
}

export interface StatusPageView {
  enabled: boolean;
  slug: string | null;
  title: string | null;
  /** What the slug would be if none is chosen. */
  suggestedSlug: string;
  canPublish: boolean;
  updates: { id: string; body: string; health: PublicHealth; figures: { label: string; value: string }[]; nextUpdateAt: string | null; publishedAt: string; publishedBy: string; retractedAt: string | null; retractedBy: string | null }[];
  /** Figures that can be published: each metric's latest value on the new system. */
  metrics: { id: string; name: string; unit: string; value: number | null; at: string | null }[];
}

/** The room's view of the status page (cutover.view: every member sees what was published and by whom). */
export async function getStatusPageView(actor: Actor, raw: unknown): Promise<StatusPageView> {
  const { cutoverId } = cutoverOnly.parse(raw);
  return withCutover(actor, cutoverId, "cutover.view", async (ctx) => {
    const c = await ctx.tx.cutover.findUniqueOrThrow({ where: { id: cutoverId }, select: { statusPageEnabled: true, statusSlug: true, statusTitle: true } });
    const updates = await ctx.tx.statusUpdate.findMany({ where: { cutoverId }, orderBy: { publishedAt: "desc" }, take: 200 });
    const metrics = await ctx.tx.metricDefinition.findMany({ where: { cutoverId }, orderBy: { position: "asc" }, select: { id: true, name: true, unit: true } });
    // One query at a time: a transaction's connection does not run them side by side.
    const latest: ({ value: number | null; at: Date } | null)[] = [];
    for (const m of metrics) latest.push(await ctx.tx.metricSample.findFirst({ where: { metricId: m.id, system: "new", status: "ok" }, orderBy: { at: "desc" }, select: { value: true, at: true } }));
    return {
      enabled: c.statusPageEnabled,
      slug: c.statusSlug,
      title: c.statusTitle,
      suggestedSlug: suggestSlug(ctx.cutover.name),
      canPublish: ctx.can("status.publish"),
      updates: updates.map((u) => ({
        id: u.id,
        body: u.body,
        health: u.health,
        figures: publicFigures(u.figures),
        nextUpdateAt: u.nextUpdateAt?.toISOString() ?? null,
        publishedAt: u.publishedAt.toISOString(),
        publishedBy: u.publishedByName,
        retractedAt: u.retractedAt?.toISOString() ?? null,
        retractedBy: u.retractedByName,
      })),
      metrics: metrics.map((m, i) => ({ id: m.id, name: m.name, unit: m.unit, value: latest[i]?.value ?? null, at: latest[i]?.at.toISOString() ?? null })),
    };
  });
}

export interface StatusPageRow {
  cutoverId: string;
  slug: string;
  source: StatusSource;
}

/**
 * What a cutover's public page is built from, or null when it has none (no cutover, page off, no
 * slug). Only the fields the projection reads are selected.
 */
export async function loadStatusSource(cutoverId: string): Promise<StatusPageRow | null> {
  const c = await db().cutover.findUnique({
    where: { id: cutoverId },
    select: { id: true, name: true, state: true, mode: true, createdAt: true, statusPageEnabled: true, statusSlug: true, statusTitle: true },
  });
  if (!c || !c.statusPageEnabled || !c.statusSlug) return null;
  const [rollback, phases, updates] = await Promise.all([
    db().rollback.findFirst({ where: { cutoverId }, orderBy: { startedAt: "desc" }, select: { state: true } }),
    db().phase.findMany({ where: { cutoverId }, orderBy: { position: "asc" }, select: { name: true, sections: { select: { _count: { select: { items: { where: { state: "open" } } } } } } } }),
    db().statusUpdate.findMany({
      where: { cutoverId, retractedAt: null },
      orderBy: { publishedAt: "desc" },
      take: STATUS_LIMITS.shownUpdates,
      select: { id: true, body: true, health: true, figures: true, nextUpdateAt: true, publishedAt: true, retractedAt: true },
    }),
  ]);
  return {
    cutoverId: c.id,
    slug: c.statusSlug,
    source: {
      title: c.statusTitle || c.name,
      state: c.state,
      rehearsal: c.mode === "rehearsal",
      createdAt: c.createdAt,
      latestRollback: rollback ? ({ state: rollback.state } satisfies RollbackFact) : null,
      phases: phases.map((p) => ({ name: p.name, openItems: p.sections.reduce((n, s) => n + s._count.items, 0) })),
      updates,
    },
  };
}

/** The cutovers whose page is on, with their slugs (the server's index of pages). */
export async function listStatusPages(): Promise<{ cutoverId: string; slug: string }[]> {
  const rows = await db().cutover.findMany({ where: { statusPageEnabled: true, statusSlug: { not: null } }, select: { id: true, statusSlug: true } });
  return rows.map((r) => ({ cutoverId: r.id, slug: r.statusSlug! }));
}
