"use server";
// API tokens of the signed-in user: create (the token is shown once) and revoke.
import { randomUUID } from "node:crypto";
import { revalidatePath } from "next/cache";
import { currentUser } from "@/lib/auth/session";
import { toSafeError } from "@/lib/errors";
import { createApiToken, revokeApiToken } from "@/lib/services/api-tokens";
import type { ActionResult } from "./room";

export async function createTokenAction(name: string): Promise<ActionResult> {
  const user = await currentUser();
  if (!user) return { ok: false, error: "unauthorized", message: "Your session ended: sign in again", status: 401 };
  try {
    const created = await createApiToken(user, { name });
    revalidatePath("/settings/tokens");
    return { ok: true, data: { id: created.id, name: created.name, token: created.token } };
  } catch (err) {
    return { ok: false, ...toSafeError(err, randomUUID()) };
  }
}

export async function revokeTokenAction(tokenId: string): Promise<ActionResult> {
  const user = await currentUser();
  if (!user) return { ok: false, error: "unauthorized", message: "Your session ended: sign in again", status: 401 };
  try {
    const r = await revokeApiToken(user, { tokenId });
    revalidatePath("/settings/tokens");
    return { ok: true, data: r };
  } catch (err) {
    return { ok: false, ...toSafeError(err, randomUUID()) };
  }
}
