// Who is calling, whatever the door: a bearer API token (scripts, CI), the browser's session
// cookie (REST routes, server actions, pages) or a socket's handshake. One resolver, so a rule about
// who may act (a disabled account, a revoked token) is written once and holds everywhere.
import { getToken } from "next-auth/jwt";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { actorFromBearer } from "./bearer";
import type { SessionUser } from "./session-user";

/** What a request presents: its Authorization header and its Cookie header. */
export interface Credentials {
  authorization?: string | null;
  cookie?: string | null;
}

/** The cookies of a Cookie header (next-auth reads `next-auth.session-token`, `__Secure-…`, chunks `.0`, `.1`). */
export function parseCookies(header: string | null | undefined): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const part of (header ?? "").split(";")) {
    const at = part.indexOf("=");
    if (at < 0) continue;
    const name = part.slice(0, at).trim();
    if (!name) continue;
    try {
      cookies[name] = decodeURIComponent(part.slice(at + 1).trim());
    } catch {
      cookies[name] = part.slice(at + 1).trim();
    }
  }
  return cookies;
}

/** What a session carries about its user (lib/auth/options.ts: id and session version). */
export interface SessionClaims {
  id?: string;
  sv?: number;
}

/** The session cookie's claims (signature and expiry checked), or null. */
async function sessionClaims(cookie: string | null | undefined, secret: string | undefined): Promise<SessionClaims | null> {
  const cookies = parseCookies(cookie);
  if (!Object.keys(cookies).some((name) => name.includes("next-auth.session-token"))) return null;
  // No Authorization header here: next-auth would otherwise read a bearer header as a session JWT.
  const token = await getToken({ req: { headers: { cookie: cookie ?? "" }, cookies } as never, secret: secret ?? process.env.NEXTAUTH_SECRET });
  return token?.sub ? { id: token.sub, sv: typeof token.sv === "number" ? token.sv : 0 } : null;
}

/**
 * The user a session's claims still stand for, re-read from the database (one lookup by primary
 * key): null when the user was deleted or disabled, or the session predates a password reset or a
 * disable (its version is stale).
 */
export async function userOfSession(claims: SessionClaims | null | undefined): Promise<SessionUser | null> {
  if (!claims?.id || !/^[0-9a-f-]{36}$/i.test(claims.id)) return null;
  const user = await db().user.findUnique({ where: { id: claims.id }, select: { id: true, email: true, name: true, isAdmin: true, isPlanner: true, disabledAt: true, sessionVersion: true } });
  if (!user || user.disabledAt || user.sessionVersion !== (claims.sv ?? 0)) return null;
  return { id: user.id, email: user.email, name: user.name, isAdmin: user.isAdmin, isPlanner: user.isPlanner };
}

/**
 * The caller behind the credentials: a bearer token wins (401 if it is bad); else the session
 * cookie; null when neither names anyone. `secret` defaults to the app's NEXTAUTH_SECRET.
 */
export async function resolveActor(credentials: Credentials, secret?: string): Promise<SessionUser | null> {
  return (await resolveSession(credentials, secret))?.user ?? null;
}

/**
 * resolveActor, plus the session version a cookie carries (absent for a bearer token): a socket
 * keeps it to check again whether the session still stands when the user's access changes.
 */
export async function resolveSession(credentials: Credentials, secret?: string): Promise<{ user: SessionUser; sv?: number } | null> {
  if (credentials.authorization) return { user: await actorFromBearer(credentials.authorization) };
  const claims = await sessionClaims(credentials.cookie, secret);
  const user = await userOfSession(claims);
  return user ? { user, sv: claims?.sv ?? 0 } : null;
}

/** For REST routes: the caller, or 401. */
export async function actorFromRequest(req: Request): Promise<SessionUser> {
  const user = await resolveActor({ authorization: req.headers.get("authorization"), cookie: req.headers.get("cookie") });
  if (!user) throw new AppError("unauthorized", "Sign in or send an API token");
  return user;
}
