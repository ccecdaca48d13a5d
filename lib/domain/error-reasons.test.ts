import { describe, expect, it } from "vitest";
import { AppError, toSafeError } from "@/lib/errors";
import { ERROR_REASONS, isErrorReason } from "./error-reasons";

describe("error reasons", () => {
  it("are unique words a client can switch on", () => {
    expect(new Set(ERROR_REASONS).size).toBe(ERROR_REASONS.length);
    for (const r of ERROR_REASONS) expect(r).toMatch(/^[a-z]+(_[a-z]+)*$/);
    expect(isErrorReason("stale_version")).toBe(true);
    expect(isErrorReason("Stale_version")).toBe(false);
    expect(isErrorReason(42)).toBe(false);
  });
  it("reach the answer as a field of their own, beside the message and the details", () => {
    expect(toSafeError(new AppError("conflict", "Cannot shift", { current: 1 }, "override_required"), "r")).toEqual({ status: 409, error: "conflict", message: "Cannot shift", reason: "override_required", details: { current: 1 } });
    expect(toSafeError(new AppError("conflict", "Taken"), "r")).not.toHaveProperty("reason");
  });
});
