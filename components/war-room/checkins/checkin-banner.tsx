"use client";
// Check-ins due to my roles (with the acknowledge form), any overdue check-in for the whole room,
// and any open critical incident with its escalation level (with Acknowledge for those allowed).
import { useCheckInsView, liveStatus } from "./use-checkins-view";
import { AcknowledgeCheckInForm, AcknowledgeIncidentButton, incidentLevelText } from "./checkin-forms";
import { roleLabel as roleLabelOf } from "../shared/format";
import { Time } from "../shared/time";
import type { PanelProps } from "../shared/types";

// More than a few at once is one line and the Comms tab: the banner must not push the room away.
const SHOWN = 3;

export function CheckInBanner({ cutover, run, now }: PanelProps) {
  const { data } = useCheckInsView(cutover.id);
  if (!data) return null;
  const open = data.checkIns.map((c) => ({ c, status: liveStatus(c, now) })).filter((x) => x.status !== "acknowledged");
  const overdue = open.filter((x) => x.status === "overdue");
  const dueToMe = open.filter((x) => x.status === "due" && x.c.mine && x.c.canAcknowledge);
  const incidents = data.incidents.filter((i) => i.state === "open");
  if (overdue.length === 0 && dueToMe.length === 0 && incidents.length === 0) return null;

  return (
    <div className="mb-3 space-y-2" data-testid="checkin-banners">
      {incidents.map((i) => (
        <div key={i.id} role="alert" data-testid="incident-banner" data-level={i.levelReached} className="rounded border border-red-800 bg-red-50 px-4 py-3 text-red-950 shadow-sm dark:bg-red-950 dark:text-red-50">
          <p className="text-lg font-bold">
            <span aria-hidden>⚠ </span>
            {i.severity === "critical" ? "Critical: " : ""}
            {i.title}
          </p>
          <p>
            {incidentLevelText(i)}
            {i.nextLevelAt && (
              <>
                {"; next level at "}
                <Time at={i.nextLevelAt} cutover={cutover} /> unless acknowledged
              </>
            )}
            .
          </p>
          {data.canAcknowledgeIncident ? <AcknowledgeIncidentButton incident={i} cutoverId={cutover.id} run={run} /> : <p className="text-sm">Waiting for the Deployment Lead or On-call to acknowledge.</p>}
        </div>
      ))}
      {overdue.slice(0, SHOWN).map(({ c }) => (
        <div key={c.id} role="alert" data-testid="checkin-overdue-banner" className="rounded border border-amber-700 bg-amber-50 px-4 py-2 text-amber-950 dark:bg-amber-950 dark:text-amber-50">
          <p className="font-bold">
            Check-in overdue: the {roleLabelOf(c.role)} check-in due at <Time at={c.dueAt} cutover={cutover} /> is not acknowledged.
          </p>
          {c.canAcknowledge && <AcknowledgeCheckInForm checkIn={c} cutoverId={cutover.id} run={run} />}
        </div>
      ))}
      {dueToMe.slice(0, SHOWN).map(({ c }) => (
        <div key={c.id} role="status" data-testid="checkin-due-banner" className="rounded border border-blue-700 bg-blue-50 px-4 py-2 text-blue-950 dark:bg-blue-950 dark:text-blue-50">
          <p className="font-semibold">
            Check-in due (<Time at={c.dueAt} cutover={cutover} />): look at the metrics and say what you saw.
          </p>
          <AcknowledgeCheckInForm checkIn={c} cutoverId={cutover.id} run={run} />
        </div>
      ))}
      {overdue.length > SHOWN && <p className="text-sm">{overdue.length - SHOWN} more overdue check-ins in the Comms tab.</p>}
    </div>
  );
}
