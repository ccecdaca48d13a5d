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
  // PostgreSQL is unreachable (restarting, failing over): the change was not confirmed, try again.
  unavailable: 503,
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
  if (isDatabaseUnavailable(err)) {
    console.error(`[warroom] request ${requestId}: database unavailable (${unavailableDetail(err)})`);
    return { status: 503, error: "unavailable", reason: "database_unavailable", message: DATABASE_UNAVAILABLE_MESSAGE };
  }
  // A unique index caught a duplicate that the service checks missed in a race.
  if ((err as { code?: string } | null)?.code === "P2002") return { status: 409, error: "conflict", message: "That already exists (someone did it at the same moment)" };
  console.error(`[warroom] request ${requestId} failed:`, err);
  return { status: 500, error: "internal", message: `An unexpected error occurred (request ${requestId})` };
}

/**
 * Headers an error answer carries, whichever path wrote it (the REST route table, the fast path):
 * a 503 is PostgreSQL restarting, which the supervisor (or the operator's) brings back in seconds.
 */
export function errorHeaders(status: number): Record<string, string> {
  return status === 503 ? { "retry-after": "5" } : {};
}

export const DATABASE_UNAVAILABLE_MESSAGE = "The database is unavailable right now (it may be restarting): your change was not confirmed. Try again in a few seconds.";

// SQLSTATE class 08 (connection exception), 57P01-57P03 (shut down by an administrator, crash
// shutdown, cannot connect now: the server is starting or recovering).
const UNAVAILABLE_STATE = /^(08...|57P0[123])$/;
// How Prisma's pg adapter names a lost server (@prisma/adapter-pg, convertDriverError).
const UNAVAILABLE_ADAPTER_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout"]);
// Prisma's own: can't reach the server, timed out reaching it, it closed the connection, no pooled connection came.
const UNAVAILABLE_PRISMA_CODES = new Set(["P1001", "P1002", "P1017", "P2024"]);
// node-postgres's words for a connection that died or never came (pg/lib/client.js, pg-pool).
const UNAVAILABLE_PG_MESSAGE = /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed and is not queryable)/;

interface ErrorShape {
  code?: unknown;
  message?: unknown;
  severity?: unknown;
  syscall?: unknown;
  port?: unknown;
  meta?: { driverAdapterError?: { cause?: { kind?: unknown; code?: unknown } } };
}

function databasePort(): number {
  try {
    return Number(new URL(process.env.DATABASE_URL ?? "").port || 5432);
  } catch {
    return -1;
  }
}

/**
 * Whether an error says PostgreSQL could not be reached or went away, from node-postgres or from
 * Prisma, recognised by shape. A refused connection counts only when it was to the database's
 * port: the same errno from a load balancer's socket is that integration's failure, not ours.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (!err || typeof err !== "object") return false;
  const e = err as ErrorShape;
  const cause = e.meta?.driverAdapterError?.cause;
  if (cause) return (typeof cause.kind === "string" && UNAVAILABLE_ADAPTER_KINDS.has(cause.kind)) || (cause.kind === "postgres" && typeof cause.code === "string" && UNAVAILABLE_STATE.test(cause.code));
  if (typeof e.code !== "string") return typeof e.message === "string" && UNAVAILABLE_PG_MESSAGE.test(e.message);
  if (UNAVAILABLE_PRISMA_CODES.has(e.code)) return true;
  if (typeof e.severity === "string") return UNAVAILABLE_STATE.test(e.code);
  if (e.syscall === "connect") return (e.code === "ECONNREFUSED" || e.code === "ETIMEDOUT" || e.code === "ECONNRESET") && Number(e.port) === databasePort();
  return false;
}

function unavailableDetail(err: unknown): string {
  const e = err as ErrorShape;
  const kind = e.meta?.driverAdapterError?.cause?.kind;
  return [e.code, kind].filter((x) => typeof x === "string").join(" ") || String(e.message).slice(0, 80);
}
