// The escalation ladder of a cutover (cutover.escalation: [{ level, who, after, criticalOnly }])
// read as times: "0-15 min" means this level is paged as soon as an incident opens and stays the
// one in charge for 15 minutes; "15-30 min" is paged once 15 minutes passed unacknowledged; "30+
// min" after 30. Pure: the escalation job passes `now`.
import { parseDuration } from "./checkins";

export interface LadderRung {
  level: string;
  who: string;
  after: string;
  criticalOnly?: boolean;
}

export interface Rung extends LadderRung {
  /** Seconds after the incident opened when this level is paged. */
  startSec: number;
}

const UNIT = "s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?";

/** "0-15 min", "15–30 min", "30+ min", "30 min+", "after 10 min", "immediately", "45s" → the start in seconds, or null. */
export function parseLadderAfter(text: string): number | null {
  const t = text.trim().toLowerCase().replace(/[–—]/g, "-");
  if (/^(immediately|immediate|at once|now)$/.test(t)) return 0;
  const range = new RegExp(`^(\\d+(?:\\.\\d+)?)\\s*(${UNIT})?\\s*-\\s*(\\d+(?:\\.\\d+)?)\\s*(${UNIT})$`).exec(t);
  if (range) {
    // "0-15 min": the first number takes the second's unit when it has none.
    const unit = range[2] ?? range[4]!;
    if (Number(range[1]) === 0) return 0;
    return parseDuration(`${range[1]} ${unit}`);
  }
  const plus = new RegExp(`^(?:after\\s+|>\\s*)?(\\d+(?:\\.\\d+)?)\\s*\\+?\\s*(${UNIT})\\s*\\+?$`).exec(t);
  if (plus) return Number(plus[1]) === 0 ? 0 : parseDuration(`${plus[1]} ${plus[2]}`);
  return null;
}

export type LadderParse = { ok: true; rungs: Rung[] } | { ok: false; error: string };

/** The ladder in paging order (by start time; the given order breaks ties). */
export function parseLadder(ladder: readonly LadderRung[]): LadderParse {
  const rungs: Rung[] = [];
  for (const r of ladder) {
    const startSec = parseLadderAfter(r.after);
    if (startSec === null) return { ok: false, error: `Escalation level "${r.level.slice(0, 100)}": cannot read "${r.after.slice(0, 50)}" (write "0-15 min", "15-30 min", "30+ min")` };
    rungs.push({ ...r, startSec });
  }
  return { ok: true, rungs: rungs.map((r, i) => ({ r, i })).sort((a, b) => a.r.startSec - b.r.startSec || a.i - b.i).map(({ r }) => r) };
}

/** The levels that apply to an incident of this severity: a criticalOnly level pages for critical ones only. */
export function applicableRungs(rungs: readonly Rung[], severity: string): Rung[] {
  return rungs.filter((r) => !r.criticalOnly || severity === "critical");
}

/**
 * How many levels (counted from the first) are due `now` for an incident opened at `openedAt`
 * (ms). The job pages levels reached+1 … this one by one, so a level is neither skipped nor
 * paged twice whoever runs it.
 */
export function levelsDue(rungs: readonly Rung[], openedAt: number, now: number): number {
  const elapsedSec = (now - openedAt) / 1000;
  let n = 0;
  for (const r of rungs) {
    if (r.startSec <= elapsedSec) n += 1;
    else break;
  }
  return n;
}

/** When the next level is paged (ms), or null when every level has been. */
export function nextLevelAt(rungs: readonly Rung[], openedAt: number, reached: number): number | null {
  const next = rungs[reached];
  return next ? openedAt + next.startSec * 1000 : null;
}

/**
 * Whether a contact is the one a level names: "Backend Lead", "team lead (Ana)", "manager" — the
 * contact's name appears in `who`, or `who` names the contact's role label.
 */
export function contactMatches(who: string, contact: { name: string; roleLabel: string }): boolean {
  const w = ` ${who.toLowerCase().replace(/[^a-z0-9]+/g, " ")} `;
  const needle = (s: string) => ` ${s.toLowerCase().replace(/[^a-z0-9]+/g, " ").trim()} `;
  const name = needle(contact.name);
  const role = needle(contact.roleLabel);
  return (name.trim().length > 0 && w.includes(name)) || (role.trim().length > 0 && w.includes(role));
}
