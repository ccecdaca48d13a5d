"use server";
// The room's one server action: the caller from the session cookie (lib/auth/actor.ts), then the
// row of the route table for POST /api/v1/commands/{name}, i.e. the one dispatcher
// (lib/services/commands.ts), which validates the input with zod, applies the permission table
// and records the change.
import { randomUUID } from "node:crypto";
import { currentUser } from "@/lib/auth/session";
import { toSafeError, type ErrorReason } from "@/lib/errors";
import { routeOf, runRoute } from "@/lib/api/routes";
import { isCommandName, type CommandName } from "@/lib/services/commands";

// The REST row POST /api/v1/commands/{name}: a server action is that route without HTTP.
const COMMAND_ROUTE = routeOf("POST", "/api/v1/commands/:name");

export type ActionResult = { ok: true; data: unknown } | { ok: false; error: string; message: string; status: number; reason?: ErrorReason; details?: unknown };

export async function roomAction(name: CommandName, input: unknown): Promise<ActionResult> {
  const requestId = randomUUID();
  try {
    const user = await currentUser();
    if (!user) return { ok: false, error: "unauthorized", message: "Your session ended: sign in again", status: 401 };
    if (!isCommandName(name)) return { ok: false, error: "bad_request", message: "Unknown command", status: 400 };
    if (typeof input !== "object" || input === null || Array.isArray(input)) return { ok: false, error: "bad_request", message: "input: must be an object", status: 400 };
    const data = await runRoute(COMMAND_ROUTE, { actor: user, params: { name }, data: input as Record<string, unknown>, requestId });
    return { ok: true, data: JSON.parse(JSON.stringify(data ?? null)) };
  } catch (err) {
    return { ok: false, ...toSafeError(err, requestId) };
  }
}
