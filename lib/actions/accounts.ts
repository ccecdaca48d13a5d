"use server";
// Accepting an invitation or reset link (no session needed: the link is the credential), and the
// administrators' account commands, which go through the command table like every other change.
import { randomUUID } from "node:crypto";
import { revalidatePath } from "next/cache";
import { toSafeError } from "@/lib/errors";
import { acceptLink } from "@/lib/services/users";
import { roomAction, type ActionResult } from "./room";
import type { CommandName } from "@/lib/services/commands";

export async function acceptLinkAction(input: { token: string; name?: string; password: string }): Promise<ActionResult> {
  try {
    const r = await acceptLink(input);
    return { ok: true, data: { email: r.email, kind: r.kind } };
  } catch (err) {
    return { ok: false, ...toSafeError(err, randomUUID()) };
  }
}

type AccountCommand = Extract<CommandName, `user.${string}`>;

export async function accountAction(name: AccountCommand, input: unknown): Promise<ActionResult> {
  if (typeof name !== "string" || !name.startsWith("user.")) return { ok: false, error: "bad_request", message: "Unknown command", status: 400 };
  const r = await roomAction(name, input);
  if (r.ok) revalidatePath("/admin/users");
  return r;
}
