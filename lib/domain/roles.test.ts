import { describe, expect, it } from "vitest";
import { parseRoleLabel, ROLE_LABELS, ROLES, roleSchema, type Role } from "./roles";

describe("roles", () => {
  it("labels every role", () => {
    expect(Object.keys(ROLE_LABELS)).toEqual([...ROLES]);
    expect(ROLE_LABELS.ON_CALL).toBe("On-call");
    expect(ROLE_LABELS.DATABASE_DBA).toBe("Database DBA");
  });

  it("validates roles with zod", () => {
    expect(roleSchema.parse("QA_LEAD")).toBe("QA_LEAD");
    expect(roleSchema.safeParse("ADMIN").success).toBe(false);
    expect(roleSchema.safeParse("qa_lead").success).toBe(false);
  });
});

describe("parseRoleLabel", () => {
  const cases: [string, Role | null][] = [
    ["Deployment Lead", "DEPLOYMENT_LEAD"],
    ["**Deployment Lead**", "DEPLOYMENT_LEAD"],
    ["DEPLOYMENT_LEAD", "DEPLOYMENT_LEAD"],
    ["deployment-lead", "DEPLOYMENT_LEAD"],
    ["DBA", "DATABASE_DBA"],
    ["Database DBA", "DATABASE_DBA"],
    ["Database Team", "DATABASE_DBA"],
    ["Backend Lead", "BACKEND_LEAD"],
    ["Back-end lead", "BACKEND_LEAD"],
    ["QA", "QA_LEAD"],
    ["QA Lead", "QA_LEAD"],
    ["QA team", "QA_LEAD"],
    ["On-Call Eng", "ON_CALL"],
    ["On-call", "ON_CALL"],
    ["oncall engineer", "ON_CALL"],
    ["On call", "ON_CALL"],
    ["ON_CALL", "ON_CALL"],
    ["Comms", "COMMS_LEAD"],
    ["Comms Lead", "COMMS_LEAD"],
    ["Communications", "COMMS_LEAD"],
    ["Observer", "OBSERVER"],
    ["  observer  ", "OBSERVER"],
    ["", null],
    ["   ", null],
    ["Lead", null],
    ["Product Manager", null],
    ["DBA / Backend Lead", null],
    ["dbx", null],
  ];
  it.each(cases)("%j → %s", (text, expected) => {
    expect(parseRoleLabel(text)).toBe(expected);
  });

  it("reads its own labels back", () => {
    for (const role of ROLES) expect(parseRoleLabel(ROLE_LABELS[role])).toBe(role);
  });
});
