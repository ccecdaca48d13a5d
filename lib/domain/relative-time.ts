// Planned times as people write them in runbooks: relative to T-0 ("T-4h", "2 hours before"),
// wall-clock on the cutover day ("06:30 AM"), or an ISO date-time.

export type PlannedTimeContext = { tZero: Date; timeZone: string };
export type PlannedTime =
  | { ok: true; at: Date; kind: "relative" | "absolute" | "wall_clock"; offsetMinutes?: number }
  | { ok: false; error: string };

const MINUTE = 60_000;

function unreadable(text: string): PlannedTime {
  return { ok: false, error: `Cannot read planned time "${text}": use T-4h, T+0:30, 06:30 AM or an ISO time` };
}

// Runbooks pasted from docs carry typographic minus signs and dashes.
function normaliseSign(s: string): "+" | "-" {
  return s === "+" ? "+" : "-";
}

const UNIT_MINUTES: Record<string, number> = {
  m: 1, min: 1, mins: 1, minute: 1, minutes: 1,
  h: 60, hr: 60, hrs: 60, hour: 60, hours: 60,
  d: 1440, day: 1440, days: 1440,
};

/** "4h", "1:30", "0", "2d", "90m", "1h30m" → minutes, or null. A bare number means hours. */
function readOffsetBody(body: string): number | null {
  const b = body.trim().toLowerCase();
  let m = /^(\d+)$/.exec(b);
  if (m) return Number(m[1]) * 60;
  m = /^(\d+):([0-5]\d)$/.exec(b);
  if (m) return Number(m[1]) * 60 + Number(m[2]);
  // One or more number+unit pairs, largest unit first by convention but not enforced.
  const parts = b.match(/\d+\s*[a-z]+/g);
  if (!parts || parts.join("").replace(/\s+/g, "") !== b.replace(/\s+/g, "")) return null;
  let total = 0;
  for (const part of parts) {
    const pm = /^(\d+)\s*([a-z]+)$/.exec(part);
    const unit = pm ? UNIT_MINUTES[pm[2]] : undefined;
    if (!pm || unit === undefined) return null;
    total += Number(pm[1]) * unit;
  }
  return total;
}

function readRelative(text: string): number | null {
  const t = /^t\s*([+\-−–])\s*(.+)$/i.exec(text);
  if (t) {
    const minutes = readOffsetBody(t[2]);
    if (minutes === null) return null;
    // T-0 and T+0 are the same instant; avoid a -0 that would print as "T-0" elsewhere.
    return normaliseSign(t[1]) === "-" && minutes !== 0 ? -minutes : minutes;
  }
  // "72 hours before", "30 minutes after", optionally "… before cutover" / "… after T-0".
  const w = /^(\d+)\s*([a-z]+)\s+(before|after)(?:\s+(?:the\s+)?(?:cutover|t-?0|go-?live|start))?$/i.exec(text);
  if (w) {
    const unit = UNIT_MINUTES[w[2].toLowerCase()];
    if (unit === undefined) return null;
    const minutes = Number(w[1]) * unit;
    return w[3].toLowerCase() === "before" && minutes !== 0 ? -minutes : minutes;
  }
  return null;
}

// --- time zones ------------------------------------------------------------------------------

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export type WallTime = { year: number; month: number; day: number; hour: number; minute: number; second: number };

function wallTimeIn(utcMs: number, timeZone: string): WallTime {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(utcMs))) {
    if (p.type !== "literal") parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year,
    month: parts.month,
    day: parts.day,
    hour: parts.hour,
    minute: parts.minute,
    second: parts.second,
  };
}

/** Zone offset (wall − UTC) in ms at the given instant; differs across DST changes. */
function zoneOffsetMs(utcMs: number, timeZone: string): number {
  const w = wallTimeIn(utcMs, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(utcMs / 1000) * 1000;
}

function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/**
 * The instant a wall-clock time occurs in a zone, or null when it does not exist (skipped by a
 * DST jump). A repeated time (DST fall-back) resolves to its first occurrence.
 */
export function zonedTimeToUtc(w: WallTime, timeZone: string): Date | null {
  const naive = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  // The right offset is the one in force at the answer, which is within a day of the naive guess;
  // try both offsets around it and keep those that reproduce the wall time.
  const candidates = new Set([
    naive - zoneOffsetMs(naive - 86_400_000, timeZone),
    naive - zoneOffsetMs(naive, timeZone),
    naive - zoneOffsetMs(naive + 86_400_000, timeZone),
  ]);
  const matching = [...candidates]
    .filter((utc) => {
      const back = wallTimeIn(utc, timeZone);
      return (
        back.year === w.year &&
        back.month === w.month &&
        back.day === w.day &&
        back.hour === w.hour &&
        back.minute === w.minute &&
        back.second === w.second
      );
    })
    .sort((a, b) => a - b);
  return matching.length ? new Date(matching[0]) : null;
}

function readWallClock(text: string): { hour: number; minute: number } | null {
  const m = /^(\d{1,2})(?::([0-5]\d))?\s*(a\.?m\.?|p\.?m\.?)?$/i.exec(text);
  if (!m) return null;
  let hour = Number(m[1]);
  const minute = m[2] === undefined ? 0 : Number(m[2]);
  const meridiem = m[3]?.toLowerCase().replace(/\./g, "");
  if (meridiem) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (meridiem === "pm" ? 12 : 0);
  } else {
    // A bare number ("7") is too ambiguous to accept; "07:00" or "7 AM" is not.
    if (m[2] === undefined || hour > 23) return null;
  }
  return { hour, minute };
}

// ISO 8601 date-time. Without an offset it is read in the cutover's time zone.
const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,3})?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

function readIso(text: string, timeZone: string): Date | null | "invalid" {
  const m = ISO.exec(text);
  if (!m) return null;
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const ms = m[7] === undefined ? 0 : Math.round(Number(m[7]) * 1000);
  // Date.UTC silently rolls 30 February into March; a planned time that moved is worse than an error.
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
    return "invalid";
  }
  const zone = m[8];
  if (zone === undefined) {
    const at = zonedTimeToUtc({ year, month, day, hour, minute, second }, timeZone);
    return at ? new Date(at.getTime() + ms) : "invalid";
  }
  let offsetMinutes = 0;
  if (zone.toUpperCase() !== "Z") {
    const z = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
    if (!z || Number(z[2]) > 23 || Number(z[3] ?? 0) > 59) return "invalid";
    offsetMinutes = (Number(z[2]) * 60 + Number(z[3] ?? 0)) * (z[1] === "-" ? -1 : 1);
  }
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMinutes * MINUTE);
}

export function parsePlannedTime(text: string, ctx: PlannedTimeContext): PlannedTime {
  const input = text.trim();
  if (input === "") return unreadable(text);
  if (Number.isNaN(ctx.tZero.getTime())) return { ok: false, error: "T-0 is not set to a valid time" };
  if (!isValidTimeZone(ctx.timeZone)) return { ok: false, error: `Unknown time zone "${ctx.timeZone}"` };

  const offsetMinutes = readRelative(input);
  if (offsetMinutes !== null) {
    return { ok: true, at: new Date(ctx.tZero.getTime() + offsetMinutes * MINUTE), kind: "relative", offsetMinutes };
  }

  const clock = readWallClock(input);
  if (clock) {
    const day = wallTimeIn(ctx.tZero.getTime(), ctx.timeZone);
    const at = zonedTimeToUtc({ ...day, hour: clock.hour, minute: clock.minute, second: 0 }, ctx.timeZone);
    if (!at) {
      const date = `${day.year}-${String(day.month).padStart(2, "0")}-${String(day.day).padStart(2, "0")}`;
      return { ok: false, error: `"${input}" does not exist on ${date} in ${ctx.timeZone} (the clocks skip it)` };
    }
    return { ok: true, at, kind: "wall_clock" };
  }

  const iso = readIso(input, ctx.timeZone);
  if (iso instanceof Date) return { ok: true, at: iso, kind: "absolute" };
  return unreadable(input);
}

const pad2 = (n: number) => String(n).padStart(2, "0");

/**
 * Countdown/elapsed display for `ms` = instant − T-0: `T-00:42:10`, `T+01:05:00`, `T-3d 04:00:00`.
 * Partial seconds are dropped, so the display flips to T+ exactly at T-0.
 */
export function formatTOffset(ms: number): string {
  const sign = ms < 0 ? "-" : "+";
  let s = Math.floor(Math.abs(ms) / 1000);
  const days = Math.floor(s / 86_400);
  s -= days * 86_400;
  const clock = `${pad2(Math.floor(s / 3600))}:${pad2(Math.floor((s % 3600) / 60))}:${pad2(s % 60)}`;
  return days > 0 ? `T${sign}${days}d ${clock}` : `T${sign}${clock}`;
}

/** The canonical way to write an offset in a plan: `T-4h`, `T-72h`, `T+0:30`, `T-1:30`, `T+0`. */
export function formatRelativeLabel(offsetMinutes: number): string {
  const total = Math.round(offsetMinutes);
  if (total === 0) return "T+0";
  const sign = total < 0 ? "-" : "+";
  const abs = Math.abs(total);
  const hours = Math.floor(abs / 60);
  const minutes = abs % 60;
  return minutes === 0 ? `T${sign}${hours}h` : `T${sign}${hours}:${pad2(minutes)}`;
}

/**
 * A day's clock schedule ("06:00 AM", "07:30 AM", …) rewritten relative to one of its entries,
 * which becomes T+0: the same spacing, wherever T-0 falls. Entries that are not clock times are
 * kept as they are; an anchor that is not a clock time leaves the schedule unchanged. Clock times
 * earlier than the anchor are read on the same day (a cutover-day schedule does not wrap).
 */
export function clockScheduleRelativeTo(times: readonly string[], anchor: string): string[] {
  const a = readWallClock(anchor.trim());
  if (!a) return [...times];
  return times.map((t) => {
    const c = readWallClock(t.trim());
    return c ? formatRelativeLabel(c.hour * 60 + c.minute - (a.hour * 60 + a.minute)) : t;
  });
}
