// Personal API tokens for scripts and CI: shown once, stored as a SHA-256 hash, revocable.
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { hashToken } from "@/lib/auth/token-hash";
import { AppError } from "@/lib/errors";
import { revokeTokenInput, tokenInput } from "@/lib/schemas/room";
import { forgetApiTokens } from "@/lib/auth/bearer";

const PREFIX = "wr_";

export async function createApiToken(user: { id: string }, raw: z.input<typeof tokenInput>) {
  const input = tokenInput.parse(raw);
  const token = PREFIX + randomBytes(24).toString("base64url");
  const row = await db().apiToken.create({ data: { userId: user.id, name: input.name, tokenHash: hashToken(token) }, select: { id: true, name: true, createdAt: true } });
  return { ...row, token };
}

export function listApiTokens(user: { id: string }) {
  return db().apiToken.findMany({ where: { userId: user.id }, orderBy: { createdAt: "desc" }, select: { id: true, name: true, createdAt: true, lastUsedAt: true, revokedAt: true } });
}

export async function revokeApiToken(user: { id: string }, raw: z.input<typeof revokeTokenInput>) {
  const input = revokeTokenInput.parse(raw);
  const changed = await db().apiToken.updateMany({ where: { id: input.tokenId, userId: user.id, revokedAt: null }, data: { revokedAt: new Date() } });
  if (changed.count !== 1) throw new AppError("not_found", "No such active token");
  forgetApiTokens();
  return { tokenId: input.tokenId };
}

/** WARROOM_ADMIN_TOKEN: an administrator's token for automation, registered at start. */
export async function registerAdminToken(token: string, log: (line: string) => void) {
  if (token.length < 20) throw new Error("WARROOM_ADMIN_TOKEN must be at least 20 characters");
  const tokenHash = hashToken(token);
  if (await db().apiToken.findUnique({ where: { tokenHash } })) return;
  const admin = await db().user.findFirst({ where: { isAdmin: true }, orderBy: { createdAt: "asc" }, select: { id: true, email: true } });
  if (!admin) {
    log("WARROOM_ADMIN_TOKEN is set but there is no administrator yet: the token is registered once one exists");
    return;
  }
  await db().apiToken.create({ data: { userId: admin.id, name: "WARROOM_ADMIN_TOKEN", tokenHash } });
  log(`registered WARROOM_ADMIN_TOKEN for ${admin.email}`);
}
