// Who is calling: the signed-in user of a page or server action. API routes use lib/auth/actor.ts.
import { getServerSession } from "next-auth";
import { redirect } from "next/navigation";
import { db } from "@/lib/db/client";
import { authOptions } from "./options";

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  isAdmin: boolean;
  isPlanner: boolean;
}

/**
 * The signed-in user, re-read from the database (one lookup by primary key): null when the session
 * is absent, the user was deleted or disabled, or the session predates a password reset or a
 * disable (its version is stale).
 */
export async function currentUser(): Promise<SessionUser | null> {
  const session = await getServerSession(authOptions);
  return userOfSession(session?.user as SessionClaims | undefined);
}

/** What a session carries about its user (lib/auth/options.ts: id and session version). */
export interface SessionClaims {
  id?: string;
  sv?: number;
}

/** The user a session's claims still stand for, or null. */
export async function userOfSession(claims: SessionClaims | undefined): Promise<SessionUser | null> {
  if (!claims?.id) return null;
  const user = await db().user.findUnique({ where: { id: claims.id }, select: { id: true, email: true, name: true, isAdmin: true, isPlanner: true, disabledAt: true, sessionVersion: true } });
  if (!user || user.disabledAt || user.sessionVersion !== (claims.sv ?? 0)) return null;
  return { id: user.id, email: user.email, name: user.name, isAdmin: user.isAdmin, isPlanner: user.isPlanner };
}

/** For pages: the signed-in user, or a redirect to sign-in. */
export async function requireUser(): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect("/sign-in");
  return user;
}
