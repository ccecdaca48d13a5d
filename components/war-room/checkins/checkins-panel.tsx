"use client";
// The check-in cadence, due and overdue check-ins, and the escalation ladder's state: editors set
// the cadence (the runbook sentence, what it counts from, which role owes it, the grace); everyone
// sees the schedule so far with who acknowledged and what they saw, and the incidents with the
// level they reached.
import { useQueryClient } from "@tanstack/react-query";
import { SelectField, TextField } from "@/components/ui/field";
import { TONE } from "@/components/ui/tones";
import { CADENCE_ANCHORS, type CadenceAnchor } from "@/lib/domain/checkins";
import { ROLE_LABELS, ROLES } from "@/lib/domain/roles";
import { BUTTON_CLASS, chosenRole, roleLabel, useCommand, useCommandForm } from "../shared/format";
import { CommandForm, PanelError, SubmitButton, SubSection, ViewPanel } from "../shared/parts";
import { Time } from "../shared/time";
import type { PanelProps } from "../shared/types";
import { checkInsQueryKey, liveStatus, useCheckInsView, type CheckInRow, type IncidentRow } from "./use-checkins-view";
import { AcknowledgeCheckInForm, AcknowledgeIncidentButton, incidentLevelText } from "./checkin-forms";

const ANCHOR_LABELS: Record<CadenceAnchor, string> = { full_traffic: "when the new system took all traffic", start: "the cutover's start" };
const STATUS_LOOK = {
  due: { label: "due", style: TONE.active },
  overdue: { label: "overdue", style: TONE.bad },
  acknowledged: { label: "acknowledged", style: TONE.good },
} as const;
const INCIDENT_LOOK = {
  open: { label: "escalating", style: TONE.bad },
  acknowledged: { label: "acknowledged", style: TONE.warning },
  resolved: { label: "resolved", style: TONE.good },
} as const;

function Badge({ look }: { look: { label: string; style: string } }) {
  return <span className={`rounded border px-1.5 text-xs ${look.style}`}>{look.label}</span>;
}

export function CheckInsPanel({ cutover, run, now }: PanelProps) {
  const query = useCheckInsView(cutover.id);
  return (
    <ViewPanel id="checkins" title="Check-ins and escalation" query={query} what="the check-ins">
      {(v) => (
          <>
            <SubSection title="Cadence" testId="checkin-cadence">
              {v.cadence ? (
                <p>
                  <span data-testid="cadence-text">{v.cadence.text}</span>, owed by the {roleLabel(v.cadence.role)}, counted from {ANCHOR_LABELS[v.cadence.anchor]}
                  {v.cadence.anchorAt ? (
                    <>
                      {" "}(<Time at={v.cadence.anchorAt} cutover={cutover} />)
                    </>
                  ) : (
                    " (not yet)"
                  )}
                  ; overdue after {v.cadence.grace ?? "10 % of the interval (at least 1 min)"}.{" "}
                  {v.cadence.nextDueAt && (
                    <>
                      Next: <Time at={v.cadence.nextDueAt} cutover={cutover} />.
                    </>
                  )}
                </p>
              ) : (
                <p className="text-neutral-600 dark:text-neutral-300">No check-ins are owed{v.canConfigure ? ": set a cadence below, e.g. “every 30 min for the first 2 h, hourly for the next 6 h”." : "."}</p>
              )}
            </SubSection>
            {v.canConfigure && <CadenceForm cutoverId={cutover.id} run={run} current={v.cadence} />}
            <SubSection title="Check-ins" testId="checkin-list">
              {v.checkIns.length === 0 ? (
                <p className="text-neutral-600 dark:text-neutral-300">None due yet.</p>
              ) : (
                <ul className="divide-y divide-neutral-200 dark:divide-neutral-800">
                  {v.checkIns.map((c) => (
                    <CheckInItem key={c.id} c={c} now={now} cutover={cutover} run={run} />
                  ))}
                </ul>
              )}
            </SubSection>
            <SubSection title="Incidents" testId="incident-list">
              {v.ladderError && <p className="text-red-800 dark:text-red-300">{v.ladderError}</p>}
              {v.incidents.length === 0 ? (
                <p className="text-neutral-600 dark:text-neutral-300">No critical trigger or alert has fired.</p>
              ) : (
                <ul className="divide-y divide-neutral-200 dark:divide-neutral-800">
                  {v.incidents.map((i) => (
                    <IncidentItem key={i.id} i={i} cutover={cutover} run={run} canAcknowledge={v.canAcknowledgeIncident} />
                  ))}
                </ul>
              )}
            </SubSection>
          </>
      )}
    </ViewPanel>
  );
}

function CheckInItem({ c, now, cutover, run }: { c: CheckInRow; now: number; cutover: PanelProps["cutover"]; run: PanelProps["run"] }) {
  const status = liveStatus(c, now);
  return (
    <li className="py-1.5" data-testid="checkin-row" data-status={status} data-checkin-id={c.id}>
      <div className="flex flex-wrap items-center gap-2">
        <span>
          Due <Time at={c.dueAt} cutover={cutover} />
        </span>
        <span className="text-neutral-600 dark:text-neutral-300">{roleLabel(c.role)}</span>
        <Badge look={STATUS_LOOK[status]} />
        {c.acknowledgedBy && (
          <span>
            by {c.acknowledgedBy} at <Time at={c.acknowledgedAt} cutover={cutover} />
          </span>
        )}
      </div>
      {c.note && <p className="mt-0.5 text-neutral-700 dark:text-neutral-200">Saw: {c.note}</p>}
      {c.canAcknowledge && status !== "acknowledged" && <AcknowledgeCheckInForm checkIn={c} cutoverId={cutover.id} run={run} compact />}
    </li>
  );
}

function IncidentItem({ i, cutover, run, canAcknowledge }: { i: IncidentRow; cutover: PanelProps["cutover"]; run: PanelProps["run"]; canAcknowledge: boolean }) {
  return (
    <li className="py-1.5" data-testid="incident-row" data-state={i.state} data-level={i.levelReached}>
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-medium">{i.title}</span>
        <Badge look={INCIDENT_LOOK[i.state as keyof typeof INCIDENT_LOOK]} />
        <span className="text-neutral-600 dark:text-neutral-300">
          opened <Time at={i.openedAt} cutover={cutover} />
        </span>
      </div>
      <p data-testid="incident-level">{incidentLevelText(i)}</p>
      {i.nextLevelAt && (
        <p className="text-neutral-600 dark:text-neutral-300">
          Next level at <Time at={i.nextLevelAt} cutover={cutover} /> unless acknowledged.
        </p>
      )}
      {i.acknowledgedBy && (
        <p>
          Acknowledged by {i.acknowledgedBy} at <Time at={i.acknowledgedAt} cutover={cutover} />
          {i.note ? `: ${i.note}` : ""}
        </p>
      )}
      {i.state === "open" && canAcknowledge && <AcknowledgeIncidentButton incident={i} cutoverId={cutover.id} run={run} />}
    </li>
  );
}

const ROLE_CHOICES = ROLES.filter((r) => r !== "OBSERVER").map((r) => ({ value: r, label: ROLE_LABELS[r] }));
const ANCHOR_CHOICES = CADENCE_ANCHORS.map((a) => ({ value: a, label: a === "full_traffic" ? "Full traffic on the new system" : "Cutover start" }));

function CadenceForm({ cutoverId, run, current }: { cutoverId: string; run: PanelProps["run"]; current: NonNullable<ReturnType<typeof useCheckInsView>["data"]>["cadence"] }) {
  const queryClient = useQueryClient();
  const refresh = () => void queryClient.invalidateQueries({ queryKey: checkInsQueryKey(cutoverId) });
  const form = useCommandForm(async ({ text }, { exec }) => {
    const role = chosenRole(text("role"), "Choose the role that owes the check-ins");
    const ok = await exec(() => run("checkin.configure", { cutoverId, cadence: text("cadence"), anchor: text("anchor") as CadenceAnchor, role: role as Exclude<typeof role, "OBSERVER">, grace: text("grace") || null }));
    if (ok) refresh();
    return ok;
  });
  const stop = useCommand();
  return (
    <>
      <CommandForm label="Check-in cadence" heading="Set the cadence" onSubmit={form.onSubmit}>
        <TextField label="Cadence" name="cadence" required defaultValue={current?.text ?? ""} placeholder="every 30 min for the first 2 h, hourly for the next 6 h" className="w-96" />
        <SelectField label="Counted from" name="anchor" defaultValue={current?.anchor ?? "full_traffic"} options={ANCHOR_CHOICES} />
        <SelectField label="Owed by" name="role" defaultValue={current?.role ?? "ON_CALL"} options={ROLE_CHOICES} />
        <TextField label="Overdue after (optional)" name="grace" defaultValue={current?.grace ?? ""} placeholder="5 min" className="w-28" />
        <SubmitButton pending={form.pending} busyLabel="Saving…">
          Save cadence
        </SubmitButton>
        {current && (
          <button type="button" className={BUTTON_CLASS} disabled={stop.pending} onClick={() => void stop.exec(() => run("checkin.configure", { cutoverId, cadence: null })).then((ok) => ok && refresh())}>
            Stop check-ins
          </button>
        )}
      </CommandForm>
      <PanelError message={form.error ?? stop.error} testId="checkin-configure-error" />
    </>
  );
}
