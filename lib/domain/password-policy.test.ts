import { describe, expect, it } from "vitest";
import { checkPassword, passwordProblem, PASSWORD_MAX_LENGTH } from "./password-policy";

describe("the password policy", () => {
  it("refuses passwords shorter than 12 characters, counting characters as people see them", () => {
    expect(passwordProblem("")).toBe("too_short");
    expect(passwordProblem("Tr0ub4dor&3")).toBe("too_short"); // 11
    expect(passwordProblem("correct horse")).toBeNull(); // 13
    expect(passwordProblem("🙂".repeat(11))).toBe("too_short"); // 22 UTF-16 units, 11 characters
    expect(passwordProblem("🙂".repeat(12))).toBeNull();
  });

  it("refuses absurdly long passwords", () => {
    expect(passwordProblem("a-long-phrase ".repeat(40))).toBe("too_long");
    expect(passwordProblem("x".repeat(PASSWORD_MAX_LENGTH - 3) + "y!z")).toBeNull();
  });

  it("refuses the commonest passwords of 12+ characters, whatever their case, and the published demo password", () => {
    for (const p of ["qwerty123456", "1qaz2wsx3edc", "QWERTY123456", "123qweasdzxc", "warroom-demo", "WarRoom-Demo"]) expect(passwordProblem(p), p).toBe("common");
    expect(passwordProblem("qwerty123456 but longer")).toBeNull();
  });

  it("refuses the account's own email or its local part", () => {
    expect(passwordProblem("quinn.qa.lead@example.com", { email: "Quinn.QA.Lead@example.com" })).toBe("is_email");
    expect(passwordProblem("quinn.qa.lead", { email: "quinn.qa.lead@example.com" })).toBe("is_email");
    expect(passwordProblem("quinn.qa.lead", { email: "someone@example.com" })).toBeNull();
  });

  it("says what is wrong in words", () => {
    expect(checkPassword("short")).toMatch(/at least 12/);
    expect(checkPassword("qwerty123456")).toMatch(/most common/);
    expect(checkPassword("a perfectly fine passphrase")).toBeNull();
  });
});
