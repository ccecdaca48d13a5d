import { describe, expect, it } from "vitest";
import { baseSecurityHeaders, contentSecurityPolicy, newNonce } from "./security-headers";

const directives = (csp: string) => Object.fromEntries(csp.split(";").map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));

describe("baseSecurityHeaders", () => {
  it("forbids framing and sniffing, limits Referer and features", () => {
    const h = baseSecurityHeaders({ publicUrl: "http://localhost:3000" });
    expect(h["X-Frame-Options"]).toBe("DENY");
    expect(h["X-Content-Type-Options"]).toBe("nosniff");
    expect(h["Referrer-Policy"]).toBe("same-origin");
    expect(h["Permissions-Policy"]).toContain("camera=()");
    expect(h["Permissions-Policy"]).toContain("geolocation=()");
  });
  it("sends HSTS only when the public URL is https", () => {
    expect(baseSecurityHeaders({ publicUrl: "http://localhost:3000" })).not.toHaveProperty("Strict-Transport-Security");
    expect(baseSecurityHeaders({})).not.toHaveProperty("Strict-Transport-Security");
    expect(baseSecurityHeaders({ publicUrl: "https://warroom.example.com" })["Strict-Transport-Security"]).toMatch(/^max-age=\d{7,}/);
  });
});

describe("contentSecurityPolicy", () => {
  it("allows scripts only with this request's nonce and no inline script otherwise", () => {
    const d = directives(contentSecurityPolicy({ nonce: "abc123==", publicUrl: "http://localhost:3000", host: "localhost:3000" }));
    expect(d["script-src"]).toEqual(["'self'", "'nonce-abc123=='", "'strict-dynamic'"]);
    expect(d["script-src"]).not.toContain("'unsafe-inline'");
    expect(d["script-src"]).not.toContain("'unsafe-eval'");
    expect(d["frame-ancestors"]).toEqual(["'none'"]);
    expect(d["object-src"]).toEqual(["'none'"]);
    expect(d["base-uri"]).toEqual(["'self'"]);
    expect(d["form-action"]).toEqual(["'self'"]);
  });
  it("keeps inline styles (charts) without a style nonce, which would disable 'unsafe-inline'", () => {
    const d = directives(contentSecurityPolicy({ nonce: "n" }));
    expect(d["style-src"]).toEqual(["'self'", "'unsafe-inline'"]);
  });
  it("lets the page reach its own socket.io over ws on http and only wss on https", () => {
    const http = directives(contentSecurityPolicy({ nonce: "n", publicUrl: "http://localhost:3000", host: "127.0.0.1:3000" }));
    expect(http["connect-src"]).toEqual(["'self'", "ws://localhost:3000", "wss://localhost:3000", "ws://127.0.0.1:3000", "wss://127.0.0.1:3000"]);
    expect(http["upgrade-insecure-requests"]).toBeUndefined();
    const https = directives(contentSecurityPolicy({ nonce: "n", publicUrl: "https://warroom.example.com", host: "warroom.example.com" }));
    expect(https["connect-src"]).toEqual(["'self'", "wss://warroom.example.com"]);
    expect(https["upgrade-insecure-requests"]).toEqual([]);
  });
  it("does not copy a hostile Host header into the policy", () => {
    const csp = contentSecurityPolicy({ nonce: "n", host: "evil.com; script-src *" });
    expect(csp).not.toContain("evil.com");
  });
  it("adds 'unsafe-eval' in development only (React's dev tooling)", () => {
    expect(directives(contentSecurityPolicy({ nonce: "n", dev: true }))["script-src"]).toContain("'unsafe-eval'");
  });
});

describe("newNonce", () => {
  it("is fresh base64 of 16 bytes each time", () => {
    const a = newNonce();
    const b = newNonce();
    expect(a).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(a).not.toBe(b);
  });
});

describe("next.config.js headers", () => {
  it("send the same base headers as the pages and the fast path", async () => {
    const path = "../../next.config.js";
    const { default: nextConfig } = (await import(/* @vite-ignore */ path)) as { default: { headers: () => Promise<{ source: string; headers: { key: string; value: string }[] }[]> } };
    const [rule] = await nextConfig.headers();
    expect(rule!.source).toBe("/:path*");
    const base = baseSecurityHeaders({});
    for (const { key, value } of rule!.headers) expect(base[key], key).toBe(value);
    expect(rule!.headers.map((h) => h.key)).toEqual(expect.arrayContaining(["X-Content-Type-Options", "X-Frame-Options"]));
  });
});
