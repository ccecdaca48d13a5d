"use server";
// The room's one server action: authenticate, then dispatch to the command table (which
// validates the input with zod and checks the caller's role on the server).
import { randomUUID } from "node:crypto";
import { currentUser } from "@/lib/auth/session";
import { toSafeError } from "@/lib/errors";
import { isCommandName, runCommand, type CommandName } from "@/lib/services/commands";

export type ActionResult = { ok: true; data: unknown } | { ok: false; error: string; message: string; status: number; details?: unknown };

export async function roomAction(name: CommandName, input: unknown): Promise<ActionResult> {
  const requestId = randomUUID();
  try {
    const user = await currentUser();
    if (!user) return { ok: false, error: "unauthorized", message: "Your session ended: sign in again", status: 401 };
    if (typeof name !== "string" || !isCommandName(name)) return { ok: false, error: "bad_request", message: "Unknown command", status: 400 };
    const data = await runCommand(user, name, input as never, requestId);
    return { ok: true, data: JSON.parse(JSON.stringify(data ?? null)) };
  } catch (err) {
    return { ok: false, ...toSafeError(err, requestId) };
  }
}
