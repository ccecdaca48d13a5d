// The post-mortem report of an ended cutover: reads the rows (under "cutover.view": whoever may
// see the cutover may read its report) and hands them to lib/domain/report.ts, which builds the
// model and the markdown. The lessons learned are written by the report.lessons command.
import type { z } from "zod";
import { buildReport, momentWindows, reportMarkdown, reportMoments, type ReportDecisionRow, type ReportInput, type ReportModel, type ReportRollbackRow, type ReportTrafficRow, type ReportTriggerRow } from "@/lib/domain/report";
import { decisionSnapshotSchema } from "@/lib/domain/decision";
import { describeGate, type GateCondition } from "@/lib/domain/metrics";
import { isEnded } from "@/lib/domain/cutover-state";
import { exportFilename, type ExportFile } from "@/lib/domain/export";
import type { Role } from "@/lib/domain/roles";
import type { Tx } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { lessonsInput, reportQuery } from "@/lib/schemas/report";
import { withCutover, type Actor, type CutoverContext } from "./context";

/** The audit action of a lessons edit: written after the end, so it never counts as the end. */
const LESSONS_SAVED = "report.lessons_saved";
/** Far more samples than the charted windows hold at the fastest poll; a bound, not a budget. */
const MAX_SAMPLES = 100_000;

function notEnded(state: string): AppError {
  return new AppError("conflict", `The report is written once the cutover has ended (it is ${state.replace("_", " ")})`);
}

const forLabel = (sec: number) => (sec % 60 === 0 ? `${sec / 60} min` : `${sec} s`);

async function readRows(tx: Tx, cutoverId: string): Promise<ReportInput> {
  const c = await tx.cutover.findUniqueOrThrow({
    where: { id: cutoverId },
    select: { id: true, name: true, systemFrom: true, systemTo: true, mode: true, state: true, tZero: true, timeZone: true, startedAt: true, updatedAt: true },
  });
  const timeline = await tx.timelineEntry.findMany({ where: { cutoverId }, orderBy: { position: "asc" }, select: { title: true, ownerRole: true, plannedStart: true, plannedFinish: true, actualStart: true, actualFinish: true } });
  const decisions = await tx.decisionPoint.findMany({
    where: { cutoverId },
    include: { phase: { select: { name: true, position: true } }, votes: { include: { user: { select: { name: true } } }, orderBy: { createdAt: "asc" } }, gates: { include: { metric: { select: { name: true, unit: true } } } } },
  });
  const triggers = await tx.rollbackTrigger.findMany({ where: { cutoverId }, include: { metric: { select: { name: true, unit: true } } } });
  const traffic = await tx.trafficChange.findMany({ where: { cutoverId }, orderBy: { requestedAt: "asc" }, include: { user: { select: { name: true } } } });
  const rollbacks = await tx.rollback.findMany({ where: { cutoverId }, orderBy: { startedAt: "asc" }, include: { user: { select: { name: true } } } });
  const openItems = await tx.item.findMany({
    where: { state: "open", section: { phase: { cutoverId } } },
    orderBy: [{ section: { phase: { position: "asc" } } }, { section: { position: "asc" } }, { position: "asc" }],
    select: { title: true, ownerRole: true, critical: true, section: { select: { name: true, phase: { select: { name: true } } } } },
  });
  const metrics = await tx.metricDefinition.findMany({ where: { cutoverId }, orderBy: { position: "asc" }, select: { id: true, name: true, unit: true, warningThreshold: true, criticalThreshold: true } });
  const lessons = await tx.cutoverLessons.findUnique({ where: { cutoverId } });

  const decisionRows: ReportDecisionRow[] = decisions
    .sort((a, b) => a.phase.position - b.phase.position || (a.openedAt?.getTime() ?? Infinity) - (b.openedAt?.getTime() ?? Infinity))
    .map((d) => {
      // A closed decision is reported as the room saw it when it closed (its snapshot).
      const snap = d.snapshot ? decisionSnapshotSchema.safeParse(d.snapshot) : null;
      return {
        title: d.title,
        phase: d.phase.name,
        state: d.state,
        requiredRoles: d.requiredRoles as Role[],
        openedAt: d.openedAt,
        decidedAt: d.decidedAt,
        reason: d.reason,
        gates: snap?.success
          ? snap.data.gates.map((g) => ({ label: g.label, passed: g.passed, detail: g.detail }))
          : d.gates.map((g) => ({ label: describeGate(g.condition as GateCondition, g.metric.name, g.metric.unit), passed: null, detail: "" })),
        votes: snap?.success
          ? snap.data.votes.map((v) => ({ role: v.role, userName: v.userName, choice: v.choice, comment: v.comment, at: new Date(v.at) }))
          : d.votes.map((v) => ({ role: v.role as Role, userName: v.user.name, choice: v.choice, comment: v.comment, at: v.createdAt })),
      };
    });
  const triggerRows: ReportTriggerRow[] = triggers.map((t) => ({
    id: t.id,
    label: t.description?.trim() || (t.metric ? `${t.metric.name} (${t.system}) ${t.comparison} ${t.threshold} ${t.metric.unit} for ${forLabel(t.forSeconds)}` : `Alert ${t.alertName ?? "?"} firing for ${forLabel(t.forSeconds)}`),
    metricId: t.metricId,
    mode: t.mode,
    action: t.action,
    severity: t.severity,
    firedAt: t.firedAt,
  }));
  const trafficRows: ReportTrafficRow[] = traffic.map((t) => ({
    from: t.fromPercent,
    to: t.toPercent,
    state: t.state,
    override: t.override,
    note: t.note,
    error: t.error,
    durationMs: t.durationMs,
    requestedAt: t.requestedAt,
    finishedAt: t.finishedAt,
    by: t.user?.name ?? null,
    triggerId: t.triggerId,
  }));
  // Hook output stays with the rollback (it may name hosts or carry a token): only names and results.
  const rollbackRows: ReportRollbackRow[] = rollbacks.map((r) => ({
    state: r.state,
    reason: r.reason,
    durationMs: r.durationMs,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    by: r.user?.name ?? null,
    triggerId: r.triggerId,
    hooks: (Array.isArray(r.hookResults) ? (r.hookResults as { name?: unknown; ok?: unknown; durationMs?: unknown }[]) : []).map((h) => ({
      name: typeof h.name === "string" ? h.name : "hook",
      ok: h.ok === true,
      durationMs: typeof h.durationMs === "number" ? h.durationMs : null,
    })),
  }));

  const moments = reportMoments({ traffic: trafficRows, rollbacks: rollbackRows, triggers: triggerRows, decisions: decisionRows });
  const windows = momentWindows(moments);
  const samples = windows.length && metrics.length
    ? await tx.metricSample.findMany({
        where: { metricId: { in: metrics.map((m) => m.id) }, system: { in: ["old", "new"] }, OR: windows.map((w) => ({ at: { gte: w.from, lte: w.to } })) },
        orderBy: { at: "asc" },
        take: MAX_SAMPLES,
        select: { metricId: true, system: true, at: true, value: true, status: true, reason: true },
      })
    : [];

  let endedAt: Date | null = null;
  if (c.state === "rolled_back") endedAt = rollbackRows.filter((r) => r.finishedAt && r.state !== "failed" && r.state !== "abandoned").at(-1)?.finishedAt ?? null;
  if (isEnded(c.state) && !endedAt) {
    const last = await tx.auditEvent.findFirst({ where: { cutoverId, action: { not: LESSONS_SAVED } }, orderBy: { at: "desc" }, select: { at: true } });
    // A cutover ended by hand with no recorded change since (an import, a fixture): its last write.
    endedAt = last?.at ?? c.updatedAt;
  }

  // Declared completed or aborted in the room: by whom, and the note (a forced completion) or the reason.
  const declared = c.state === "completed" || c.state === "aborted" ? await tx.auditEvent.findFirst({ where: { cutoverId, action: `cutover.${c.state}` }, orderBy: { at: "desc" }, select: { actorName: true, after: true } }) : null;
  const said = (declared?.after ?? {}) as { reason?: unknown; note?: unknown };
  const ending = declared ? { by: declared.actorName, reason: typeof said.reason === "string" ? said.reason : typeof said.note === "string" ? said.note : null } : null;

  return {
    cutover: { id: c.id, name: c.name, systemFrom: c.systemFrom, systemTo: c.systemTo, mode: c.mode, state: c.state, tZero: c.tZero, timeZone: c.timeZone, startedAt: c.startedAt },
    endedAt,
    ending,
    timeline: timeline.map((e) => ({ ...e, ownerRole: e.ownerRole as Role })),
    decisions: decisionRows,
    triggers: triggerRows,
    traffic: trafficRows,
    rollbacks: rollbackRows,
    openItems: openItems.map((i) => ({ title: i.title, ownerRole: i.ownerRole as Role, critical: i.critical, section: i.section.name, phase: i.section.phase.name })),
    metrics: metrics.map((m) => ({ id: m.id, name: m.name, unit: m.unit, warning: m.warningThreshold, critical: m.criticalThreshold })),
    samples: samples.map((s) => ({
      metricId: s.metricId,
      system: s.system as "old" | "new",
      sample: s.status === "ok" && s.value !== null ? { at: s.at.getTime(), status: "ok" as const, value: s.value } : { at: s.at.getTime(), status: s.status === "error" ? ("error" as const) : ("no_data" as const), value: null, reason: s.reason ?? "" },
    })),
    lessons: lessons && { wentWell: lessons.wentWell, wentWrong: lessons.wentWrong, actions: lessons.actions, version: lessons.version, updatedAt: lessons.updatedAt, updatedBy: lessons.updatedByName },
  };
}

/** The report page: the model, and whether this caller may write the lessons (the table decides). */
export async function getReportPage(actor: Actor, raw: unknown): Promise<{ report: ReportModel; canWriteLessons: boolean }> {
  const q = reportQuery.parse(raw);
  return withCutover(actor, q.cutoverId, "cutover.view", async (ctx) => {
    if (!isEnded(ctx.cutover.state)) throw notEnded(ctx.cutover.state);
    return { report: buildReport(await readRows(ctx.tx, q.cutoverId)), canWriteLessons: ctx.can("report.lessons") };
  });
}

/** The report of an ended cutover; 404 for a caller who may not see it, 409 while it runs. */
export async function getReport(actor: Actor, raw: unknown): Promise<ReportModel> {
  return (await getReportPage(actor, raw)).report;
}

/** The report as a markdown file (REHEARSAL in its name and text for a rehearsal). */
export async function reportFile(actor: Actor, raw: unknown, now: Date = new Date()): Promise<ExportFile> {
  const model = await getReport(actor, raw);
  return { filename: exportFilename(model.cutover, "post-mortem", "markdown", now), contentType: "text/markdown; charset=utf-8", body: reportMarkdown(model) };
}

/** The report.lessons command: the team's lessons learned, once the cutover has ended. */
export async function saveLessons(ctx: CutoverContext, input: z.output<typeof lessonsInput>) {
  if (!isEnded(ctx.cutover.state)) throw notEnded(ctx.cutover.state);
  const cutoverId = input.cutoverId;
  const before = await ctx.tx.cutoverLessons.findUnique({ where: { cutoverId } });
  const current = before?.version ?? 0;
  if (input.version !== undefined && input.version !== current) throw new AppError("conflict", "Someone else edited the lessons meanwhile: reload and edit again");
  const text = {
    wentWell: input.wentWell ?? before?.wentWell ?? "",
    wentWrong: input.wentWrong ?? before?.wentWrong ?? "",
    actions: input.actions ?? before?.actions ?? "",
  };
  const by = { updatedById: ctx.actor.id, updatedByName: ctx.actor.name };
  // The version is the compare-and-set: two saves of the same version cannot both land.
  const written = before
    ? await ctx.tx.cutoverLessons.updateMany({ where: { cutoverId, version: current }, data: { ...text, ...by, version: current + 1 } })
    : await ctx.tx.cutoverLessons.createMany({ data: [{ cutoverId, ...text, ...by, version: 1 }], skipDuplicates: true });
  if (written.count !== 1) throw new AppError("conflict", "Someone else edited the lessons meanwhile: reload and edit again");
  await ctx.record(LESSONS_SAVED, `cutover:${cutoverId}`, {
    before: before ? { wentWell: before.wentWell, wentWrong: before.wentWrong, actions: before.actions } : undefined,
    after: text,
  });
  return { version: current + 1 };
}
