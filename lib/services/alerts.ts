// Alerts from Alertmanager: the per-cutover bearer token (made and revoked through the command
// table), the webhook endpoint's use case (POST /api/v1/alertmanager/{cutoverId}) and the room's
// list. The endpoint is the one write made by no user: its credential is the cutover's token, its
// audit rows name "Alertmanager", and it goes through recordChange like every other writer.
//
// Answers, in this order, so that nobody without a token learns which cutovers exist:
//   no token of the right shape            → 401 (counted against the caller's address)
//   too many bad tokens from that address  → 429
//   a token that is unknown or revoked     → 401 (counted)
//   a real token of another cutover, or a cutover that does not exist → 404 (the same answer)
//   a payload that is not Alertmanager's version 4 → 400, nothing stored
//   more than ACCEPTED_PER_MINUTE notifications for one cutover → 429
import { randomBytes, timingSafeEqual } from "node:crypto";
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { z } from "zod";
import { db, type Tx } from "@/lib/db/client";
import { hashToken } from "@/lib/auth/token-hash";
import { AppError } from "@/lib/errors";
import { ALERT_TOKEN_PREFIX, alertAuditAction, alertChange, alertmanagerPayloadSchema, alertTokenOf, isCritical, receivedAlert, sortAlerts, type ReceivedAlert } from "@/lib/domain/alerts";
import { announce } from "@/lib/realtime/bus";
import { alertsListInput, alertTokenCreateInput, alertTokenRevokeInput } from "@/lib/schemas/alerts";
import { recordChange } from "./audit";
import { requireFound, withCutover, type Actor, type CutoverContext } from "./context";
import { parseInput } from "./parse-input";
import { evaluateAlertTriggers } from "./triggers";
import { openIncident, resolveIncident } from "./incidents";

export const ALERTMANAGER_ACTOR = "Alertmanager";
export const alertmanagerPath = (cutoverId: string) => `/api/v1/alertmanager/${cutoverId}`;

// --- the token -------------------------------------------------------------------------------

export async function createAlertToken(ctx: CutoverContext, input: z.output<typeof alertTokenCreateInput>) {
  const token = ALERT_TOKEN_PREFIX + randomBytes(32).toString("base64url");
  const row = await ctx.tx.alertmanagerToken.create({ data: { cutoverId: input.cutoverId, tokenHash: hashToken(token), createdBy: ctx.actor.name }, select: { id: true, createdAt: true } });
  // The token itself is in the answer only: never in the audit log, never readable again.
  await ctx.record("alerts.token_created", `alertmanager_token:${row.id}`, { after: { tokenId: row.id } });
  return { tokenId: row.id, token, path: alertmanagerPath(input.cutoverId) };
}

export async function revokeAlertToken(ctx: CutoverContext, input: z.output<typeof alertTokenRevokeInput>) {
  const row = requireFound(await ctx.tx.alertmanagerToken.findFirst({ where: { id: input.tokenId, cutoverId: input.cutoverId, revokedAt: null } }), "Active Alertmanager token");
  await ctx.tx.alertmanagerToken.update({ where: { id: row.id }, data: { revokedAt: new Date() } });
  await ctx.record("alerts.token_revoked", `alertmanager_token:${row.id}`, { before: { tokenId: row.id } });
  return { tokenId: row.id };
}

// --- the room's list -------------------------------------------------------------------------

const RESOLVED_SHOWN = 50;

/**
 * Firing alerts, then the recently resolved ones; the tokens for those who manage them. The
 * stored labels stay out (an `instance` label names an internal host).
 */
export async function listAlerts(actor: Actor, raw: z.input<typeof alertsListInput>) {
  const input = parseInput(alertsListInput, raw);
  return withCutover(actor, input.cutoverId, "cutover.view", async (ctx) => {
    const select = { id: true, fingerprint: true, alertname: true, severity: true, status: true, summary: true, description: true, startsAt: true, endsAt: true, lastSeenAt: true, changedAt: true } as const;
    const firing = await ctx.tx.alert.findMany({ where: { cutoverId: input.cutoverId, status: "firing" }, select, orderBy: { startsAt: "asc" }, take: 200 });
    const resolved = await ctx.tx.alert.findMany({ where: { cutoverId: input.cutoverId, status: "resolved" }, select, orderBy: { changedAt: "desc" }, take: RESOLVED_SHOWN });
    const manage = ctx.can("alerts.manage");
    const tokens = manage
      ? await ctx.tx.alertmanagerToken.findMany({ where: { cutoverId: input.cutoverId, revokedAt: null }, select: { id: true, createdBy: true, createdAt: true, lastUsedAt: true }, orderBy: { createdAt: "asc" } })
      : null;
    const iso = (d: Date | null) => d?.toISOString() ?? null;
    return {
      path: alertmanagerPath(input.cutoverId),
      canManage: manage,
      tokens: tokens?.map((t) => ({ id: t.id, createdBy: t.createdBy, createdAt: t.createdAt.toISOString(), lastUsedAt: iso(t.lastUsedAt) })) ?? null,
      alerts: sortAlerts([...firing, ...resolved]).map((a) => ({ ...a, startsAt: a.startsAt.toISOString(), endsAt: iso(a.endsAt), lastSeenAt: a.lastSeenAt.toISOString(), changedAt: a.changedAt.toISOString() })),
    };
  });
}
export type AlertsView = Awaited<ReturnType<typeof listAlerts>>;

// --- the endpoint ----------------------------------------------------------------------------


/** Bad tokens per address (10 minutes), and accepted notifications per cutover (a minute). */
export const BAD_TOKENS_PER_ADDRESS = 30;
export const ACCEPTED_PER_MINUTE = 600;
const holder = globalThis as unknown as { __warroomAlertLimits?: { bad: RateLimiterMemory; accepted: RateLimiterMemory } };
const limits = () => (holder.__warroomAlertLimits ??= { bad: new RateLimiterMemory({ points: BAD_TOKENS_PER_ADDRESS, duration: 600 }), accepted: new RateLimiterMemory({ points: ACCEPTED_PER_MINUTE, duration: 60 }) });

/** For tests: forget every count. */
export function resetAlertLimits() {
  delete holder.__warroomAlertLimits;
}

function tooMany(res: RateLimiterRes, what: string): AppError {
  const sec = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
  return new AppError("too_many_requests", `${what}: try again in ${sec} s`, { retryAfterSec: sec });
}

async function refuseToken(address: string, message: string): Promise<never> {
  await limits()
    .bad.consume(address)
    .catch(() => undefined);
  throw new AppError("unauthorized", message);
}

export interface AlertmanagerRequest {
  authorization: string | null | undefined;
  cutoverId: string;
  body: unknown;
  /** The caller's address, as lib/server/main.ts trusts it. */
  address: string;
  requestId?: string;
}

/** One notification of Alertmanager into a cutover: stores each alert by fingerprint, records changes of status. */
export async function receiveAlertmanager(req: AlertmanagerRequest): Promise<{ received: number; changed: number }> {
  const blocked = await limits().bad.get(req.address);
  if (blocked && blocked.consumedPoints >= BAD_TOKENS_PER_ADDRESS) throw tooMany(blocked, "Too many requests with a wrong Alertmanager token");
  const token = alertTokenOf(req.authorization);
  if (!token) return refuseToken(req.address, "Send this cutover's Alertmanager token: Authorization: Bearer wram_…");
  const hash = hashToken(token);
  const row = await db().alertmanagerToken.findUnique({ where: { tokenHash: hash }, select: { id: true, cutoverId: true, tokenHash: true, revokedAt: true, lastUsedAt: true, cutover: { select: { mode: true } } } });
  // The lookup is by hash, so timing says nothing about the token; compare again in constant time anyway.
  if (!row || row.revokedAt || !timingSafeEqual(Buffer.from(row.tokenHash), Buffer.from(hash))) return refuseToken(req.address, "Unknown or revoked Alertmanager token");
  if (row.cutoverId !== req.cutoverId) throw new AppError("not_found", "No such cutover for this token");

  const parsed = alertmanagerPayloadSchema.safeParse(req.body);
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    throw new AppError("bad_request", `Not an Alertmanager webhook payload (version 4): ${first.path.map(String).join(".") || "body"}: ${first.message}`);
  }
  try {
    await limits().accepted.consume(row.cutoverId);
  } catch (res) {
    if (res instanceof RateLimiterRes) throw tooMany(res, "Too many Alertmanager notifications for this cutover");
    throw res;
  }

  const now = new Date();
  // One alert per fingerprint: within one notification the last one wins.
  const alerts = [...new Map(parsed.data.alerts.map((a) => [a.fingerprint, receivedAlert(a, now)])).values()];
  const changedAlerts: ReceivedAlert[] = [];
  await db().$transaction(
    async (tx) => {
      // Notifications of one cutover are stored one after the other: a fingerprint is inserted once.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`alerts:${row.cutoverId}`}))`;
      const stored = new Map((await tx.alert.findMany({ where: { cutoverId: row.cutoverId, fingerprint: { in: alerts.map((a) => a.fingerprint) } }, select: { id: true, fingerprint: true, status: true } })).map((a) => [a.fingerprint, a]));
      const repeats: string[] = [];
      for (const a of alerts) {
        const before = stored.get(a.fingerprint);
        const change = alertChange(before?.status ?? null, a.status);
        if (change === "repeat") {
          repeats.push(a.fingerprint);
          continue;
        }
        // A first notification that the alert is already resolved is kept but not announced as a change of anything the room saw.
        const fields = { alertname: a.alertname, severity: a.severity, status: a.status, summary: a.summary, description: a.description, labels: a.labels, startsAt: a.startsAt, endsAt: a.endsAt, lastSeenAt: now, changedAt: now };
        const saved = before ? await tx.alert.update({ where: { id: before.id }, data: fields, select: { id: true } }) : await tx.alert.create({ data: { cutoverId: row.cutoverId, fingerprint: a.fingerprint, ...fields }, select: { id: true } });
        if (change === "new" && a.status === "resolved") continue;
        changedAlerts.push(a);
        await recordChange(tx, {
          cutoverId: row.cutoverId,
          actorId: null,
          actorName: ALERTMANAGER_ACTOR,
          role: null,
          action: alertAuditAction(a.status),
          subject: `alert:${saved.id}`,
          before: before ? { status: before.status } : null,
          after: { alertname: a.alertname, severity: a.severity, status: a.status, summary: a.summary, startsAt: a.startsAt.toISOString(), ...(a.endsAt && { endsAt: a.endsAt.toISOString() }) },
          requestId: req.requestId,
          rehearsal: row.cutover.mode === "rehearsal",
        });
        // A critical alert that starts firing opens an incident: the escalation ladder pages until
        // someone acknowledges it (lib/services/incidents.ts); it resolves with the alert.
        const incident = { cutoverId: row.cutoverId, subject: `alert:${saved.id}`, rehearsal: row.cutover.mode === "rehearsal" };
        if (a.status === "firing" && isCritical(a.severity)) await openIncident(tx, { ...incident, severity: "critical", title: `Critical alert firing: ${a.alertname}${a.summary ? `: ${a.summary}` : ""}`, openedBy: ALERTMANAGER_ACTOR });
        else if (a.status === "resolved") await resolveIncident(tx, { ...incident, resolvedBy: ALERTMANAGER_ACTOR });
      }
      if (repeats.length) await tx.alert.updateMany({ where: { cutoverId: row.cutoverId, fingerprint: { in: repeats } }, data: { lastSeenAt: now } });
      if (changedAlerts.length) await announce(tx, { type: "alert.state", cutoverId: row.cutoverId, actor: ALERTMANAGER_ACTOR, subject: changedAlerts.length === 1 ? `alert:${changedAlerts[0]!.fingerprint}` : "alerts" });
      // "Last used" to the minute is enough.
      if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 60_000) await tx.alertmanagerToken.update({ where: { id: row.id }, data: { lastUsedAt: now } });
    },
    { timeout: 15_000, maxWait: 10_000 },
  );
  // The alert triggers see the change now rather than at the leader's next tick (the version check
  // in lib/services/triggers.ts keeps the two evaluations from acting twice).
  if (changedAlerts.length) await evaluateAlertTriggers(now.getTime(), row.cutoverId).catch((err: unknown) => console.error(`[warroom] alert triggers of ${row.cutoverId}: ${(err as Error).message}`));
  return { received: alerts.length, changed: changedAlerts.length };
}
