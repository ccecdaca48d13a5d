"use client";
// The room's first screen: where are we (phase, T-time, the steps running and next), what is
// decided next (its gates and votes), what must I do (my open items, signed off from here), are
// we healthy (the tiles that matter) and which triggers are counting down. The whole plan, every
// metric and every decision stay one tab away.
import dynamic from "next/dynamic";
import { currentPhase, myOpenItems, nextDecision, scheduleAroundNow } from "@/lib/domain/now";
import { progress } from "@/lib/domain/item-state";
import { formatTOffset } from "@/lib/domain/relative-time";
import { ROLE_LABELS } from "@/lib/domain/roles";
import { ProgressBar } from "@/components/ui/progress-bar";
import { formatUtc, formatWallTime } from "../shared/format";
import { PanelNote } from "../shared/parts";
import { Card, TabLink } from "./parts";
import type { PanelProps } from "../shared/types";
import { ItemRow } from "../plan/plan-view";
import { DecisionCard } from "../decisions/decisions-panel";

// The tiles draw sparklines (recharts): loaded after the rest, so the room's first load stays light.
const Health = dynamic(() => import("./now-health").then((m) => m.NowHealth), { ssr: false, loading: () => <PanelNote>Loading health…</PanelNote> });

const MY_ITEMS = 8;

export function NowView(props: PanelProps & { onOpenTab: (tab: string) => void }) {
  const { cutover, run, can, now, onOpenTab } = props;
  const phase = currentPhase(cutover.phases);
  const decision = nextDecision(cutover.decisions, cutover.phases);
  const mine = myOpenItems(cutover.phases, cutover.myRoles, MY_ITEMS);
  const schedule = scheduleAroundNow(cutover.timeline, now, 3);
  const frozen = cutover.state !== "draft" && cutover.state !== "scheduled";
  const hasRole = cutover.myRoles.some((r) => r !== "OBSERVER");

  return (
    <div className="grid gap-3 lg:grid-cols-2" data-testid="now-view">
      <div className="space-y-3">
        <Card id="where" title="Where we are" action={<TabLink tab="Timeline" label="Whole schedule" onOpenTab={onOpenTab} />}>
          <p className="text-sm" data-testid="now-phase">
            {phase ? (
              <>
                Phase <strong>{phase.name}</strong>
              </>
            ) : (
              "The plan is empty."
            )}
            <span className="ml-2 tabular text-neutral-700 dark:text-neutral-300">{formatTOffset(now - Date.parse(cutover.tZero))}</span>
          </p>
          {phase && <ProgressBar {...progress(phase.sections.flatMap((s) => s.items))} label={`Progress of ${phase.name}`} />}
          <ScheduleList title="Running" steps={schedule.running} cutover={cutover} now={now} testId="now-running" />
          <ScheduleList title="Late" steps={schedule.late} cutover={cutover} now={now} testId="now-late" />
          <ScheduleList title="Next" steps={schedule.next} cutover={cutover} now={now} testId="now-next" />
        </Card>

        <Card id="decision" title="Next decision" action={<TabLink tab="Decisions" label="All decisions" onOpenTab={onOpenTab} />}>
          {decision ? <DecisionCard decision={decision} cutover={cutover} run={run} can={can} /> : <PanelNote>{cutover.decisions.length ? "Every decision is closed." : "No go/no-go decision in this plan."}</PanelNote>}
        </Card>
      </div>

      <div className="space-y-3">
        {hasRole && (
          <Card id="my-items" title={`My open items (${mine.total})`} action={<TabLink tab="Plan" label="Whole plan" onOpenTab={onOpenTab} />}>
            {mine.total === 0 ? (
              <PanelNote>Nothing open for {cutover.myRoles.map((r) => ROLE_LABELS[r]).join(", ")}.</PanelNote>
            ) : (
              <>
                <ul className="divide-y divide-neutral-100 dark:divide-neutral-800">
                  {mine.shown.map(({ item, phase: p }) => (
                    <ItemRow key={item.id} item={item} cutover={cutover} run={run} myRoles={cutover.myRoles} frozen={frozen} canEdit={false} context={p.name} />
                  ))}
                </ul>
                {mine.total > mine.shown.length && <p className="mt-1 text-sm text-neutral-700 dark:text-neutral-300">and {mine.total - mine.shown.length} more in the plan.</p>}
              </>
            )}
          </Card>
        )}
        <Health {...props} />
      </div>
    </div>
  );
}

function ScheduleList({ title, steps, cutover, now, testId }: { title: string; steps: PanelProps["cutover"]["timeline"]; cutover: PanelProps["cutover"]; now: number; testId: string }) {
  if (steps.length === 0) return null;
  return (
    <div className="mt-2" data-testid={testId}>
      <h3 className="text-xs font-semibold uppercase tracking-wide text-neutral-700 dark:text-neutral-300">{title}</h3>
      <ul className="text-sm">
        {steps.map((s) => (
          <li key={s.id} className="flex gap-2">
            <time dateTime={s.plannedStart} title={formatUtc(s.plannedStart)} className="shrink-0 whitespace-nowrap tabular">
              {formatWallTime(s.plannedStart, cutover.timeZone, now)} ({formatTOffset(Date.parse(s.plannedStart) - Date.parse(cutover.tZero))})
            </time>
            <span className="min-w-0">{s.title}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

