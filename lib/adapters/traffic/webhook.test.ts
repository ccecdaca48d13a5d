// A local HTTP receiver checks the signature the way a real receiver would (over the raw body).
import http from "node:http";
import type net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addAllowListSource } from "@/lib/net/allow-list";
import { createRouter, redactRouterConfig, RouterConfigSchema, verifyWebhookSignature } from "./index";
import { signWebhookBody } from "./webhook";

const secret = "s3cret-s3cret-s3cret";
const meta = { cutoverId: "cut-1", requestId: "req-1", reason: "step 2 of the plan", fence: "7", rehearsal: false };

type Received = { body: string; headers: http.IncomingHttpHeaders; valid: boolean };
let received: Received[] = [];
let mode: "ok" | "error" | "hang" = "ok";
let percentInForce = 0;
let base = "";
let connections = 0;
let disallow: () => void = () => undefined;
const server = http.createServer((req, res) => {
  let body = "";
  req.on("data", (d) => (body += d));
  req.on("end", () => {
    if (req.method === "GET" && req.url === "/split") {
      res.setHeader("content-type", "application/json");
      return res.end(JSON.stringify({ percent: percentInForce }));
    }
    if (req.url === "/bad-read") return res.end(JSON.stringify({ pct: 5 }));
    if (req.url === "/redirect") {
      res.writeHead(302, { location: "/hook" });
      return res.end();
    }
    if (mode === "hang") return; // never answers
    const valid = verifyWebhookSignature(body, String(req.headers["x-warroom-signature"] ?? ""), secret);
    received.push({ body, headers: req.headers, valid });
    if (mode === "error" || !valid) {
      res.statusCode = mode === "error" ? 500 : 401;
      return res.end(mode === "error" ? "flag service exploded: upstream timeout" : "bad signature");
    }
    percentInForce = (JSON.parse(body) as { to: number }).to;
    res.end("ok");
  });
});

server.on("connection", () => connections++);

beforeAll(async () => {
  // The receiver is local: the operator allow-lists it, as the lab does.
  disallow = addAllowListSource(() => ["127.0.0.1"]);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
});
afterAll(async () => {
  disallow();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const config = (over: Record<string, unknown> = {}) => ({ kind: "webhook" as const, url: `${base}/hook`, secret, readUrl: `${base}/split`, ...over });

describe("WebhookRouter", () => {
  it("POSTs a signed JSON body, 2xx means done, and reads the split back", async () => {
    mode = "ok";
    received = [];
    percentInForce = 10;
    const router = createRouter(config());
    await router.set(25, meta);
    expect(received).toHaveLength(1);
    const r = received[0]!;
    expect(r.valid).toBe(true);
    expect(r.headers["x-warroom-signature"]).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(r.headers["x-warroom-request-id"]).toBe("req-1");
    expect(r.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(r.body)).toMatchObject({ cutover: "cut-1", from: 10, to: 25, reason: "step 2 of the plan", requestId: "req-1", fence: "7", rehearsal: false });
    expect(JSON.parse(r.body).sentAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(await router.read()).toBe(25);
    expect(await router.verify(25)).toMatchObject({ ok: true, actual: 25 });
    expect((await router.verify(50)).ok).toBe(false);
  });

  it("uses the configured signature header", async () => {
    mode = "ok";
    received = [];
    const router = createRouter(config({ headerName: "x-other-signature" }));
    // The receiver looks at x-warroom-signature, finds none, and answers 401: that is an error.
    await expect(router.set(30, meta)).rejects.toThrow(/answered HTTP 401$/);
    expect(received[0]!.headers["x-other-signature"]).toBe(signWebhookBody(received[0]!.body, secret));
  });

  it("turns a 500 into an error with the status and none of the body", async () => {
    mode = "error";
    const err = (await createRouter(config()).set(50, meta).catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/^webhook POST http:\/\/127\.0\.0\.1:\d+\/hook answered HTTP 500$/);
    expect(err.message).not.toContain("exploded");
  });

  it("does not follow redirects with a signed body", async () => {
    mode = "ok";
    await expect(createRouter(config({ url: `${base}/redirect` })).set(50, meta)).rejects.toThrow(/failed: HTTP 302 from 127\.0\.0\.1:\d+ \(redirects are not followed\)/);
  });

  it("times out on a receiver that never answers", async () => {
    mode = "hang";
    const t0 = Date.now();
    await expect(createRouter(config({ timeoutMs: 300 })).set(50, meta)).rejects.toThrow(/webhook POST http:\/\/127\.0\.0\.1:\d+\/hook timed out after 300 ms/);
    expect(Date.now() - t0).toBeLessThan(2000);
    mode = "ok";
  });

  it("says clearly when nothing listens", async () => {
    const srv = http.createServer();
    await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
    const port = (srv.address() as net.AddressInfo).port;
    await new Promise((r) => srv.close(r));
    await expect(createRouter(config({ url: `http://127.0.0.1:${port}/hook` })).set(5, meta)).rejects.toThrow(/webhook POST .* failed: connection refused by 127\.0\.0\.1:\d+ \(nothing listens there\)/);
  });

  it("validates what the read URL answers, without repeating it", async () => {
    const err = (await createRouter(config({ readUrl: `${base}/bad-read` })).read().catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/answered JSON without a percent, expected \{"percent": 0..100\}/);
    expect(err.message).not.toContain("pct");
  });

  it("without the allow-list, a local receiver is refused and never contacted", async () => {
    disallow();
    try {
      connections = 0;
      received = [];
      mode = "ok";
      await expect(createRouter(config()).set(10, meta)).rejects.toThrow(/webhook POST http:\/\/127\.0\.0\.1:\d+\/hook failed: refused: 127\.0\.0\.1 is a loopback address \(ask an administrator to allow-list the host\)/);
      await expect(createRouter(config()).read()).rejects.toThrow(/refused: 127\.0\.0\.1 is a loopback address/);
      await expect(createRouter(config({ url: base.replace("127.0.0.1", "localhost") + "/hook", readUrl: undefined })).set(10, meta)).rejects.toThrow(/is a loopback address/);
      expect(connections).toBe(0);
      expect(received).toEqual([]);
    } finally {
      disallow = addAllowListSource(() => ["127.0.0.1"]);
    }
  });

  it("without a read URL, reads the last split acknowledged to this process", async () => {
    mode = "ok";
    const url = `${base}/hook?variant=no-read`;
    const router = createRouter({ kind: "webhook", url, secret });
    await expect(router.read()).rejects.toThrow(/split in force is unknown/);
    await router.set(40, meta);
    expect(await createRouter({ kind: "webhook", url, secret }).read()).toBe(40);
    expect((await router.verify(40)).ok).toBe(true);
  });

  it("detects bad signatures", () => {
    const body = JSON.stringify({ to: 25 });
    const good = signWebhookBody(body, secret);
    expect(verifyWebhookSignature(body, good, secret)).toBe(true);
    expect(verifyWebhookSignature(body, good, "another-secret-value")).toBe(false);
    expect(verifyWebhookSignature(`${body} `, good, secret)).toBe(false); // body changed by one byte
    expect(verifyWebhookSignature(body, good.replace("sha256=", "sha1="), secret)).toBe(false);
    expect(verifyWebhookSignature(body, "sha256=abc", secret)).toBe(false);
    expect(verifyWebhookSignature(body, "", secret)).toBe(false);
  });

  it("never shows the secret: redacted settings and describe()", () => {
    const parsed = RouterConfigSchema.parse({ ...config(), url: `${base}/hook?token=abc123` });
    const shown = redactRouterConfig(parsed);
    expect(shown).toMatchObject({ kind: "webhook", secret: "••••", hasSecret: true, timeoutMs: 5000, headerName: "x-warroom-signature" });
    expect(JSON.stringify(shown)).not.toContain(secret);
    expect(JSON.stringify(shown)).not.toContain("abc123");
    expect(createRouter(parsed).describe()).not.toContain("abc123");
    const cmd = redactRouterConfig(RouterConfigSchema.parse({ kind: "command", setCommand: ["deploy", "--token", "t0k", "--api-key=k3y", "SECRET_X=v", "plain"] }));
    expect(cmd).toMatchObject({ hasSecret: true, setCommand: ["deploy", "--token", "••••", "--api-key=••••", "SECRET_X=••••", "plain"] });
    expect(redactRouterConfig(RouterConfigSchema.parse({ kind: "haproxy", socket: "/run/h.sock", backend: "b", oldServer: "o", newServer: "n" })).hasSecret).toBe(false);
  });
});
