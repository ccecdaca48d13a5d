// Check-ins: the cadence a cutover owes (checkin.configure), the check-ins the leader's job makes
// due and overdue (tickCheckIns), acknowledging one with what was seen (checkin.acknowledge), and
// the Comms tab's read of them with the open incidents.
import { z } from "zod";
import { db, type Tx } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { checkInSchedule, checkInStatus, formatCadence, formatDuration, parseCadenceSegments, parseCadenceText, storedCadenceSchema, parseDuration, type StoredCadence } from "@/lib/domain/checkins";
import { applicableRungs, nextLevelAt, parseLadder, type LadderRung } from "@/lib/domain/escalation";
import { canAcknowledgeCheckIn } from "@/lib/domain/permissions";
import { ROLE_LABELS, type Role } from "@/lib/domain/roles";
import { checkInAcknowledgeInput, checkInConfigureInput } from "@/lib/schemas/checkins";
import { cutoverOnly } from "@/lib/schemas/room";
import { recordChange } from "./audit";
import { requireFound, withCutover, type Actor, type CutoverContext } from "./context";
import { enqueueDelivery } from "./notify/outbox";
import { Prisma } from "@/lib/generated/prisma/client";

// Prisma's way of writing SQL NULL into a Json? column.
const DB_NULL = Prisma.DbNull;

// Check-ins are owed while the cutover runs and through the watch after it completed; a cutover
// rolled back or aborted owes none.
const OWING_STATES = ["in_progress", "completed"] as const;
const JOB_ACTOR = "check-ins";

export function roomUrl(cutoverId: string): string {
  return `${(process.env.NEXTAUTH_URL ?? "http://localhost:3000").replace(/\/$/, "")}/cutovers/${cutoverId}`;
}

export async function configureCheckIns(ctx: CutoverContext, input: z.output<typeof checkInConfigureInput>) {
  const before = await ctx.tx.cutover.findUniqueOrThrow({ where: { id: input.cutoverId }, select: { checkinCadence: true } });
  let stored: StoredCadence | null = null;
  if (input.cadence !== null) {
    const parsed = typeof input.cadence === "string" ? parseCadenceText(input.cadence) : parseCadenceSegments(input.cadence);
    if (!parsed.ok) throw new AppError("bad_request", parsed.error);
    stored = { segments: parsed.value, anchor: input.anchor, role: input.role, graceSec: input.grace ? parseDuration(input.grace) : null, configuredAt: Date.now() };
  }
  await ctx.tx.cutover.update({ where: { id: input.cutoverId }, data: { checkinCadence: stored ?? DB_NULL } });
  await ctx.record("checkin.configured", `cutover:${input.cutoverId}`, { before: before.checkinCadence, after: stored && { cadence: formatCadence(stored.segments), anchor: stored.anchor, role: stored.role, graceSec: stored.graceSec } });
  return { cadence: stored && formatCadence(stored.segments) };
}

export async function acknowledgeCheckIn(ctx: CutoverContext, input: z.output<typeof checkInAcknowledgeInput>) {
  const row = requireFound(await ctx.tx.checkIn.findFirst({ where: { id: input.checkInId, cutoverId: input.cutoverId } }), "Check-in");
  if (!canAcknowledgeCheckIn(ctx.roles, row.role as Role)) throw new AppError("forbidden", `This check-in is owed by the ${ROLE_LABELS[row.role as Role]}; only they or the Deployment Lead may acknowledge it`);
  const now = new Date();
  const updated = await ctx.tx.checkIn.updateMany({ where: { id: row.id, state: "due" }, data: { state: "acknowledged", acknowledgedById: ctx.actor.id, acknowledgedBy: ctx.actor.name, acknowledgedAt: now, note: input.note } });
  if (updated.count !== 1) throw new AppError("conflict", `This check-in was already acknowledged by ${row.acknowledgedBy ?? "someone"}`);
  const late = now >= row.overdueAt;
  await ctx.record("checkin.acknowledged", `checkin:${row.id}`, { before: { state: "due", dueAt: row.dueAt.toISOString() }, after: { state: "acknowledged", note: input.note, late } });
  return { checkInId: row.id, late };
}

/** When the cadence's clock starts: the cutover's start, or when the new system first took all the traffic. */
async function anchorOf(tx: Tx | ReturnType<typeof db>, c: { id: string; startedAt: Date | null }, cadence: StoredCadence): Promise<Date | null> {
  if (cadence.anchor === "start") return c.startedAt;
  const full = await tx.trafficChange.findFirst({ where: { cutoverId: c.id, toPercent: 100, state: { in: ["applied", "verified"] } }, orderBy: { requestedAt: "asc" }, select: { requestedAt: true, finishedAt: true } });
  return full ? (full.finishedAt ?? full.requestedAt) : null;
}

function readCadence(value: unknown): StoredCadence | null {
  const parsed = storedCadenceSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/**
 * One pass of the check-in job at `now`: writes the check-ins that came due (once: unique per
 * cutover and due time, so two leaders in a split-brain moment write each once) and announces
 * those that turned overdue (once: a conditional update). Check-ins due before the cadence was
 * set are not owed.
 */
export async function tickCheckIns(now: number, opts: { cutoverId?: string } = {}): Promise<{ due: number; overdue: number }> {
  const cutovers = await db().cutover.findMany({
    where: { state: { in: [...OWING_STATES] }, NOT: { checkinCadence: { equals: DB_NULL } }, ...(opts.cutoverId ? { id: opts.cutoverId } : {}) },
    select: { id: true, startedAt: true, mode: true, checkinCadence: true, notifyChannels: true, name: true },
  });
  let due = 0;
  for (const c of cutovers) {
    const cadence = readCadence(c.checkinCadence);
    if (!cadence) continue;
    const anchor = await anchorOf(db(), c, cadence);
    if (!anchor) continue;
    // Only what came due since the last one written: the unique key makes a race harmless, this
    // keeps a pass from re-inserting the whole past every second.
    const last = await db().checkIn.findFirst({ where: { cutoverId: c.id }, orderBy: { dueAt: "desc" }, select: { dueAt: true } });
    const since = Math.max(cadence.configuredAt, (last?.dueAt.getTime() ?? -Infinity) + 1);
    const owed = checkInSchedule(cadence, anchor.getTime()).filter((s) => s.dueAt <= now && s.dueAt >= since);
    if (owed.length === 0) continue;
    await db().$transaction(async (tx) => {
      const created = await tx.checkIn.createManyAndReturn({
        data: owed.map((s) => ({ cutoverId: c.id, dueAt: new Date(s.dueAt), overdueAt: new Date(s.overdueAt), role: cadence.role })),
        skipDuplicates: true,
        select: { id: true, dueAt: true, role: true },
      });
      for (const row of created) {
        await recordChange(tx, { cutoverId: c.id, actorId: null, actorName: JOB_ACTOR, role: null, action: "checkin.due", subject: `checkin:${row.id}`, after: { dueAt: row.dueAt.toISOString(), role: row.role }, rehearsal: c.mode === "rehearsal" }, { type: "checkin.due", cutoverId: c.id, actor: JOB_ACTOR, subject: `checkin:${row.id}` });
      }
      due += created.length;
    });
  }
  const overdue = await db().checkIn.findMany({
    where: { state: "due", overdueAt: { lte: new Date(now) }, overdueRecordedAt: null, ...(opts.cutoverId ? { cutoverId: opts.cutoverId } : {}) },
    select: { id: true, cutoverId: true, dueAt: true, role: true, cutover: { select: { mode: true, name: true, notifyChannels: true } } },
  });
  let announced = 0;
  for (const row of overdue) {
    await db().$transaction(async (tx) => {
      const won = await tx.checkIn.updateMany({ where: { id: row.id, state: "due", overdueRecordedAt: null }, data: { overdueRecordedAt: new Date(now) } });
      if (won.count !== 1) return;
      announced += 1;
      const subject = `checkin:${row.id}`;
      await recordChange(tx, { cutoverId: row.cutoverId, actorId: null, actorName: JOB_ACTOR, role: null, action: "checkin.overdue", subject, after: { dueAt: row.dueAt.toISOString(), role: row.role }, rehearsal: row.cutover.mode === "rehearsal" }, { type: "checkin.overdue", cutoverId: row.cutoverId, actor: JOB_ACTOR, subject });
      const role = ROLE_LABELS[row.role as Role];
      for (const channel of row.cutover.notifyChannels) {
        await enqueueDelivery(tx, {
          cutoverId: row.cutoverId,
          channel,
          source: "checkin",
          subject,
          message: { title: `${row.cutover.mode === "rehearsal" ? "REHEARSAL: " : ""}Check-in overdue: ${row.cutover.name}`.slice(0, 200), text: `The ${role} check-in due at ${row.dueAt.toISOString()} has not been acknowledged.`, severity: "warning", links: [{ label: "Open the room", url: roomUrl(row.cutoverId) }] },
          createdBy: JOB_ACTOR,
        });
      }
    });
  }
  return { due, overdue: announced };
}

const view = (d: Date | null) => d?.toISOString() ?? null;

/** The Comms tab's check-ins and incidents: the cadence, the schedule so far and the next one, open and recent incidents. */
export async function getCheckInsView(actor: Actor, raw: z.input<typeof cutoverOnly>) {
  const input = cutoverOnly.parse(raw);
  return withCutover(actor, input.cutoverId, "cutover.view", async (ctx) => {
    const c = await ctx.tx.cutover.findUniqueOrThrow({ where: { id: input.cutoverId }, select: { id: true, startedAt: true, checkinCadence: true, escalation: true } });
    const cadence = readCadence(c.checkinCadence);
    const anchor = cadence ? await anchorOf(ctx.tx, c, cadence) : null;
    const now = Date.now();
    const schedule = cadence && anchor ? checkInSchedule(cadence, anchor.getTime()) : [];
    const next = schedule.find((s) => s.dueAt > now) ?? null;
    const rows = await ctx.tx.checkIn.findMany({ where: { cutoverId: c.id }, orderBy: { dueAt: "desc" }, take: 100 });
    const incidents = await ctx.tx.incident.findMany({ where: { cutoverId: c.id }, orderBy: { openedAt: "desc" }, take: 20 });
    const ladder = parseLadder(Array.isArray(c.escalation) ? (c.escalation as unknown as LadderRung[]) : []);
    return {
      now: new Date(now).toISOString(),
      canConfigure: ctx.can("cutover.edit_plan"),
      canAcknowledgeIncident: ctx.can("incident.acknowledge"),
      cadence: cadence && {
        text: formatCadence(cadence.segments),
        anchor: cadence.anchor,
        role: cadence.role,
        grace: cadence.graceSec === null ? null : formatDuration(cadence.graceSec),
        anchorAt: view(anchor),
        nextDueAt: next ? new Date(next.dueAt).toISOString() : null,
        total: checkInSchedule(cadence, 0).length,
      },
      checkIns: rows.map((r) => ({
        id: r.id,
        dueAt: r.dueAt.toISOString(),
        overdueAt: r.overdueAt.toISOString(),
        role: r.role as Role,
        // Overdue once the job said so, or once its time passed (the job may be between passes).
        status: checkInStatus({ acknowledgedAt: r.acknowledgedAt?.getTime() ?? null, overdueAt: r.overdueRecordedAt ? -Infinity : r.overdueAt.getTime() }, now),
        acknowledgedBy: r.acknowledgedBy,
        acknowledgedAt: view(r.acknowledgedAt),
        note: r.note,
        canAcknowledge: r.state === "due" && canAcknowledgeCheckIn(ctx.roles, r.role as Role),
        mine: ctx.roles.includes(r.role as Role),
      })),
      incidents: incidents.map((i) => {
        const rungs = ladder.ok ? applicableRungs(ladder.rungs, i.severity) : [];
        const open = i.resolvedAt === null && i.acknowledgedAt === null;
        // The ladder as it is now: a level edited mid-incident shows under its new name.
        const reached = i.levelReached > 0 ? rungs[i.levelReached - 1] : undefined;
        const at = open ? nextLevelAt(rungs, i.openedAt.getTime(), i.levelReached) : null;
        return {
          id: i.id,
          subject: i.subject,
          title: i.title,
          severity: i.severity,
          openedAt: i.openedAt.toISOString(),
          levelReached: i.levelReached,
          level: reached ? { level: reached.level, who: reached.who } : null,
          levels: rungs.length,
          nextLevelAt: at === null ? null : new Date(at).toISOString(),
          acknowledgedBy: i.acknowledgedBy,
          acknowledgedAt: view(i.acknowledgedAt),
          note: i.note,
          resolvedAt: view(i.resolvedAt),
          state: i.resolvedAt ? "resolved" : i.acknowledgedAt ? "acknowledged" : "open",
        };
      }),
      ladderError: ladder.ok ? null : ladder.error,
    };
  });
}
export type CheckInsView = Awaited<ReturnType<typeof getCheckInsView>>;
