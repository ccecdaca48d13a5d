// Typed errors that are safe to show: their message reaches the user; anything else becomes
// "An unexpected error occurred" plus a server log line with the request id. A refusal a client
// reacts to carries a reason (lib/domain/error-reasons.ts): clients switch on it, never on text.
import type { ErrorReason } from "@/lib/domain/error-reasons";

export type { ErrorReason };
export const ERROR_STATUS = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  // Too many attempts (sign-in throttling): try again later, the message says when.
  too_many_requests: 429,
  // The load balancer (or a hook) failed or could not be verified: nothing was recorded as done.
  router_failed: 502,
} as const;
export type ErrorCode = keyof typeof ERROR_STATUS;

export class AppError extends Error {
  constructor(
    public readonly code: ErrorCode,
    message: string,
    public readonly details?: unknown,
    public readonly reason?: ErrorReason,
  ) {
    super(message);
    this.name = "AppError";
  }
  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export interface SafeError {
  status: number;
  error: string;
  message: string;
  reason?: ErrorReason;
  details?: unknown;
}

/** What a caller may see of any error; unexpected ones are logged with the request id. */
export function toSafeError(err: unknown, requestId: string): SafeError {
  if (err instanceof AppError) return { status: err.status, error: err.code, message: err.message, ...(err.reason && { reason: err.reason }), details: err.details };
  // zod's error, recognised by shape so this module stays free of imports.
  const issues = (err as { issues?: { path: PropertyKey[]; message: string }[] } | null)?.issues;
  if (err instanceof Error && err.name === "ZodError" && Array.isArray(issues)) {
    const first = issues[0];
    return { status: 400, error: "bad_request", message: first ? `${first.path.map(String).join(".") || "input"}: ${first.message}` : "Invalid input" };
  }
  // A unique index caught a duplicate that the service checks missed in a race.
  if ((err as { code?: string } | null)?.code === "P2002") return { status: 409, error: "conflict", message: "That already exists (someone did it at the same moment)" };
  console.error(`[warroom] request ${requestId} failed:`, err);
  return { status: 500, error: "internal", message: `An unexpected error occurred (request ${requestId})` };
}
