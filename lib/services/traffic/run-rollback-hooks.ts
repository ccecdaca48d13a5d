// After a rollback's split is verified: the cutover's hooks in order, each start and outcome
// announced (hook output stays with the rollback), then the rollback completed and recorded.
import { db } from "@/lib/db/client";
import { createHookRunner } from "@/lib/adapters/hooks";
import type { HookResult } from "@/lib/domain/ports";
import { resolveIntegration } from "@/lib/integrations/resolve";
import { announce } from "@/lib/realtime/bus";
import { recordChange } from "../audit";
import { actorOf, type Mover } from "./routing";

export async function runRollbackHooks(rollbackId: string, cutoverId: string, mover: Mover, input: { reason: string | null; requestId?: string }, rehearsal: boolean) {
  const reason = input.reason;
  const hooks = await db().rollbackHook.findMany({ where: { cutoverId }, orderBy: { position: "asc" } });
  const results: { name: string; ok: boolean; output: string; durationMs: number }[] = [];
  for (const hook of hooks) {
    await db().$transaction((tx) => announce(tx, { type: "rollback.hook_started", cutoverId, ...actorOf(mover), subject: `rollback:${rollbackId}`, data: { name: hook.name } }));
    const found = hook.integration ? await resolveIntegration(hook.integration) : null;
    const r: HookResult =
      found?.type === "hook"
        ? await createHookRunner(found.kind, found.config).run({ WARROOM_CUTOVER_ID: cutoverId, WARROOM_ROLLBACK_ID: rollbackId, WARROOM_REASON: reason ?? "" })
        : { ok: false, status: "integration not defined", output: `the hook integration "${hook.integration ?? ""}" is no longer defined`, durationMs: 0 };
    results.push({ name: hook.name, ...r, output: r.output.slice(-1000) });
    await db().$transaction(async (tx) => {
      await tx.rollback.update({ where: { id: rollbackId }, data: { hookResults: results } });
      // Hook output stays with the people who edit hooks (the traffic view); the room hears the outcome.
      await announce(tx, { type: "rollback.hook_finished", cutoverId, ...actorOf(mover), subject: `rollback:${rollbackId}`, data: { name: hook.name, ok: r.ok, status: r.status, durationMs: r.durationMs } });
    });
  }
  const ok = results.every((r) => r.ok);
  await db().$transaction(async (tx) => {
    // Still ours unless its lease was lost meanwhile (the database ended our session) and a later
    // press took over: that row stays abandoned, and this record says the hooks ran anyway.
    const finished = await tx.rollback.updateMany({ where: { id: rollbackId, state: "running" }, data: { state: ok ? "completed" : "completed_with_errors", finishedAt: new Date() } });
    await tx.cutover.updateMany({ where: { id: cutoverId, state: "in_progress" }, data: { state: "rolled_back" } });
    await recordChange(
      tx,
      { cutoverId, actorId: mover.userId, actorName: mover.name, role: mover.role, action: "rollback.completed", subject: `rollback:${rollbackId}`, after: { hooks: results.map((r) => ({ name: r.name, ok: r.ok })), ...(finished.count === 0 ? { takenOver: true } : {}) }, requestId: input.requestId, rehearsal },
      { type: "rollback.completed", cutoverId, subject: `rollback:${rollbackId}`, data: { ok, hooks: results.length } },
    );
  });
}
