// The post-mortem report of an ended cutover, assembled from plain rows (lib/services/report.ts
// reads them): the outcome and who or what caused it, start and end against plan, the timeline
// with its drift, decisions with gates and votes, traffic changes and rollbacks with durations,
// triggers that fired, metric windows around each of those moments, what stayed open and the
// lessons the team wrote. The same model renders the page (app/cutovers/[cutoverId]/report) and
// the markdown download, so the two never disagree. Pure: no I/O.
import { cutoverDrift, driftLabel, entryDrift, type EntryStatus, type TimelineTimes } from "./drift";
import type { Sample } from "./metrics";
import { ROLE_LABELS, type Role } from "./roles";

// ---- Input: the rows as the service reads them ----------------------------------------------

export interface ReportCutover {
  id: string;
  name: string;
  systemFrom: string;
  systemTo: string;
  mode: "live" | "rehearsal";
  state: string;
  tZero: Date;
  timeZone: string;
  startedAt: Date | null;
}

export interface ReportTimelineRow extends TimelineTimes {
  title: string;
  ownerRole: Role;
}

export interface ReportGate {
  label: string;
  passed: boolean | null;
  detail: string;
}

export interface ReportVote {
  role: Role;
  userName: string;
  choice: "go" | "no_go";
  comment: string | null;
  at: Date;
}

export interface ReportDecisionRow {
  title: string;
  phase: string;
  state: "pending" | "voting" | "proceed" | "abort";
  requiredRoles: Role[];
  openedAt: Date | null;
  decidedAt: Date | null;
  reason: string | null;
  gates: ReportGate[];
  votes: ReportVote[];
}

export interface ReportTriggerRow {
  id: string;
  /** What the trigger watches, in words: its description, else "Error rate (new) > 5 for 5 min". */
  label: string;
  /** null: the trigger watches an Alertmanager alert. */
  metricId: string | null;
  mode: "automatic" | "recommend";
  action: "rollback" | "shift" | "alert";
  severity: "immediate" | "graceful";
  firedAt: Date | null;
}

export interface ReportTrafficRow {
  from: number;
  to: number;
  state: "requested" | "applied" | "verified" | "failed";
  override: boolean;
  note: string | null;
  error: string | null;
  durationMs: number | null;
  requestedAt: Date;
  finishedAt: Date | null;
  by: string | null;
  triggerId: string | null;
}

export interface ReportRollbackRow {
  state: "running" | "completed" | "completed_with_errors" | "failed" | "abandoned";
  reason: string | null;
  durationMs: number | null;
  startedAt: Date;
  finishedAt: Date | null;
  by: string | null;
  triggerId: string | null;
  hooks: { name: string; ok: boolean; durationMs: number | null }[];
}

export interface ReportOpenItemRow {
  phase: string;
  section: string;
  title: string;
  ownerRole: Role;
  critical: boolean;
}

export interface ReportMetricRow {
  id: string;
  name: string;
  unit: string;
  warning: number | null;
  critical: number | null;
}

export interface ReportSampleRow {
  metricId: string;
  system: "old" | "new";
  sample: Sample;
}

export interface ReportLessons {
  wentWell: string;
  wentWrong: string;
  actions: string;
  version: number;
  updatedAt: Date | null;
  updatedBy: string | null;
}

export interface ReportInput {
  cutover: ReportCutover;
  /** When it ended (the rollback's finish, else the last recorded change); null while running. */
  endedAt: Date | null;
  /** Who declared it completed or aborted, and the note or reason they gave (cutover.complete / cutover.abort). */
  ending?: { by: string | null; reason: string | null } | null;
  timeline: ReportTimelineRow[];
  decisions: ReportDecisionRow[];
  triggers: ReportTriggerRow[];
  traffic: ReportTrafficRow[];
  rollbacks: ReportRollbackRow[];
  openItems: ReportOpenItemRow[];
  metrics: ReportMetricRow[];
  /** Samples inside the windows of momentWindows(); others are ignored. */
  samples: ReportSampleRow[];
  lessons: ReportLessons | null;
}

// ---- Output: the report model ----------------------------------------------------------------

export type OutcomeKind = "completed" | "rolled_back" | "aborted" | "not_ended";

export interface ReportOutcome {
  kind: OutcomeKind;
  /** "Completed", "Rolled back by trigger “…”", "Rolled back by Dana (On-call)". */
  headline: string;
  /** Why, as recorded (rollback reason, abort reason); null when nothing was written. */
  why: string | null;
}

export type MomentKind = "traffic" | "rollback" | "trigger" | "decision";

export interface ReportMoment {
  kind: MomentKind;
  at: Date;
  label: string;
  /** The metric this moment is about (a trigger's), charted first. */
  metricId: string | null;
}

export interface ChartSeries {
  metricId: string;
  name: string;
  unit: string;
  warning: number | null;
  critical: number | null;
  old: Sample[] | null;
  new: Sample[] | null;
}

export interface MomentChart {
  moment: ReportMoment;
  from: number;
  to: number;
  series: ChartSeries[];
}

export interface ReportModel {
  cutover: ReportCutover;
  rehearsal: boolean;
  outcome: ReportOutcome;
  schedule: {
    plannedStart: Date;
    actualStart: Date | null;
    startDrift: string | null;
    plannedEnd: Date | null;
    actualEnd: Date | null;
    endDrift: string | null;
    overallDrift: string;
  };
  timeline: (ReportTimelineRow & { status: EntryStatus; drift: string })[];
  decisions: ReportDecisionRow[];
  /** `byLabel`: who or which trigger; `durationLabel` and `hooksLabel` as printed. */
  traffic: (ReportTrafficRow & { trigger: string | null; byLabel: string; durationLabel: string })[];
  rollbacks: (ReportRollbackRow & { trigger: string | null; byLabel: string; durationLabel: string; hooksLabel: string })[];
  firedTriggers: ReportTriggerRow[];
  charts: MomentChart[];
  openItems: ReportOpenItemRow[];
  lessons: ReportLessons;
}

/** How far around a moment its charts reach. */
export const MOMENT_WINDOW_MS = 10 * 60_000;
/** Charts per moment and moments charted: a report prints on a few pages, not hundreds. */
export const MAX_CHARTS_PER_MOMENT = 4;
export const MAX_CHARTED_MOMENTS = 24;
/** Points per series in a chart; more are thinned keeping each bucket's lowest and highest. */
export const MAX_POINTS = 120;

const EMPTY_LESSONS: ReportLessons = { wentWell: "", wentWrong: "", actions: "", version: 0, updatedAt: null, updatedBy: null };

/** "850 ms", "4.2 s", "3 min 5 s", "1 h 2 min". */
export function formatDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return "—";
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const totalSec = Math.round(ms / 1000);
  if (totalSec < 3600) return `${Math.floor(totalSec / 60)} min ${totalSec % 60} s`;
  const min = Math.round(totalSec / 60);
  return `${Math.floor(min / 60)} h ${min % 60} min`;
}

/** "2026-11-29 10:30:05 UTC" in the cutover's zone (UTC when the zone is unknown). */
export function formatAt(at: Date | null, timeZone: string): string {
  if (!at) return "—";
  const options: Intl.DateTimeFormatOptions = { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" };
  let zone = timeZone;
  let f: Intl.DateTimeFormat;
  try {
    f = new Intl.DateTimeFormat("en-CA", { ...options, timeZone });
  } catch {
    zone = "UTC";
    f = new Intl.DateTimeFormat("en-CA", { ...options, timeZone: "UTC" });
  }
  const p = Object.fromEntries(f.formatToParts(at).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second} ${zone}`;
}

/** "Deployment Lead"; a role name the app no longer knows is shown as stored. */
export const roleName = (r: string) => (ROLE_LABELS as Record<string, string>)[r] ?? r;

/** The rollback that ended the cutover: the last one that finished, else the last one. */
function endingRollback(rollbacks: readonly ReportRollbackRow[]): ReportRollbackRow | null {
  const finished = rollbacks.filter((r) => r.state === "completed" || r.state === "completed_with_errors");
  return finished.at(-1) ?? rollbacks.at(-1) ?? null;
}

export function reportOutcome(input: Pick<ReportInput, "cutover" | "rollbacks" | "triggers" | "decisions" | "endedAt" | "ending">): ReportOutcome {
  const { cutover, rollbacks, triggers, decisions, endedAt, ending } = input;
  const when = endedAt ? ` at ${formatAt(endedAt, cutover.timeZone)}` : "";
  const by = ending?.by ? ` by ${ending.by}` : "";
  switch (cutover.state) {
    case "completed":
      return { kind: "completed", headline: `Completed${by}${when}`, why: ending?.reason ?? null };
    case "rolled_back": {
      const r = endingRollback(rollbacks);
      if (!r) return { kind: "rolled_back", headline: `Rolled back${when}`, why: null };
      const trigger = r.triggerId ? triggers.find((t) => t.id === r.triggerId) : undefined;
      if (r.triggerId) {
        const name = trigger ? `“${trigger.label}”` : "(a trigger since removed)";
        // A recommending trigger is confirmed by a person; an automatic one acts alone.
        const confirmed = r.by ? `, confirmed by ${r.by}` : " (automatic)";
        return { kind: "rolled_back", headline: `Rolled back by trigger ${name}${confirmed}${when}`, why: r.reason };
      }
      return { kind: "rolled_back", headline: `Rolled back by ${r.by ?? "a person no longer known"}${when}`, why: r.reason };
    }
    case "aborted": {
      const d = decisions.filter((x) => x.state === "abort").at(-1);
      if (ending) return { kind: "aborted", headline: `Aborted${by}${when}`, why: ending.reason };
      return { kind: "aborted", headline: d ? `Aborted at decision “${d.title}”${when}` : `Aborted${when}`, why: d?.reason ?? null };
    }
    default:
      return { kind: "not_ended", headline: `Not ended (${cutover.state.replace("_", " ")})`, why: null };
  }
}

function triggerLabel(triggers: readonly ReportTriggerRow[], id: string | null): string | null {
  if (!id) return null;
  return triggers.find((t) => t.id === id)?.label ?? "a trigger since removed";
}

/** The moments charts are drawn around: traffic changes, rollbacks, fired triggers, closed decisions. */
export function reportMoments(input: Pick<ReportInput, "traffic" | "rollbacks" | "triggers" | "decisions">): ReportMoment[] {
  const metricOf = (id: string | null) => (id ? (input.triggers.find((t) => t.id === id)?.metricId ?? null) : null);
  const moments: ReportMoment[] = [
    ...input.traffic.map((t) => ({ kind: "traffic" as const, at: t.requestedAt, label: `Traffic ${t.from} % → ${t.to} %${t.state === "failed" ? " (failed)" : ""}`, metricId: metricOf(t.triggerId) })),
    ...input.rollbacks.map((r) => ({ kind: "rollback" as const, at: r.startedAt, label: `Rollback${r.triggerId ? " by trigger" : r.by ? ` by ${r.by}` : ""}`, metricId: metricOf(r.triggerId) })),
    ...input.triggers.filter((t) => t.firedAt).map((t) => ({ kind: "trigger" as const, at: t.firedAt!, label: `Trigger fired: ${t.label}`, metricId: t.metricId })),
    ...input.decisions.filter((d) => d.decidedAt).map((d) => ({ kind: "decision" as const, at: d.decidedAt!, label: `Decision ${d.state === "proceed" ? "PROCEED" : "ABORT"}: ${d.title}`, metricId: null })),
  ];
  return moments.sort((a, b) => a.at.getTime() - b.at.getTime());
}

/** The sample windows the charts need (for the service to read only those), merged where they overlap. */
export function momentWindows(moments: readonly ReportMoment[]): { from: Date; to: Date }[] {
  const spans = moments
    .slice(0, MAX_CHARTED_MOMENTS)
    .map((m) => [m.at.getTime() - MOMENT_WINDOW_MS, m.at.getTime() + MOMENT_WINDOW_MS] as [number, number])
    .sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const s of spans) {
    const last = merged.at(-1);
    if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
    else merged.push([...s]);
  }
  return merged.map(([from, to]) => ({ from: new Date(from), to: new Date(to) }));
}

/**
 * At most `max` samples, in time order: each bucket keeps its lowest and highest value (so a spike
 * survives the thinning) and its first sample that is not ok (so a gap stays a gap).
 */
export function thinSamples(samples: readonly Sample[], max: number = MAX_POINTS): Sample[] {
  if (samples.length <= max) return [...samples];
  const buckets = Math.max(1, Math.floor(max / 3));
  const size = Math.ceil(samples.length / buckets);
  const out: Sample[] = [];
  for (let i = 0; i < samples.length; i += size) {
    const bucket = samples.slice(i, i + size);
    const ok = bucket.filter((s) => s.status === "ok");
    const keep = new Set<Sample>();
    if (ok.length) {
      keep.add(ok.reduce((a, b) => (b.value! < a.value! ? b : a)));
      keep.add(ok.reduce((a, b) => (b.value! > a.value! ? b : a)));
    }
    const gap = bucket.find((s) => s.status !== "ok");
    if (gap) keep.add(gap);
    out.push(...bucket.filter((s) => keep.has(s)));
  }
  return out;
}

function chartsOf(input: ReportInput, moments: readonly ReportMoment[]): MomentChart[] {
  const bySeries = new Map<string, Sample[]>();
  for (const s of input.samples) {
    const key = `${s.metricId}|${s.system}`;
    let list = bySeries.get(key);
    if (!list) bySeries.set(key, (list = []));
    list.push(s.sample);
  }
  for (const list of bySeries.values()) list.sort((a, b) => a.at - b.at);
  return moments.slice(0, MAX_CHARTED_MOMENTS).map((moment) => {
    const from = moment.at.getTime() - MOMENT_WINDOW_MS;
    const to = moment.at.getTime() + MOMENT_WINDOW_MS;
    const within = (metricId: string, system: "old" | "new") => {
      const list = (bySeries.get(`${metricId}|${system}`) ?? []).filter((s) => s.at >= from && s.at <= to);
      return list.length ? thinSamples(list) : null;
    };
    // The moment's own metric first, then the others in their order, keeping those with data.
    const ordered = [...input.metrics].sort((a, b) => Number(b.id === moment.metricId) - Number(a.id === moment.metricId));
    const series: ChartSeries[] = [];
    for (const m of ordered) {
      if (series.length >= MAX_CHARTS_PER_MOMENT) break;
      const old = within(m.id, "old");
      const neu = within(m.id, "new");
      if (!old && !neu) continue;
      series.push({ metricId: m.id, name: m.name, unit: m.unit, warning: m.warning, critical: m.critical, old, new: neu });
    }
    return { moment, from, to, series };
  });
}

const minutesBetween = (a: Date, b: Date) => Math.trunc((a.getTime() - b.getTime()) / 60_000) || 0;

export function buildReport(input: ReportInput): ReportModel {
  const { cutover, endedAt } = input;
  // A finished report is read as of its end: steps never started are "not started", not overdue forever.
  const asOf = endedAt ?? cutover.startedAt ?? cutover.tZero;
  const plannedEnds = input.timeline.map((e) => (e.plannedFinish ?? e.plannedStart).getTime());
  const plannedEnd = plannedEnds.length ? new Date(Math.max(...plannedEnds)) : null;
  const moments = reportMoments(input);
  return {
    cutover,
    rehearsal: cutover.mode === "rehearsal",
    outcome: reportOutcome(input),
    schedule: {
      plannedStart: cutover.tZero,
      actualStart: cutover.startedAt,
      startDrift: cutover.startedAt ? driftLabel(minutesBetween(cutover.startedAt, cutover.tZero)) : null,
      plannedEnd,
      actualEnd: endedAt,
      endDrift: plannedEnd && endedAt ? driftLabel(minutesBetween(endedAt, plannedEnd)) : null,
      overallDrift: input.timeline.length ? cutoverDrift(input.timeline, asOf).label : "no timeline",
    },
    timeline: input.timeline.map((e) => {
      const d = entryDrift(e, asOf);
      // Overdue at the end means it never ran.
      return { ...e, status: d.status, drift: d.status === "overdue" ? "never started" : d.label };
    }),
    decisions: input.decisions,
    traffic: input.traffic.map((t) => {
      const trigger = triggerLabel(input.triggers, t.triggerId);
      return { ...t, trigger, byLabel: trigger ? `trigger: ${trigger}` : (t.by ?? "—"), durationLabel: formatDuration(t.durationMs) };
    }),
    rollbacks: input.rollbacks.map((r) => {
      const trigger = triggerLabel(input.triggers, r.triggerId);
      return {
        ...r,
        trigger,
        byLabel: trigger ? `trigger: ${trigger}${r.by ? `, confirmed by ${r.by}` : ""}` : (r.by ?? "—"),
        // A rollback still running (or abandoned) has no recorded duration: the time it was seen running.
        durationLabel: formatDuration(r.durationMs ?? (r.finishedAt ? r.finishedAt.getTime() - r.startedAt.getTime() : null)),
        hooksLabel: r.hooks.map((h) => `${h.name} ${h.ok ? "ok" : "failed"} (${formatDuration(h.durationMs)})`).join("; ") || "—",
      };
    }),
    firedTriggers: input.triggers.filter((t) => t.firedAt).sort((a, b) => a.firedAt!.getTime() - b.firedAt!.getTime()),
    charts: chartsOf(input, moments),
    openItems: input.openItems,
    lessons: input.lessons ?? EMPTY_LESSONS,
  };
}

// ---- Markdown ---------------------------------------------------------------------------------

/** User text inside markdown: one line, no table breaks, no HTML a renderer would run. */
function md(text: string | null | undefined): string {
  if (!text) return "";
  return text.replace(/\r?\n/g, " ").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\|/g, "\\|").trim();
}

/** A block of user text (lessons): line breaks kept, HTML neutralised, no heading can be injected. */
function mdBlock(text: string): string {
  if (!text.trim()) return "_Not filled in._";
  return text
    .replace(/\r\n?/g, "\n")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .split("\n")
    .map((l) => (/^\s*#/.test(l) ? `\\${l.trimStart()}` : l))
    .join("\n")
    .trim();
}

function table(head: string[], rows: string[][]): string {
  if (!rows.length) return "_None._";
  return [`| ${head.join(" | ")} |`, `| ${head.map(() => "---").join(" | ")} |`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");
}

function seriesSummary(samples: Sample[] | null, unit: string): string {
  const ok = (samples ?? []).filter((s): s is Extract<Sample, { status: "ok" }> => s.status === "ok");
  if (!ok.length) return "no data";
  const values = ok.map((s) => s.value);
  const r = (v: number) => `${Math.round(v * 1000) / 1000}`;
  return `${r(ok[0]!.value)} → ${r(ok.at(-1)!.value)} ${unit} (min ${r(Math.min(...values))}, max ${r(Math.max(...values))})`;
}

export const REHEARSAL_BANNER = "REHEARSAL: this cutover was a rehearsal; no production traffic was at stake.";

export function reportMarkdown(r: ReportModel): string {
  const tz = r.cutover.timeZone;
  const at = (d: Date | null) => formatAt(d, tz);
  const out: string[] = [];
  const title = `Post-mortem: ${md(r.cutover.name)}`;
  out.push(`# ${r.rehearsal ? `REHEARSAL · ${title}` : title}`);
  if (r.rehearsal) out.push(`> **${REHEARSAL_BANNER}**`);
  out.push(`${md(r.cutover.systemFrom)} → ${md(r.cutover.systemTo)}`);

  out.push("## Outcome", `**${md(r.outcome.headline)}**`);
  if (r.outcome.why) out.push(`Why: ${md(r.outcome.why)}`);

  const s = r.schedule;
  out.push(
    "## Start and end against plan",
    table(
      ["", "Planned", "Actual", "Drift"],
      [
        ["Start", at(s.plannedStart), at(s.actualStart), s.startDrift ?? "—"],
        ["End", at(s.plannedEnd), at(s.actualEnd), s.endDrift ?? "—"],
      ],
    ),
    `Schedule at the end: ${s.overallDrift}.`,
  );

  out.push(
    "## Timeline",
    table(
      ["Step", "Owner", "Planned start", "Actual start", "Actual finish", "Drift"],
      r.timeline.map((e) => [md(e.title), roleName(e.ownerRole), at(e.plannedStart), at(e.actualStart), at(e.actualFinish), e.drift]),
    ),
  );

  out.push("## Decisions");
  if (!r.decisions.length) out.push("_None._");
  for (const d of r.decisions) {
    out.push(`### ${md(d.title)} (${md(d.phase)}): ${d.state.toUpperCase()}`);
    out.push(`Opened ${at(d.openedAt)}, decided ${at(d.decidedAt)}. Required: ${d.requiredRoles.map(roleName).join(", ") || "—"}.`);
    if (d.reason) out.push(`Reason: ${md(d.reason)}`);
    out.push(table(["Gate", "Result", "Detail"], d.gates.map((g) => [md(g.label), g.passed === null ? "not evaluated" : g.passed ? "passed" : "failed", md(g.detail)])));
    out.push(table(["Vote", "By", "Role", "When", "Comment"], d.votes.map((v) => [v.choice === "go" ? "GO" : "NO-GO", md(v.userName), roleName(v.role), at(v.at), md(v.comment)])));
  }

  out.push(
    "## Traffic changes",
    table(
      ["Requested", "Change", "State", "Duration", "By", "Note"],
      r.traffic.map((t) => [at(t.requestedAt), `${t.from} % → ${t.to} %`, t.state + (t.override ? " (override)" : ""), t.durationLabel, md(t.byLabel), md(t.error ?? t.note) || "—"]),
    ),
  );
  out.push(
    "## Rollbacks",
    table(
      ["Started", "State", "Duration", "By", "Reason", "Hooks"],
      r.rollbacks.map((b) => [at(b.startedAt), b.state.replace(/_/g, " "), b.durationLabel, md(b.byLabel), md(b.reason) || "—", md(b.hooksLabel)]),
    ),
  );
  out.push("## Triggers that fired", table(["Fired", "Trigger", "Mode", "Action", "Severity"], r.firedTriggers.map((t) => [at(t.firedAt), md(t.label), t.mode, t.action, t.severity])));

  out.push("## Metrics around each moment");
  if (!r.charts.length) out.push("_No moments to chart._");
  for (const c of r.charts) {
    out.push(`### ${at(c.moment.at)}: ${md(c.moment.label)}`);
    if (!c.series.length) out.push("_No samples stored around this moment._");
    else out.push(c.series.map((x) => `- ${md(x.name)}: old ${seriesSummary(x.old, md(x.unit))}; new ${seriesSummary(x.new, md(x.unit))}`).join("\n"));
  }

  out.push("## What stayed open", table(["Item", "Phase / section", "Owner", "Critical"], r.openItems.map((i) => [md(i.title), `${md(i.phase)} / ${md(i.section)}`, roleName(i.ownerRole), i.critical ? "yes" : ""])));

  const l = r.lessons;
  out.push("## Lessons learned");
  if (l.updatedAt) out.push(`_Last edited by ${md(l.updatedBy) || "—"} at ${at(l.updatedAt)}._`);
  out.push("### What went well", mdBlock(l.wentWell), "### What went wrong", mdBlock(l.wentWrong), "### Actions", mdBlock(l.actions));
  if (r.rehearsal) out.push(`---\n**${REHEARSAL_BANNER}**`);
  return out.join("\n\n") + "\n";
}
