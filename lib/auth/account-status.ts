// Whether a user may still use what they hold (a session, an open socket): not disabled, and their
// session version unchanged. Free of next-auth and Next, for the custom server's socket.io.
// A reconnect storm asks this for the same few users many times a second: an answer is trusted for
// at most STATUS_CACHE_MS, and forgotten at once when the bus says that user's access changed.
import { sql } from "@/lib/db/client";

export const STATUS_CACHE_MS = 2000;

export interface AccountStatus {
  disabled: boolean;
  sessionVersion: number;
}

const holder = globalThis as unknown as { __warroomAccountStatus?: Map<string, { at: number; status: Promise<AccountStatus | null> }> };
const cache = () => (holder.__warroomAccountStatus ??= new Map());

export function forgetAccountStatus(userId?: string): void {
  if (userId) cache().delete(userId);
  else cache().clear();
}

/** null: no such user. */
export function accountStatus(userId: string): Promise<AccountStatus | null> {
  const hit = cache().get(userId);
  if (hit && Date.now() - hit.at < STATUS_CACHE_MS) return hit.status;
  const status = sql()
    .query<{ disabled: boolean; session_version: number }>({
      name: "account-status",
      text: "SELECT disabled_at IS NOT NULL AS disabled, session_version FROM users WHERE id = $1",
      values: [userId],
    })
    .then(({ rows }) => (rows[0] ? { disabled: rows[0].disabled, sessionVersion: rows[0].session_version } : null));
  status.catch(() => cache().delete(userId));
  if (cache().size > 10_000) cache().clear();
  cache().set(userId, { at: Date.now(), status });
  return status;
}

/** Whether a session that carries `sessionVersion` (absent in sessions from before versions: 0) is still good. */
export function sessionStillValid(status: AccountStatus | null, sessionVersion: number | undefined): boolean {
  return status !== null && !status.disabled && status.sessionVersion === (sessionVersion ?? 0);
}
