import { describe, expect, it } from "vitest";
import {
  ACTIONS,
  actionSchema,
  ADMINISTRATOR_IN_ANY_CUTOVER,
  assertCan,
  can,
  canInCutover,
  canProgressTimelineEntry,
  canAcknowledgeCheckIn,
  canSignOffItem,
  PERMISSIONS,
  PermissionDenied,
  type Action,
} from "./permissions";
import { ROLES, type Role } from "./roles";

const Y = true;
const _ = false;
// Written out by hand, independently of PERMISSIONS: a change to the table must change this too.
// Columns follow ROLES order.
//                                            DL DBA BE QA OC CM OB
const EXPECTED: Record<Action, readonly boolean[]> = {
  "cutover.view":                            [Y, Y,  Y, Y, Y, Y, Y],
  "cutover.edit_plan":                       [Y, _,  _, _, _, _, _],
  "cutover.start":                           [Y, _,  _, _, _, _, _],
  "cutover.end":                             [Y, _,  _, _, _, _, _],
  "cutover.clone":                           [Y, _,  _, _, _, _, _],
  "members.manage":                          [Y, _,  _, _, _, _, _],
  "item.sign_off":                           [Y, Y,  Y, Y, Y, Y, _],
  "item.override":                           [Y, _,  _, _, _, _, _],
  "item.undo":                               [Y, Y,  Y, Y, Y, Y, _],
  "item.not_applicable":                     [Y, Y,  Y, Y, Y, Y, _],
  "timeline.progress":                       [Y, Y,  Y, Y, Y, Y, _],
  "decision.open_vote":                      [Y, _,  _, _, _, _, _],
  "decision.vote":                           [Y, Y,  Y, Y, Y, Y, _],
  "decision.abort":                          [Y, _,  _, _, _, _, _],
  "risk.edit":                               [Y, Y,  Y, Y, Y, Y, _],
  "traffic.shift":                           [Y, _,  _, _, _, _, _],
  "traffic.override":                        [Y, _,  _, _, _, _, _],
  "rollback.execute":                        [Y, _,  _, _, Y, _, _],
  "trigger.edit":                            [Y, _,  _, _, _, _, _],
  "trigger.confirm":                         [Y, _,  _, _, Y, _, _],
  "metrics.edit":                            [Y, _,  _, _, _, _, _],
  "router.edit":                             [Y, _,  _, _, _, _, _],
  "audit.view":                              [Y, Y,  Y, Y, Y, Y, Y],
  "report.lessons":                          [Y, Y,  Y, Y, Y, Y, _],
  "template.save":                           [Y, _,  _, _, _, _, _],
  "announcement.edit":                       [Y, _,  _, _, _, Y, _],
  "announcement.send":                       [Y, _,  _, _, _, Y, _],
  "status.publish":                          [Y, _,  _, _, _, Y, _],
  "alerts.manage":                           [Y, _,  _, _, _, _, _],
  "checkin.acknowledge":                     [Y, Y,  Y, Y, Y, Y, _],
  "incident.acknowledge":                    [Y, _,  _, _, Y, _, _],
};

describe("permission table", () => {
  it("covers exactly the declared actions", () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...ACTIONS].sort());
    expect(new Set(ACTIONS).size).toBe(ACTIONS.length);
    for (const role of ROLES) for (const a of PERMISSIONS[role]) expect(ACTIONS).toContain(a);
  });

  const matrix = ROLES.flatMap((role, col) => ACTIONS.map((action) => [role, action, EXPECTED[action][col]] as const));
  it.each(matrix)("%s × %s → %s", (role, action, expected) => {
    expect(can([role], action)).toBe(expected);
  });

  it("lets the Deployment Lead do everything and the Observer only read", () => {
    expect(ACTIONS.every((a) => can(["DEPLOYMENT_LEAD"], a))).toBe(true);
    expect(ACTIONS.filter((a) => can(["OBSERVER"], a))).toEqual(["cutover.view", "audit.view"]);
  });

  it("grants the union of several roles", () => {
    expect(can(["OBSERVER", "ON_CALL"], "rollback.execute")).toBe(true);
    expect(can(["QA_LEAD", "COMMS_LEAD"], "rollback.execute")).toBe(false);
    expect(can([], "cutover.view")).toBe(false);
  });

  it("validates action names", () => {
    expect(actionSchema.safeParse("item.sign_off").success).toBe(true);
    expect(actionSchema.safeParse("item.delete").success).toBe(false);
  });
});

describe("assertCan", () => {
  it("passes silently when allowed", () => {
    expect(() => assertCan(["ON_CALL"], "rollback.execute")).not.toThrow();
  });

  it("throws PermissionDenied carrying action and roles", () => {
    let caught: unknown;
    try {
      assertCan(["QA_LEAD", "OBSERVER"], "traffic.shift");
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(PermissionDenied);
    expect(caught).toBeInstanceOf(Error);
    const denied = caught as PermissionDenied;
    expect(denied.action).toBe("traffic.shift");
    expect(denied.roles).toEqual(["QA_LEAD", "OBSERVER"]);
    expect(denied.code).toBe("forbidden");
    expect(denied.message).toBe("Not allowed to shift traffic (your roles: QA Lead, Observer)");
  });

  it("says so when the member holds no role", () => {
    expect(() => assertCan([], "cutover.view")).toThrow("your roles: no role");
  });
});

describe("canSignOffItem", () => {
  const cases: [readonly Role[], Role, { allowed: boolean; override: boolean }][] = [
    [["DATABASE_DBA"], "DATABASE_DBA", { allowed: true, override: false }],
    [["QA_LEAD", "ON_CALL"], "ON_CALL", { allowed: true, override: false }],
    [["DATABASE_DBA"], "BACKEND_LEAD", { allowed: false, override: false }],
    [["DEPLOYMENT_LEAD"], "DEPLOYMENT_LEAD", { allowed: true, override: false }],
    [["DEPLOYMENT_LEAD"], "QA_LEAD", { allowed: true, override: true }],
    // Holding the owner role beats holding the lead role: not an override.
    [["DEPLOYMENT_LEAD", "QA_LEAD"], "QA_LEAD", { allowed: true, override: false }],
    [["OBSERVER"], "OBSERVER", { allowed: false, override: false }],
    [["OBSERVER"], "DATABASE_DBA", { allowed: false, override: false }],
    [["DEPLOYMENT_LEAD"], "OBSERVER", { allowed: true, override: true }],
    [[], "QA_LEAD", { allowed: false, override: false }],
  ];
  it.each(cases)("%j on an item of %s", (roles, owner, expected) => {
    expect(canSignOffItem(roles, owner)).toEqual(expected);
  });

  it("applies the same ownership rule to undo and not applicable", () => {
    expect(canSignOffItem(["BACKEND_LEAD"], "BACKEND_LEAD", "item.undo")).toEqual({ allowed: true, override: false });
    expect(canSignOffItem(["BACKEND_LEAD"], "QA_LEAD", "item.not_applicable")).toEqual({ allowed: false, override: false });
    expect(canSignOffItem(["DEPLOYMENT_LEAD"], "QA_LEAD", "item.undo")).toEqual({ allowed: true, override: true });
  });
});

describe("canProgressTimelineEntry", () => {
  it("lets the owner role and the Deployment Lead progress a step", () => {
    expect(canProgressTimelineEntry(["DATABASE_DBA"], "DATABASE_DBA")).toBe(true);
    expect(canProgressTimelineEntry(["DEPLOYMENT_LEAD"], "DATABASE_DBA")).toBe(true);
    expect(canProgressTimelineEntry(["QA_LEAD"], "DATABASE_DBA")).toBe(false);
    expect(canProgressTimelineEntry(["OBSERVER"], "OBSERVER")).toBe(false);
  });

  it("lets any participant progress a step without owner, but not an observer", () => {
    expect(canProgressTimelineEntry(["COMMS_LEAD"], null)).toBe(true);
    expect(canProgressTimelineEntry(["OBSERVER"], null)).toBe(false);
  });
});

describe("canAcknowledgeCheckIn", () => {
  it("lets the owing role and the Deployment Lead acknowledge, nobody else", () => {
    const cases: [Role[], Role, boolean][] = [[["ON_CALL"], "ON_CALL", true], [["DEPLOYMENT_LEAD"], "ON_CALL", true], [["QA_LEAD"], "ON_CALL", false], [["OBSERVER"], "OBSERVER", false], [[], "ON_CALL", false]];
    expect(cases.map(([roles, owner]) => [roles, owner, canAcknowledgeCheckIn(roles, owner)])).toEqual(cases);
  });
});

describe("canInCutover: the one rule inside a cutover", () => {
  const admin = { isAdmin: true };
  const user = { isAdmin: false };
  it("an administrator without a role there may do exactly ADMINISTRATOR_IN_ANY_CUTOVER", () => {
    expect(ACTIONS.filter((a) => canInCutover(admin, [], a))).toEqual(ACTIONS.filter((a) => ADMINISTRATOR_IN_ANY_CUTOVER.includes(a)));
  });
  it("a user without a role may do nothing; with roles, what the table gives them", () => {
    expect(ACTIONS.filter((a) => canInCutover(user, [], a))).toEqual([]);
    for (const role of ROLES) expect(ACTIONS.filter((a) => canInCutover(user, [role], a))).toEqual(ACTIONS.filter((a) => PERMISSIONS[role].includes(a)));
  });
  it("an administrator holding a role has both", () => {
    expect(canInCutover(admin, ["OBSERVER"], "members.manage")).toBe(true);
    expect(canInCutover(admin, ["QA_LEAD"], "item.sign_off")).toBe(true);
    expect(canInCutover(admin, ["QA_LEAD"], "traffic.shift")).toBe(false);
  });
});
