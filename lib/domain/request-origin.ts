// Which browser requests may act on a signed-in user's behalf. A session cookie rides along with
// any request a browser makes, including one a foreign page triggers (a form posting text/plain,
// an <img>, a WebSocket): only requests from our own origin may use it. Pure: the callers (REST
// routes, the socket.io handshake) pass the headers in.

export interface OriginInput {
  /** The request's Origin header, if any ("null" from sandboxed frames and opaque redirects). */
  origin: string | null;
  /** The request's Sec-Fetch-Site header, if any (every current browser sends it). */
  secFetchSite: string | null;
  /** The origins the app is served from (see `publicOrigins`). */
  allowed: readonly string[];
}

export type Verdict = { ok: true } | { ok: false; reason: "cross_origin" | "content_type"; message: string };

const OK: Verdict = { ok: true };

/**
 * The origins the app answers on: the public URL's (NEXTAUTH_URL) and the request's own Host
 * under the public URL's scheme. A browser names the host it is talking to in Host and the page's
 * origin in Origin, and a foreign page can forge neither, so comparing the two is sound; the
 * scheme comes from configuration because a proxy in front may terminate TLS.
 */
export function publicOrigins(publicUrl: string | null | undefined, host: string | null | undefined): string[] {
  const out: string[] = [];
  let scheme = "http:";
  if (publicUrl) {
    try {
      const u = new URL(publicUrl);
      out.push(u.origin);
      scheme = u.protocol;
    } catch {
      // An unparsable public URL allows nothing by itself; the Host check below still applies.
    }
  }
  if (host && /^[A-Za-z0-9.\-[\]:]{1,300}$/.test(host)) {
    try {
      out.push(new URL(`${scheme}//${host}`).origin);
    } catch {
      // Not a host: ignored.
    }
  }
  return [...new Set(out)];
}

function normalOrigin(origin: string): string | null {
  try {
    const u = new URL(origin);
    return u.protocol === "http:" || u.protocol === "https:" ? u.origin : null;
  } catch {
    return null;
  }
}

/**
 * Same-origin or not: the Origin header when present, otherwise Sec-Fetch-Site. A request carrying
 * neither did not come from a current browser's cross-site context (browsers send Origin on every
 * cross-origin request and on every POST), so it is let through: it can only carry cookies its
 * sender already holds.
 */
export function checkOrigin({ origin, secFetchSite, allowed }: OriginInput): Verdict {
  if (origin !== null && origin !== "") {
    const normal = normalOrigin(origin);
    if (normal && allowed.includes(normal)) return OK;
    return { ok: false, reason: "cross_origin", message: "Cross-site request refused: this request must come from the war room's own pages" };
  }
  const site = secFetchSite?.toLowerCase() ?? null;
  if (site === null || site === "" || site === "same-origin" || site === "none") return OK;
  return { ok: false, reason: "cross_origin", message: "Cross-site request refused: this request must come from the war room's own pages" };
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export interface CookieRequestInput extends OriginInput {
  method: string;
  contentType: string | null;
}

/**
 * A REST request authenticated by the session cookie. Reads pass (a cross-site page cannot read
 * the answer, and links to exports must keep working); a write must come from our origin and send
 * JSON as application/json, which a cross-site HTML form cannot do without a CORS preflight that
 * this server never grants.
 */
export function checkCookieRequest(input: CookieRequestInput): Verdict {
  if (SAFE_METHODS.has(input.method.toUpperCase())) return OK;
  const origin = checkOrigin(input);
  if (!origin.ok) return origin;
  if (!isJsonContentType(input.contentType)) return { ok: false, reason: "content_type", message: "Send the request body as JSON with Content-Type: application/json" };
  return OK;
}

/** `application/json`, optionally with parameters (`; charset=utf-8`); nothing else. */
export function isJsonContentType(value: string | null): boolean {
  if (!value) return false;
  const essence = value.split(";")[0]!.trim().toLowerCase();
  return essence === "application/json";
}
