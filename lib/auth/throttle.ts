// Sign-in throttling, per account and per address, in PostgreSQL (table rate_limits) so that every
// app process on the database counts the same attempts. Every attempt is counted before the
// password is checked, so parallel guesses cannot slip past the limit; a successful sign-in gives
// its points back. Past the limit the sign-in endpoint answers 429 with a plain message, without
// looking at the password.
import { createHash } from "node:crypto";
import type pg from "pg";
import { RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";
import { sql } from "@/lib/db/client";
import { clientAddress } from "@/lib/domain/request-input";

export interface ThrottleOptions {
  pool?: pg.Pool;
  /** Attempts per account (email) in a window; 5 by default. */
  perAccount?: number;
  /** Attempts per client address in a window; 20 by default (a team behind one NAT). */
  perAddress?: number;
  /** The window, in seconds; 15 minutes by default. */
  windowSec?: number;
}

export type Attempt = { ok: true; finish(outcome: "succeeded" | "failed"): Promise<void> } | { ok: false; retryAfterSec: number };

export interface SignInThrottle {
  /** Counts one attempt for this account and address, or says how long until one is allowed. */
  attempt(email: string, address: string): Promise<Attempt>;
}

// rate_limits.key is varchar(255) and an email may be 320 characters: accounts are keyed by hash.
const accountKey = (email: string) => createHash("sha256").update(email.trim().toLowerCase()).digest("hex").slice(0, 40);

export function createSignInThrottle(opts: ThrottleOptions = {}): SignInThrottle {
  const pool = opts.pool ?? sql();
  const duration = opts.windowSec ?? 15 * 60;
  // The table comes from the migrations (tableCreated: true): the app never issues DDL.
  const limiter = (keyPrefix: string, points: number) => new RateLimiterPostgres({ storeClient: pool, storeType: "pool", tableName: "rate_limits", tableCreated: true, keyPrefix, points, duration });
  const accounts = limiter("signin-account", opts.perAccount ?? 5);
  const addresses = limiter("signin-address", opts.perAddress ?? 20);

  // consume() rejects with a RateLimiterRes when over the limit, and with an Error when the
  // database failed: only the first is an answer.
  const consume = (rl: RateLimiterPostgres, key: string) =>
    rl.consume(key).then(
      () => null,
      (res: unknown) => {
        if (res instanceof RateLimiterRes) return res.msBeforeNext;
        throw res;
      },
    );

  return {
    async attempt(email, address) {
      const acct = accountKey(email);
      const [a, b] = await Promise.all([consume(accounts, acct), consume(addresses, address)]);
      if (a !== null || b !== null) return { ok: false, retryAfterSec: Math.max(1, Math.ceil(Math.max(a ?? 0, b ?? 0) / 1000)) };
      return {
        ok: true,
        async finish(outcome) {
          if (outcome === "failed") return;
          await Promise.all([accounts.delete(acct), addresses.reward(address, 1)]);
        },
      };
    },
  };
}

const holder = globalThis as unknown as { __warroomSignInThrottle?: SignInThrottle };
export const signInThrottle = (): SignInThrottle => (holder.__warroomSignInThrottle ??= createSignInThrottle());

export function tooManyAttemptsMessage(retryAfterSec: number): string {
  const minutes = Math.ceil(retryAfterSec / 60);
  return `Too many sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
}

/**
 * What next-auth answered: a session cookie set means the password was right. Anything else (a
 * wrong password, an unknown or disabled account, a missing CSRF token) keeps the attempt counted.
 */
function signedIn(res: Response): boolean {
  const cookies = typeof res.headers.getSetCookie === "function" ? res.headers.getSetCookie() : [res.headers.get("set-cookie") ?? ""];
  return cookies.some((c) => /^(__Secure-)?next-auth\.session-token(\.\d+)?=[^;]+/.test(c));
}

/**
 * Wraps next-auth's route handler: the credentials callback (POST /api/auth/callback/credentials)
 * is counted and refused with 429 past the limit; every other next-auth route passes untouched.
 * The 429 carries next-auth's own answer shape ({url} with ?error=) so that signIn() in the
 * browser reports the message and status.
 */
export function withSignInThrottle<C>(handler: (req: Request, ctx: C) => Promise<Response>, throttle: () => SignInThrottle = signInThrottle) {
  return async (req: Request, ctx: C): Promise<Response> => {
    const url = new URL(req.url);
    if (req.method !== "POST" || !url.pathname.endsWith("/callback/credentials")) return handler(req, ctx);
    const form = await req
      .clone()
      .formData()
      .catch(() => null);
    const email = String(form?.get("email") ?? "").trim().toLowerCase();
    if (!email) return handler(req, ctx);
    // lib/server/main.ts replaces x-forwarded-for with the address it trusts (the TCP peer, or
    // the operator's proxy's view of it), so a client cannot pick its own.
    const address = clientAddress({ peer: req.headers.get("x-forwarded-for"), forwardedFor: null, trustProxy: false });
    const refuse = (status: number, error: string, message: string, headers: Record<string, string> = {}) => {
      const base = (process.env.NEXTAUTH_URL ?? url.origin).replace(/\/$/, "");
      return Response.json({ error, message, url: `${base}/api/auth/error?${new URLSearchParams({ error: message })}` }, { status, headers: { ...headers, "cache-control": "no-store" } });
    };
    let attempt: Attempt;
    try {
      attempt = await throttle().attempt(email, address);
    } catch (err) {
      // No count, no sign-in: the database that would check the password is not answering either.
      console.error("[warroom] sign-in throttle unavailable:", err);
      return refuse(503, "unavailable", "Sign-in is unavailable right now (the database is not answering). Try again shortly.");
    }
    if (!attempt.ok) return refuse(429, "too_many_requests", tooManyAttemptsMessage(attempt.retryAfterSec), { "retry-after": String(attempt.retryAfterSec) });
    const res = await handler(req, ctx);
    await attempt.finish(signedIn(res) ? "succeeded" : "failed");
    return res;
  };
}
