// Sign-in throttling against real PostgreSQL, and through next-auth's real credentials sign-in
// (its core handler, our authOptions, a real user with an argon2 hash). Time moves by setting the
// clock (Date only), never by sleeping: the limiter compares Date.now() with the stored expiry.
import { randomBytes } from "node:crypto";
import type pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { db, sql } from "@/lib/db/client";
import { createPool } from "@/lib/db/pool";
import { useFreshDatabase } from "@/lib/testing/fixtures";
// next-auth 4 does not export its core; the route handler it exports needs Next's request scope.
import { AuthHandler } from "../../node_modules/next-auth/core/index.js";
import { authOptions } from "./options";
import { hashPassword } from "./passwords";
import { createSignInThrottle, withSignInThrottle, type SignInThrottle } from "./throttle";

let url = "";
const pools: pg.Pool[] = [];
const poolFor = () => {
  const p = createPool({ connectionString: url, name: "throttle-test", max: 2 });
  pools.push(p);
  return p;
};

beforeAll(async () => {
  url = await useFreshDatabase();
});
afterEach(() => {
  vi.useRealTimers();
});
afterAll(async () => {
  await Promise.all(pools.map((p) => p.end()));
});

const unique = () => `${randomBytes(5).toString("hex")}@test.local`;
const addr = () => `10.1.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;

async function failTimes(t: SignInThrottle, n: number, email: string, address: string) {
  for (let i = 0; i < n; i++) {
    const a = await t.attempt(email, address);
    expect(a.ok, `attempt ${i + 1}`).toBe(true);
    if (a.ok) await a.finish("failed");
  }
}

describe("the throttle store", () => {
  it("uses the migrated rate_limits table as the library expects it (no DDL of its own)", async () => {
    const { rows } = await sql().query<{ column_name: string; data_type: string; character_maximum_length: number | null }>(
      "SELECT column_name, data_type, character_maximum_length FROM information_schema.columns WHERE table_name = 'rate_limits' ORDER BY ordinal_position",
    );
    expect(rows).toEqual([
      { column_name: "key", data_type: "character varying", character_maximum_length: 255 },
      { column_name: "points", data_type: "integer", character_maximum_length: null },
      { column_name: "expire", data_type: "bigint", character_maximum_length: null },
    ]);
  });

  it("allows 5 attempts per account, then refuses until the window has passed, across processes", async () => {
    // Two limiters on two pools: two app processes sharing the database.
    const one = createSignInThrottle({ pool: poolFor(), windowSec: 60 });
    const two = createSignInThrottle({ pool: poolFor(), windowSec: 60 });
    const email = unique();
    await failTimes(one, 3, email, addr());
    await failTimes(two, 2, email.toUpperCase(), addr());
    const refused = await one.attempt(email, addr());
    expect(refused).toMatchObject({ ok: false });
    if (!refused.ok) expect(refused.retryAfterSec).toBeGreaterThan(0), expect(refused.retryAfterSec).toBeLessThanOrEqual(60);
    expect((await two.attempt(email, addr())).ok).toBe(false);
    // Another account is not affected.
    expect((await two.attempt(unique(), addr())).ok).toBe(true);

    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 61_000);
    expect((await one.attempt(email, addr())).ok).toBe(true);
  });

  it("allows 20 attempts per address whatever the accounts, and a success gives its points back", async () => {
    const t = createSignInThrottle({ pool: poolFor(), windowSec: 60 });
    const address = addr();
    for (let i = 0; i < 19; i++) await failTimes(t, 1, unique(), address);
    // A right password in between: counted, then given back (account reset, address rewarded).
    const ok = await t.attempt(unique(), address);
    expect(ok.ok).toBe(true);
    if (ok.ok) await ok.finish("succeeded");
    await failTimes(t, 1, unique(), address);
    expect((await t.attempt(unique(), address)).ok).toBe(false);
    expect((await t.attempt(unique(), addr())).ok).toBe(true);
  });

  it("counts an attempt before the password is checked, so parallel guesses cannot pass the limit", async () => {
    const t = createSignInThrottle({ pool: poolFor(), windowSec: 60 });
    const email = unique();
    const results = await Promise.all(Array.from({ length: 12 }, () => t.attempt(email, addr())));
    expect(results.filter((r) => r.ok)).toHaveLength(5);
  });

  it("keys accounts by a hash, so a 320-character email fits the 255-character key", async () => {
    const t = createSignInThrottle({ pool: poolFor() });
    const long = `${"a".repeat(64)}@${"b".repeat(250)}.example`;
    expect((await t.attempt(long, addr())).ok).toBe(true);
  });
});

/** next-auth's core handler as a web handler, the way next-auth/next adapts it for App Router routes. */
async function nextAuth(req: Request): Promise<Response> {
  const u = new URL(req.url);
  const [action, providerId] = u.pathname.split("/").slice(3);
  const body = req.method === "POST" ? Object.fromEntries(new URLSearchParams(await req.text())) : undefined;
  const cookies = Object.fromEntries(
    (req.headers.get("cookie") ?? "")
      .split(/;\s*/)
      .filter(Boolean)
      .map((c) => [c.slice(0, c.indexOf("=")), decodeURIComponent(c.slice(c.indexOf("=") + 1))]),
  );
  const r = await AuthHandler({ req: { action, providerId, method: req.method, headers: Object.fromEntries(req.headers), body, cookies, query: {}, error: providerId }, options: { ...authOptions, secret: "throttle-test-secret" } } as never);
  const headers = new Headers();
  for (const c of r.cookies ?? []) headers.append("set-cookie", `${c.name}=${encodeURIComponent(c.value)}; Path=${c.options.path ?? "/"}${c.options.secure ? "; Secure" : ""}${c.options.httpOnly ? "; HttpOnly" : ""}`);
  return r.redirect ? Response.json({ url: r.redirect }, { status: r.status ?? 200, headers }) : Response.json(r.body ?? null, { status: r.status ?? 200, headers });
}

/** Sign in as the browser's signIn("credentials", { redirect: false }) does: CSRF token first. */
async function signIn(handler: (req: Request, ctx: unknown) => Promise<Response>, base: string, email: string, password: string, address = "192.0.2.10") {
  const csrf = await nextAuth(new Request(`${base}/api/auth/csrf`, { headers: { host: new URL(base).host } }));
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const cookie = csrf.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const res = await handler(
    new Request(`${base}/api/auth/callback/credentials`, {
      method: "POST",
      headers: { host: new URL(base).host, cookie, "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": address },
      body: new URLSearchParams({ email, password, csrfToken, callbackUrl: `${base}/cutovers`, json: "true" }),
    }),
    {},
  );
  const json = (await res.json()) as { url: string; message?: string };
  return { status: res.status, error: new URL(json.url).searchParams.get("error"), message: json.message, cookies: res.headers.getSetCookie(), url: json.url };
}

describe("sign-in through next-auth, throttled", () => {
  const base = "http://localhost:3000";
  let email = "";
  beforeAll(async () => {
    process.env.NEXTAUTH_URL = base;
    email = unique();
    await db().user.create({ data: { email, name: "Throttled", passwordHash: await hashPassword("right-password-123") } });
  });

  it("answers 429 with a plain message after 5 wrong passwords, even to the right one; the right one works after the window", async () => {
    const t = createSignInThrottle({ pool: poolFor(), windowSec: 15 * 60 });
    const handler = withSignInThrottle(nextAuth, () => t);
    for (let i = 0; i < 5; i++) {
      const r = await signIn(handler, base, email, `wrong-${i}`);
      expect(r).toMatchObject({ status: 401, error: "CredentialsSignin" });
    }
    const blocked = await signIn(handler, base, email, "right-password-123");
    expect(blocked.status).toBe(429);
    expect(blocked.message).toBe("Too many sign-in attempts. Try again in 15 minutes.");
    // What signIn() in the browser shows: next-auth reads `error` from the url.
    expect(blocked.error).toBe(blocked.message);
    expect(blocked.cookies.some((c) => c.includes("session-token"))).toBe(false);

    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 15 * 60_000 + 1000);
    const later = await signIn(handler, base, email, "right-password-123");
    expect(later.status).toBe(200);
    expect(later.error).toBeNull();
    expect(later.url).toBe(`${base}/cutovers`);
    expect(later.cookies.some((c) => c.startsWith("next-auth.session-token="))).toBe(true);
  });

  it("a right password resets the account's count", async () => {
    const t = createSignInThrottle({ pool: poolFor(), windowSec: 15 * 60 });
    const handler = withSignInThrottle(nextAuth, () => t);
    for (let i = 0; i < 4; i++) expect((await signIn(handler, base, email, "nope", "192.0.2.11")).status).toBe(401);
    expect((await signIn(handler, base, email, "right-password-123", "192.0.2.11")).status).toBe(200);
    for (let i = 0; i < 4; i++) expect((await signIn(handler, base, email, "nope", "192.0.2.11")).status).toBe(401);
    expect((await signIn(handler, base, email, "right-password-123", "192.0.2.11")).status).toBe(200);
  });

  it("refuses sign-in (503, next-auth's answer shape) when the throttle's store does not answer, without checking the password", async () => {
    let called = false;
    const handler = withSignInThrottle(
      async (req: Request) => {
        called = true;
        return nextAuth(req);
      },
      () => ({ attempt: () => Promise.reject(new Error("connection refused")) }),
    );
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const r = await signIn(handler, base, email, "right-password-123");
    errors.mockRestore();
    expect(r.status).toBe(503);
    expect(r.error).toMatch(/unavailable/);
    expect(called).toBe(false);
  });

  it("sends the browser back to this origin only", async () => {
    const redirect = authOptions.callbacks!.redirect!;
    for (const evil of ["//evil.com", "/\\evil.com", "https://evil.com/x", "javascript:alert(1)"]) expect(await redirect({ url: evil, baseUrl: base }), evil).toBe(`${base}/`);
    expect(await redirect({ url: `${base}/cutovers/abc`, baseUrl: base })).toBe(`${base}/cutovers/abc`);
    expect(await redirect({ url: "/cutovers", baseUrl: base })).toBe(`${base}/cutovers`);
  });

  it("makes the session cookie Secure (__Secure-) when the public URL is https, derived by next-auth", async () => {
    expect(authOptions.useSecureCookies).toBeUndefined();
    expect(authOptions.cookies).toBeUndefined();
    const https = "https://warroom.example.com";
    process.env.NEXTAUTH_URL = https;
    try {
      const handler = withSignInThrottle(nextAuth, () => createSignInThrottle({ pool: poolFor() }));
      const r = await signIn(handler, https, email, "right-password-123", "192.0.2.12");
      expect(r.status).toBe(200);
      const session = r.cookies.find((c) => c.includes("session-token="));
      expect(session).toMatch(/^__Secure-next-auth\.session-token=/);
      expect(session).toContain("; Secure");
      expect(session).toContain("; HttpOnly");
    } finally {
      process.env.NEXTAUTH_URL = base;
    }
  });
});
