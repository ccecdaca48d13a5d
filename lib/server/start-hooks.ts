// What a launcher may add to the server once it listens, registered before the server module
// runs (a `node --import` preload): the lab (scripts/lab/register.ts) starts its services and
// points the demo cutover at them this way, so lib/ never loads anything from scripts/. The list
// lives on globalThis because the launcher loads this module from source and the server from its
// bundle: two module instances, one process.
import type { ServerConfig } from "@/lib/config/server-config";

export interface StartHookContext {
  /** The port the war room listens on (its /metrics, for a Prometheus to scrape). */
  port: number;
  log: (line: string) => void;
  /** Reads one more operator configuration file (integrations, allowed hosts) into the server. */
  addServerConfigFile: (file: string) => ServerConfig;
  /** Points the demo cutovers at a Prometheus source and a router integration, by name. */
  attachDemo: (lab: { prometheusSource: string; routerIntegration: string }) => Promise<void>;
}

/** Runs once the server listens; what it returns runs first on shutdown. */
export type StartHook = (ctx: StartHookContext) => Promise<() => Promise<void>>;

const holder = globalThis as unknown as { __warroomStartHooks?: StartHook[] };

export function registerStartHook(hook: StartHook): void {
  (holder.__warroomStartHooks ??= []).push(hook);
}

export function startHooks(): readonly StartHook[] {
  return holder.__warroomStartHooks ?? [];
}

/** Runs every hook in order; the returned function stops them in reverse order. */
export async function runStartHooks(ctx: StartHookContext): Promise<() => Promise<void>> {
  const stops: (() => Promise<void>)[] = [];
  for (const hook of startHooks()) stops.push(await hook(ctx));
  return async () => {
    for (const stop of stops.reverse()) await stop().catch((err: unknown) => ctx.log(`stopping a start hook failed: ${(err as Error).message}`));
  };
}
