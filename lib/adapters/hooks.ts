// Rollback hooks: after traffic is back on old, run the cutover's hooks in order ("put the new app
// in read-only", "kubectl rollout undo"): a command (argv, no shell) or a signed webhook.
import { spawn } from "node:child_process";
import { createHmac } from "node:crypto";
import { z } from "zod";

export const commandHookConfig = z.object({ argv: z.array(z.string().min(1)).min(1), timeoutMs: z.number().int().min(100).max(600_000).default(60_000) });
export const webhookHookConfig = z.object({
  url: z.string().url().refine((u) => /^https?:/.test(u), "http(s) only"),
  secret: z.string().min(8).max(500).optional(),
  timeoutMs: z.number().int().min(100).max(120_000).default(10_000),
});

export interface HookResult {
  ok: boolean;
  output: string;
  durationMs: number;
}

export function redactHookConfig(kind: string, config: unknown): Record<string, unknown> {
  const c = { ...(config as Record<string, unknown>) };
  if (kind === "webhook" && c.secret) c.secret = "••••";
  return c;
}

export async function runHook(kind: string, config: unknown, context: Record<string, string>): Promise<HookResult> {
  const t0 = Date.now();
  if (kind === "command") {
    const c = commandHookConfig.parse(config);
    return new Promise((resolve) => {
      const child = spawn(c.argv[0]!, c.argv.slice(1), { env: { ...process.env, ...context }, detached: true, stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      const keep = (d: Buffer) => (out = (out + d.toString()).slice(-4000));
      child.stdout.on("data", keep);
      child.stderr.on("data", keep);
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, "SIGKILL");
        } catch {
          /* already gone */
        }
        resolve({ ok: false, output: `timed out after ${c.timeoutMs} ms\n${out}`.trim(), durationMs: Date.now() - t0 });
      }, c.timeoutMs);
      child.on("error", (err) => {
        clearTimeout(timer);
        resolve({ ok: false, output: err.message, durationMs: Date.now() - t0 });
      });
      child.on("close", (code) => {
        clearTimeout(timer);
        resolve({ ok: code === 0, output: (code === 0 ? out : `exit code ${code}\n${out}`).trim(), durationMs: Date.now() - t0 });
      });
    });
  }
  const c = webhookHookConfig.parse(config);
  const body = JSON.stringify({ ...context, sentAt: new Date().toISOString() });
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (c.secret) headers["x-warroom-signature"] = `sha256=${createHmac("sha256", c.secret).update(body).digest("hex")}`;
  try {
    const res = await fetch(c.url, { method: "POST", headers, body, signal: AbortSignal.timeout(c.timeoutMs) });
    const text = (await res.text().catch(() => "")).slice(0, 2000);
    return { ok: res.ok, output: `HTTP ${res.status} ${text}`.trim(), durationMs: Date.now() - t0 };
  } catch (err) {
    const e = err as Error;
    return { ok: false, output: e.name === "TimeoutError" ? `timed out after ${c.timeoutMs} ms` : e.message, durationMs: Date.now() - t0 };
  }
}
