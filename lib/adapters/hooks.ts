// Rollback hooks: after traffic is back on old, run the cutover's hooks in order ("put the new app
// in read-only", "kubectl rollout undo"): a command (argv, no shell) or a signed webhook.
//
// Command hooks run with a minimal environment (child-env.ts): PATH, LANG and
//   WARROOM_CUTOVER_ID, WARROOM_ROLLBACK_ID, WARROOM_REASON.
// Webhook hooks go through the outbound guard: allow-listed or public addresses only, no
// redirects, bounded time and size; the answer's body is never kept, only its status.
// A result's `status` ("exit 0", "HTTP 200", "timed out after 60000 ms") is what the room is told;
// `output` (a command's redacted, capped output) is stored with the rollback for whoever
// investigates, never broadcast.
import { spawn } from "node:child_process";
import { createHmac } from "node:crypto";
import { z } from "zod";
import { OutboundError, outboundRequest, statusMessage } from "@/lib/net/outbound";
import { childEnv } from "./child-env";
import { OUTPUT_CAP, redactOutput, redactSettings, secretValues } from "./traffic/config";

export const commandHookConfig = z.object({ argv: z.array(z.string().min(1)).min(1), timeoutMs: z.number().int().min(100).max(600_000).default(60_000) });
export const webhookHookConfig = z.object({
  url: z.string().url().refine((u) => /^https?:/.test(u), "http(s) only"),
  secret: z.string().min(8).max(500).optional(),
  timeoutMs: z.number().int().min(100).max(120_000).default(10_000),
});

/** The context a hook receives: the documented WARROOM_* variables (others are refused by childEnv). */
export type HookContext = Record<string, string>;

export interface HookResult {
  ok: boolean;
  /** Short and safe to broadcast: exit code, HTTP status, timeout or refusal. */
  status: string;
  /** Redacted and capped; for the stored rollback record only. */
  output: string;
  durationMs: number;
}

/** Hook settings as the browser, the audit log and exports may see them. */
export function redactHookConfig(_kind: string, config: unknown): Record<string, unknown> {
  return redactSettings({ ...(config as Record<string, unknown>) }).value;
}

export async function runHook(kind: string, config: unknown, context: HookContext): Promise<HookResult> {
  const t0 = Date.now();
  if (kind === "command") {
    const c = commandHookConfig.parse(config);
    const known = secretValues(c);
    return new Promise((resolve) => {
      const finish = (ok: boolean, status: string, out: string) => {
        const shown = redactOutput(out, known);
        resolve({ ok, status, output: ok ? shown : `${status}\n${shown}`.trim(), durationMs: Date.now() - t0 });
      };
      let child: ReturnType<typeof spawn>;
      try {
        child = spawn(c.argv[0]!, c.argv.slice(1), { env: childEnv(context), detached: true, stdio: ["ignore", "pipe", "pipe"] });
      } catch (err) {
        return finish(false, "could not start", (err as NodeJS.ErrnoException).code ?? "");
      }
      let out = "";
      const keep = (d: Buffer) => (out = (out + d.toString()).slice(-OUTPUT_CAP * 4));
      child.stdout!.on("data", keep);
      child.stderr!.on("data", keep);
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, "SIGKILL");
        } catch {
          /* already gone */
        }
        finish(false, `timed out after ${c.timeoutMs} ms`, out);
      }, c.timeoutMs);
      child.on("error", (err: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        finish(false, "could not start", err.code === "ENOENT" ? `${c.argv[0]} not found` : (err.code ?? "spawn failed"));
      });
      child.on("close", (code, signal) => {
        clearTimeout(timer);
        finish(code === 0, signal ? `killed by ${signal}` : `exit ${code}`, out.trim());
      });
    });
  }
  const c = webhookHookConfig.parse(config);
  const body = JSON.stringify({ ...context, sentAt: new Date().toISOString() });
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (c.secret) headers["x-warroom-signature"] = `sha256=${createHmac("sha256", c.secret).update(body).digest("hex")}`;
  try {
    // The answer's body is never kept: a hook's answer is its status.
    const res = await outboundRequest(c.url, { method: "POST", headers, body, timeoutMs: c.timeoutMs });
    const status = statusMessage(res);
    return { ok: res.ok, status, output: status, durationMs: Date.now() - t0 };
  } catch (err) {
    const status = err instanceof OutboundError ? err.message : "request failed";
    return { ok: false, status, output: status, durationMs: Date.now() - t0 };
  }
}
