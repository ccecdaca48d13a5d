// The REST commands that scripts and automation hit hardest (sign-off, undo, N/A, votes, rollback,
// and POST /api/v1/commands/{name}), served straight from the custom server when the caller sends
// a bearer token: Next's route pipeline costs several milliseconds of CPU per request, more than
// the command itself. Same authentication (lib/auth/actor.ts), same body rules (lib/api/route.ts),
// same command table (lib/services/commands.ts) and same error shape as the Next route files in
// app/api/v1, which still answer browser (cookie) callers on the same paths.
import type { IncomingMessage, ServerResponse } from "node:http";
import { randomUUID } from "node:crypto";
import { MAX_BODY, parseJsonObject, tooLarge } from "@/lib/api/json-body";
import { actorFromBearer } from "@/lib/auth/bearer";
import { acceptRequestId, badPathId } from "@/lib/domain/request-input";
import { baseSecurityHeaders } from "@/lib/domain/security-headers";
import { AppError, toSafeError } from "@/lib/errors";
import { isCommandName, runCommand, type CommandName } from "@/lib/services/commands";

interface FastRoute {
  pattern: RegExp;
  command: (m: RegExpExecArray) => string;
  params: (m: RegExpExecArray) => Record<string, string>;
}

const SEG = "([^/?#]+)";
const ROUTES: FastRoute[] = [
  { pattern: new RegExp(`^/api/v1/cutovers/${SEG}/items/${SEG}/signoff$`), command: () => "item.sign_off", params: (m) => ({ cutoverId: m[1]!, itemId: m[2]! }) },
  { pattern: new RegExp(`^/api/v1/cutovers/${SEG}/items/${SEG}/undo$`), command: () => "item.undo", params: (m) => ({ cutoverId: m[1]!, itemId: m[2]! }) },
  { pattern: new RegExp(`^/api/v1/cutovers/${SEG}/items/${SEG}/not-applicable$`), command: () => "item.not_applicable", params: (m) => ({ cutoverId: m[1]!, itemId: m[2]! }) },
  { pattern: new RegExp(`^/api/v1/cutovers/${SEG}/decisions/${SEG}/votes$`), command: () => "decision.vote", params: (m) => ({ cutoverId: m[1]!, decisionId: m[2]! }) },
  { pattern: new RegExp(`^/api/v1/cutovers/${SEG}/rollback$`), command: () => "rollback.execute", params: (m) => ({ cutoverId: m[1]! }) },
  { pattern: new RegExp(`^/api/v1/commands/${SEG}$`), command: (m) => m[1]!, params: () => ({}) },
];

function match(req: IncomingMessage): { route: FastRoute; m: RegExpExecArray } | null {
  if (req.method !== "POST" || !req.headers.authorization) return null;
  const pathname = (req.url ?? "/").split("?")[0]!;
  if (!pathname.startsWith("/api/v1/")) return null;
  for (const route of ROUTES) {
    const m = route.pattern.exec(pathname);
    if (m) return { route, m };
  }
  return null;
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
  res.writeHead(status, { ...baseSecurityHeaders({ publicUrl: process.env.NEXTAUTH_URL }), "content-type": "application/json", "content-length": Buffer.byteLength(text), "x-request-id": requestId });
  res.end(text);
}

/** Serves the request if it is one of the fast routes with a bearer token; false hands it to Next. */
export function serveFastApi(req: IncomingMessage, res: ServerResponse): boolean {
  const hit = match(req);
  if (!hit) return false;
  const header = req.headers["x-request-id"];
  const requestId = acceptRequestId(typeof header === "string" ? header : null) ?? randomUUID();
  void (async () => {
    try {
      const actor = await actorFromBearer(req.headers.authorization!);
      const name = hit.route.command(hit.m);
      if (!isCommandName(name)) throw new AppError("not_found", `Unknown command "${name.slice(0, 100)}"`);
      let params: Record<string, string>;
      try {
        params = Object.fromEntries(Object.entries(hit.route.params(hit.m)).map(([k, v]) => [k, decodeURIComponent(v)]));
      } catch {
        throw new AppError("bad_request", "Malformed path");
      }
      const badId = badPathId(params);
      if (badId) throw new AppError("bad_request", badId);
      const body = parseJsonObject(await readBody(req));
      const result = await runCommand(actor, name as CommandName, { ...body, ...params } as never, requestId);
      send(res, 200, result, requestId);
    } catch (err) {
      const { status, ...body } = toSafeError(err, requestId);
      send(res, status, body, requestId);
    }
  })();
  return true;
}
