// Optimistic redirect to sign-in when there is no session cookie at all. The real check happens
// next to the data, in every page, action and route.
import { NextResponse, type NextRequest } from "next/server";

// /invite: the one-time link is the credential of someone who has no account (or session) yet.
const PUBLIC = [/^\/sign-in/, /^\/setup/, /^\/invite\//];

export function proxy(req: NextRequest) {
  const { pathname, search } = req.nextUrl;
  if (PUBLIC.some((re) => re.test(pathname))) return NextResponse.next();
  const hasSession = req.cookies.getAll().some((c) => c.name.endsWith("next-auth.session-token"));
  if (hasSession) return NextResponse.next();
  const url = req.nextUrl.clone();
  url.pathname = "/sign-in";
  url.search = `?callbackUrl=${encodeURIComponent(pathname + search)}`;
  return NextResponse.redirect(url);
}

// Only pages: API routes, health, metrics and assets check their callers themselves, and running
// the proxy on them would cost every API request a few milliseconds for nothing.
export const config = { matcher: ["/((?!api/|health|metrics|socket\\.io|_next/|favicon.ico).*)"] };
