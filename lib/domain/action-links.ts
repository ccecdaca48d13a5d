// Signed action links: "Vote GO" or "Confirm rollback" in a message, good for one action, one
// cutover, one recipient and a few minutes. The token is the claims as base64url JSON, a dot, and
// the HMAC-SHA256 of that text under a key of its own (derived from the server's secret with HKDF,
// so a session cookie's key never signs a link and the other way round). It is a credential of
// intent only: opening one still needs the recipient's session, and the server checks their roles
// and the state as for any other request. No I/O here.
import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from "node:crypto";
import { z } from "zod";

export const ACTION_LINK_VERSION = 1;
/** HKDF's info: this key signs action links and nothing else. */
const KEY_LABEL = "warroom action-link v1";
const MAX_TOKEN_LENGTH = 2000;

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);

export const actionLinkClaimsSchema = z.discriminatedUnion("action", [
  z.object({ v: z.literal(ACTION_LINK_VERSION), action: z.literal("decision.vote"), choice: z.enum(["GO", "NO_GO"]), cutoverId: uuid, subjectId: uuid, recipient: uuid, expiresAt: z.number().int(), jti: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/) }),
  z.object({ v: z.literal(ACTION_LINK_VERSION), action: z.literal("trigger.confirm"), cutoverId: uuid, subjectId: uuid, recipient: uuid, expiresAt: z.number().int(), jti: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/) }),
]);
export type ActionLinkClaims = z.output<typeof actionLinkClaimsSchema>;
/** Why a token is refused before anything is looked up, each in its own words (for the page and the tests). */
export const ACTION_LINK_REFUSALS = {
  malformed: "This link is incomplete or damaged: copy the whole link from the message, or act in the room.",
  bad_signature: "This link was not made by this war room (or was altered): act in the room instead.",
  unsupported_version: "This link was made by another version of the war room: act in the room instead.",
  expired: "This link has expired: links are good for a few minutes. Act in the room instead.",
} as const;
export type ActionLinkRefusal = keyof typeof ACTION_LINK_REFUSALS;

/** The key that signs links, derived from the server's secret (never the secret itself). */
export function deriveActionLinkKey(serverSecret: string): Buffer {
  if (!serverSecret) throw new Error("action links need the server's secret");
  return Buffer.from(hkdfSync("sha256", serverSecret, "", KEY_LABEL, 32));
}

export function newJti(): string {
  return randomBytes(18).toString("base64url");
}

function mac(body: string, key: Buffer): Buffer {
  return createHmac("sha256", key).update(body, "utf8").digest();
}

/** The claims of a link that expires `lifetimeMs` after `now`. */
export type ActionLinkRequest = ({ action: "decision.vote"; choice: "GO" | "NO_GO" } | { action: "trigger.confirm" }) & { cutoverId: string; subjectId: string; recipient: string };

export function actionLinkClaims(req: ActionLinkRequest, now: number, lifetimeMs: number, jti: string = newJti()): ActionLinkClaims {
  return actionLinkClaimsSchema.parse({ ...req, v: ACTION_LINK_VERSION, expiresAt: now + lifetimeMs, jti });
}

/** Signs claims as they are (the tests sign other versions and shapes with it too). */
export function signActionLink(claims: unknown, key: Buffer): string {
  const body = Buffer.from(JSON.stringify(claims), "utf8").toString("base64url");
  return `${body}.${mac(body, key).toString("base64url")}`;
}

export type VerifiedActionLink = { ok: true; claims: ActionLinkClaims } | { ok: false; reason: ActionLinkRefusal };

/**
 * The claims of a token made with `key`, or why not. The signature is checked (in constant time)
 * before the body is even parsed, so nothing an outsider wrote is interpreted.
 */
export function verifyActionLink(token: string, key: Buffer, now: number): VerifiedActionLink {
  if (typeof token !== "string" || token.length > MAX_TOKEN_LENGTH) return { ok: false, reason: "malformed" };
  const m = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return { ok: false, reason: "malformed" };
  const [, body, sig] = m as unknown as [string, string, string];
  const given = Buffer.from(sig, "base64url");
  // base64url of 43 characters carries 258 bits: a changed last character may decode to the same
  // 32 bytes, so the text itself must be the canonical encoding too.
  if (given.length !== 32 || given.toString("base64url") !== sig || !timingSafeEqual(given, mac(body, key))) return { ok: false, reason: "bad_signature" };
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
  } catch {
    return { ok: false, reason: "malformed" };
  }
  if (typeof raw !== "object" || raw === null || (raw as { v?: unknown }).v !== ACTION_LINK_VERSION) return { ok: false, reason: typeof raw === "object" && raw !== null && "v" in raw ? "unsupported_version" : "malformed" };
  const parsed = actionLinkClaimsSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, reason: "malformed" };
  if (parsed.data.expiresAt <= now) return { ok: false, reason: "expired" };
  return { ok: true, claims: parsed.data };
}

/** The words of a link's action, as a button and the page say them. */
export function actionLinkLabel(claims: Pick<ActionLinkClaims, "action"> & { choice?: "GO" | "NO_GO" }, trigger?: { action: string; shiftToPercent: number | null }): string {
  if (claims.action === "decision.vote") return claims.choice === "GO" ? "Vote GO" : "Vote NO-GO";
  if (trigger?.action === "shift") return `Confirm shift of new to ${trigger.shiftToPercent} %`;
  return "Confirm rollback";
}
