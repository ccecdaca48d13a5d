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
