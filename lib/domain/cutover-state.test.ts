import { describe, expect, it } from "vitest";
import { ACTIVE_STATES, CUTOVER_STATES, ENDED_STATES, isEnded } from "./cutover-state";

describe("cutover states", () => {
  it("a cutover is ended once completed, rolled back or aborted", () => {
    expect(CUTOVER_STATES.filter(isEnded)).toEqual(["completed", "rolled_back", "aborted"]);
    expect(isEnded("in_progress")).toBe(false);
    expect(isEnded("draft")).toBe(false);
    expect(isEnded("nonsense")).toBe(false);
  });
  it("every state is either active or ended, never both", () => {
    for (const s of CUTOVER_STATES) expect((ACTIVE_STATES as readonly string[]).includes(s)).toBe(!(ENDED_STATES as readonly string[]).includes(s));
  });
});
