"use client";
// Where traffic is and how it moves: the split, the planned steps, "Shift to N %" behind a confirm
// dialog (with the Deployment Lead's override when the go/no-go decision is missing), the
// triggers with their live state, recent changes and rollbacks, and the router and rollback hooks
// picked by name from the integrations catalog (their settings never reach the browser).
import { describeRouter } from "@/lib/client/traffic-words";
import { PANEL_CLASS } from "../shared/format";
import { LoadError } from "../shared/parts";
import type { PanelProps } from "../shared/types";
import { useLiveTriggers } from "../shared/use-live-triggers";
import { ChangesSection } from "./changes-section";
import { HooksSection } from "./hooks-section";
import { RollbacksSection } from "./rollbacks-section";
import { RouterSection } from "./router-section";
import { ShiftButton } from "./shift-button";
import { SplitGauge } from "./split-gauge";
import { StepsSection } from "./steps-section";
import { TriggersSection } from "./triggers-section";

/** `showShift={false}` when the room already shows <ShiftButton> (e.g. in the header): one button per page. */
export function TrafficPanel({ cutover, run, now, can, showShift = true }: PanelProps & { showShift?: boolean }) {
  const { query, triggers } = useLiveTriggers(cutover.id);
  const view = query.data;
  const percent = view?.percent ?? cutover.trafficPercent;

  return (
    <section aria-labelledby="traffic-heading" className={PANEL_CLASS} data-testid="traffic-panel">
      <header className="flex flex-wrap items-center justify-between gap-2 border-b border-neutral-200 px-3 py-2 dark:border-neutral-800">
        <h2 id="traffic-heading" className="font-semibold">
          Traffic
          {view?.rehearsal && <span className="ml-2 rounded bg-purple-100 px-1.5 text-sm text-purple-800">REHEARSAL</span>}
        </h2>
        {showShift && <ShiftButton cutover={cutover} run={run} can={can} />}
      </header>

      {query.error && <LoadError message={`Could not load the traffic view: ${query.error.message}. The split below is the last one recorded.`} testId="traffic-load-error" onRetry={() => void query.refetch()} />}

      <div className="px-3 py-3">
        <SplitGauge percent={percent} oldName={cutover.systemFrom} newName={cutover.systemTo} />
        <p className="mt-1 text-xs text-muted" data-testid="router-description">
          Router: {view ? describeRouter(view.router) : "…"}
        </p>
      </div>

      <StepsSection cutover={cutover} steps={view ? view.steps.map((s) => s.percent) : cutover.trafficSteps.map((s) => s.percent)} percent={percent} run={run} canEdit={can("cutover.edit_plan")} />

      <TriggersSection cutover={cutover} triggers={triggers} run={run} now={now} canEdit={can("trigger.edit")} loading={!view} />

      {view && (
        <>
          <ChangesSection cutover={cutover} changes={view.changes} triggers={view.triggers} />
          <RollbacksSection cutover={cutover} rollbacks={view.rollbacks} triggers={view.triggers} />
          <RouterSection cutover={cutover} router={view.router} choices={view.choices?.routers ?? null} recorded={percent} run={run} canEdit={can("router.edit")} />
          <HooksSection cutoverId={cutover.id} hooks={view.hooks} choices={view.choices?.hooks ?? null} run={run} canEdit={can("router.edit")} />
        </>
      )}
      {!view && !query.error && <p className="px-3 pb-3 text-sm text-muted">Loading traffic…</p>}
    </section>
  );
}
