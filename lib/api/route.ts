// One shape for every REST route: authenticate, run, map errors to JSON {error, message}.
import { randomUUID } from "node:crypto";
import { ZodError } from "zod";
import { actorFromRequest } from "@/lib/auth/actor";
import type { SessionUser } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";

export function errorResponse(err: unknown, requestId: string): Response {
  if (err instanceof AppError) return Response.json({ error: err.code, message: err.message, details: err.details }, { status: err.status });
  if (err instanceof ZodError) {
    const first = err.issues[0];
    return Response.json({ error: "bad_request", message: first ? `${first.path.join(".") || "input"}: ${first.message}` : "Invalid input" }, { status: 400 });
  }
  console.error(`[warroom] request ${requestId} failed:`, err);
  return Response.json({ error: "internal", message: `An unexpected error occurred (request ${requestId})` }, { status: 500 });
}

export function apiRoute<P>(fn: (ctx: { req: Request; actor: SessionUser; params: P; requestId: string }) => Promise<unknown>) {
  return async (req: Request, context: { params: Promise<P> }): Promise<Response> => {
    const requestId = req.headers.get("x-request-id") ?? randomUUID();
    try {
      const actor = await actorFromRequest(req);
      const result = await fn({ req, actor, params: await context.params, requestId });
      return result instanceof Response ? result : Response.json(result, { headers: { "x-request-id": requestId } });
    } catch (err) {
      return errorResponse(err, requestId);
    }
  };
}
