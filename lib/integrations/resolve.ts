// Integration name → settings (secrets decrypted), for the adapters. The operator's file comes
// first, then the administrators' table: a name in the file can never be shadowed from the app.
// Also keeps the outbound allow-list fed from both places.
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { DEFAULT_PROMETHEUS_SOURCE, serverConfig, setServerConfigChangeListener } from "@/lib/config/server-config";
import { addAllowListSource, invalidateAllowList } from "@/lib/net/allow-list";
import { decryptSecret } from "@/lib/secrets/crypto";
import type { PrometheusTarget } from "@/lib/adapters/prometheus/client";
import type { RouterConfig } from "@/lib/adapters/traffic/config";
import { parseIntegrationSettings, type IntegrationKind, type IntegrationSettings, type IntegrationType } from "./schemas";

export type ResolvedIntegration = IntegrationSettings & { name: string; source: "file" | "db" };
type OfType<T extends IntegrationType> = Extract<ResolvedIntegration, { type: T }>;

// Rows are read again after at most this long, so another process's change takes effect soon;
// this process's own changes call forgetIntegrations() and take effect at once.
const ROW_TTL_MS = 1000;

// Shared through globalThis: the custom server and Next's route handlers each load this module,
// and a change made through one must be seen by the other at once.
const holder = globalThis as unknown as { __warroomIntegrations?: { initialised: boolean; rows: Map<string, { at: number; value: ResolvedIntegration | null }> } };
const state = (holder.__warroomIntegrations ??= { initialised: false, rows: new Map() });
const rows = state.rows;

function init() {
  if (state.initialised) return;
  state.initialised = true;
  // The administrators' hosts are read by lib/net/allow-list.ts itself; the operator's file is one more source.
  addAllowListSource(() => serverConfig().allowHosts);
  setServerConfigChangeListener(() => invalidateAllowList());
}

/** After a change of the administrators' allow-list: the next outbound check reads it again. */
export function refreshOutboundAllowList(): void {
  init();
  invalidateAllowList();
}

/** Called at start, after the file was read (strictly, by the caller). */
export async function initIntegrations(): Promise<void> {
  init();
}

export function forgetIntegrations(): void {
  rows.clear();
}

function fromRow(row: { name: string; type: string; kind: string; config: unknown; secret: string | null }): ResolvedIntegration | null {
  let secrets: Record<string, unknown> = {};
  if (row.secret) {
    try {
      secrets = JSON.parse(decryptSecret(row.secret)) as Record<string, unknown>;
    } catch {
      console.error(`[warroom] integration "${row.name}": its secret cannot be decrypted (was the secrets key changed?)`);
      return null;
    }
  }
  const parsed = parseIntegrationSettings(row.type as IntegrationType, row.kind as IntegrationKind, { ...(row.config as object), ...secrets });
  if (!parsed.ok) {
    console.error(`[warroom] integration "${row.name}": stored settings are invalid: ${parsed.error}`);
    return null;
  }
  return { ...parsed.value, name: row.name, source: "db" } as ResolvedIntegration;
}

export async function resolveIntegration(name: string): Promise<ResolvedIntegration | null> {
  init();
  const fromFile = serverConfig().integrations.find((i) => i.name === name);
  if (fromFile) {
    const { file: _file, ...settings } = fromFile;
    return { ...settings, source: "file" } as ResolvedIntegration;
  }
  const hit = rows.get(name);
  if (hit && Date.now() - hit.at < ROW_TTL_MS) return hit.value;
  const row = await db().integration.findUnique({ where: { name } });
  const value = row ? fromRow(row) : null;
  rows.set(name, { at: Date.now(), value });
  return value;
}

/** The integration of that name and type, or a 400 saying what is wrong: for commands that pick one. */
export async function requireIntegration<T extends IntegrationType>(name: string, type: T): Promise<OfType<T>> {
  const found = await resolveIntegration(name);
  if (!found) throw new AppError("bad_request", `No integration named "${name}": an administrator defines them under Administration → Integrations`);
  if (found.type !== type) throw new AppError("bad_request", `"${name}" is a ${found.type}, not a ${type === "prometheus" ? "Prometheus source" : type}`);
  return found as OfType<T>;
}

export async function resolveRouter(name: string): Promise<{ name: string; kind: RouterConfig["kind"]; config: RouterConfig } | null> {
  const found = await resolveIntegration(name);
  return found?.type === "router" ? { name, kind: found.kind, config: found.config } : null;
}

/** The Prometheus a cutover reads: its own source, else the server's default source, else none. */
export async function resolvePrometheus(source: string | null): Promise<(PrometheusTarget & { name: string }) | null> {
  const found = await resolveIntegration(source ?? DEFAULT_PROMETHEUS_SOURCE);
  if (found?.type !== "prometheus") return null;
  return { name: found.name, url: found.config.url, auth: found.config.auth ?? null, timeoutMs: found.config.timeoutMs };
}

export interface IntegrationChoice {
  name: string;
  kind: string;
  source: "file" | "db";
}

/** Names and kinds a cutover's lead may pick from (never settings). */
export async function integrationChoices(type: IntegrationType): Promise<IntegrationChoice[]> {
  const fromFile = serverConfig().integrations.filter((i) => i.type === type).map((i) => ({ name: i.name, kind: i.kind, source: "file" as const }));
  const fromDb = await db().integration.findMany({ where: { type, name: { notIn: fromFile.map((f) => f.name) } }, select: { name: true, kind: true }, orderBy: { name: "asc" } });
  return [...fromFile, ...fromDb.map((r) => ({ ...r, source: "db" as const }))].sort((a, b) => a.name.localeCompare(b.name));
}

/** A channel integration's settings (secrets decrypted) for the delivery worker, or null when there is none of that name. */
export async function resolveChannel(name: string): Promise<Extract<ResolvedIntegration, { type: "channel" }> | { missing: string }> {
  const found = await resolveIntegration(name);
  if (!found) return { missing: `no channel named "${name}" (an administrator defines channels under Administration → Integrations)` };
  if (found.type !== "channel") return { missing: `"${name}" is a ${found.type}, not a channel` };
  return found;
}
