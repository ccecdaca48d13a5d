// OpenID Connect sign-in end to end below the browser: next-auth's real core handler with our
// options, a real OpenID provider (oidc-provider, started here), a real PostgreSQL. The provider's
// discovery, PKCE, state and nonce, and the signed ID token are all the real thing.
import { decode } from "next-auth/jwt";
import type { NextAuthOptions } from "next-auth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { dispatch } from "@/lib/services/commands";
import { startTestIdentityProvider, type TestIdentityProvider } from "@/lib/testing/oidc-provider";
import { useFreshDatabase } from "@/lib/testing/fixtures";
// next-auth 4 does not export its core; the route handler it exports needs Next's request scope.
import { AuthHandler } from "../../node_modules/next-auth/core/index.js";
import { buildAuthOptions } from "./options";
import { hashPassword } from "./passwords";

const BASE = "http://localhost:3000";
const SECRET = "oidc-test-secret-0123456789abcdef";
let idp: TestIdentityProvider;
let options: NextAuthOptions;

type Jar = Map<string, string>;
const cookieHeader = (jar: Jar) => [...jar].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join("; ");

/** One request to next-auth's core, as its Next route would make it; cookies kept in `jar`. */
async function nextAuth(jar: Jar, method: "GET" | "POST", path: string, body?: Record<string, string>) {
  const url = new URL(path, BASE);
  const [action, providerId] = url.pathname.split("/").slice(3);
  const r = await AuthHandler({
    req: { action, providerId, method, headers: { host: url.host, cookie: cookieHeader(jar) }, body, cookies: Object.fromEntries(jar), query: Object.fromEntries(url.searchParams), error: url.searchParams.get("error") ?? undefined },
    options: { ...options, secret: SECRET },
  } as never);
  for (const c of r.cookies ?? []) {
    if (c.options.maxAge === 0 || (c.options.expires && new Date(c.options.expires).getTime() < Date.now())) jar.delete(c.name);
    else jar.set(c.name, c.value);
  }
  return { status: r.status ?? 302, redirect: r.redirect ?? null, body: r.body };
}

/** The browser at the provider: follows its redirects (keeping its cookies) until it comes back to us. */
async function atProvider(start: string): Promise<string> {
  const jar: Jar = new Map();
  let url = start;
  for (let hop = 0; hop < 10; hop++) {
    if (url.startsWith(BASE)) return url;
    const res = await fetch(url, { redirect: "manual", headers: { cookie: cookieHeader(jar) } });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const at = pair!.indexOf("=");
      jar.set(pair!.slice(0, at), decodeURIComponent(pair!.slice(at + 1)));
    }
    const location = res.headers.get("location");
    if (!location) throw new Error(`provider answered ${res.status} at ${url}: ${(await res.text()).slice(0, 300)}`);
    url = new URL(location, url).href;
  }
  throw new Error("too many redirects at the provider");
}

/** Clicking "Sign in with …" as `sub`: where the browser ends up and the session it holds. */
async function ssoSignIn(sub: string) {
  idp.signInNext(sub);
  const jar: Jar = new Map();
  const csrf = await nextAuth(jar, "GET", "/api/auth/csrf");
  const { csrfToken } = csrf.body as { csrfToken: string };
  const start = await nextAuth(jar, "POST", "/api/auth/signin/oidc", { csrfToken, callbackUrl: `${BASE}/cutovers`, json: "true" });
  const authorize = new URL(start.redirect!);
  expect(authorize.origin).toBe(idp.issuer);
  // The checks next-auth asks of the provider: PKCE (S256), state and nonce.
  expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
  expect(authorize.searchParams.get("state")).toBeTruthy();
  expect(authorize.searchParams.get("nonce")).toBeTruthy();
  expect(authorize.searchParams.get("scope")).toBe("openid email profile groups");
  const back = new URL(await atProvider(authorize.href));
  const done = await nextAuth(jar, "GET", back.pathname + back.search);
  const token = [...jar].find(([k]) => k.includes("session-token"));
  const session = token ? await decode({ token: token[1], secret: SECRET }) : null;
  return { redirect: done.redirect, session, jar, back };
}

beforeAll(async () => {
  process.env.NEXTAUTH_URL = BASE;
  await useFreshDatabase();
  idp = await startTestIdentityProvider({
    redirectUris: [`${BASE}/api/auth/callback/oidc`],
    people: [
      { sub: "alice", email: "alice@acme.test", email_verified: true, name: "Alice Admin", groups: ["war-room-admins"] },
      { sub: "bob", email: "bob@acme.test", email_verified: true, name: "Bob", groups: ["engineering"] },
      { sub: "mallory", email: "carol@acme.test", email_verified: false, name: "Not Carol", groups: ["war-room-admins"] },
    ],
  });
  options = buildAuthOptions({ oidc: { issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret, name: "Acme", groupsClaim: "groups", scopes: "openid email profile groups" }, passwordSignIn: false });
  const admin = await db().user.create({ data: { email: "root@acme.test", name: "Root", passwordHash: "x", isAdmin: true }, select: { id: true, name: true, isAdmin: true, isPlanner: true } });
  await dispatch(admin, "sso.set_mapping", { administratorGroups: ["war-room-admins"], plannerGroups: [] });
});

afterAll(async () => {
  await idp?.close();
});

describe("signing in through a real OpenID provider", () => {
  it("lands in the app as the user the provider named, with the mapped role", async () => {
    const r = await ssoSignIn("alice");
    expect(r.redirect).toBe(`${BASE}/cutovers`);
    const alice = await db().user.findUniqueOrThrow({ where: { email: "alice@acme.test" } });
    expect(alice).toMatchObject({ name: "Alice Admin", isAdmin: true });
    expect(r.session).toMatchObject({ sub: alice.id, sv: alice.sessionVersion });
  });

  it("a person in no mapped group is a plain user", async () => {
    const r = await ssoSignIn("bob");
    const bob = await db().user.findUniqueOrThrow({ where: { email: "bob@acme.test" } });
    expect(bob).toMatchObject({ isAdmin: false, isPlanner: false });
    expect(r.session).toMatchObject({ sub: bob.id });
  });

  it("a disabled user is sent back to the sign-in page with no session", async () => {
    await db().user.update({ where: { email: "bob@acme.test" }, data: { disabledAt: new Date() } });
    const r = await ssoSignIn("bob");
    expect(r.redirect).toBe("/sign-in?error=disabled");
    expect(r.session).toBeNull();
  });

  it("an unverified email never takes over an existing account", async () => {
    await db().user.create({ data: { email: "carol@acme.test", name: "Carol", passwordHash: await hashPassword("carols-password-123") } });
    const r = await ssoSignIn("mallory");
    expect(r.redirect).toBe("/sign-in?error=email_unverified");
    expect(r.session).toBeNull();
    expect(await db().ssoIdentity.count({ where: { subject: "mallory" } })).toBe(0);
  });

  it("a callback that skips the provider's state check is refused", async () => {
    idp.signInNext("alice");
    const jar: Jar = new Map();
    const { csrfToken } = (await nextAuth(jar, "GET", "/api/auth/csrf")).body as { csrfToken: string };
    const start = await nextAuth(jar, "POST", "/api/auth/signin/oidc", { csrfToken, callbackUrl: `${BASE}/cutovers`, json: "true" });
    const back = new URL(await atProvider(start.redirect!));
    // Another browser (without this one's state, nonce and PKCE cookies) presents the code.
    const other: Jar = new Map();
    const r = await nextAuth(other, "GET", back.pathname + back.search);
    // next-auth's error route, which sends the browser on to our sign-in page (pages.error).
    expect(r.redirect).toBe(`${BASE}/api/auth/error?error=OAuthCallback`);
    expect(options.pages?.error).toBe("/sign-in");
    expect([...other.keys()].some((k) => k.includes("session-token"))).toBe(false);
  });

  it("with passwords turned off there is no credentials provider: a password POST makes no session", async () => {
    expect(options.providers.map((p) => p.id)).toEqual(["oidc"]);
    await db().user.create({ data: { email: "pw@acme.test", name: "Pw", passwordHash: await hashPassword("right-password-123") } });
    const jar: Jar = new Map();
    const { csrfToken } = (await nextAuth(jar, "GET", "/api/auth/csrf")).body as { csrfToken: string };
    const r = await nextAuth(jar, "POST", "/api/auth/callback/credentials", { csrfToken, email: "pw@acme.test", password: "right-password-123", json: "true" });
    expect(r.redirect ?? "").not.toBe(`${BASE}/cutovers`);
    expect([...jar.keys()].some((k) => k.includes("session-token"))).toBe(false);
    const providers = (await nextAuth(jar, "GET", "/api/auth/providers")).body as Record<string, unknown>;
    expect(Object.keys(providers)).toEqual(["oidc"]);
    expect(JSON.stringify(providers)).not.toContain(idp.clientSecret);
  });
});
