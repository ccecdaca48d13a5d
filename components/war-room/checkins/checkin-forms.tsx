"use client";
// The two acknowledgements, shared by the banner and the panel: a check-in's (what did you see,
// one button) and an incident's (one button, which stops its escalation).
import { useQueryClient } from "@tanstack/react-query";
import { TextField } from "@/components/ui/field";
import { ErrorNote } from "@/components/ui/error-note";
import { PRIMARY_BUTTON_CLASS, useCommand, useCommandForm } from "../shared/format";
import { SubmitButton } from "../shared/parts";
import type { PanelProps } from "../shared/types";
import { checkInsQueryKey, type CheckInRow, type IncidentRow } from "./use-checkins-view";

export function AcknowledgeCheckInForm({ checkIn, cutoverId, run, compact = false }: { checkIn: CheckInRow; cutoverId: string; run: PanelProps["run"]; compact?: boolean }) {
  const queryClient = useQueryClient();
  const form = useCommandForm(async ({ text }, { exec }) => {
    const ok = await exec(() => run("checkin.acknowledge", { cutoverId, checkInId: checkIn.id, note: text("note") || null }));
    if (ok) void queryClient.invalidateQueries({ queryKey: checkInsQueryKey(cutoverId) });
    return ok;
  });
  return (
    <form onSubmit={form.onSubmit} aria-label="Acknowledge check-in" className={compact ? "mt-1" : "mt-2"}>
      <div className="flex flex-wrap items-end gap-2">
        <TextField label="What did you see?" name="note" maxLength={2000} placeholder="error rate 0.1 %, p95 240 ms" className={compact ? "w-64" : "w-96"} />
        <SubmitButton pending={form.pending} busyLabel="Acknowledging…">
          Acknowledge check-in
        </SubmitButton>
      </div>
      <ErrorNote message={form.error} testId="checkin-acknowledge-error" />
    </form>
  );
}

export function AcknowledgeIncidentButton({ incident, cutoverId, run }: { incident: IncidentRow; cutoverId: string; run: PanelProps["run"] }) {
  const queryClient = useQueryClient();
  const { pending, error, exec } = useCommand();
  return (
    <div className="mt-1">
      <button
        type="button"
        disabled={pending}
        className={PRIMARY_BUTTON_CLASS}
        onClick={() => void exec(() => run("incident.acknowledge", { cutoverId, incidentId: incident.id })).then((ok) => ok && void queryClient.invalidateQueries({ queryKey: checkInsQueryKey(cutoverId) }))}
      >
        {pending ? "Acknowledging…" : "Acknowledge incident"}
      </button>
      <ErrorNote message={error} testId="incident-acknowledge-error" />
    </div>
  );
}

/** "Escalation level 2 of 3: Manager (Dana)" or what is still to come. */
export function incidentLevelText(i: IncidentRow): string {
  if (i.levels === 0) return "No escalation ladder: set one under Contacts.";
  if (i.levelReached === 0) return `Escalation not started (${i.levels} levels)`;
  return `Escalation level ${i.levelReached} of ${i.levels}${i.level ? `: ${i.level.level} (${i.level.who})` : ""}`;
}
