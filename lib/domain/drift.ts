// Timeline drift = actual − planned. Positive means behind plan.

export type TimelineTimes = {
  plannedStart: Date;
  plannedFinish: Date | null;
  actualStart: Date | null;
  actualFinish: Date | null;
};

export type EntryStatus = "not_started" | "overdue" | "in_progress" | "done";

export type EntryDrift = { status: EntryStatus; driftMinutes: number | null; label: string };

export type CutoverDrift = {
  driftMinutes: number | null;
  label: string;
  /** Index in the given entries of the step the drift is taken from; null if none has begun. */
  entryIndex: number | null;
};

const MINUTE = 60_000;

// Whole minutes toward zero, so 59 s late is "on plan" and never rounds up to "+1 min".
function minutesBetween(actual: Date, planned: Date): number {
  return Math.trunc((actual.getTime() - planned.getTime()) / MINUTE) || 0;
}

function duration(minutes: number): string {
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

/** "+12 min behind plan", "3 min ahead of plan", "on plan". */
export function driftLabel(driftMinutes: number): string {
  if (driftMinutes === 0) return "on plan";
  return driftMinutes > 0 ? `+${duration(driftMinutes)} behind plan` : `${duration(-driftMinutes)} ahead of plan`;
}

export function entryDrift(entry: TimelineTimes, now: Date): EntryDrift {
  if (entry.actualFinish) {
    // Finish drift is what the next step feels; without a planned finish only the start is comparable.
    const drift = entry.plannedFinish
      ? minutesBetween(entry.actualFinish, entry.plannedFinish)
      : minutesBetween(entry.actualStart ?? entry.actualFinish, entry.plannedStart);
    return { status: "done", driftMinutes: drift, label: driftLabel(drift) };
  }
  if (entry.actualStart) {
    let drift = minutesBetween(entry.actualStart, entry.plannedStart);
    // A step that started on time but is still running past its planned finish is already late
    // by at least the overrun; reporting "on plan" would hide it until it finishes.
    if (entry.plannedFinish && now.getTime() > entry.plannedFinish.getTime()) {
      drift = Math.max(drift, minutesBetween(now, entry.plannedFinish));
    }
    return { status: "in_progress", driftMinutes: drift, label: driftLabel(drift) };
  }
  if (now.getTime() > entry.plannedStart.getTime()) {
    const drift = minutesBetween(now, entry.plannedStart);
    return { status: "overdue", driftMinutes: drift, label: drift === 0 ? "due now" : `not started, ${driftLabel(drift)}` };
  }
  return { status: "not_started", driftMinutes: null, label: "not started" };
}

/**
 * The schedule is as late as its most recent step: the drift of the started-or-overdue entry with
 * the latest planned start. Parallel steps (same planned start) count by the later of them.
 */
export function cutoverDrift(entries: readonly TimelineTimes[], now: Date): CutoverDrift {
  let best: { index: number; planned: number; drift: number } | null = null;
  for (const [index, entry] of entries.entries()) {
    const d = entryDrift(entry, now);
    if (d.status === "not_started" || d.driftMinutes === null) continue;
    const planned = entry.plannedStart.getTime();
    if (!best || planned > best.planned || (planned === best.planned && d.driftMinutes > best.drift)) {
      best = { index, planned, drift: d.driftMinutes };
    }
  }
  if (!best) return { driftMinutes: null, label: "not started", entryIndex: null };
  return { driftMinutes: best.drift, label: driftLabel(best.drift), entryIndex: best.index };
}
