import { describe, expect, it } from "vitest";
import { applicableRungs, contactMatches, levelsDue, nextLevelAt, parseLadder, parseLadderAfter } from "./escalation";

describe("ladder times", () => {
  it("reads the runbooks' ranges and seconds, and refuses what is not a time", () => {
    const cases: [string, number | null][] = [
      ["0-15 min", 0], ["15-30 min", 900], ["15–30 min", 900], ["30+ min", 1800], ["30 min+", 1800], ["after 1 h", 3600], ["10 s", 10], ["5-10 s", 5], ["immediately", 0],
      ["", null], ["later", null], ["15-", null], ["-5 min", null], ["30+", null],
    ];
    expect(cases.map(([text]) => [text, parseLadderAfter(text)])).toEqual(cases);
  });
});

const LADDER = [
  { level: "L3", who: "Executive", after: "30+ min", criticalOnly: true },
  { level: "L1", who: "Team lead", after: "0-15 min" },
  { level: "L2", who: "Manager", after: "15-30 min" },
];

describe("levels due", () => {
  const parsed = parseLadder(LADDER);
  if (!parsed.ok) throw new Error(parsed.error);
  const rungs = parsed.rungs;
  const opened = 1_000_000;
  const min = 60_000;

  it("orders the ladder by when each level is paged", () => {
    expect(rungs.map((r) => r.level)).toEqual(["L1", "L2", "L3"]);
  });
  it("pages the first level at once and the next as their times pass", () => {
    expect(levelsDue(rungs, opened, opened)).toBe(1);
    expect(levelsDue(rungs, opened, opened + 15 * min - 1)).toBe(1);
    expect(levelsDue(rungs, opened, opened + 15 * min)).toBe(2);
    expect(levelsDue(rungs, opened, opened + 31 * min)).toBe(3);
    expect(nextLevelAt(rungs, opened, 1)).toBe(opened + 15 * min);
    expect(nextLevelAt(rungs, opened, 3)).toBeNull();
  });
  it("leaves out critical-only levels for other incidents", () => {
    expect(applicableRungs(rungs, "warning").map((r) => r.level)).toEqual(["L1", "L2"]);
    expect(applicableRungs(rungs, "critical")).toHaveLength(3);
  });
  it("names the level it cannot read", () => {
    expect(parseLadder([{ level: "L1", who: "x", after: "whenever" }])).toMatchObject({ ok: false, error: expect.stringContaining("L1") });
  });
  it("matches contacts by name or role", () => {
    expect(contactMatches("Manager (Dana Smith)", { name: "Dana Smith", roleLabel: "Backend Lead" })).toBe(true);
    expect(contactMatches("Backend Lead", { name: "Bo", roleLabel: "Backend Lead" })).toBe(true);
    expect(contactMatches("Manager", { name: "Bo", roleLabel: "Backend Lead" })).toBe(false);
    expect(contactMatches("Danael", { name: "Dan", roleLabel: "QA Lead" })).toBe(false);
  });
});
