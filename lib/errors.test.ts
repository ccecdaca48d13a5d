import { afterEach, describe, expect, it } from "vitest";
import { AppError, DATABASE_UNAVAILABLE_MESSAGE, errorHeaders, isDatabaseUnavailable, toSafeError } from "./errors";

const saved = process.env.DATABASE_URL;
afterEach(() => {
  process.env.DATABASE_URL = saved;
});

const socketError = (code: string, port: number) => Object.assign(new Error(`connect ${code} 127.0.0.1:${port}`), { code, errno: -111, syscall: "connect", address: "127.0.0.1", port });
const pgError = (code: string) => Object.assign(new Error("server says"), { code, severity: "FATAL" });
const prismaError = (code: string, cause?: object) => Object.assign(new Error("prisma says"), { name: "PrismaClientKnownRequestError", code, meta: cause ? { driverAdapterError: { name: "DriverAdapterError", cause } } : {} });

describe("isDatabaseUnavailable", () => {
  it("recognises a lost or unreachable PostgreSQL, from node-postgres and from Prisma", () => {
    process.env.DATABASE_URL = "postgresql://u:p@127.0.0.1:45265/db";
    expect(isDatabaseUnavailable(socketError("ECONNREFUSED", 45265))).toBe(true);
    expect(isDatabaseUnavailable(new Error("Connection terminated unexpectedly"))).toBe(true);
    expect(isDatabaseUnavailable(new Error("timeout exceeded when trying to connect"))).toBe(true);
    expect(isDatabaseUnavailable(pgError("57P01"))).toBe(true);
    expect(isDatabaseUnavailable(pgError("57P03"))).toBe(true);
    expect(isDatabaseUnavailable(pgError("08006"))).toBe(true);
    expect(isDatabaseUnavailable(prismaError("P1001", { kind: "DatabaseNotReachable", host: "127.0.0.1", port: 45265 }))).toBe(true);
    expect(isDatabaseUnavailable(prismaError("P2010", { kind: "ConnectionClosed" }))).toBe(true);
    expect(isDatabaseUnavailable(prismaError("P2010", { kind: "postgres", code: "57P01" }))).toBe(true);
    expect(isDatabaseUnavailable(prismaError("P2024"))).toBe(true);
  });

  it("leaves everything else alone: the app's own refusals, constraint errors, other services' sockets", () => {
    process.env.DATABASE_URL = "postgresql://u:p@127.0.0.1:45265/db";
    expect(isDatabaseUnavailable(new AppError("conflict", "Taken"))).toBe(false);
    expect(isDatabaseUnavailable(pgError("23505"))).toBe(false);
    expect(isDatabaseUnavailable(prismaError("P2002"))).toBe(false);
    expect(isDatabaseUnavailable(prismaError("P2010", { kind: "postgres", code: "42P01" }))).toBe(false);
    // A load balancer's runtime socket or Prometheus refusing is that integration's failure.
    expect(isDatabaseUnavailable(socketError("ECONNREFUSED", 9090))).toBe(false);
    expect(isDatabaseUnavailable(Object.assign(new TypeError("fetch failed"), { cause: socketError("ECONNREFUSED", 45265) }))).toBe(false);
    expect(isDatabaseUnavailable(null)).toBe(false);
    expect(isDatabaseUnavailable("Connection terminated")).toBe(false);
  });

  it("becomes a 503 with its reason, never the driver's words", () => {
    process.env.DATABASE_URL = "postgresql://u:p@127.0.0.1:45265/db";
    const safe = toSafeError(prismaError("P1001", { kind: "DatabaseNotReachable", host: "127.0.0.1", port: 45265 }), "r");
    expect(safe).toEqual({ status: 503, error: "unavailable", reason: "database_unavailable", message: DATABASE_UNAVAILABLE_MESSAGE });
  });
});

describe("errorHeaders", () => {
  it("asks the client to retry a 503 in a few seconds, and adds nothing to other answers", () => {
    expect(errorHeaders(503)).toEqual({ "retry-after": "5" });
    for (const status of [400, 401, 403, 404, 409, 429, 500, 502]) expect(errorHeaders(status)).toEqual({});
  });
});
