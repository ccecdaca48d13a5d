// What the server accepts from a request's envelope before anything else looks at it: request
// ids, ids in paths, links people click in the room, where sign-in sends the browser next, and
// which address a request came from. Pure and shared by the Next routes and the custom server.

/** A caller's `x-request-id` if it is a short opaque token; null means "make a fresh one". */
export function acceptRequestId(value: string | null | undefined): string | null {
  return typeof value === "string" && /^[A-Za-z0-9._-]{1,100}$/.test(value) ? value : null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === "string" && UUID.test(value);
}

/**
 * The first id in a route's path parameters (`cutoverId`, `itemId`, …) that is not a uuid, as a
 * message; null when all are. Checked before any query, so a malformed id is a 400 and never
 * reaches PostgreSQL (which would answer with an error, hence a 500).
 */
export function badPathId(params: Record<string, unknown> | null | undefined): string | null {
  for (const [key, value] of Object.entries(params ?? {})) {
    if (/Id$/.test(key) && !isUuid(value)) return `${key} must be an id`;
  }
  return null;
}

// Backslashes, whitespace and control characters: browsers read "\" as "/" and drop tabs and
// newlines inside URLs, which turns "/\evil.com" or "/\t/evil.com" into "//evil.com".
const URL_TRICKS = /[\\\s\u0000-\u001f\u007f]/;

/**
 * A link shown in the room: an absolute http(s) URL with a host and no credentials. Refuses
 * `//evil.com` (protocol-relative), `javascript:`, `data:`, relative paths and look-alikes.
 */
export function isHttpUrl(raw: string): boolean {
  if (!/^https?:\/\//i.test(raw) || URL_TRICKS.test(raw)) return false;
  try {
    const u = new URL(raw);
    return (u.protocol === "http:" || u.protocol === "https:") && u.hostname.length > 0 && !u.username && !u.password;
  } catch {
    return false;
  }
}

const SAME = "http://same-origin.invalid";

/**
 * Where to send the browser after sign-in: a path on this origin, or "/" when `raw` points
 * anywhere else (`//evil.com`, `/\evil.com`, `https://evil.com`). With `origin`, an absolute URL
 * on that origin is accepted and reduced to its path.
 */
export function sameOriginPath(raw: string | null | undefined, origin?: string | null): string {
  if (typeof raw !== "string" || raw.length === 0 || raw.length > 2000 || URL_TRICKS.test(raw)) return "/";
  let candidate = raw;
  if (!raw.startsWith("/")) {
    if (!origin) return "/";
    try {
      const u = new URL(raw);
      if (u.origin !== new URL(origin).origin) return "/";
      candidate = u.pathname + u.search + u.hash;
    } catch {
      return "/";
    }
  }
  if (!candidate.startsWith("/") || candidate.startsWith("//")) return "/";
  try {
    const u = new URL(candidate, SAME);
    return u.origin === SAME ? u.pathname + u.search + u.hash : "/";
  } catch {
    return "/";
  }
}

/**
 * The address a request came from: the TCP peer, or, behind a reverse proxy the operator declared
 * (WARROOM_TRUST_PROXY=1), the last X-Forwarded-For entry (the one that proxy appended; earlier
 * entries are whatever the client sent). Used to throttle sign-in per address.
 */
export function clientAddress(input: { peer: string | null | undefined; forwardedFor: string | string[] | null | undefined; trustProxy: boolean }): string {
  let address = input.peer ?? "";
  if (input.trustProxy && input.forwardedFor) {
    const header = Array.isArray(input.forwardedFor) ? input.forwardedFor.join(",") : input.forwardedFor;
    const last = header.split(",").map((s) => s.trim()).filter(Boolean).at(-1);
    if (last) address = last;
  }
  address = address.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, "$1");
  return /^[0-9A-Fa-f.:]{1,45}$/.test(address) ? address : "unknown";
}
