// One shape for every REST route: authenticate, run, map errors to JSON {error, message}.
import { actorFromRequest } from "@/lib/auth/actor";
import type { SessionUser } from "@/lib/auth/session";
import { AppError, toSafeError } from "@/lib/errors";
import { MAX_BODY, parseJsonObject } from "./json-body";
import { decodeParams, requestIdOf, routeOf, runRoute, type Method } from "./routes";

export function errorResponse(err: unknown, requestId: string): Response {
  const { status, ...body } = toSafeError(err, requestId);
  return Response.json(body, { status, headers: { "x-request-id": requestId } });
}

/** The JSON body of a request: at most 1 MB, an object, or a 400 that changes nothing. */
export async function jsonBody(req: Request): Promise<Record<string, unknown>> {
  const declared = Number(req.headers.get("content-length") ?? 0);
  if (declared > MAX_BODY) throw new AppError("bad_request", "Request body is larger than 1 MB");
  return parseJsonObject(await req.text());
}

export function apiRoute<P>(fn: (ctx: { req: Request; actor: SessionUser; params: P; requestId: string }) => Promise<unknown>) {
  return async (req: Request, context: { params: Promise<P> }): Promise<Response> => {
    const requestId = requestIdOf(req.headers.get("x-request-id"));
    try {
      const actor = await actorFromRequest(req);
      const result = await fn({ req, actor, params: await context.params, requestId });
      return result instanceof Response ? result : Response.json(result, { headers: { "x-request-id": requestId } });
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
  return apiRoute<Record<string, string>>(async ({ req, actor, params, requestId }) => {
    const data = method === "POST" ? await jsonBody(req) : Object.fromEntries(new URL(req.url).searchParams);
    // Next gives no params object to a route without dynamic segments.
    const result = await runRoute(route, { actor, params: decodeParams(params ?? {}), data, requestId });
    if (result instanceof Response) return result;
    return Response.json(result ?? null, { status: route.status ?? 200, headers: { "x-request-id": requestId } });
  });
}
