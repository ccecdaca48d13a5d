// The integrations catalog: administrators define webhook and TCP-HAProxy routers, webhook hooks
// and Prometheus sources once, by name; cutovers pick them by name. Whatever runs a program or
// names a server path is refused here: it belongs to the operator's configuration file.
// Secrets are encrypted into their own column and appear nowhere else (views, audit rows).
import ipaddr from "ipaddr.js";
import { z } from "zod";
import { db, type Tx } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { canGlobal, type GlobalAction } from "@/lib/domain/permissions";
import { serverConfig } from "@/lib/config/server-config";
import { decryptSecret, encryptSecret } from "@/lib/secrets/crypto";
import { forgetIntegrations, refreshOutboundAllowList } from "@/lib/integrations/resolve";
import {
  describeSettings,
  destinations,
  fileOnlyReason,
  INTEGRATION_KINDS,
  INTEGRATION_TYPES,
  integrationName,
  parseIntegrationSettings,
  secretFields,
  type IntegrationType,
} from "@/lib/integrations/schemas";
import { recordChange } from "./audit";
import type { Actor } from "./context";
import type { IntegrationsView } from "@/lib/schemas/views";

export const integrationSaveInput = z.object({
  name: integrationName,
  type: z.enum(INTEGRATION_TYPES),
  kind: z.enum(INTEGRATION_KINDS),
  /**
   * The settings. A secret field (`secret`; `auth` for Prometheus) left out keeps the stored one
   * only while the address it is sent to stays the same; null removes it.
   */
  config: z.record(z.string(), z.unknown()),
});
export const integrationRemoveInput = z.object({ name: integrationName });

/** A host name, an IP address or a CIDR range. */
const hostPattern = z
  .string()
  .trim()
  .toLowerCase()
  .max(255)
  .refine((h) => {
    if (h.includes("/")) {
      try {
        ipaddr.parseCIDR(h);
        return true;
      } catch {
        return false;
      }
    }
    return ipaddr.isValid(h) || /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/.test(h);
  }, "expected a host name, an IP address or a CIDR range such as 10.0.0.0/8");
export const outboundAllowInput = z.object({ host: hostPattern, note: z.string().trim().max(200).optional() });
export const outboundDisallowInput = z.object({ host: hostPattern });

/** The global permission, checked against the stored user (a just-revoked administrator is refused at once). */
async function requireGlobal(tx: Tx, actor: Actor, action: GlobalAction) {
  const user = await tx.user.findUnique({ where: { id: actor.id }, select: { isAdmin: true, isPlanner: true, disabledAt: true } });
  if (!user || user.disabledAt || !canGlobal(user, action)) throw new AppError("forbidden", "Only administrators manage integrations");
}

function inTx<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db().$transaction(fn, { timeout: 15_000, maxWait: 10_000 });
}

const audit = (tx: Tx, actor: Actor, action: string, subject: string, change: { before?: unknown; after?: unknown }, requestId?: string) =>
  // Global changes belong to no cutover; the bus carries cutover events only, so nothing is announced.
  recordChange(tx, { cutoverId: null, actorId: actor.id, actorName: actor.name, role: "ADMINISTRATOR", action, subject, ...change, requestId, rehearsal: false }, null);

function pick(o: Record<string, unknown>, keys: readonly string[]) {
  return Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));
}
function omit(o: Record<string, unknown>, keys: readonly string[]) {
  return Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)));
}
const removesSecret = (v: unknown) => v === null || v === "" || (typeof v === "object" && v !== null && (v as { kind?: string }).kind === "none");

function summary(type: IntegrationType, kind: string, config: Record<string, unknown>, hasSecret: boolean) {
  return { type, kind, settings: describeSettings(type, kind, config), hasSecret };
}

export async function saveIntegration(actor: Actor, input: z.output<typeof integrationSaveInput>, requestId?: string) {
  return inTx(async (tx) => {
    await requireGlobal(tx, actor, "integrations.manage");
    const why = fileOnlyReason(input.type, input.kind, input.config);
    if (why) throw new AppError("bad_request", why);
    if (serverConfig().integrations.some((i) => i.name === input.name)) throw new AppError("conflict", `"${input.name}" is defined in the server configuration file: choose another name`);
    const existing = await tx.integration.findUnique({ where: { name: input.name } });
    if (existing && existing.type !== input.type) throw new AppError("conflict", `"${input.name}" is a ${existing.type}: remove it first to reuse the name for a ${input.type}`);

    const fields = secretFields(input.type, input.kind);
    const plain = omit(input.config, fields);
    const given = pick(input.config, fields);
    let kept: Record<string, unknown> = {};
    const missing = fields.filter((f) => input.config[f] === undefined);
    if (existing?.secret && missing.length && existing.kind === input.kind) {
      const old = JSON.parse(decryptSecret(existing.secret)) as Record<string, unknown>;
      const oldMissing = pick(old, missing);
      if (Object.keys(oldMissing).length) {
        // A secret is never carried to a new address: whoever changes where it goes types it again.
        if (destinations(existing.config as Record<string, unknown>) !== destinations(plain)) {
          throw new AppError("bad_request", `The address changed: enter the ${missing.join(" and ")} again (or remove it) so the stored one is not sent to the new address`);
        }
        kept = oldMissing;
      }
    }
    const secrets = { ...kept, ...Object.fromEntries(Object.entries(given).filter(([, v]) => !removesSecret(v))) };
    const parsed = parseIntegrationSettings(input.type, input.kind, { ...plain, ...secrets });
    if (!parsed.ok) throw new AppError("bad_request", `${input.name}: ${parsed.error}`);
    const full = parsed.value.config as Record<string, unknown>;
    const stored = omit(full, fields);
    const secretPart = pick(full, fields);
    const secret = Object.keys(secretPart).length ? encryptSecret(JSON.stringify(secretPart)) : null;
    const data = { type: input.type, kind: input.kind, config: stored as object, secret };
    const row = existing
      ? await tx.integration.update({ where: { id: existing.id }, data })
      : await tx.integration.create({ data: { ...data, name: input.name, createdById: actor.id } });
    await audit(tx, actor, existing ? "integration.updated" : "integration.created", `integration:${input.name}`, {
      before: existing ? summary(existing.type as IntegrationType, existing.kind, existing.config as Record<string, unknown>, existing.secret !== null) : undefined,
      after: summary(input.type, input.kind, stored, secret !== null),
    }, requestId);
    forgetIntegrations();
    return { name: row.name, type: row.type, kind: row.kind, hasSecret: secret !== null };
  });
}

export async function removeIntegration(actor: Actor, input: z.output<typeof integrationRemoveInput>, requestId?: string) {
  return inTx(async (tx) => {
    await requireGlobal(tx, actor, "integrations.manage");
    if (serverConfig().integrations.some((i) => i.name === input.name)) throw new AppError("bad_request", `"${input.name}" is defined in the server configuration file: change it there`);
    const existing = await tx.integration.findUnique({ where: { name: input.name } });
    if (!existing) throw new AppError("not_found", `No integration named "${input.name}"`);
    const used =
      (await tx.cutover.count({ where: { OR: [{ routerIntegration: input.name }, { prometheusSource: input.name }, { notifyChannels: { has: input.name } }] } })) +
      (await tx.rollbackHook.count({ where: { integration: input.name } }));
    if (used) throw new AppError("conflict", `"${input.name}" is used by ${used} cutover setting${used === 1 ? "" : "s"}: pick another one there first`);
    await tx.integration.delete({ where: { id: existing.id } });
    await audit(tx, actor, "integration.removed", `integration:${input.name}`, { before: summary(existing.type as IntegrationType, existing.kind, existing.config as Record<string, unknown>, existing.secret !== null) }, requestId);
    forgetIntegrations();
    return { name: input.name };
  });
}

export async function allowOutboundHost(actor: Actor, input: z.output<typeof outboundAllowInput>, requestId?: string) {
  const result = await inTx(async (tx) => {
    await requireGlobal(tx, actor, "integrations.manage");
    const before = await tx.outboundAllowedHost.findUnique({ where: { host: input.host } });
    await tx.outboundAllowedHost.upsert({ where: { host: input.host }, create: { host: input.host, note: input.note ?? null }, update: { note: input.note ?? null } });
    await audit(tx, actor, "outbound.allowed", `host:${input.host}`, { before: before ? { note: before.note } : undefined, after: { host: input.host, note: input.note ?? null } }, requestId);
    return { host: input.host };
  });
  refreshOutboundAllowList();
  return result;
}

export async function disallowOutboundHost(actor: Actor, input: z.output<typeof outboundDisallowInput>, requestId?: string) {
  const result = await inTx(async (tx) => {
    await requireGlobal(tx, actor, "integrations.manage");
    const before = await tx.outboundAllowedHost.findUnique({ where: { host: input.host } });
    if (!before) throw new AppError("not_found", `${input.host} is not on the allow-list${serverConfig().allowHosts.includes(input.host) ? " of the app (it is in the server configuration file)" : ""}`);
    await tx.outboundAllowedHost.delete({ where: { host: input.host } });
    await audit(tx, actor, "outbound.disallowed", `host:${input.host}`, { before: { host: before.host, note: before.note } }, requestId);
    return { host: input.host };
  });
  refreshOutboundAllowList();
  return result;
}

/** The administration page: every integration (file ones read-only, settings described, never secrets) and the allow-list. */
export async function getIntegrationsView(actor: Actor): Promise<IntegrationsView> {
  return inTx(async (tx) => {
    await requireGlobal(tx, actor, "integrations.manage");
    const file = serverConfig();
    const rows = await tx.integration.findMany({ orderBy: { name: "asc" } });
    const hosts = await tx.outboundAllowedHost.findMany({ orderBy: { host: "asc" } });
    const usage = new Map<string, number>();
    const count = (n: string | null) => n && usage.set(n, (usage.get(n) ?? 0) + 1);
    for (const c of await tx.cutover.findMany({ select: { routerIntegration: true, prometheusSource: true, notifyChannels: true } })) {
      count(c.routerIntegration);
      count(c.prometheusSource);
      c.notifyChannels.forEach(count);
    }
    for (const h of await tx.rollbackHook.findMany({ select: { integration: true } })) count(h.integration);
    // The catalog's own history (its audit rows belong to no cutover, so no room shows them).
    const changes = await tx.auditEvent.findMany({
      where: { cutoverId: null, OR: [{ subject: { startsWith: "integration:" } }, { subject: { startsWith: "host:" } }] },
      orderBy: { at: "desc" },
      take: 20,
      select: { at: true, actorName: true, action: true, subject: true },
    });
    return {
      changes: changes.map((c) => ({ at: c.at.toISOString(), actor: c.actorName, action: c.action, subject: c.subject })),
      integrations: [
        ...file.integrations.map((i) => ({
          name: i.name,
          type: i.type,
          kind: i.kind,
          source: "file" as const,
          settings: describeSettings(i.type, i.kind, i.config as unknown as Record<string, unknown>),
          // File entries are edited in the file: the page shows what they are, not their values.
          config: null,
          hasSecret: secretFields(i.type, i.kind).some((f) => (i.config as unknown as Record<string, unknown>)[f] !== undefined),
          usedBy: usage.get(i.name) ?? 0,
        })),
        ...rows
          .filter((r) => !file.integrations.some((i) => i.name === r.name))
          .map((r) => ({
            name: r.name,
            type: r.type as IntegrationType,
            kind: r.kind,
            source: "db" as const,
            settings: describeSettings(r.type as IntegrationType, r.kind, r.config as Record<string, unknown>),
            config: r.config as Record<string, unknown>,
            hasSecret: r.secret !== null,
            usedBy: usage.get(r.name) ?? 0,
          })),
      ].sort((a, b) => a.name.localeCompare(b.name)),
      allowHosts: [...file.allowHosts.map((host) => ({ host, note: null as string | null, source: "file" as const })), ...hosts.map((h) => ({ host: h.host, note: h.note, source: "db" as const }))],
    };
  });
}
export type { IntegrationsView };
