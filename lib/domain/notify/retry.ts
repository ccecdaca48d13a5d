// When a delivery that failed is tried again: exponential backoff (2 s, 4 s, 8 s, 16 s …, capped),
// a bounded number of attempts, and no retry at all for a failure that waiting cannot fix.
// Pure: the delivery worker asks, with the attempt number it just made.

export interface RetryPolicy {
  /** The wait after the first failed attempt. */
  baseDelayMs: number;
  /** Each next wait is this many times the previous one. */
  factor: number;
  maxDelayMs: number;
  /** Attempts in all, the first one included. */
  maxAttempts: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { baseDelayMs: 2000, factor: 2, maxDelayMs: 5 * 60_000, maxAttempts: 5 };

/** How long to wait after failed attempt number `attempt` (1-based). */
export function retryDelayMs(attempt: number, policy: RetryPolicy = DEFAULT_RETRY_POLICY): number {
  const n = Math.max(1, Math.floor(attempt));
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * policy.factor ** (n - 1));
}

export type RetryDecision = { kind: "retry"; at: Date; delayMs: number } | { kind: "fail"; why: "permanent" | "attempts_exhausted" };

/** After attempt number `attempt` failed at `now`: try again (when), or give up (why). */
export function afterFailure(attempt: number, now: Date, opts: { permanent: boolean }, policy: RetryPolicy = DEFAULT_RETRY_POLICY): RetryDecision {
  if (opts.permanent) return { kind: "fail", why: "permanent" };
  if (attempt >= policy.maxAttempts) return { kind: "fail", why: "attempts_exhausted" };
  const delayMs = retryDelayMs(attempt, policy);
  return { kind: "retry", at: new Date(now.getTime() + delayMs), delayMs };
}

/** "after 5 attempts: HTTP 500 from hooks.example:443": the reason a failed delivery shows. */
export function failureReason(reason: string, attempt: number, why: "permanent" | "attempts_exhausted"): string {
  return why === "permanent" ? reason : `after ${attempt} attempt${attempt === 1 ? "" : "s"}: ${reason}`;
}
