// The response headers that keep the browser on our side: what a page may load and run (CSP with a
// per-request nonce), who may frame it (nobody: the rollback button must not be clickjacked), what
// leaks in Referer, which powerful features exist, and HSTS when the public URL is https.
// Pure: proxy.ts (pages), the API routes and the custom server's fast path call it.

export interface HeaderOptions {
  /** NEXTAUTH_URL: decides HSTS and upgrade-insecure-requests. */
  publicUrl?: string | null;
}

export const isHttpsUrl = (url: string | null | undefined): boolean => /^https:\/\//i.test(url ?? "");

/** Headers for every response, pages, API JSON and files alike. */
export function baseSecurityHeaders({ publicUrl }: HeaderOptions = {}): Record<string, string> {
  const headers: Record<string, string> = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), midi=(), display-capture=(), browsing-topics=()",
    "Cross-Origin-Opener-Policy": "same-origin",
  };
  // Only when the operator serves https: on plain http the browser ignores it anyway, and on
  // localhost it would pin every other local app to https for a year.
  if (isHttpsUrl(publicUrl)) headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains";
  return headers;
}

/** A fresh nonce: 16 random bytes, base64 (what CSP's nonce-source expects). */
export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

/**
 * The page CSP. Scripts: only those carrying this request's nonce (Next puts it on its own
 * scripts when it finds it in the request's CSP header) and what they load ('strict-dynamic').
 * Styles: 'unsafe-inline', because Recharts and React write style attributes; a nonce in
 * style-src would turn that off. connect-src: our origin, and our WebSocket for socket.io.
 */
export function contentSecurityPolicy({ nonce, dev = false, publicUrl, host }: { nonce: string; dev?: boolean; publicUrl?: string | null; host?: string | null }): string {
  const https = isHttpsUrl(publicUrl);
  // Behind https, plain ws:// would be mixed content: only wss:// then.
  const sockets = new Set<string>();
  for (const h of [hostOf(publicUrl), host]) {
    if (!h || !/^[A-Za-z0-9.\-[\]:]{1,300}$/.test(h)) continue;
    if (!https) sockets.add(`ws://${h}`);
    sockets.add(`wss://${h}`);
  }
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    ["connect-src 'self'", ...sockets].join(" "),
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "frame-src 'none'",
    "worker-src 'self' blob:",
    "manifest-src 'self'",
    ...(https ? ["upgrade-insecure-requests"] : []),
  ];
  return directives.join("; ");
}

function hostOf(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
}
