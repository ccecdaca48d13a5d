// A webhook hook: a signed POST through the outbound guard (allow-listed or public addresses only,
// no redirects, bounded time and size). The answer's body is never kept: a hook's answer is its status.
import { z } from "zod";
import { hookKind } from "./hook-kind";
import { OutboundError, outboundRequest, statusMessage } from "@/lib/net/outbound";
import { signBody } from "./signer";

export const webhookHookConfig = z.object({
  url: z.string().url().refine((u) => /^https?:/.test(u), "http(s) only"),
  secret: z.string().min(8).max(500).optional(),
  timeoutMs: z.number().int().min(100).max(120_000).default(10_000),
});

export const WebhookHook = hookKind("webhook", webhookHookConfig, async (c, context) => {
  const t0 = Date.now();
  const body = JSON.stringify({ ...context, sentAt: new Date().toISOString() });
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (c.secret) headers["x-warroom-signature"] = signBody(body, c.secret);
  try {
    const res = await outboundRequest(c.url, { method: "POST", headers, body, timeoutMs: c.timeoutMs });
    const status = statusMessage(res);
    return { ok: res.ok, status, output: status, durationMs: Date.now() - t0 };
  } catch (err) {
    const status = err instanceof OutboundError ? err.message : "request failed";
    return { ok: false, status, output: status, durationMs: Date.now() - t0 };
  }
});
