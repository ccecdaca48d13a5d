// The states of a cutover (the CutoverState enum of the schema) and the rules about them that
// both the server and the room apply: once ended, nothing moves traffic or raises triggers.
export const CUTOVER_STATES = ["draft", "scheduled", "in_progress", "completed", "rolled_back", "aborted"] as const;
export type CutoverState = (typeof CUTOVER_STATES)[number];

/** A cutover in one of these is over: traffic is no longer moved from the room, failures and triggers no longer shown. */
export const ENDED_STATES = ["completed", "rolled_back", "aborted"] as const satisfies readonly CutoverState[];
/** Not yet ended: its metrics are still polled. */
export const ACTIVE_STATES = ["draft", "scheduled", "in_progress"] as const satisfies readonly CutoverState[];

export function isEnded(state: string): boolean {
  return (ENDED_STATES as readonly string[]).includes(state);
}

/** What a person may do to a cutover's state from the room. A rollback ends it too, but by its own path. */
export type CutoverVerb = "start" | "complete" | "abort";

// Completing is declaring success, so only a running cutover can; aborting is giving up before
// success, which makes sense before the start as well. Ended states are final: a finished report
// must not change under its readers.
const TRANSITIONS: Record<CutoverVerb, { from: readonly CutoverState[]; to: CutoverState }> = {
  start: { from: ["draft", "scheduled"], to: "in_progress" },
  complete: { from: ["in_progress"], to: "completed" },
  abort: { from: ["draft", "scheduled", "in_progress"], to: "aborted" },
};

export type Transition = { ok: true; to: CutoverState } | { ok: false; reason: string };

const stateLabel = (state: string) => state.replace("_", " ");

export function nextState(from: string, verb: CutoverVerb): Transition {
  const t = TRANSITIONS[verb];
  if ((t.from as readonly string[]).includes(from)) return { ok: true, to: t.to };
  if (isEnded(from)) return { ok: false, reason: `The cutover is already ${stateLabel(from)}: an ended cutover cannot be changed` };
  if (verb === "complete") return { ok: false, reason: `Only a cutover in progress can be completed; this one is ${stateLabel(from)}` };
  return { ok: false, reason: `The cutover is already ${stateLabel(from)}` };
}

export interface CompletionFacts {
  state: string;
  trafficPercent: number;
  rollbackRunning: boolean;
  /** The caller knowingly completes despite the blockers; a note must come with it. */
  force: boolean;
}

/** Why completing now would be premature, empty if it is not; `force` does not change this list. */
export function completionBlockers(facts: Pick<CompletionFacts, "trafficPercent" | "rollbackRunning">): string[] {
  const blockers: string[] = [];
  if (facts.rollbackRunning) blockers.push("a rollback is running");
  if (facts.trafficPercent !== 100) blockers.push(`traffic is at ${facts.trafficPercent} % on the new system, not 100 %`);
  return blockers;
}

export function canComplete(facts: CompletionFacts): Transition {
  const t = nextState(facts.state, "complete");
  if (!t.ok) return t;
  const blockers = completionBlockers(facts);
  if (blockers.length && !facts.force) return { ok: false, reason: `Cannot complete the cutover: ${blockers.join(" and ")}. Force it with a note to complete anyway` };
  return t;
}
