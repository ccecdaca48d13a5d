// What the wall screen shows, decided without the DOM: short states that fit a badge read from
// five metres ("NO DATA 2m", "CRIT"), numbers split from their units so neither wraps alone,
// where the plan stands (the current phase, the next decision and its votes) and the contrast
// rule the wall's big numbers are held to.
import type { Level, TileState } from "@/lib/domain/metrics";
import type { Role } from "@/lib/domain/roles";
import { formatMetricValue } from "@/lib/domain/metric-format";
import { nextDecision as nextOpenDecision, phaseInProgress } from "@/lib/domain/now";

export type WallLevel = Level | "stale" | "no_data" | "error";

export interface WallState {
  level: WallLevel;
  /** Short enough for one line in a badge: "OK", "WARN", "CRIT", "NO DATA 2m", "STALE 40s". */
  text: string;
  /** A shape that says the same as the colour, for whoever cannot tell the colours apart. */
  icon: string;
}

const WORD: Record<WallLevel, { word: string; icon: string }> = {
  ok: { word: "OK", icon: "●" },
  warning: { word: "WARN", icon: "▲" },
  critical: { word: "CRIT", icon: "✖" },
  stale: { word: "STALE", icon: "◌" },
  no_data: { word: "NO DATA", icon: "∅" },
  error: { word: "ERROR", icon: "⚠" },
};

/** "45s", "2m", "3h", "2d": how long something has lasted, in one short token (never negative). */
export function formatAge(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h`;
  return `${Math.floor(h / 24)}d`;
}

/** A tile's state in a word (and for how long, when it is not current). */
export function wallState(tile: TileState, now: number): WallState {
  if (tile.kind === "current") return { level: tile.level, text: WORD[tile.level].word, icon: WORD[tile.level].icon };
  const { word, icon } = WORD[tile.kind];
  return { level: tile.kind, text: tile.since === null ? word : `${word} ${formatAge(now - tile.since)}`, icon };
}

const SEVERITY: Record<WallLevel, number> = { ok: 0, stale: 1, no_data: 1, error: 2, warning: 3, critical: 4 };

/** The worse of the states (the frame of a tile shows the worse of old and new). */
export function worseLevel(a: WallLevel | null, b: WallLevel): WallLevel {
  return a === null || SEVERITY[b] > SEVERITY[a] ? b : a;
}

/** "128 ms" as { number: "128", unit: "ms" }: the wall sets them in two sizes on one line. */
export function splitValue(value: number, unit: string): { number: string; unit: string } {
  const text = formatMetricValue(value, unit);
  const space = text.lastIndexOf(" ");
  // Thousands separators are commas, so a space can only separate the unit.
  if (space < 0 || /^[\d.,-]+$/.test(text.slice(space + 1))) return { number: text, unit: "" };
  return { number: text.slice(0, space), unit: text.slice(space + 1) };
}

// --- where the plan stands -------------------------------------------------------------------------

interface PhaseLike {
  id: string;
  name: string;
  position: number;
  sections: readonly { items: readonly { state: string }[] }[];
}

/** The phase the room is in (the one rule, lib/domain/now.ts), with its item counts and place in the plan. */
export function currentPhase<P extends PhaseLike>(phases: readonly P[]): { phase: P; open: number; total: number; index: number; count: number } | null {
  const ordered = [...phases].sort((a, b) => a.position - b.position);
  const phase = phaseInProgress(ordered, (p) => p.sections.some((s) => s.items.some((i) => i.state === "open")));
  if (!phase) return null;
  const items = phase.sections.flatMap((s) => s.items);
  return { phase, total: items.length, open: items.filter((i) => i.state === "open").length, index: ordered.indexOf(phase), count: ordered.length };
}

/**
 * The decision the room waits for (lib/domain/now.ts nextDecision); with every decision closed,
 * the last one closed in plan order, so the wall still says how it ended.
 */
export function nextDecision<D extends { phaseId: string; state: "pending" | "voting" | "proceed" | "abort" }>(decisions: readonly D[], phases: readonly { id: string; position: number }[]): { decision: D; closed: boolean } | null {
  const open = nextOpenDecision(decisions, phases);
  if (open) return { decision: open, closed: false };
  const position = new Map(phases.map((p) => [p.id, p.position]));
  const last = [...decisions].sort((a, b) => (position.get(a.phaseId) ?? Infinity) - (position.get(b.phaseId) ?? Infinity)).at(-1);
  return last ? { decision: last, closed: true } : null;
}

export type VoteMark = { role: Role; choice: "go" | "no_go" | "waiting"; userName: string | null };

/** Each required role with its vote (the first vote of a role counts, as in evaluateDecision). */
export function voteMarks(requiredRoles: readonly Role[], votes: readonly { role: Role; choice: "go" | "no_go"; userName: string }[]): VoteMark[] {
  return requiredRoles.map((role) => {
    const v = votes.find((x) => x.role === role);
    return v ? { role, choice: v.choice, userName: v.userName } : { role, choice: "waiting", userName: null };
  });
}

// --- contrast (WCAG 2.1) ---------------------------------------------------------------------------

export type Rgb = readonly [number, number, number];

function channel(c: number): number {
  const s = c / 255;
  return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
}

/** Relative luminance of an sRGB colour (0–255 channels). */
export function relativeLuminance([r, g, b]: Rgb): number {
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

/** The WCAG contrast ratio of two colours, 1 … 21. */
export function contrastRatio(a: Rgb, b: Rgb): number {
  const [hi, lo] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}
