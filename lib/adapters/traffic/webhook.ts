// HTTP webhook: the split lives somewhere we only talk to over HTTP (a feature-flag service, a
// cloud load balancer, an Argo Rollouts bridge). set() POSTs a signed JSON body; any 2xx answer
// means the receiver took the change.
//
// Body: { cutover, from, to, reason, requestId, fence, rehearsal, sentAt } (JSON, UTF-8).
//   `from` is the split before the change as this side knows it: readUrl when configured
//   (null if that read fails: the change itself should not depend on it), else the last split
//   this process got acknowledged, else null.
// Headers: `<headerName>: sha256=<hex HMAC-SHA256 of the exact body bytes, keyed by secret>` and
//   `x-warroom-request-id`. Receivers check the signature over the raw body with
//   verifyWebhookSignature() (or the same HMAC) before parsing it; `fence` lets a receiver refuse
//   a stale writer and `sentAt` (signed) lets it refuse old replays.
// Every request goes through the outbound guard (lib/net/outbound.ts): allow-listed or public
// addresses only, redirects not followed (a 3xx is an error: the signed body is not sent anywhere
// else), bounded time and size. Errors name the status, never the receiver's answer: whatever
// answers at a configured URL is not echoed into the room or the audit log.
//
// read(): GET readUrl -> { "percent": n }. Without readUrl there is nothing to ask, so read()
// returns the last split a receiver acknowledged to THIS process (shared by the routers of the
// process, keyed by URL) and fails after a restart rather than guess.
import { z } from "zod";
import type { TrafficChangeMeta, TrafficRouter, VerifyResult } from "@/lib/domain/ports";
import { OutboundError, outboundRequest } from "@/lib/net/outbound";
import { signBody, verifySignature } from "../signer";
import { assertPercent, safeUrl, type WebhookRouterConfig } from "./config";

const acknowledged = new Map<string, number>();

const ReadAnswer = z.object({ percent: z.number().min(0).max(100) });

export interface WebhookBody {
  cutover: string;
  from: number | null;
  to: number;
  reason: string;
  requestId: string;
  fence: string;
  rehearsal: boolean;
  sentAt: string;
}

/** The router's names for the shared signer (receivers import them from here). */
export const signWebhookBody = signBody;
export const verifyWebhookSignature = verifySignature;

export class WebhookRouter implements TrafficRouter {
  readonly kind = "webhook" as const;

  constructor(private readonly config: WebhookRouterConfig) {}

  describe(): string {
    return `webhook ${safeUrl(this.config.url)}${this.config.readUrl ? `, read from ${safeUrl(this.config.readUrl)}` : ", no read URL (reads the last acknowledged split)"}`;
  }

  async read(signal?: AbortSignal): Promise<number> {
    const { readUrl } = this.config;
    if (!readUrl) {
      const last = acknowledged.get(this.config.url);
      if (last === undefined) throw new Error(`webhook ${safeUrl(this.config.url)} has no read URL and no split was acknowledged since this server started: the split in force is unknown`);
      return last;
    }
    const res = await this.request("GET", readUrl, { accept: "application/json" }, undefined, signal);
    if (!res.ok) throw new Error(`webhook read GET ${safeUrl(readUrl)} answered HTTP ${res.status}`);
    let json: unknown;
    try {
      json = JSON.parse(res.text);
    } catch {
      throw new Error(`webhook read GET ${safeUrl(readUrl)} did not answer JSON (HTTP ${res.status})`);
    }
    const parsed = ReadAnswer.safeParse(json);
    if (!parsed.success) throw new Error(`webhook read GET ${safeUrl(readUrl)} answered JSON without a percent, expected {"percent": 0..100}`);
    return Math.round(parsed.data.percent);
  }

  async set(percent: number, meta: TrafficChangeMeta, signal?: AbortSignal): Promise<void> {
    assertPercent(percent);
    const { url, secret, headerName } = this.config;
    const from = await this.from(signal);
    const payload: WebhookBody = {
      cutover: meta.cutoverId,
      from,
      to: percent,
      reason: meta.reason,
      requestId: meta.requestId,
      fence: meta.fence,
      rehearsal: meta.rehearsal,
      sentAt: new Date().toISOString(),
    };
    const body = JSON.stringify(payload);
    const res = await this.request(
      "POST",
      url,
      { "content-type": "application/json", [headerName]: signWebhookBody(body, secret), "x-warroom-request-id": meta.requestId },
      body,
      signal,
    );
    if (!res.ok) throw new Error(`webhook POST ${safeUrl(url)} answered HTTP ${res.status}`);
    acknowledged.set(url, percent);
  }

  async verify(percent: number, signal?: AbortSignal): Promise<VerifyResult> {
    assertPercent(percent);
    const actual = await this.read(signal);
    const source = this.config.readUrl ? `GET ${safeUrl(this.config.readUrl)}` : "the last acknowledged change (no read URL)";
    return actual === percent
      ? { ok: true, actual, detail: `${source} says ${actual} % to new` }
      : { ok: false, actual, detail: `${source} says ${actual} % to new, expected ${percent} %` };
  }

  private async from(signal?: AbortSignal): Promise<number | null> {
    if (!this.config.readUrl) return acknowledged.get(this.config.url) ?? null;
    try {
      return await this.read(signal);
    } catch {
      return null;
    }
  }

  /** One request, body read included, within timeoutMs; errors name the URL without its secrets. */
  private async request(method: string, url: string, headers: Record<string, string>, body: string | undefined, signal?: AbortSignal): Promise<{ ok: boolean; status: number; text: string }> {
    const { timeoutMs } = this.config;
    const what = `webhook ${method} ${safeUrl(url)}`;
    try {
      // 64 KiB: a receiver answers a status or {"percent": n}, nothing larger is read.
      const res = await outboundRequest(url, { method, headers, body, timeoutMs, maxBytes: 64 * 1024, signal });
      return { ok: res.ok, status: res.status, text: res.text() };
    } catch (err) {
      if (err instanceof OutboundError) {
        if (err.code === "timeout") throw new Error(`${what} timed out after ${timeoutMs} ms`);
        if (err.code === "aborted") throw new Error(`${what} was aborted`);
        throw new Error(`${what} failed: ${err.message}`);
      }
      throw new Error(`${what} failed`);
    }
  }
}
