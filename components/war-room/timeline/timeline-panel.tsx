"use client";
// The schedule: planned vs actual times of each step, its drift, and Start / Finish for the
// step's owner. Wall times are in the cutover's zone (UTC on hover), T-offsets beside them.
import { TONE, type Look } from "@/components/ui/tones";
import { ACTIONS_COLUMN, DataTable } from "@/components/ui/data-table";
import { ErrorNote } from "@/components/ui/error-note";
import { cutoverDrift, entryDrift, type EntryStatus, type TimelineTimes } from "@/lib/domain/drift";
import { canProgressTimelineEntry } from "@/lib/domain/permissions";
import { formatTOffset } from "@/lib/domain/relative-time";
import type { CutoverStateJson } from "@/lib/services/cutover-read";
import {
  BUTTON_CLASS,
  PANEL_CLASS,
  formatUtc,
  formatWallTime,
  roleLabel,
  useCommand,
  zoneAbbreviation,
} from "../shared/format";
import { ExportLinks, PanelNote } from "../shared/parts";
import type { PanelProps, RunCommand } from "../shared/types";
import { AddTimelineEntryForm } from "./add-timeline-entry-form";

type Entry = CutoverStateJson["timeline"][number];

const STATUS: Record<EntryStatus, Look> = {
  not_started: { label: "Not started", style: TONE.idle },
  overdue: { label: "Overdue", style: TONE.warning },
  in_progress: { label: "In progress", style: TONE.active },
  done: { label: "Done", style: TONE.good },
};

function times(e: Entry): TimelineTimes {
  const d = (s: string | null) => (s ? new Date(s) : null);
  return { plannedStart: new Date(e.plannedStart), plannedFinish: d(e.plannedFinish), actualStart: d(e.actualStart), actualFinish: d(e.actualFinish) };
}

function driftStyle(minutes: number | null): string {
  if (minutes === null) return "text-muted";
  if (minutes > 0) return "text-amber-800 dark:text-amber-300";
  return "text-green-800 dark:text-green-300";
}

/** Wall time in the zone with UTC on hover, and optionally the T-offset beside it. */
function When({ at, cutover, offset = false }: { at: string | null; cutover: CutoverStateJson; offset?: boolean }) {
  if (!at) return <span className="text-muted">—</span>;
  return (
    <span className="whitespace-nowrap">
      <time dateTime={at} title={formatUtc(at)} className="tabular">
        {formatWallTime(at, cutover.timeZone, cutover.tZero)}
      </time>
      {offset && <span className="ml-1.5 text-xs text-muted tabular">{formatTOffset(Date.parse(at) - Date.parse(cutover.tZero))}</span>}
    </span>
  );
}

export function TimelinePanel({ cutover, run, now, can }: PanelProps) {
  // Schedule order: planned start, then the order the steps were added in (stable sort).
  const entries = [...cutover.timeline].sort((a, b) => Date.parse(a.plannedStart) - Date.parse(b.plannedStart));
  const nowDate = new Date(now);
  const overall = cutoverDrift(entries.map(times), nowDate);
  const canEdit = can("cutover.edit_plan");

  return (
    <section aria-labelledby="timeline-heading" className={PANEL_CLASS}>
      <header className="flex flex-wrap items-baseline justify-between gap-2 border-b border-neutral-200 px-3 py-2 dark:border-neutral-800">
        <h2 id="timeline-heading" className="font-semibold">
          Timeline
        </h2>
        <p className="text-sm">
          <span className="text-muted">Schedule: </span>
          <span data-testid="cutover-drift" data-drift-minutes={overall.driftMinutes ?? ""} className={`font-medium tabular ${driftStyle(overall.driftMinutes)}`}>
            {overall.label}
          </span>
          {overall.entryIndex !== null && <span className="text-muted"> (at “{entries[overall.entryIndex].title}”)</span>}
        </p>
        <ExportLinks cutoverId={cutover.id} what="timeline" label="timeline" />
        <p className="w-full text-xs text-muted">
          Times in {cutover.timeZone} ({zoneAbbreviation(cutover.tZero, cutover.timeZone)}); hover a time for UTC. T-0 is{" "}
          <time dateTime={cutover.tZero} title={formatUtc(cutover.tZero)} className="tabular">
            {formatWallTime(cutover.tZero, cutover.timeZone, cutover.tZero)}
          </time>
          .
        </p>
      </header>

      {entries.length === 0 ? (
        <PanelNote>No timeline steps yet.{canEdit ? " Add the first one below: a title, when it starts (06:30 AM or T-0:30) and who owns it." : ""}</PanelNote>
      ) : (
        <DataTable
          caption="Timeline steps with planned and actual times, drift and status"
          columns={["Step", "Planned start", "Planned finish", "Actual start", "Actual finish", "Drift", "Status", ACTIONS_COLUMN]}
        >
          {entries.map((entry) => (
            <TimelineRow key={entry.id} entry={entry} cutover={cutover} run={run} now={nowDate} />
          ))}
        </DataTable>
      )}

      {canEdit && <AddTimelineEntryForm cutoverId={cutover.id} run={run} />}
    </section>
  );
}

function TimelineRow({ entry, cutover, run, now }: { entry: Entry; cutover: CutoverStateJson; run: RunCommand; now: Date }) {
  const drift = entryDrift(times(entry), now);
  const status = STATUS[drift.status];
  const { pending, error, exec } = useCommand();
  const mayProgress = canProgressTimelineEntry(cutover.myRoles, entry.ownerRole);
  const titleId = `timeline-title-${entry.id}`;
  const step = !entry.actualStart ? "start" : !entry.actualFinish ? "finish" : null;

  return (
    <tr
      data-testid="timeline-entry"
      data-entry-id={entry.id}
      data-status={drift.status}
      className={drift.status === "overdue" ? "bg-amber-50 dark:bg-amber-950/40" : undefined}
    >
      <td className="px-3 py-1.5 align-top">
        <span id={titleId} className="font-medium" data-testid="entry-title">
          {entry.title}
        </span>
        <span className="ml-2 text-xs text-muted" data-testid="entry-owner">
          {roleLabel(entry.ownerRole)}
        </span>
        {entry.details && <p className="text-xs text-muted">{entry.details}</p>}
        <ErrorNote message={error} testId="timeline-error" />
      </td>
      <td className="px-2 py-1.5 align-top">
        <When at={entry.plannedStart} cutover={cutover} offset />
      </td>
      <td className="px-2 py-1.5 align-top">
        <When at={entry.plannedFinish} cutover={cutover} offset />
      </td>
      <td className="px-2 py-1.5 align-top">
        <When at={entry.actualStart} cutover={cutover} />
      </td>
      <td className="px-2 py-1.5 align-top">
        <When at={entry.actualFinish} cutover={cutover} />
      </td>
      <td className={`px-2 py-1.5 align-top tabular ${driftStyle(drift.driftMinutes)}`} data-testid="entry-drift" data-drift-minutes={drift.driftMinutes ?? ""}>
        {drift.label}
      </td>
      <td className="px-2 py-1.5 align-top">
        <span className={`inline-block whitespace-nowrap rounded border px-1.5 text-xs ${status.style}`} data-testid="entry-status">
          {drift.status === "overdue" && <span aria-hidden>⚠ </span>}
          {status.label}
        </span>
      </td>
      <td className="px-3 py-1.5 text-right align-top">
        {mayProgress && step && (
          <button
            type="button"
            className={BUTTON_CLASS}
            disabled={pending}
            aria-describedby={titleId}
            onClick={() => void exec(() => run("timeline.progress", { cutoverId: cutover.id, entryId: entry.id, step }))}
          >
            {step === "start" ? "Start" : "Finish"}
          </button>
        )}
      </td>
    </tr>
  );
}
