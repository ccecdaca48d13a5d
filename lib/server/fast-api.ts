// The REST commands that scripts and automation hit hardest (sign-off, undo, N/A, votes, rollback,
// and POST /api/v1/commands/{name}), served straight from the custom server when the caller sends
// a bearer token: Next's route pipeline costs several milliseconds of CPU per request, more than
// the command itself. The routes are the rows of the one route table marked `fast`
// (lib/api/routes.ts), run by the same runRoute and dispatcher, with the same authentication
// (lib/auth/actor.ts), body rules and error shape as the Next route
// files in app/api/v1, which still answer browser (cookie) callers on the same paths.
import type { IncomingMessage, ServerResponse } from "node:http";
import { MAX_BODY, parseJsonObject, tooLarge } from "@/lib/api/json-body";
import { matchRoute, requestIdOf, runRoute, type RouteDef } from "@/lib/api/routes";
import { resolveActor } from "@/lib/auth/actor";
import { badPathId } from "@/lib/domain/request-input";
import { baseSecurityHeaders } from "@/lib/domain/security-headers";
import { AppError, errorHeaders, toSafeError } from "@/lib/errors";

/** A fast route of the table with a bearer token; null hands the request to Next. */
function match(req: IncomingMessage): { route: RouteDef; params: Record<string, string> } | null {
  if (req.method !== "POST" || !req.headers.authorization) return null;
  const pathname = (req.url ?? "/").split("?")[0]!;
  if (!pathname.startsWith("/api/v1/")) return null;
  try {
    return matchRoute("POST", pathname, (r) => r.fast === true);
  } catch {
    // A malformed parameter: Next answers it (the same table, the same 400).
    return null;
  }
}

/**
 * The body, counted as it streams in (chunked bodies included): past MAX_BODY nothing more is
 * kept and the rest is discarded as it arrives, so the 400 still reaches the caller.
 */
function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const refuse = () => {
      req.removeAllListeners("data");
      req.removeAllListeners("end");
      req.resume();
      reject(tooLarge());
    };
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > MAX_BODY) return refuse();
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        chunks.length = 0;
        return refuse();
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown, requestId: string) {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...baseSecurityHeaders({ publicUrl: process.env.NEXTAUTH_URL }), ...errorHeaders(status), "content-type": "application/json", "content-length": Buffer.byteLength(text), "x-request-id": requestId });
  res.end(text);
}

/** Serves the request if it is one of the fast routes with a bearer token; false hands it to Next. */
export function serveFastApi(req: IncomingMessage, res: ServerResponse): boolean {
  const hit = match(req);
  if (!hit) return false;
  const requestId = requestIdOf(req.headers["x-request-id"]);
  void (async () => {
    try {
      const actor = await resolveActor({ authorization: req.headers.authorization });
      if (!actor) throw new AppError("unauthorized", "Send an API token");
      const badId = badPathId(hit.params);
      if (badId) throw new AppError("bad_request", badId);
      const data = parseJsonObject(await readBody(req));
      const result = await runRoute(hit.route, { actor, params: hit.params, data, requestId });
      send(res, hit.route.status ?? 200, result ?? null, requestId);
    } catch (err) {
      const { status, ...body } = toSafeError(err, requestId);
      send(res, status, body, requestId);
    }
  })();
  return true;
}
