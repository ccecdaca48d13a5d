import { describe, expect, it } from "vitest";
import { afterFailure, DEFAULT_RETRY_POLICY, failureReason, retryDelayMs, type RetryPolicy } from "./retry";

const now = new Date("2030-01-01T00:00:00Z");

describe("retry schedule", () => {
  it("doubles from 2 s: 2, 4, 8, 16 s", () => {
    expect([1, 2, 3, 4].map((a) => retryDelayMs(a))).toEqual([2000, 4000, 8000, 16000]);
  });

  it("is capped", () => {
    const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, maxDelayMs: 10_000 };
    expect(retryDelayMs(10, policy)).toBe(10_000);
    expect(retryDelayMs(1000, policy)).toBe(10_000);
  });

  it("reads a nonsense attempt number as the first", () => {
    expect(retryDelayMs(0)).toBe(2000);
    expect(retryDelayMs(-3)).toBe(2000);
  });

  it("retries until the last attempt, then fails", () => {
    const policy: RetryPolicy = { baseDelayMs: 100, factor: 2, maxDelayMs: 1000, maxAttempts: 3 };
    expect(afterFailure(1, now, { permanent: false }, policy)).toEqual({ kind: "retry", at: new Date(now.getTime() + 100), delayMs: 100 });
    expect(afterFailure(2, now, { permanent: false }, policy)).toEqual({ kind: "retry", at: new Date(now.getTime() + 200), delayMs: 200 });
    expect(afterFailure(3, now, { permanent: false }, policy)).toEqual({ kind: "fail", why: "attempts_exhausted" });
    // A row re-claimed after a dead sender may count past the limit: still a failure.
    expect(afterFailure(4, now, { permanent: false }, policy)).toEqual({ kind: "fail", why: "attempts_exhausted" });
  });

  it("never retries a permanent failure", () => {
    expect(afterFailure(1, now, { permanent: true })).toEqual({ kind: "fail", why: "permanent" });
  });

  it("says how many attempts a failure took", () => {
    expect(failureReason("HTTP 500 from x:1", 5, "attempts_exhausted")).toBe("after 5 attempts: HTTP 500 from x:1");
    expect(failureReason("HTTP 500 from x:1", 1, "attempts_exhausted")).toBe("after 1 attempt: HTTP 500 from x:1");
    expect(failureReason("refused: 10.0.0.1 is a private address", 1, "permanent")).toBe("refused: 10.0.0.1 is a private address");
  });
});
