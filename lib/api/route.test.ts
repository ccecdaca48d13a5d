// The REST envelope, on real Request objects: what is refused before anyone is authenticated or
// any handler runs, and how bodies are read.
import { describe, expect, it } from "vitest";
import { apiRoute, jsonBody, readBodyText } from "./route";
import { requestIdOf } from "./routes";
import { MAX_BODY } from "./json-body";

const CUTOVER = "7b0b1f4e-3a43-4c55-9a8f-1b2c3d4e5f60";
const BASE = "http://localhost:3000";

let ran = 0;
const route = apiRoute<{ cutoverId: string }>(async () => {
  ran++;
  return { ok: true };
});
const call = (init: RequestInit & { headers?: Record<string, string> }, params: { cutoverId: string } = { cutoverId: CUTOVER }) =>
  route(new Request(`${BASE}/api/v1/cutovers/${params.cutoverId}/rollback`, init), { params: Promise.resolve(params) });

describe("apiRoute refuses before authenticating", () => {
  it("a cookie POST with text/plain (what a cross-site form sends): 403, handler not run", async () => {
    const res = await call({ method: "POST", headers: { host: "localhost:3000", origin: BASE, cookie: "next-auth.session-token=x", "content-type": "text/plain" }, body: '{"reason":"x"}' });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: "forbidden", details: { reason: "content_type" } });
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(ran).toBe(0);
  });
  it("a cookie POST from another origin, JSON or not: 403", async () => {
    const res = await call({ method: "POST", headers: { host: "localhost:3000", origin: "https://evil.example", cookie: "next-auth.session-token=x", "content-type": "application/json" }, body: "{}" });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: "forbidden", details: { reason: "cross_origin" } });
    const fetchSite = await call({ method: "POST", headers: { host: "localhost:3000", "sec-fetch-site": "cross-site", "content-type": "application/json" }, body: "{}" });
    expect(fetchSite.status).toBe(403);
    expect(ran).toBe(0);
  });
  it("a malformed id in the path: 400 naming it, whoever calls", async () => {
    const res = await call({ method: "POST", headers: { authorization: "Bearer whatever-token-value", "content-type": "text/plain" }, body: "{}" }, { cutoverId: "1 OR 1=1" });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: "bad_request", message: "cutoverId must be an id" });
    expect(ran).toBe(0);
  });
  it("a same-origin JSON POST passes the edge and reaches authentication", async () => {
    const res = await call({ method: "POST", headers: { host: "localhost:3000", origin: BASE, "content-type": "application/json", "x-request-id": "bad id <script>" }, body: "{}" });
    // No Next request context here, so the session lookup itself fails: the point is that the
    // edge let it through.
    expect((await res.json()).error).not.toMatch(/forbidden|bad_request/);
    expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("request ids", () => {
  it("keeps a valid one and replaces anything else", () => {
    expect(requestIdOf(new Request(BASE, { headers: { "x-request-id": "ci-42" } }).headers.get("x-request-id"))).toBe("ci-42");
    expect(requestIdOf(new Request(BASE, { headers: { "x-request-id": "x".repeat(101) } }).headers.get("x-request-id"))).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("bodies are capped while streaming", () => {
  it("stops reading an endless chunked body just past 1 MB", async () => {
    let pulled = 0;
    const chunk = new Uint8Array(64 * 1024).fill(0x20);
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const req = new Request(BASE, { method: "POST", body, duplex: "half" } as RequestInit);
    await expect(readBodyText(req)).rejects.toMatchObject({ code: "bad_request", message: "Request body is larger than 1 MB" });
    // What was read is bounded by the cap plus the stream's small read-ahead, not by the sender.
    await new Promise((r) => setImmediate(r));
    expect(pulled).toBeLessThan(MAX_BODY + 4 * chunk.byteLength);
  });
  it("refuses a declared length over 1 MB without reading", async () => {
    const req = new Request(BASE, { method: "POST", headers: { "content-length": String(MAX_BODY + 1) }, body: "{}" });
    await expect(jsonBody(req)).rejects.toMatchObject({ code: "bad_request" });
  });
  it("reads a body of exactly 1 MB and parses JSON objects only", async () => {
    const text = JSON.stringify({ note: "x".repeat(MAX_BODY - 11) });
    expect(Buffer.byteLength(text)).toBe(MAX_BODY);
    expect(await jsonBody(new Request(BASE, { method: "POST", body: text }))).toHaveProperty("note");
    await expect(jsonBody(new Request(BASE, { method: "POST", body: "[1]" }))).rejects.toMatchObject({ code: "bad_request" });
    expect(await jsonBody(new Request(BASE, { method: "POST" }))).toEqual({});
  });
});
