// Incidents: something critical fired (a rollback trigger of severity immediate, an Alertmanager
// alert) and the cutover's escalation ladder pages level after level until someone acknowledges
// it. Opening is done by what fired, in its own transaction (openIncident); paging by the leader's
// escalation job (tickEscalation), one level at a time with a conditional update so that a new
// leader after a failover neither skips nor repeats a level.
import { z } from "zod";
import { db, type Tx } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { applicableRungs, contactMatches, levelsDue, parseLadder, type LadderRung, type Rung } from "@/lib/domain/escalation";
import type { Severity } from "@/lib/domain/notify/message";
import { ROLE_LABELS, type Role } from "@/lib/domain/roles";
import { incidentAcknowledgeInput } from "@/lib/schemas/checkins";
import { resolveIntegration } from "@/lib/integrations/resolve";
import { recordChange } from "./audit";
import { roomUrl } from "./checkins";
import { requireFound, type CutoverContext } from "./context";
import { enqueueDelivery } from "./notify/outbox";

const JOB_ACTOR = "escalation";

export interface IncidentRequest {
  cutoverId: string;
  /** What fired, as the audit log names it: "trigger:<id>", "alert:<fingerprint>". */
  subject: string;
  severity: Severity;
  title: string;
  /** Who or what opened it, as the audit log names actors (the trigger, "alertmanager"). */
  openedBy?: string;
  rehearsal?: boolean;
}

/**
 * Opens an incident for `subject` unless one is open already (one open incident per subject:
 * a unique key on the open subject), in the caller's transaction. The escalation job pages its
 * first level on its next pass. Returns the incident's id, or null when one was open.
 */
export async function openIncident(tx: Tx, req: IncidentRequest): Promise<{ incidentId: string } | null> {
  const created = await tx.incident.createManyAndReturn({
    data: [{ cutoverId: req.cutoverId, subject: req.subject, openSubject: req.subject, severity: req.severity, title: req.title.slice(0, 300) }],
    skipDuplicates: true,
    select: { id: true },
  });
  const row = created[0];
  if (!row) return null;
  const actor = req.openedBy ?? req.subject;
  await recordChange(
    tx,
    { cutoverId: req.cutoverId, actorId: null, actorName: actor, role: null, action: "incident.opened", subject: `incident:${row.id}`, after: { about: req.subject, severity: req.severity, title: req.title }, rehearsal: req.rehearsal ?? false },
    { type: "incident.opened", cutoverId: req.cutoverId, actor, subject: `incident:${row.id}` },
  );
  return { incidentId: row.id };
}

/** Closes the open incident of `subject` (what fired stopped firing), if any. */
export async function resolveIncident(tx: Tx, req: { cutoverId: string; subject: string; resolvedBy: string; rehearsal?: boolean }): Promise<boolean> {
  const open = await tx.incident.findFirst({ where: { cutoverId: req.cutoverId, openSubject: req.subject }, select: { id: true } });
  if (!open) return false;
  const done = await tx.incident.updateMany({ where: { id: open.id, resolvedAt: null }, data: { resolvedAt: new Date(), openSubject: null } });
  if (done.count !== 1) return false;
  await recordChange(
    tx,
    { cutoverId: req.cutoverId, actorId: null, actorName: req.resolvedBy, role: null, action: "incident.resolved", subject: `incident:${open.id}`, after: { about: req.subject }, rehearsal: req.rehearsal ?? false },
    { type: "incident.resolved", cutoverId: req.cutoverId, actor: req.resolvedBy, subject: `incident:${open.id}` },
  );
  return true;
}

export async function acknowledgeIncident(ctx: CutoverContext, input: z.output<typeof incidentAcknowledgeInput>) {
  const row = requireFound(await ctx.tx.incident.findFirst({ where: { id: input.incidentId, cutoverId: input.cutoverId } }), "Incident");
  if (row.resolvedAt) throw new AppError("conflict", "This incident is already resolved");
  const updated = await ctx.tx.incident.updateMany({ where: { id: row.id, acknowledgedAt: null, resolvedAt: null }, data: { acknowledgedAt: new Date(), acknowledgedById: ctx.actor.id, acknowledgedBy: ctx.actor.name, note: input.note } });
  if (updated.count !== 1) throw new AppError("conflict", `This incident was already acknowledged by ${row.acknowledgedBy ?? "someone"}`);
  await ctx.record("incident.acknowledged", `incident:${row.id}`, { before: { levelReached: row.levelReached }, after: { note: input.note, levelReached: row.levelReached } });
  return { incidentId: row.id, levelReached: row.levelReached };
}

function rungsOf(escalation: unknown, severity: string): Rung[] {
  const ladder = parseLadder(Array.isArray(escalation) ? (escalation as LadderRung[]) : []);
  return ladder.ok ? applicableRungs(ladder.rungs, severity) : [];
}

/**
 * One pass of the escalation job at `now`: for each open, unacknowledged incident, pages every
 * level that came due and was not paged yet, in order. Each level is its own transaction that
 * moves level_reached from n-1 to n only if it still is n-1, then queues the pages and records
 * it: a second job (a new leader, a split-brain moment) loses that update and pages nothing.
 */
export async function tickEscalation(now: number, opts: { cutoverId?: string } = {}): Promise<{ paged: number }> {
  const open = await db().incident.findMany({
    where: { resolvedAt: null, acknowledgedAt: null, ...(opts.cutoverId ? { cutoverId: opts.cutoverId } : {}) },
    select: { id: true, cutoverId: true, subject: true, title: true, severity: true, openedAt: true, levelReached: true, cutover: { select: { name: true, mode: true, escalation: true, notifyChannels: true, contacts: { select: { name: true, role: true, email: true } } } } },
  });
  let paged = 0;
  for (const incident of open) {
    const rungs = rungsOf(incident.cutover.escalation, incident.severity);
    const target = levelsDue(rungs, incident.openedAt.getTime(), now);
    if (target <= incident.levelReached) continue;
    const emailChannels = await emailChannelsOf(incident.cutover.notifyChannels);
    for (let level = incident.levelReached + 1; level <= target; level += 1) {
      const rung = rungs[level - 1]!;
      const won = await db().$transaction(async (tx) => {
        const moved = await tx.incident.updateMany({ where: { id: incident.id, levelReached: level - 1, acknowledgedAt: null, resolvedAt: null }, data: { levelReached: level } });
        if (moved.count !== 1) return false;
        await pageLevel(tx, incident, rung, level, rungs.length, emailChannels);
        return true;
      });
      if (!won) break;
      paged += 1;
    }
  }
  return { paged };
}

interface OpenIncident {
  id: string;
  cutoverId: string;
  subject: string;
  title: string;
  severity: string;
  openedAt: Date;
  cutover: { name: string; mode: string; notifyChannels: string[]; contacts: { name: string; role: string; email: string | null }[] };
}

/** The channels that are email channels: those also reach the level's people by address. */
async function emailChannelsOf(channels: readonly string[]): Promise<Set<string>> {
  const kinds = await Promise.all(channels.map(async (name) => ({ name, found: await resolveIntegration(name).catch(() => null) })));
  return new Set(kinds.filter((k) => isEmailChannel(k.found)).map((k) => k.name));
}

// Channel kinds come with the channels' settings (slack | webhook | email); read loosely here so
// this does not depend on which kinds the catalog knows yet.
function isEmailChannel(found: unknown): boolean {
  const f = found as { type?: string; kind?: string } | null;
  return f?.type === "channel" && f.kind === "email";
}

async function pageLevel(tx: Tx, incident: OpenIncident, rung: Rung, level: number, levels: number, emailChannels: ReadonlySet<string>) {
  const subject = `incident:${incident.id}`;
  const minutes = Math.round(rung.startSec / 60);
  const message = {
    // Whoever is paged from a rehearsal must see at once that production is not at stake.
    title: `${incident.cutover.mode === "rehearsal" ? "REHEARSAL: " : ""}Escalation level ${level} (${rung.level}): ${incident.title}`.slice(0, 200),
    text: `${incident.title} in "${incident.cutover.name}" is not acknowledged${rung.startSec > 0 ? ` after ${minutes >= 1 ? `${minutes} min` : `${rung.startSec} s`}` : ""}. Paging ${rung.who}.`.slice(0, 8000),
    fields: [
      { label: "Cutover", value: incident.cutover.name.slice(0, 500) },
      { label: "Level", value: `${level} of ${levels}: ${rung.level}`.slice(0, 500) },
      { label: "Opened", value: incident.openedAt.toISOString() },
    ],
    links: [{ label: "Open the room", url: roomUrl(incident.cutoverId) }],
    severity: "critical" as const,
  };
  const emails = incident.cutover.contacts.filter((c) => c.email && contactMatches(rung.who, { name: c.name, roleLabel: ROLE_LABELS[c.role as Role] ?? c.role })).map((c) => c.email!);
  const queued: string[] = [];
  for (const channel of incident.cutover.notifyChannels) {
    await enqueueDelivery(tx, { cutoverId: incident.cutoverId, channel, source: "escalation", subject, message, createdBy: JOB_ACTOR });
    queued.push(channel);
    // An email channel also reaches the level's own people by address.
    if (emailChannels.has(channel)) for (const recipient of emails) await enqueueDelivery(tx, { cutoverId: incident.cutoverId, channel, source: "escalation", subject, message, recipient, createdBy: JOB_ACTOR });
  }
  await recordChange(
    tx,
    { cutoverId: incident.cutoverId, actorId: null, actorName: JOB_ACTOR, role: null, action: "escalation.level_reached", subject, after: { level, name: rung.level, who: rung.who, channels: queued, recipients: emails.length }, rehearsal: incident.cutover.mode === "rehearsal" },
    { type: "escalation.level_reached", cutoverId: incident.cutoverId, actor: JOB_ACTOR, subject },
  );
}
