// Signed action links for tests: made with the key the server derives from NEXTAUTH_SECRET (a test
// secret when the process has none), so the services verify them as they would a mailed link.
import { actionLinkClaims, signActionLink, type ActionLinkRequest } from "@/lib/domain/action-links";
import { actionLinkKey } from "@/lib/services/action-links";

export function ensureTestSecret(): void {
  process.env.NEXTAUTH_SECRET ??= "test-secret-for-signed-action-links-0123456789";
}

/** A link as the server would mail it; `lifetimeMs` may be negative to make an expired one. */
export function testActionLink(req: ActionLinkRequest, opts: { lifetimeMs?: number; now?: number } = {}): string {
  ensureTestSecret();
  return signActionLink(actionLinkClaims(req, opts.now ?? Date.now(), opts.lifetimeMs ?? 15 * 60_000), actionLinkKey()!);
}
