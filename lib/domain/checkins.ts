// Check-in cadences as runbooks write them ("every 30 min for the first 2 h, hourly for the next
// 6 h, every 4 h for the next 16 h") and the schedule they produce from an anchor moment.
// Pure: no I/O, no clock (callers pass `now`).
import { z } from "zod";
import { roleSchema, type Role } from "./roles";

/** One stretch of the cadence: a check-in every `everySec` for `forSec` after the previous stretch. */
export interface CadenceSegment {
  everySec: number;
  forSec: number;
}

/**
 * What the cadence counts from. "full_traffic" is the default: the runbooks put the check-ins
 * under "Post-Cutover (First 24 Hours)", the watch that starts once the new system carries all
 * the traffic. "start" counts from the cutover's start (for rehearsals, or a plan that watches
 * during the shift).
 */
export const CADENCE_ANCHORS = ["full_traffic", "start"] as const;
export type CadenceAnchor = (typeof CADENCE_ANCHORS)[number];
export const DEFAULT_ANCHOR: CadenceAnchor = "full_traffic";
export const DEFAULT_CHECKIN_ROLE: Role = "ON_CALL";

export interface Cadence {
  segments: CadenceSegment[];
  anchor: CadenceAnchor;
  role: Role;
  /** How long after its due time a check-in turns overdue; null: graceFor(interval). */
  graceSec: number | null;
}

/** What is stored on the cutover: the cadence and when it was set (check-ins due before are not owed). */
export const storedCadenceSchema = z.object({
  segments: z.array(z.object({ everySec: z.number().int().positive(), forSec: z.number().int().positive() })).min(1),
  anchor: z.enum(CADENCE_ANCHORS),
  role: roleSchema,
  graceSec: z.number().int().positive().nullable(),
  configuredAt: z.number(),
});
export type StoredCadence = z.infer<typeof storedCadenceSchema>;

// A cadence that asks for more check-ins than a person can acknowledge is a typo, not a plan; the
// bound also keeps the schedule small enough to compute on every tick.
export const MAX_CHECKINS = 500;
const MAX_SPAN_SEC = 30 * 24 * 3600;

const UNIT_SECONDS: Record<string, number> = {
  s: 1, sec: 1, secs: 1, second: 1, seconds: 1,
  m: 60, min: 60, mins: 60, minute: 60, minutes: 60,
  h: 3600, hr: 3600, hrs: 3600, hour: 3600, hours: 3600,
  d: 86400, day: 86400, days: 86400,
};
const UNIT = "s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?";

/** "30 min", "2h", "45 s", "1.5 hours" → seconds, or null. */
export function parseDuration(text: string): number | null {
  const m = new RegExp(`^\\s*(\\d+(?:\\.\\d+)?)\\s*(${UNIT})\\s*$`, "i").exec(text);
  if (!m) return null;
  const sec = Number(m[1]) * UNIT_SECONDS[m[2]!.toLowerCase()]!;
  return Number.isFinite(sec) && sec >= 1 && Number.isInteger(Math.round(sec)) ? Math.round(sec) : null;
}

/** 90 → "90 s", 1800 → "30 min", 7200 → "2 h": the shortest exact form. */
export function formatDuration(sec: number): string {
  if (sec % 86400 === 0) return `${sec / 86400} d`;
  if (sec % 3600 === 0) return `${sec / 3600} h`;
  if (sec % 60 === 0) return `${sec / 60} min`;
  return `${sec} s`;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

function checkSegments(segments: CadenceSegment[]): Parsed<CadenceSegment[]> {
  if (segments.length === 0) return { ok: false, error: "A cadence needs at least one stretch, e.g. \"every 30 min for 2 h\"" };
  let count = 0;
  let span = 0;
  for (const s of segments) {
    if (s.forSec < s.everySec) return { ok: false, error: `"every ${formatDuration(s.everySec)} for ${formatDuration(s.forSec)}" never comes due: the stretch is shorter than the interval` };
    count += Math.floor(s.forSec / s.everySec);
    span += s.forSec;
  }
  if (count > MAX_CHECKINS) return { ok: false, error: `That cadence asks for ${count} check-ins; at most ${MAX_CHECKINS}` };
  if (span > MAX_SPAN_SEC) return { ok: false, error: "A cadence may span at most 30 days" };
  return { ok: true, value: segments };
}

const EVERY = new RegExp(`^(?:check(?:-|\\s)?ins?\\s+|check\\s+metrics\\s+)?(?:every\\s+(\\d+(?:\\.\\d+)?\\s*(?:${UNIT}))|every\\s+(${UNIT})|(hourly|daily|half-hourly))\\s+(?:for\\s+)?(?:the\\s+)?(?:first|next)?\\s*(\\d+(?:\\.\\d+)?\\s*(?:${UNIT}))$`, "i");
const NAMED: Record<string, number> = { hourly: 3600, daily: 86400, "half-hourly": 1800 };

/**
 * The runbook sentence: stretches separated by commas, semicolons, new lines or "then"/"and",
 * each "every <n unit> for [the first|next] <n unit>" (or "hourly"/"daily"; a leading "check
 * metrics" as in the runbooks is allowed).
 */
export function parseCadenceText(text: string): Parsed<CadenceSegment[]> {
  const clauses = text
    .split(/[,;\n]|\bthen\b|\band\b/i)
    .map((c) => c.trim().replace(/\.$/, "").replace(/\s+/g, " ").replace(/^-\s*(\[[ x]\]\s*)?/i, ""))
    .filter((c) => c.length > 0);
  const segments: CadenceSegment[] = [];
  for (const clause of clauses) {
    const m = EVERY.exec(clause);
    const every = m ? (m[1] ? parseDuration(m[1]) : m[2] ? parseDuration(`1 ${m[2]}`) : NAMED[m[3]!.toLowerCase()]!) : null;
    const span = m ? parseDuration(m[4]!) : null;
    if (!m || every === null || span === null) return { ok: false, error: `Cannot read "${clause.slice(0, 100)}": write e.g. "every 30 min for the first 2 h, hourly for the next 6 h"` };
    segments.push({ everySec: every, forSec: span });
  }
  return checkSegments(segments);
}

/** The structured form: [{ every: "30 min", for: "2 h" }, …]. */
export function parseCadenceSegments(list: readonly { every: string; for: string }[]): Parsed<CadenceSegment[]> {
  const segments: CadenceSegment[] = [];
  for (const [i, s] of list.entries()) {
    const every = parseDuration(s.every);
    const span = parseDuration(s.for);
    if (every === null) return { ok: false, error: `Stretch ${i + 1}: cannot read the interval "${s.every.slice(0, 50)}" (e.g. "30 min", "45 s", "1 h")` };
    if (span === null) return { ok: false, error: `Stretch ${i + 1}: cannot read the duration "${s.for.slice(0, 50)}" (e.g. "2 h")` };
    segments.push({ everySec: every, forSec: span });
  }
  return checkSegments(segments);
}

/** The sentence form of a cadence, as the editor shows it and parseCadenceText reads it back. */
export function formatCadence(segments: readonly CadenceSegment[]): string {
  return segments.map((s, i) => `every ${formatDuration(s.everySec)} for the ${i === 0 ? "first" : "next"} ${formatDuration(s.forSec)}`).join(", ");
}

/**
 * How long a check-in may stay unacknowledged before it is overdue: 10 % of its interval, at
 * least a minute (nobody answers a 30-minute check-in within seconds), unless the cadence says.
 */
export function graceFor(intervalSec: number, configuredSec: number | null = null): number {
  if (configuredSec !== null) return configuredSec;
  return Math.max(60, Math.round(intervalSec * 0.1));
}

export interface ScheduledCheckIn {
  dueAt: number;
  overdueAt: number;
  intervalSec: number;
}

/** Every check-in of the cadence counted from `anchor` (ms), in order. */
export function checkInSchedule(cadence: Pick<Cadence, "segments" | "graceSec">, anchor: number): ScheduledCheckIn[] {
  const out: ScheduledCheckIn[] = [];
  let start = 0;
  for (const s of cadence.segments) {
    const grace = graceFor(s.everySec, cadence.graceSec);
    for (let t = s.everySec; t <= s.forSec; t += s.everySec) {
      const dueAt = anchor + (start + t) * 1000;
      out.push({ dueAt, overdueAt: dueAt + grace * 1000, intervalSec: s.everySec });
    }
    start += s.forSec;
  }
  return out;
}

/** The check-ins due by `now` (ms) and the next one, if any. */
export function dueCheckIns(cadence: Pick<Cadence, "segments" | "graceSec">, anchor: number, now: number): { due: ScheduledCheckIn[]; next: ScheduledCheckIn | null } {
  const all = checkInSchedule(cadence, anchor);
  const due = all.filter((c) => c.dueAt <= now);
  return { due, next: all[due.length] ?? null };
}

export type CheckInView = "due" | "overdue" | "acknowledged";

/** What the room shows for a stored check-in. */
export function checkInStatus(c: { acknowledgedAt: number | null; overdueAt: number }, now: number): CheckInView {
  if (c.acknowledgedAt !== null) return "acknowledged";
  return now >= c.overdueAt ? "overdue" : "due";
}

/** The runbook line that states a cadence ("Check metrics every 30 minutes first 2 hours" …), joined, or null. */
export function cadenceFromRunbook(markdown: string): CadenceSegment[] | null {
  const lines = markdown.split("\n").filter((l) => /\bevery\s+\d/i.test(l) && /\b(first|next)\b/i.test(l));
  if (lines.length === 0) return null;
  const parsed = parseCadenceText(lines.join("\n"));
  return parsed.ok ? parsed.value : null;
}
