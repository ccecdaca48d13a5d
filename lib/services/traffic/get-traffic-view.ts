// The traffic tab read: one transaction for the cutover's traffic, then names and kinds from the catalog.
import { z } from "zod";
import { can } from "@/lib/domain/permissions";
import { integrationChoices, resolveIntegration } from "@/lib/integrations/resolve";
import { cutoverOnly } from "@/lib/schemas/room";
import { withCutover, type Actor } from "../context";
import type { HookResult, TrafficView } from "@/lib/schemas/views";

/**
 * The traffic tab: split, steps, the router and hooks by name and kind (never their settings),
 * recent changes and rollbacks. Hook output and the catalog's choices only for those who edit them.
 */
export async function getTrafficView(actor: Actor, raw: z.input<typeof cutoverOnly>): Promise<TrafficView> {
  const input = cutoverOnly.parse(raw);
  const view = await withCutover(actor, input.cutoverId, "cutover.view", async (ctx) => {
    const editor = can(ctx.roles, "router.edit");
    const c = await ctx.tx.cutover.findUniqueOrThrow({
      where: { id: input.cutoverId },
      select: {
        trafficPercent: true,
        mode: true,
        routerIntegration: true,
        trafficSteps: { orderBy: { position: "asc" }, select: { percent: true, decisionId: true } },
        rollbackHooks: { orderBy: { position: "asc" } },
        trafficChanges: { orderBy: { requestedAt: "desc" }, take: 20 },
        rollbacks: { orderBy: { startedAt: "desc" }, take: 5 },
        triggers: { orderBy: { forSeconds: "asc" }, include: { metric: { select: { name: true, unit: true } } } },
      },
    });
    return {
      editor,
      percent: c.trafficPercent,
      rehearsal: c.mode === "rehearsal",
      steps: c.trafficSteps,
      routerIntegration: c.routerIntegration,
      hooks: c.rollbackHooks.map((h) => ({ id: h.id, name: h.name, integration: h.integration, position: h.position })),
      changes: c.trafficChanges.map((t) => ({ id: t.id, from: t.fromPercent, to: t.toPercent, state: t.state, override: t.override, note: t.note, error: t.error, durationMs: t.durationMs, triggerId: t.triggerId, requestedAt: t.requestedAt.toISOString(), finishedAt: t.finishedAt?.toISOString() ?? null })),
      rollbacks: c.rollbacks.map((r) => ({ id: r.id, state: r.state, reason: r.reason, durationMs: r.durationMs, hookResults: editor ? (r.hookResults as HookResult[]) : (r.hookResults as HookResult[]).map(({ name, ok, durationMs }) => ({ name, ok, durationMs })), triggerId: r.triggerId, startedAt: r.startedAt.toISOString(), finishedAt: r.finishedAt?.toISOString() ?? null })),
      triggers: c.triggers.map((t) => ({
        id: t.id,
        metric: t.metric?.name ?? `alert ${t.alertName ?? ""}`,
        unit: t.metric?.unit ?? "",
        metricId: t.metricId,
        conditionKind: t.conditionKind,
        alertName: t.alertName,
        system: t.system,
        comparison: t.comparison,
        threshold: t.threshold,
        forSeconds: t.forSeconds,
        keepFiringForSeconds: t.keepFiringForSeconds,
        severity: t.severity,
        action: t.action,
        shiftToPercent: t.shiftToPercent,
        mode: t.mode,
        errorRollbackAfter: t.errorRollbackAfter,
        enabled: t.enabled,
        state: t.state,
        pendingSince: t.pendingSince?.toISOString() ?? null,
        firedAt: t.firedAt?.toISOString() ?? null,
        lastOutcome: t.lastOutcome,
        description: t.description,
      })),
    };
  });
  // Names and kinds only: resolved outside the transaction (the file is read from memory).
  const kindOf = async (name: string | null) => (name ? ((await resolveIntegration(name))?.kind ?? null) : null);
  const { routerIntegration, editor, ...rest } = view;
  return {
    ...rest,
    router: routerIntegration ? { name: routerIntegration, kind: await kindOf(routerIntegration) } : null,
    hooks: await Promise.all(view.hooks.map(async (h) => ({ ...h, kind: await kindOf(h.integration) }))),
    editable: editor,
    choices: editor ? { routers: await integrationChoices("router"), hooks: await integrationChoices("hook") } : null,
  };
}
export type { TrafficView };
