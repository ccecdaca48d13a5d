// The caller behind a bearer API token (scripts, CI). Free of next-auth so that the custom server
// can use it outside Next (lib/server/fast-api.ts).
import { sql } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import type { SessionUser } from "./session-user";
import { hashToken } from "./token-hash";

const TOKEN_LOOKUP = {
  name: "api-token-lookup",
  text: `SELECT t.id AS token_id, t.revoked_at, t.last_used_at, u.id, u.email, u.name, u.is_admin, u.is_planner, u.disabled_at
           FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1`,
};

// A busy script sends many requests a second with one token: a known token is trusted for at most
// TOKEN_CACHE_MS without asking the database again. Revoking a token or disabling its user clears
// this process's cache at once (Next's bundle and the custom server share it through globalThis);
// another process of the same database stops accepting it within TOKEN_CACHE_MS, and a disabled
// user's tokens sooner, when the bus tells it (lib/server/main.ts).
export const TOKEN_CACHE_MS = 2000;
const holder = globalThis as unknown as { __warroomTokens?: Map<string, { at: number; user: SessionUser }> };
const cache = () => (holder.__warroomTokens ??= new Map());

export function forgetApiTokens(): void {
  cache().clear();
}

/** The user behind an `Authorization: Bearer <token>` header; 401 for a malformed, unknown or revoked token. */
export async function actorFromBearer(header: string): Promise<SessionUser> {
  const match = /^Bearer\s+(\S{10,200})$/i.exec(header.trim());
  if (!match) throw new AppError("unauthorized", "Malformed Authorization header: use 'Bearer <token>'");
  const hash = hashToken(match[1]!);
  const hit = cache().get(hash);
  if (hit && Date.now() - hit.at < TOKEN_CACHE_MS) return hit.user;
  const { rows } = await sql().query<{ token_id: string; revoked_at: Date | null; last_used_at: Date | null; id: string; email: string; name: string; is_admin: boolean; is_planner: boolean; disabled_at: Date | null }>({
    ...TOKEN_LOOKUP,
    values: [hash],
  });
  const token = rows[0];
  if (!token || token.revoked_at) throw new AppError("unauthorized", "Unknown or revoked API token");
  if (token.disabled_at) throw new AppError("unauthorized", "This API token's account is disabled");
  // "Last used" to the minute is enough, and saves a write on every request of a busy script.
  if (!token.last_used_at || Date.now() - token.last_used_at.getTime() > 60_000) {
    void sql().query("UPDATE api_tokens SET last_used_at = now() WHERE id = $1", [token.token_id]).catch(() => {});
  }
  const user = { id: token.id, email: token.email, name: token.name, isAdmin: token.is_admin, isPlanner: token.is_planner };
  if (cache().size > 10_000) cache().clear();
  cache().set(hash, { at: Date.now(), user });
  return user;
}
