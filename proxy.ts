// Every page gets its security headers here: a Content-Security-Policy with a fresh nonce (Next
// reads the nonce from the request's CSP header and puts it on its own scripts), no framing,
// nosniff, Referrer-Policy, Permissions-Policy, and HSTS when the public URL is https. Also the
// optimistic redirect to sign-in when there is no session cookie at all; the real check happens
// next to the data, in every page, action and route.
import { NextResponse, type NextRequest } from "next/server";
import { baseSecurityHeaders, contentSecurityPolicy, newNonce } from "@/lib/domain/security-headers";

// /invite: the one-time link is the credential of someone who has no account (or session) yet.
// /status: the public status pages (answered by the custom server before Next: lib/server/status-page.ts).
const PUBLIC = [/^\/sign-in/, /^\/setup/, /^\/invite\//, /^\/status(\/|$)/];

export function proxy(req: NextRequest) {
  const publicUrl = process.env.NEXTAUTH_URL;
  const nonce = newNonce();
  const csp = contentSecurityPolicy({ nonce, dev: process.env.NODE_ENV === "development", publicUrl, host: req.headers.get("host") });
  const { pathname, search } = req.nextUrl;
  const hasSession = req.cookies.getAll().some((c) => c.name.endsWith("next-auth.session-token"));
  let res: NextResponse;
  if (hasSession || PUBLIC.some((re) => re.test(pathname))) {
    const headers = new Headers(req.headers);
    headers.set("x-nonce", nonce);
    headers.set("content-security-policy", csp);
    res = NextResponse.next({ request: { headers } });
  } else {
    const url = req.nextUrl.clone();
    url.pathname = "/sign-in";
    url.search = `?callbackUrl=${encodeURIComponent(pathname + search)}`;
    res = NextResponse.redirect(url);
  }
  res.headers.set("Content-Security-Policy", csp);
  for (const [name, value] of Object.entries(baseSecurityHeaders({ publicUrl }))) res.headers.set(name, value);
  return res;
}

// Pages only: API routes, health and metrics answer JSON or text and set their own headers (see
// next.config.js), and running the proxy on them would cost every API request a few milliseconds.
// The files of public/ (icons, robots.txt, the wall screen's manifest, the status page's script) are static and need no session.
export const config = { matcher: ["/((?!api/|health|metrics|socket\\.io|_next/|favicon\\.ico|favicon\\.svg|icon-|apple-touch-icon|robots\\.txt|manifest\\.webmanifest|status-page\\.js).*)"] };
