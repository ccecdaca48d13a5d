// A command hook: argv (no shell) through the process runner, in its own process group, killed at
// once on timeout. Its environment is PATH, LANG and the WARROOM_* context (child-env.ts).
import { z } from "zod";
import type { HookResult } from "@/lib/domain/ports";
import { hookKind } from "./hook-kind";
import { runProcess } from "./process-runner";
import { OUTPUT_CAP, secretValues } from "./traffic/config";

export const commandHookConfig = z.object({ argv: z.array(z.string().min(1)).min(1), timeoutMs: z.number().int().min(100).max(600_000).default(60_000) });

export const CommandHook = hookKind("command", commandHookConfig, async (c, context) => {
  const r = await runProcess({ argv: c.argv, context, timeoutMs: c.timeoutMs, redact: secretValues(c), captureChars: OUTPUT_CAP * 4, killGraceMs: 0 });
  const result = (ok: boolean, status: string, shown: string): HookResult => ({ ok, status, output: ok ? shown : `${status}\n${shown}`.trim(), durationMs: r.durationMs });
  if (r.startError) return result(false, "could not start", r.startError.sync ? (r.startError.code ?? "") : r.startError.code === "ENOENT" ? `${c.argv[0]} not found` : (r.startError.code ?? "spawn failed"));
  if (r.stopped) return result(false, `timed out after ${c.timeoutMs} ms`, r.output);
  return result(r.code === 0, r.signal ? `killed by ${r.signal}` : `exit ${r.code}`, r.output.trim());
});
