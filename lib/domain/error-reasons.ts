// Why a request was refused, as a word the browser (and a script) can switch on. The message is
// for people and may be reworded; the reason is a contract: add to this list, never rename.
export const ERROR_REASONS = [
  /** The shift leaves the plan (no PROCEED decision, or not a planned step): the Deployment Lead may override it with a note. */
  "override_required",
  /** An override (or a change that asks for it) came without the note it needs. */
  "note_required",
  /** The thing changed since the caller loaded it (an expected version no longer matches). */
  "stale_version",
  /** Someone else's change of the same thing won the race at the same moment: reload and try again. */
  "concurrent_change",
  /** The cutover is no member's of the caller's (or does not exist): a 404 that says nothing more. */
  "not_a_member",
  /** The cutover has ended (completed, rolled back, aborted): traffic is no longer moved from here. */
  "cutover_ended",
  /** The plan is frozen since the cutover started: it can only be added to, with a reason. */
  "plan_frozen",
  /** A cookie-authenticated write came from a page that is not ours. */
  "cross_origin",
  /** A cookie-authenticated write did not send JSON. */
  "content_type",
  /** PostgreSQL could not be reached (restarting, failing over): the change was not confirmed; try again shortly (503). */
  "database_unavailable",
] as const;
export type ErrorReason = (typeof ERROR_REASONS)[number];

export function isErrorReason(value: unknown): value is ErrorReason {
  return typeof value === "string" && (ERROR_REASONS as readonly string[]).includes(value);
}
