// Routers, hooks and rollback results in the room's words. The integrations' settings live in
// the administrators' catalog and never reach the browser: only names and kinds do.
import type { TrafficView } from "@/lib/schemas/views";

/** Kinds in words. */
export const INTEGRATION_KIND_LABEL: Record<string, string> = { haproxy: "HAProxy", nginx: "nginx", webhook: "webhook", command: "command", prometheus: "Prometheus" };

/** "edge-haproxy (HAProxy)": the router by its catalog name and kind. */
export function describeRouter(router: TrafficView["router"] | undefined): string {
  if (!router) return "no router configured";
  return `${router.name} (${router.kind ? (INTEGRATION_KIND_LABEL[router.kind] ?? router.kind) : "no longer defined"})`;
}

export type IntegrationChoice = NonNullable<TrafficView["choices"]>["routers"][number];

/** "edge (HAProxy, server configuration)". */
export function choiceLabel(c: IntegrationChoice): string {
  return `${c.name} (${INTEGRATION_KIND_LABEL[c.kind] ?? c.kind}${c.source === "file" ? ", server configuration" : ""})`;
}

export interface HookResult {
  name: string;
  ok: boolean;
  output: string;
  durationMs: number | null;
}

/** The stored hook results of a rollback (JSON), malformed entries skipped. */
export function hookResultsOf(value: unknown): HookResult[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((x: unknown) => {
    const r = (x ?? {}) as { name?: unknown; ok?: unknown; output?: unknown; durationMs?: unknown };
    if (typeof r.name !== "string") return [];
    return [{ name: r.name, ok: r.ok === true, output: typeof r.output === "string" ? r.output : "", durationMs: typeof r.durationMs === "number" ? r.durationMs : null }];
  });
}
