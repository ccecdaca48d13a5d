// The caller of an API route: a bearer API token (scripts, CI) or the browser's session cookie.
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { currentUser, type SessionUser } from "./session";
import { hashToken } from "./token-hash";

export async function actorFromRequest(req: Request): Promise<SessionUser> {
  const header = req.headers.get("authorization");
  if (header) {
    const match = /^Bearer\s+(\S{10,200})$/i.exec(header.trim());
    if (!match) throw new AppError("unauthorized", "Malformed Authorization header: use 'Bearer <token>'");
    const token = await db().apiToken.findUnique({
      where: { tokenHash: hashToken(match[1]!) },
      select: { id: true, revokedAt: true, lastUsedAt: true, user: { select: { id: true, email: true, name: true, isAdmin: true } } },
    });
    if (!token || token.revokedAt) throw new AppError("unauthorized", "Unknown or revoked API token");
    // "Last used" to the minute is enough, and saves a write on every request of a busy script.
    if (!token.lastUsedAt || Date.now() - token.lastUsedAt.getTime() > 60_000) {
      void db().apiToken.update({ where: { id: token.id }, data: { lastUsedAt: new Date() } }).catch(() => {});
    }
    return token.user;
  }
  const user = await currentUser();
  if (!user) throw new AppError("unauthorized", "Sign in or send an API token");
  return user;
}
