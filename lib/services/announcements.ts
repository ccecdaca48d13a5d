// Announcements of a cutover: its templates (the four defaults and its runbook's, made rows when
// the cutover is created), rendered with live state (lib/domain/notify/render.ts), previewed,
// edited and sent. Sending writes one outbox row per channel of the cutover (enqueueDelivery) in
// the command's transaction and the audit row `announcement.sent` with what was sent; the
// delivery worker sends them once that committed. Bound templates are matched by the leader's
// bindings job (lib/jobs/announcement-bindings.ts): sent at once, or offered here as a pending
// recommendation that one click sends.
import type { z } from "zod";
import { db, type Tx } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { BINDING_EVENTS, KIND_LABELS, seedTemplates, type BindingEvent } from "@/lib/domain/notify/announcements";
import { checkTemplateText, currentPhase, nextUpdateDue, renderAnnouncement, UnknownVariableError, VARIABLES, type MetricReading, type RenderState } from "@/lib/domain/notify/render";
import type { OutgoingMessage } from "@/lib/domain/notify/message";
import type { announcementDismissInput, announcementIntervalInput, announcementPreviewInput, announcementRemoveInput, announcementSaveInput, announcementSendInput } from "@/lib/schemas/announcements";
import { recordChange } from "./audit";
import { requireFound, withCutover, type Actor, type CutoverContext } from "./context";
import { enqueueDelivery } from "./notify/outbox";

/** The room's address for {{room_url}} and the message's link: the app's public URL (NEXTAUTH_URL). */
export function roomUrl(cutoverId: string): string | null {
  const base = (process.env.NEXTAUTH_URL ?? "").replace(/\/$/, "");
  return /^https?:\/\//.test(base) ? `${base}/cutovers/${cutoverId}` : null;
}

// --- Templates at creation -------------------------------------------------------------------

/**
 * In the creating transaction: the cutover's template rows. A clone copies its source's rows; any
 * other cutover gets the defaults and the templates its runbook import kept
 * (cutovers.announcement_templates). Runs once per cutover (announcements_seeded).
 */
export async function seedAnnouncementTemplates(tx: Tx, cutoverId: string, opts: { from?: string } = {}): Promise<void> {
  const c = await tx.cutover.findUniqueOrThrow({ where: { id: cutoverId }, select: { announcementsSeeded: true, announcementTemplates: true, metrics: { select: { name: true } } } });
  if (c.announcementsSeeded) return;
  const source = opts.from ? await tx.announcementTemplate.findMany({ where: { cutoverId: opts.from }, orderBy: { position: "asc" } }) : [];
  const rows = source.length
    ? source.map((t) => ({ name: t.name, kind: t.kind, title: t.title, body: t.body, bindingEvent: t.bindingEvent, bindingMode: t.bindingMode, enabled: t.enabled }))
    : seedTemplates(importedTemplates(c.announcementTemplates), c.metrics.map((m) => m.name));
  await tx.announcementTemplate.createMany({ data: rows.map((t, position) => ({ ...t, cutoverId, position })), skipDuplicates: true });
  await tx.cutover.update({ where: { id: cutoverId }, data: { announcementsSeeded: true } });
}

function importedTemplates(json: unknown): { name: string; body: string }[] {
  if (!Array.isArray(json)) return [];
  return json.flatMap((t: unknown) => {
    const r = t as { name?: unknown; body?: unknown };
    return typeof r?.name === "string" && typeof r.body === "string" ? [{ name: r.name.slice(0, 100), body: r.body.slice(0, 5000) }] : [];
  });
}

/** Cutovers created before templates were rows get theirs (the leader runs this once at start). */
export async function backfillAnnouncementTemplates(): Promise<number> {
  const pending = await db().cutover.findMany({ where: { announcementsSeeded: false }, select: { id: true }, take: 500 });
  for (const c of pending) await db().$transaction((tx) => seedAnnouncementTemplates(tx, c.id));
  return pending.length;
}

// --- Live state --------------------------------------------------------------------------------

/** The latest sample of each metric and system within this window is "the value now"; older is no data. */
const FRESH_SAMPLE_MS = 10 * 60_000;

async function metricReadings(tx: Tx, cutoverId: string, now: Date): Promise<MetricReading[]> {
  const metrics = await tx.metricDefinition.findMany({ where: { cutoverId }, select: { id: true, name: true, unit: true, system: true }, orderBy: { position: "asc" } });
  if (metrics.length === 0) return [];
  const latest = await tx.$queryRawUnsafe<{ metric_id: string; system: "old" | "new"; value: number | null; status: string }[]>(
    `SELECT DISTINCT ON (s.metric_id, s.system) s.metric_id, s.system::text AS system, s.value, s.status::text AS status
       FROM metric_samples s
      WHERE s.metric_id = ANY($1::uuid[]) AND s.at > $2::timestamptz
      ORDER BY s.metric_id, s.system, s.at DESC`,
    metrics.map((m) => m.id),
    new Date(now.getTime() - FRESH_SAMPLE_MS),
  );
  const valueOf = (metricId: string, system: "old" | "new") => {
    const r = latest.find((x) => x.metric_id === metricId && x.system === system);
    return r && r.status === "ok" && r.value !== null ? Number(r.value) : null;
  };
  return metrics.map((m) => ({ name: m.name, unit: m.unit, system: m.system, old: valueOf(m.id, "old"), new: valueOf(m.id, "new") }));
}

/** What the variables read: the cutover as it is now. `reason` given by a binding, else the last rollback's. */
export async function liveState(tx: Tx, cutoverId: string, opts: { now?: Date; reason?: string | null } = {}): Promise<RenderState & { metricNames: string[] }> {
  const now = opts.now ?? new Date();
  const c = await tx.cutover.findUniqueOrThrow({
    where: { id: cutoverId },
    select: {
      name: true,
      timeZone: true,
      tZero: true,
      startedAt: true,
      trafficPercent: true,
      systemFrom: true,
      systemTo: true,
      updateIntervalMinutes: true,
      phases: { orderBy: { position: "asc" }, select: { name: true, sections: { select: { _count: { select: { items: { where: { state: "open" } } } } } } } },
    },
  });
  const metrics = await metricReadings(tx, cutoverId, now);
  const reason =
    opts.reason !== undefined ? opts.reason : ((await tx.rollback.findFirst({ where: { cutoverId }, orderBy: { startedAt: "desc" }, select: { reason: true } }))?.reason ?? null);
  return {
    cutover: { name: c.name, timeZone: c.timeZone, tZero: c.tZero, startedAt: c.startedAt, trafficPercent: c.trafficPercent, systemFrom: c.systemFrom, systemTo: c.systemTo },
    phase: currentPhase(c.phases.map((p) => ({ name: p.name, openItems: p.sections.reduce((n, s) => n + s._count.items, 0) }))),
    metrics,
    reason,
    now,
    // The message being rendered is the last send: the next one is due an interval after it.
    nextUpdateDue: nextUpdateDue(now, c.updateIntervalMinutes),
    roomUrl: roomUrl(cutoverId),
    metricNames: metrics.map((m) => m.name),
  };
}

function render(template: { title: string; body: string }, state: RenderState): { title: string; text: string } {
  try {
    return renderAnnouncement(template, state);
  } catch (err) {
    if (err instanceof UnknownVariableError) throw new AppError("bad_request", err.message);
    throw err;
  }
}

// --- Commands ----------------------------------------------------------------------------------

export async function saveAnnouncement(ctx: CutoverContext, input: z.output<typeof announcementSaveInput>) {
  const { tx } = ctx;
  const metrics = await tx.metricDefinition.findMany({ where: { cutoverId: input.cutoverId }, select: { name: true } });
  const problem = checkTemplateText([input.title, input.body], metrics.map((m) => m.name));
  if (problem) throw new AppError("bad_request", problem);
  const clash = await tx.announcementTemplate.findFirst({ where: { cutoverId: input.cutoverId, name: { equals: input.name, mode: "insensitive" }, ...(input.templateId ? { NOT: { id: input.templateId } } : {}) }, select: { id: true } });
  if (clash) throw new AppError("conflict", `An announcement named "${input.name}" already exists in this cutover`);
  const fields = { name: input.name, kind: input.kind, title: input.title, body: input.body, bindingEvent: input.bindingEvent, bindingMode: input.bindingMode, enabled: input.enabled };
  if (!input.templateId) {
    const position = await tx.announcementTemplate.count({ where: { cutoverId: input.cutoverId } });
    const t = await tx.announcementTemplate.create({ data: { ...fields, cutoverId: input.cutoverId, position }, select: { id: true, version: true } });
    await ctx.record("announcement.added", `announcement:${t.id}`, { after: describe(fields) });
    return { templateId: t.id, version: t.version };
  }
  const before = requireFound(await tx.announcementTemplate.findFirst({ where: { id: input.templateId, cutoverId: input.cutoverId } }), "Announcement");
  if (input.version !== undefined && input.version !== before.version) throw new AppError("conflict", "Someone else changed this announcement meanwhile: reload it and edit again", undefined, "stale_version");
  const t = await tx.announcementTemplate.update({ where: { id: before.id }, data: { ...fields, version: { increment: 1 } }, select: { id: true, version: true } });
  await ctx.record("announcement.updated", `announcement:${t.id}`, { before: describe(before), after: describe(fields) });
  return { templateId: t.id, version: t.version };
}

const describe = (t: { name: string; kind: string; title: string; body: string; bindingEvent: string | null; bindingMode: string; enabled: boolean }) => ({
  name: t.name,
  kind: t.kind,
  title: t.title,
  body: t.body,
  binding: t.bindingEvent ? { event: t.bindingEvent, mode: t.bindingMode } : null,
  enabled: t.enabled,
});

export async function removeAnnouncement(ctx: CutoverContext, input: z.output<typeof announcementRemoveInput>) {
  const t = requireFound(await ctx.tx.announcementTemplate.findFirst({ where: { id: input.templateId, cutoverId: input.cutoverId } }), "Announcement");
  await ctx.tx.announcementTemplate.delete({ where: { id: t.id } });
  await ctx.record("announcement.removed", `announcement:${t.id}`, { before: describe(t) });
  return { templateId: t.id };
}

interface Sending {
  cutoverId: string;
  template: { id: string; name: string; kind: string; title: string; body: string };
  /** This one send's edited texts. */
  draft?: { title?: string; body?: string };
  reason?: string | null;
  source: string;
  createdBy: string;
  recommendationId?: string;
}

/**
 * In the caller's transaction: renders, queues one delivery per channel of the cutover and says
 * what was sent. No channels is a 409 before anything is written.
 */
export async function sendRendered(tx: Tx, s: Sending): Promise<{ audit: Record<string, unknown>; deliveryIds: string[] }> {
  const c = await tx.cutover.findUniqueOrThrow({ where: { id: s.cutoverId }, select: { notifyChannels: true, mode: true } });
  if (c.notifyChannels.length === 0) {
    throw new AppError("conflict", "This cutover has no channels to announce to: an editor of announcements picks them under Comms → Deliveries");
  }
  const state = await liveState(tx, s.cutoverId, { reason: s.reason });
  const rendered = render({ title: s.draft?.title ?? s.template.title, body: s.draft?.body ?? s.template.body }, state);
  const url = roomUrl(s.cutoverId);
  const message: OutgoingMessage = {
    // A rehearsal's messages reach real people: they must not read as the real thing.
    title: c.mode === "rehearsal" ? `REHEARSAL: ${rendered.title}`.slice(0, 200) : rendered.title,
    text: rendered.text,
    fields: [
      { label: "Kind", value: KIND_LABELS[s.template.kind as keyof typeof KIND_LABELS] ?? s.template.kind },
      { label: "Traffic", value: `${state.cutover.trafficPercent} % new` },
      ...(state.phase ? [{ label: "Phase", value: state.phase.slice(0, 500) }] : []),
    ],
    ...(url ? { links: [{ label: "Open the war room", url }] } : {}),
    severity: s.template.kind === "rollback" ? "critical" : "info",
  };
  const deliveryIds: string[] = [];
  for (const channel of c.notifyChannels) {
    const { deliveryId } = await enqueueDelivery(tx, { cutoverId: s.cutoverId, channel, source: s.source, subject: `announcement:${s.template.id}`, message, createdBy: s.createdBy });
    deliveryIds.push(deliveryId);
  }
  await tx.announcementTemplate.update({ where: { id: s.template.id }, data: { lastSentAt: state.now } });
  return {
    deliveryIds,
    audit: { template: s.template.name, title: message.title, text: message.text, channels: c.notifyChannels, deliveries: deliveryIds, source: s.source, edited: Boolean(s.draft?.title ?? s.draft?.body), ...(s.recommendationId ? { recommendationId: s.recommendationId } : {}) },
  };
}

export async function sendAnnouncement(ctx: CutoverContext, input: z.output<typeof announcementSendInput>) {
  const { tx } = ctx;
  let recommendation: { id: string; templateId: string; reason: string | null; event: BindingEvent } | null = null;
  if (input.recommendationId) {
    // Locked: two people clicking Send on the same recommendation send it once.
    const locked = await tx.$queryRawUnsafe<{ id: string }[]>("SELECT id FROM announcement_firings WHERE id = $1::uuid AND cutover_id = $2::uuid FOR UPDATE", input.recommendationId, input.cutoverId);
    const r = locked.length ? await tx.announcementFiring.findUnique({ where: { id: input.recommendationId } }) : null;
    recommendation = requireFound(r, "Recommended announcement");
    if (r!.state !== "pending") throw new AppError("conflict", `This recommended announcement was already ${r!.state}`);
  }
  const templateId = recommendation?.templateId ?? input.templateId!;
  const template = requireFound(await tx.announcementTemplate.findFirst({ where: { id: templateId, cutoverId: input.cutoverId } }), "Announcement");
  const source = recommendation ? `binding:${recommendation.event}` : "announcement";
  const sent = await sendRendered(tx, { cutoverId: input.cutoverId, template, draft: { title: input.title, body: input.body }, reason: recommendation ? recommendation.reason : undefined, source, createdBy: ctx.actor.name, recommendationId: recommendation?.id });
  if (recommendation) await tx.announcementFiring.update({ where: { id: recommendation.id }, data: { state: "sent", closedBy: ctx.actor.name, closedAt: new Date() } });
  await ctx.record("announcement.sent", `announcement:${template.id}`, { after: sent.audit });
  return { templateId: template.id, deliveryIds: sent.deliveryIds };
}

export async function dismissRecommendation(ctx: CutoverContext, input: z.output<typeof announcementDismissInput>) {
  const r = requireFound(await ctx.tx.announcementFiring.findFirst({ where: { id: input.recommendationId, cutoverId: input.cutoverId }, include: { template: { select: { name: true } } } }), "Recommended announcement");
  const closed = await ctx.tx.announcementFiring.updateMany({ where: { id: r.id, state: "pending" }, data: { state: "dismissed", closedBy: ctx.actor.name, closedAt: new Date() } });
  if (closed.count !== 1) throw new AppError("conflict", `This recommended announcement was already ${r.state}`);
  await ctx.record("announcement.dismissed", `announcement:${r.templateId}`, { after: { template: r.template.name, event: r.event, recommendationId: r.id } });
  return { recommendationId: r.id };
}

/** Renders without sending: what Send would put in the message now. */
export async function previewAnnouncement(ctx: CutoverContext, input: z.output<typeof announcementPreviewInput>) {
  const template = input.templateId ? requireFound(await ctx.tx.announcementTemplate.findFirst({ where: { id: input.templateId, cutoverId: input.cutoverId } }), "Announcement") : null;
  const recommendation = input.recommendationId ? requireFound(await ctx.tx.announcementFiring.findFirst({ where: { id: input.recommendationId, cutoverId: input.cutoverId }, select: { reason: true } }), "Recommended announcement") : null;
  const state = await liveState(ctx.tx, input.cutoverId, recommendation ? { reason: recommendation.reason } : {});
  const channels = (await ctx.tx.cutover.findUniqueOrThrow({ where: { id: input.cutoverId }, select: { notifyChannels: true } })).notifyChannels;
  return { ...render({ title: input.title ?? template!.title, body: input.body ?? template!.body }, state), channels };
}

/** How often the cutover promises a status update (the Comms tab's "Next update due", {{next_update_due}}). */
export async function setUpdateInterval(ctx: CutoverContext, input: z.output<typeof announcementIntervalInput>) {
  const before = await ctx.tx.cutover.findUniqueOrThrow({ where: { id: ctx.cutover.id }, select: { updateIntervalMinutes: true } });
  if (before.updateIntervalMinutes === input.minutes) return { minutes: input.minutes, changed: false };
  await ctx.tx.cutover.update({ where: { id: ctx.cutover.id }, data: { updateIntervalMinutes: input.minutes } });
  await ctx.record("announcement.interval_updated", `cutover:${ctx.cutover.id}`, { before: { minutes: before.updateIntervalMinutes }, after: { minutes: input.minutes } });
  return { minutes: input.minutes, changed: true };
}

// --- The Comms tab's read ----------------------------------------------------------------------

export async function getAnnouncementsView(actor: Actor, input: { cutoverId: string }) {
  return withCutover(actor, input.cutoverId, "cutover.view", async (ctx) => {
    const templates = await ctx.tx.announcementTemplate.findMany({ where: { cutoverId: input.cutoverId }, orderBy: [{ position: "asc" }, { createdAt: "asc" }] });
    const pending = await ctx.tx.announcementFiring.findMany({ where: { cutoverId: input.cutoverId, state: "pending" }, orderBy: { createdAt: "asc" }, include: { template: { select: { name: true, kind: true } } } });
    const cutover = await ctx.tx.cutover.findUniqueOrThrow({ where: { id: input.cutoverId }, select: { notifyChannels: true, updateIntervalMinutes: true } });
    const metrics = await ctx.tx.metricDefinition.findMany({ where: { cutoverId: input.cutoverId }, select: { name: true }, orderBy: { position: "asc" } });
    const lastSentAt = templates.reduce<Date | null>((latest, t) => (t.lastSentAt && (!latest || t.lastSentAt > latest) ? t.lastSentAt : latest), null);
    return {
      canEdit: ctx.can("announcement.edit"),
      canSend: ctx.can("announcement.send"),
      channels: cutover.notifyChannels,
      updateIntervalMinutes: cutover.updateIntervalMinutes,
      lastSentAt: lastSentAt?.toISOString() ?? null,
      nextUpdateDue: nextUpdateDue(lastSentAt, cutover.updateIntervalMinutes)?.toISOString() ?? null,
      variables: [...VARIABLES.map((v) => ({ name: v.name, description: v.description }))],
      metrics: metrics.map((m) => m.name),
      events: Object.entries(BINDING_EVENTS).map(([name, e]) => ({ name, label: e.label })),
      templates: templates.map((t) => ({
        id: t.id,
        name: t.name,
        kind: t.kind,
        title: t.title,
        body: t.body,
        bindingEvent: t.bindingEvent,
        bindingMode: t.bindingMode,
        enabled: t.enabled,
        version: t.version,
        lastSentAt: t.lastSentAt?.toISOString() ?? null,
      })),
      recommendations: pending.map((r) => ({ id: r.id, templateId: r.templateId, templateName: r.template.name, kind: r.template.kind, event: r.event, eventLabel: BINDING_EVENTS[r.event].label, reason: r.reason, createdAt: r.createdAt.toISOString() })),
    };
  });
}
export type AnnouncementsView = Awaited<ReturnType<typeof getAnnouncementsView>>;

// --- Bindings (the leader's job) ------------------------------------------------------------------

export interface BindingHit {
  auditEventId: bigint;
  cutoverId: string;
  event: BindingEvent;
  reason: string | null;
  rehearsal: boolean;
}

/**
 * In the job's transaction: for each enabled template of the cutover bound to the event, one
 * firing row (unique per template and audit event, so a second run or a second leader adds
 * nothing); automatic ones are sent at once, recommended ones wait in the room.
 * Returns how many firings were new.
 */
export async function fireBindings(tx: Tx, hit: BindingHit, log: (line: string) => void = () => {}): Promise<number> {
  const templates = await tx.announcementTemplate.findMany({ where: { cutoverId: hit.cutoverId, bindingEvent: hit.event, enabled: true }, orderBy: { position: "asc" } });
  let fired = 0;
  for (const t of templates) {
    const inserted = await tx.$queryRawUnsafe<{ id: string }[]>(
      `INSERT INTO announcement_firings (id, cutover_id, template_id, audit_event_id, event, mode, reason, state)
       VALUES (gen_random_uuid(), $1::uuid, $2::uuid, $3::bigint, $4::"AnnouncementEvent", $5::"AnnouncementBindingMode", $6, 'pending')
       ON CONFLICT (template_id, audit_event_id) DO NOTHING RETURNING id`,
      hit.cutoverId,
      t.id,
      hit.auditEventId.toString(),
      hit.event,
      t.bindingMode,
      hit.reason,
    );
    const firingId = inserted[0]?.id;
    if (!firingId) continue;
    fired++;
    const actorName = `binding: ${t.name}`.slice(0, 200);
    const entry = { cutoverId: hit.cutoverId, actorId: null, actorName, role: null, subject: `announcement:${t.id}`, rehearsal: hit.rehearsal };
    if (t.bindingMode === "automatic") {
      const sent = await sendOrExplain(tx, { cutoverId: hit.cutoverId, template: t, reason: hit.reason, source: `binding:${hit.event}`, createdBy: actorName, recommendationId: firingId }, log);
      if (sent) {
        await tx.announcementFiring.update({ where: { id: firingId }, data: { state: "sent", closedBy: actorName, closedAt: new Date() } });
        await recordChange(tx, { ...entry, action: "announcement.sent", after: sent.audit }, { type: "announcement.sent", cutoverId: hit.cutoverId, actor: actorName, subject: entry.subject });
        continue;
      }
      // Could not be sent by itself (no channels, a variable it does not know): offered to the room instead.
    }
    await recordChange(tx, { ...entry, action: "announcement.recommended", after: { template: t.name, event: hit.event, reason: hit.reason, recommendationId: firingId } }, { type: "announcement.recommended", cutoverId: hit.cutoverId, actor: actorName, subject: entry.subject });
  }
  return fired;
}

/**
 * An automatic send that cannot go out says why in the log and leaves the firing pending (a
 * recommendation). sendRendered refuses (AppError) only before it writes anything.
 */
async function sendOrExplain(tx: Tx, s: Sending, log: (line: string) => void) {
  try {
    return await sendRendered(tx, s);
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    log(`announcement "${s.template.name}" of cutover ${s.cutoverId} not sent automatically: ${err.message}`);
    return null;
  }
}
