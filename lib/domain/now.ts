// The "Now" view's questions, answered from the room's state without I/O: where are we (the
// current phase, the step running and the next ones), what is decided next, and what must I do
// (my open items). The view and its tests read the same answers.
import type { Role } from "./roles";

interface ItemLike {
  id: string;
  ownerRole: Role;
  state: "open" | "done" | "not_applicable";
}
interface PhaseLike {
  id: string;
  position: number;
  sections: { items: ItemLike[] }[];
}
type ItemOf<P extends PhaseLike> = P["sections"][number]["items"][number];
interface DecisionLike {
  phaseId: string;
  state: "pending" | "voting" | "proceed" | "abort";
}
interface StepLike {
  plannedStart: string;
  actualStart: string | null;
  actualFinish: string | null;
}

const inOrder = <P extends { position: number }>(phases: readonly P[]) => [...phases].sort((a, b) => a.position - b.position);

/**
 * The one rule for "the phase we are in", wherever it is shown (Now, the wall, an announcement's
 * {{phase}}, the public status page): the first phase, in plan order, with an item still open;
 * the last once every item is closed; null for an empty plan. `phases` are in plan order.
 */
export function phaseInProgress<P>(phases: readonly P[], hasOpenItems: (p: P) => boolean): P | null {
  return phases.find(hasOpenItems) ?? phases.at(-1) ?? null;
}

/** The phase we are in (phaseInProgress) of the room's plan, in any order. */
export function currentPhase<P extends PhaseLike>(phases: readonly P[]): P | null {
  return phaseInProgress(inOrder(phases), (p) => p.sections.some((s) => s.items.some((i) => i.state === "open")));
}

/** The decision being voted on, else the first one still pending in plan order; null when all are closed. */
export function nextDecision<D extends DecisionLike>(decisions: readonly D[], phases: readonly { id: string; position: number }[]): D | null {
  const position = new Map(phases.map((p) => [p.id, p.position]));
  const ordered = [...decisions].sort((a, b) => (position.get(a.phaseId) ?? Infinity) - (position.get(b.phaseId) ?? Infinity));
  return ordered.find((d) => d.state === "voting") ?? ordered.find((d) => d.state === "pending") ?? null;
}

/**
 * My open items in plan order: those owned by a role I hold (an observer owns none). `shown` is
 * cut to `limit`; `total` says how many there are in all.
 */
export function myOpenItems<P extends PhaseLike>(phases: readonly P[], myRoles: readonly Role[], limit: number): { shown: { item: ItemOf<P>; phase: P }[]; total: number } {
  const mine = new Set<Role>(myRoles.filter((r) => r !== "OBSERVER"));
  const all = inOrder(phases).flatMap((phase) => phase.sections.flatMap((s) => (s.items as ItemOf<P>[]).filter((i) => i.state === "open" && mine.has(i.ownerRole)).map((item) => ({ item, phase }))));
  return { shown: all.slice(0, Math.max(0, limit)), total: all.length };
}

/**
 * The schedule around now: the steps running (started, not finished), the steps that should have
 * started and have not (late), and the next `ahead` steps planned after now.
 */
export function scheduleAroundNow<S extends StepLike>(timeline: readonly S[], now: number, ahead: number): { running: S[]; late: S[]; next: S[] } {
  const sorted = [...timeline].sort((a, b) => Date.parse(a.plannedStart) - Date.parse(b.plannedStart));
  const running = sorted.filter((s) => s.actualStart !== null && s.actualFinish === null);
  const notStarted = sorted.filter((s) => s.actualStart === null);
  const late = notStarted.filter((s) => Date.parse(s.plannedStart) <= now);
  const next = notStarted.filter((s) => Date.parse(s.plannedStart) > now).slice(0, Math.max(0, ahead));
  return { running, late, next };
}

export type TileLevel = "ok" | "warning" | "critical" | "stale" | "no_data" | "error";
const URGENCY: Record<TileLevel, number> = { critical: 0, warning: 1, error: 2, stale: 3, no_data: 3, ok: 4 };

/**
 * The health tiles that matter now, at most `limit`: metrics in trouble first (critical, warning,
 * failing), then those a gate or a trigger watches, then the rest, each group in the plan's order.
 */
export function metricsThatMatter<M extends { id: string; level: TileLevel }>(metrics: readonly M[], watched: ReadonlySet<string>, limit: number): M[] {
  const rank = (m: M) => (URGENCY[m.level] < URGENCY.ok && m.level !== "no_data" && m.level !== "stale" ? URGENCY[m.level] : watched.has(m.id) ? 10 : 20);
  return metrics
    .map((m, i) => ({ m, i }))
    .sort((a, b) => rank(a.m) - rank(b.m) || a.i - b.i)
    .slice(0, Math.max(0, limit))
    .map((x) => x.m);
}
