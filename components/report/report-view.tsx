// The post-mortem report page's body, from the report model (lib/domain/report.ts). Rendered on
// the server; the charts and the lessons form are the only client parts. Text from users is
// rendered as text (React escapes it), never as HTML.
import Link from "next/link";
import type { ReactNode } from "react";
import { formatAt, REHEARSAL_BANNER, roleName as roleLabel, type ReportModel } from "@/lib/domain/report";
import { BUTTON_CLASS } from "@/components/ui/styles";
import { MomentCharts } from "./moment-charts";
import { LessonsForm } from "./lessons-form";
import { PrintButton } from "./print-button";

const roleList = (roles: readonly string[]) => roles.map(roleLabel).join(", ");

function Section({ title, testId, children }: { title: string; testId: string; children: ReactNode }) {
  return (
    <section className="report-section mb-8" data-testid={testId}>
      <h2 className="mb-2 border-b border-neutral-300 pb-1 text-lg font-semibold">{title}</h2>
      {children}
    </section>
  );
}

function Table({ head, rows, empty = "None." }: { head: string[]; rows: ReactNode[][]; empty?: string }) {
  if (!rows.length) return <p className="text-sm text-muted">{empty}</p>;
  return (
    <table className="w-full border-collapse text-left text-xs">
      <thead>
        <tr>
          {head.map((h) => (
            <th key={h} className="border-b border-neutral-300 py-1 pr-2 font-medium">
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => (
          <tr key={i} className="align-top">
            {r.map((cell, j) => (
              <td key={j} className="border-b border-neutral-100 py-1 pr-2 dark:border-neutral-800">
                {cell}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const OUTCOME_TONE = {
  completed: "border-green-600 bg-green-50 text-green-900 dark:bg-green-950 dark:text-green-100",
  rolled_back: "border-red-600 bg-red-50 text-red-900 dark:bg-red-950 dark:text-red-100",
  aborted: "border-amber-600 bg-amber-50 text-amber-900 dark:bg-amber-950 dark:text-amber-100",
  not_ended: "border-neutral-400",
} as const;

export function ReportView({ report: r, canWriteLessons }: { report: ReportModel; canWriteLessons: boolean }) {
  const tz = r.cutover.timeZone;
  const at = (d: Date | null) => formatAt(d, tz);
  const s = r.schedule;
  return (
    <main className="mx-auto max-w-[182mm] p-6 print:max-w-none print:p-0" data-testid="report">
      {r.rehearsal && (
        <>
          <div className="report-rehearsal-mark hidden" aria-hidden="true" data-testid="rehearsal-mark">
            REHEARSAL
          </div>
          <div className="report-rehearsal-strip hidden" aria-hidden="true">
            REHEARSAL
          </div>
        </>
      )}
      <div className="mb-4 flex flex-wrap items-center gap-2 print:hidden">
        <Link href={`/cutovers/${r.cutover.id}`} className={BUTTON_CLASS}>
          ← Back to the room
        </Link>
        <PrintButton />
        <a href={`/api/v1/cutovers/${r.cutover.id}/report?format=markdown`} className={BUTTON_CLASS} data-testid="report-markdown">
          Download markdown
        </a>
      </div>

      <header className="mb-6">
        <h1 className="text-2xl font-semibold" data-testid="report-title">
          {r.rehearsal && <span className="mr-2 rounded bg-purple-100 px-1.5 text-purple-800">REHEARSAL</span>}
          Post-mortem: {r.cutover.name}
        </h1>
        <p className="text-sm text-muted">
          {r.cutover.systemFrom} → {r.cutover.systemTo} · times in {tz}
        </p>
        {r.rehearsal && (
          <p className="mt-2 rounded border border-purple-400 bg-purple-50 px-2 py-1 text-sm font-medium text-purple-900" data-testid="rehearsal-banner">
            {REHEARSAL_BANNER}
          </p>
        )}
      </header>

      <Section title="Outcome" testId="report-outcome">
        <div className={`report-keep mb-3 rounded border-l-4 px-3 py-2 ${OUTCOME_TONE[r.outcome.kind]}`}>
          <p className="font-semibold" data-testid="outcome-headline">
            {r.outcome.headline}
          </p>
          {r.outcome.why && <p className="text-sm">Why: {r.outcome.why}</p>}
        </div>
        <Table
          head={["", "Planned", "Actual", "Drift"]}
          rows={[
            ["Start", at(s.plannedStart), at(s.actualStart), s.startDrift ?? "—"],
            ["End", at(s.plannedEnd), at(s.actualEnd), s.endDrift ?? "—"],
          ]}
        />
        <p className="mt-1 text-sm">Schedule at the end: {s.overallDrift}.</p>
      </Section>

      <Section title="Timeline" testId="report-timeline">
        <Table
          head={["Step", "Owner", "Planned start", "Actual start", "Actual finish", "Drift"]}
          rows={r.timeline.map((e) => [e.title, roleLabel(e.ownerRole), at(e.plannedStart), at(e.actualStart), at(e.actualFinish), e.drift])}
        />
      </Section>

      <Section title="Decisions" testId="report-decisions">
        {!r.decisions.length && <p className="text-sm text-muted">None.</p>}
        {r.decisions.map((d, i) => (
          <div key={i} className="report-keep mb-4">
            <h3 className="font-medium">
              {d.title} <span className="text-muted">({d.phase})</span>: <span data-testid="decision-state">{d.state.toUpperCase()}</span>
            </h3>
            <p className="text-xs text-muted">
              Opened {at(d.openedAt)}, decided {at(d.decidedAt)}. Required: {roleList(d.requiredRoles) || "—"}.
            </p>
            {d.reason && <p className="text-xs">Reason: {d.reason}</p>}
            <Table head={["Gate", "Result", "Detail"]} rows={d.gates.map((g) => [g.label, g.passed === null ? "not evaluated" : g.passed ? "passed" : "failed", g.detail])} empty="No gates." />
            <Table head={["Vote", "By", "Role", "When", "Comment"]} rows={d.votes.map((v) => [v.choice === "go" ? "GO" : "NO-GO", v.userName, roleLabel(v.role), at(v.at), v.comment ?? ""])} empty="No votes." />
          </div>
        ))}
      </Section>

      <Section title="Traffic, rollbacks and triggers" testId="report-traffic">
        <h3 className="mb-1 font-medium">Traffic changes</h3>
        <Table
          head={["Requested", "Change", "State", "Duration", "By", "Note"]}
          rows={r.traffic.map((t) => [at(t.requestedAt), `${t.from} % → ${t.to} %`, t.state + (t.override ? " (override)" : ""), t.durationLabel, t.byLabel, t.error ?? t.note ?? ""])}
        />
        <h3 className="mt-3 mb-1 font-medium">Rollbacks</h3>
        <Table
          head={["Started", "State", "Duration", "By", "Reason", "Hooks"]}
          rows={r.rollbacks.map((b) => [at(b.startedAt), b.state.replace(/_/g, " "), b.durationLabel, b.byLabel, b.reason ?? "", b.hooksLabel])}
        />
        <h3 className="mt-3 mb-1 font-medium">Triggers that fired</h3>
        <Table head={["Fired", "Trigger", "Mode", "Action", "Severity"]} rows={r.firedTriggers.map((t) => [at(t.firedAt), t.label, t.mode, t.action, t.severity])} />
      </Section>

      <Section title="Metrics around each moment" testId="report-charts">
        <MomentCharts
          timeZone={tz}
          charts={r.charts.map((c) => ({ ...c, moment: { ...c.moment, at: c.moment.at.getTime() }, title: `${at(c.moment.at)}: ${c.moment.label}` }))}
        />
      </Section>

      <Section title="What stayed open" testId="report-open">
        <Table head={["Item", "Phase / section", "Owner", "Critical"]} rows={r.openItems.map((i) => [i.title, `${i.phase} / ${i.section}`, roleLabel(i.ownerRole), i.critical ? "yes" : ""])} empty="Nothing: every item was done or not applicable." />
      </Section>

      <Section title="Lessons learned" testId="report-lessons">
        <LessonsForm cutoverId={r.cutover.id} lessons={{ ...r.lessons, updatedAt: r.lessons.updatedAt ? at(r.lessons.updatedAt) : null }} canWrite={canWriteLessons} />
      </Section>
    </main>
  );
}
