// One shape for every REST route: check the envelope (path ids, request id, where a cookie request
// comes from), authenticate, run, map errors to JSON {error, message}.
import { actorFromRequest } from "@/lib/auth/actor";
import type { SessionUser } from "@/lib/auth/session-user";
import { checkCookieRequest, publicOrigins } from "@/lib/domain/request-origin";
import { badPathId } from "@/lib/domain/request-input";
import { baseSecurityHeaders } from "@/lib/domain/security-headers";
import { AppError, errorHeaders, toSafeError } from "@/lib/errors";
import { MAX_BODY, parseJsonObject, tooLarge } from "./json-body";
import { clientAddress } from "@/lib/domain/request-input";
import { decodeParams, requestIdOf, routeOf, runRoute, type Method, type RouteDef } from "./routes";

// A receiver row runs without a user: runRoute's actor is never read for it.
const NO_USER: SessionUser = { id: "", email: "", name: "", isAdmin: false, isPlanner: false };

function withEdgeHeaders(res: Response, requestId: string): Response {
  try {
    for (const [name, value] of Object.entries(baseSecurityHeaders({ publicUrl: process.env.NEXTAUTH_URL }))) if (!res.headers.has(name)) res.headers.set(name, value);
    if (!res.headers.has("x-request-id")) res.headers.set("x-request-id", requestId);
  } catch {
    // A response with immutable headers (a redirect made by Response.redirect) keeps its own.
  }
  return res;
}

export function errorResponse(err: unknown, requestId: string): Response {
  const { status, ...body } = toSafeError(err, requestId);
  return withEdgeHeaders(Response.json(body, { status, headers: errorHeaders(status) }), requestId);
}

/**
 * The body of a request as text, read from the stream and abandoned as soon as it passes `limit`
 * bytes: a chunked body (no Content-Length) or one that lies about its length is never held
 * whole in memory. The rest is left unread rather than cancelled: cancelling destroys the socket
 * before the 400 can be written, and an unread body only parks the connection until Node's
 * keep-alive timeout.
 */
export async function readBodyText(req: Request, limit = MAX_BODY): Promise<string> {
  const declared = Number(req.headers.get("content-length") ?? 0);
  if (declared > limit) throw tooLarge();
  if (!req.body) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      reader.releaseLock();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** The JSON body of a request: at most 1 MB, an object, or a 400 that changes nothing. */
export async function jsonBody(req: Request): Promise<Record<string, unknown>> {
  return parseJsonObject(await readBodyText(req));
}

/**
 * A request that authenticates with the session cookie may only write from our own pages, as
 * application/json (lib/domain/request-origin.ts). Bearer-token callers are scripts: a foreign
 * page cannot make a browser send their header, so they are not asked.
 */
function assertSameOriginIfCookie(req: Request): void {
  if (req.headers.get("authorization")) return;
  const verdict = checkCookieRequest({
    method: req.method,
    origin: req.headers.get("origin"),
    secFetchSite: req.headers.get("sec-fetch-site"),
    contentType: req.headers.get("content-type"),
    allowed: publicOrigins(process.env.NEXTAUTH_URL, req.headers.get("host")),
  });
  if (!verdict.ok) throw new AppError("forbidden", verdict.message, { reason: verdict.reason }, verdict.reason);
}

export function apiRoute<P>(fn: (ctx: { req: Request; actor: SessionUser; params: P; requestId: string }) => Promise<unknown>) {
  return async (req: Request, context: { params: Promise<P> }): Promise<Response> => {
    const requestId = requestIdOf(req.headers.get("x-request-id"));
    try {
      const params = await context.params;
      const badId = badPathId(params as Record<string, unknown>);
      if (badId) throw new AppError("bad_request", badId);
      assertSameOriginIfCookie(req);
      const actor = await actorFromRequest(req);
      const result = await fn({ req, actor, params, requestId });
      return withEdgeHeaders(result instanceof Response ? result : Response.json(result), requestId);
    } catch (err) {
      return errorResponse(err, requestId);
    }
  };
}

/**
 * The handler of one row of the route table (lib/api/routes.ts), for its Next route file: the
 * body (POST) or query string (GET) and the path's parameters make the input.
 */
export function tableRoute(method: Method, path: string) {
  const route = routeOf(method, path);
  if (route.receive) return receiverRoute(route);
  return apiRoute<Record<string, string>>(async ({ req, actor, params, requestId }) => {
    const data = method === "POST" ? await jsonBody(req) : Object.fromEntries(new URL(req.url).searchParams);
    const flag = route.dryRun ? new URL(req.url).searchParams.get("dryRun") : null;
    const run = route.dryRun && (flag === "1" || flag === "true") ? { ...route, command: route.dryRun, status: 200 } : route;
    // Next gives no params object to a route without dynamic segments.
    const result = await runRoute(run, { actor, params: decodeParams(params ?? {}), data, requestId });
    if (result instanceof Response) return result;
    return Response.json(result ?? null, { status: run.status ?? 200 });
  });
}

/** A receiver row: its handler authenticates the caller itself; the session is never looked at. */
function receiverRoute(route: RouteDef) {
  return async (req: Request, context: { params: Promise<Record<string, string>> }): Promise<Response> => {
    const requestId = requestIdOf(req.headers.get("x-request-id"));
    try {
      const params = decodeParams((await context.params) ?? {});
      const badId = badPathId(params);
      if (badId) throw new AppError("bad_request", badId);
      const data = await jsonBody(req);
      // lib/server/main.ts replaces x-forwarded-for with the address it trusts.
      const address = clientAddress({ peer: req.headers.get("x-forwarded-for"), forwardedFor: null, trustProxy: false });
      const result = await runRoute(route, { actor: NO_USER, params, data, requestId, authorization: req.headers.get("authorization"), address });
      return withEdgeHeaders(Response.json(result ?? null, { status: route.status ?? 200 }), requestId);
    } catch (err) {
      return errorResponse(err, requestId);
    }
  };
}
