// Rollback hooks: after traffic is back on old, run the cutover's hooks in order ("put the new app
// in read-only", "kubectl rollout undo"): a command (argv, no shell; hook-command.ts) or a signed
// webhook (hook-webhook.ts). This is the one place that turns hook settings into a
// RollbackHookRunner: callers never branch on `kind`.
//
// Command hooks run with a minimal environment (child-env.ts): PATH, LANG and
//   WARROOM_CUTOVER_ID, WARROOM_ROLLBACK_ID, WARROOM_REASON.
// Webhook hooks go through the outbound guard: allow-listed or public addresses only, no
// redirects, bounded time and size; the answer's body is never kept, only its status.
// A result's `status` ("exit 0", "HTTP 200", "timed out after 60000 ms") is what the room is told;
// `output` (a command's redacted, capped output) is stored with the rollback for whoever
// investigates, never broadcast.
import type { HookResult, RollbackHookRunner } from "@/lib/domain/ports";
import { CommandHook } from "./hook-command";
import { WebhookHook } from "./hook-webhook";
import { redactSettings } from "./traffic/config";

export { commandHookConfig } from "./hook-command";
export { webhookHookConfig } from "./hook-webhook";
export type { HookResult, RollbackHookRunner } from "@/lib/domain/ports";

/** The context a hook receives: the documented WARROOM_* variables (others are refused by childEnv). */
export type HookContext = Record<string, string>;

/** Hook settings as the browser, the audit log and exports may see them. */
export function redactHookConfig(_kind: string, config: unknown): Record<string, unknown> {
  return redactSettings({ ...(config as Record<string, unknown>) }).value;
}

/**
 * A hook for the given settings, parsed again here (settings come from the catalog as JSON): bad
 * ones fail with a zod error before anything runs.
 */
export function createHookRunner(kind: string, config: unknown): RollbackHookRunner {
  switch (kind) {
    case "command":
      return new CommandHook(config);
    // Every hook that is not a command is a webhook (the catalog knows these two kinds).
    default:
      return new WebhookHook(config);
  }
}

export async function runHook(kind: string, config: unknown, context: HookContext): Promise<HookResult> {
  return createHookRunner(kind, config).run(context);
}
