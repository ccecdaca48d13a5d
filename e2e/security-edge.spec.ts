// The browser edge against the production build: security headers and the CSP nonce on every
// page, cookie-authenticated writes only from our own origin and only as JSON, bearer tokens
// unaffected, socket.io refusing foreign pages, bounded bodies and request ids, and sign-in
// throttling as a person sees it.
import { request as httpRequest } from "node:http";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { io as connect } from "socket.io-client";
import { asAdmin, DEMO, E2E_BASE, openDemoCutover, signIn } from "./support/fixtures";

const FOREIGN = "https://evil.example";

function expectPageHeaders(headers: Record<string, string>, what: string) {
  const csp = headers["content-security-policy"] ?? "";
  expect(csp, what).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(csp, what).toContain("frame-ancestors 'none'");
  expect(csp, what).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  expect(headers["x-frame-options"], what).toBe("DENY");
  expect(headers["x-content-type-options"], what).toBe("nosniff");
  expect(headers["referrer-policy"], what).toBe("same-origin");
  expect(headers["permissions-policy"], what).toContain("camera=()");
  // Served over plain http here: no HSTS (lib/domain/security-headers.test.ts covers https).
  expect(headers["strict-transport-security"], what).toBeUndefined();
}

/** Every <script> of the HTML carries the nonce of the response's CSP, and no two responses share one. */
function expectScriptsNonced(html: string, csp: string) {
  const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
  const scripts = html.match(/<script\b[^>]*>/g) ?? [];
  expect(scripts.length).toBeGreaterThan(0);
  for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
  return nonce;
}

async function auditCount(request: APIRequestContext, cutoverId: string): Promise<number> {
  const res = await request.get(`/api/v1/cutovers/${cutoverId}/audit?limit=500`, { headers: asAdmin });
  return ((await res.json()) as { events: unknown[] }).events.length;
}

async function leadInRoom(page: Page): Promise<string> {
  await signIn(page, DEMO.lead);
  return openDemoCutover(page);
}

test("every page carries the CSP with a fresh nonce on each of its scripts, no framing, nosniff, Referrer- and Permissions-Policy", async ({ page, request }) => {
  const signInPage = await request.get("/sign-in");
  expect(signInPage.status()).toBe(200);
  expectPageHeaders(signInPage.headers(), "/sign-in");
  const first = expectScriptsNonced(await signInPage.text(), signInPage.headers()["content-security-policy"]!);
  const again = await request.get("/sign-in");
  expect(expectScriptsNonced(await again.text(), again.headers()["content-security-policy"]!)).not.toBe(first);

  // "/" without a session: the redirect to sign-in carries them too.
  const home = await request.get("/", { maxRedirects: 0 });
  expect(home.status()).toBe(307);
  expectPageHeaders(home.headers(), "/ (redirect)");

  // The room, signed in; and it still hydrates and goes live under the CSP without one violation.
  const violations: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to (execute|load|connect)/i.test(m.text())) violations.push(m.text());
  });
  const cutoverId = await leadInRoom(page);
  const room = await page.request.get(`/cutovers/${cutoverId}`);
  expectPageHeaders(room.headers(), "cutover page");
  expectScriptsNonced(await room.text(), room.headers()["content-security-policy"]!);
  expect(violations).toEqual([]);

  // API answers and the fast path: nosniff at least.
  expect((await request.get("/health")).headers()["x-content-type-options"]).toBe("nosniff");
  expect((await request.get("/api/v1/cutovers")).headers()["x-content-type-options"]).toBe("nosniff");
  const fast = await request.post(`/api/v1/cutovers/${cutoverId}/items/00000000-0000-4000-8000-000000000000/signoff`, { headers: asAdmin, data: { note: "x" } });
  expect(fast.status()).toBe(404);
  expect(fast.headers()["x-content-type-options"]).toBe("nosniff");
  expect(fast.headers()["x-frame-options"]).toBe("DENY");
});

test("a cookie POST as text/plain (a cross-site form) to the rollback route is 403 and changes nothing", async ({ page, request }) => {
  const cutoverId = await leadInRoom(page);
  const before = await auditCount(request, cutoverId);
  const res = await page.request.post(`/api/v1/cutovers/${cutoverId}/rollback`, { headers: { "content-type": "text/plain" }, data: JSON.stringify({ reason: "csrf" }) });
  expect(res.status()).toBe(403);
  expect(await res.json()).toMatchObject({ error: "forbidden", message: expect.stringContaining("application/json") });
  const form = await page.request.post(`/api/v1/cutovers/${cutoverId}/rollback`, { form: { reason: "csrf" } });
  expect(form.status()).toBe(403);
  expect(await auditCount(request, cutoverId)).toBe(before);
  const traffic = await (await page.request.get(`/api/v1/cutovers/${cutoverId}/traffic`)).json();
  expect(traffic.rollbacks.filter((r: { reason?: string | null }) => r.reason === "csrf")).toEqual([]);
});

test("a cookie POST from a foreign origin is 403 even as JSON; our own origin gets through to the command", async ({ page, request }) => {
  const cutoverId = await leadInRoom(page);
  const before = await auditCount(request, cutoverId);
  for (const headers of [{ origin: FOREIGN }, { origin: "null" }, { "sec-fetch-site": "cross-site" }] as Record<string, string>[]) {
    const res = await page.request.post(`/api/v1/cutovers/${cutoverId}/rollback`, { headers, data: { reason: "csrf" } });
    expect(res.status(), JSON.stringify(headers)).toBe(403);
    expect((await res.json()).details).toEqual({ reason: "cross_origin" });
  }
  const cmd = await page.request.post("/api/v1/commands/risk.save", { headers: { origin: FOREIGN }, data: { cutoverId, title: "csrf risk", probability: "low", impact: "low" } });
  expect(cmd.status()).toBe(403);
  expect(await auditCount(request, cutoverId)).toBe(before);
  // From our own page's origin the same kind of request reaches the command (which judges the input).
  const own = await page.request.post(`/api/v1/cutovers/${cutoverId}/items/not-an-id/signoff`, { headers: { origin: new URL(page.url()).origin }, data: {} });
  expect(own.status()).toBe(400);
  expect((await own.json()).message).toBe("itemId must be an id");
});

test("bearer-token calls are unaffected by origin and content type", async ({ request }) => {
  const list = await request.get("/api/v1/cutovers", { headers: { ...asAdmin, origin: FOREIGN } });
  expect(list.status()).toBe(200);
  const cutoverId = ((await list.json()).cutovers as { id: string; name: string }[]).find((c) => /demo/i.test(c.name))!.id;
  // Fast path (bearer POST) with text/plain and a foreign Origin: the command answers (404: no such item).
  const fast = await request.post(`/api/v1/cutovers/${cutoverId}/items/00000000-0000-4000-8000-000000000000/signoff`, {
    headers: { ...asAdmin, origin: FOREIGN, "content-type": "text/plain" },
    data: JSON.stringify({ note: "from a script" }),
  });
  expect(fast.status()).toBe(404);
  // Next route (bearer GET with a foreign Origin).
  expect((await request.get(`/api/v1/cutovers/${cutoverId}/traffic`, { headers: { ...asAdmin, origin: FOREIGN } })).status()).toBe(200);
});

test("socket.io refuses a foreign page's handshake even with a valid session cookie", async ({ page, context }) => {
  await leadInRoom(page);
  const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
  const attempt = (origin: string, transport: "websocket" | "polling") =>
    new Promise<string>((resolve) => {
      const socket = connect(E2E_BASE, { path: "/socket.io", transports: [transport], forceNew: true, reconnection: false, extraHeaders: { cookie, origin } });
      socket.once("connect", () => (socket.disconnect(), resolve("connected")));
      socket.once("connect_error", (e) => (socket.disconnect(), resolve(`refused: ${e.message}`)));
    });
  for (const transport of ["websocket", "polling"] as const) {
    expect(await attempt(FOREIGN, transport), transport).toMatch(/^refused/);
    expect(await attempt(E2E_BASE, transport), transport).toBe("connected");
  }
});

test("sign-in is throttled: after 5 wrong passwords the answer is 429 with a plain message", async ({ page }) => {
  const email = `nobody-${Date.now()}@example.com`;
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  for (let i = 0; i < 5; i++) {
    await page.getByLabel("Password").fill(`guess-${i}`);
    const answer = page.waitForResponse((r) => r.url().includes("/api/auth/callback/credentials"));
    await page.getByRole("button", { name: "Sign in" }).click();
    expect((await answer).status()).toBe(401);
    await expect(page.getByTestId("sign-in-error")).toHaveText("Wrong email or password.");
  }
  await page.getByLabel("Password").fill("guess-6");
  const answer = page.waitForResponse((r) => r.url().includes("/api/auth/callback/credentials"));
  await page.getByRole("button", { name: "Sign in" }).click();
  const res = await answer;
  expect(res.status()).toBe(429);
  expect(Number(res.headers()["retry-after"])).toBeGreaterThan(0);
  await expect(page.getByTestId("sign-in-error")).toHaveText("Too many sign-in attempts. Try again in 15 minutes.");
});

test("after sign-in the browser goes only to a path of this site", async ({ page }) => {
  for (const evil of ["/\\evil.example", "//evil.example", "https://evil.example/"]) {
    await page.context().clearCookies();
    await page.goto(`/sign-in?callbackUrl=${encodeURIComponent(evil)}`);
    await page.getByLabel("Email").fill(DEMO.observer);
    await page.getByLabel("Password").fill("warroom-demo");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/cutovers/);
    expect(new URL(page.url()).host, evil).toBe(new URL(E2E_BASE.replace("127.0.0.1", "localhost")).host);
  }
});

/** A POST with a chunked body (no Content-Length) of `size` bytes, as a raw HTTP client sends it. */
function chunkedPost(path: string, headers: Record<string, string>, size: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${E2E_BASE}${path}`, { method: "POST", headers: { ...headers, "transfer-encoding": "chunked" } }, (res) => {
      let body = "";
      res.on("data", (c: Buffer) => (body += c.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    chunk.write('{"note":"');
    let sent = 0;
    const pump = () => {
      while (sent < size) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      req.end();
    };
    pump();
  });
}

test("bodies over 1 MB are refused while streaming, chunked or not; request ids are validated", async ({ page, request }) => {
  const cutoverId = await leadInRoom(page);
  const path = `/api/v1/cutovers/${cutoverId}/items/00000000-0000-4000-8000-000000000000/signoff`;
  // Fast path (bearer) and Next route (cookie), each with a 3 MB chunked body.
  const fast = await chunkedPost(path, { authorization: asAdmin.Authorization, "content-type": "application/json" }, 3 * 1024 * 1024);
  expect(fast.status).toBe(400);
  expect(JSON.parse(fast.body).message).toBe("Request body is larger than 1 MB");
  const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
  const next = await chunkedPost(path, { cookie, "content-type": "application/json" }, 3 * 1024 * 1024);
  expect(next.status).toBe(400);
  expect(JSON.parse(next.body).message).toBe("Request body is larger than 1 MB");

  const good = await request.get("/api/v1/cutovers", { headers: { ...asAdmin, "x-request-id": "ci-run-42" } });
  expect(good.headers()["x-request-id"]).toBe("ci-run-42");
  const bad = await request.get("/api/v1/cutovers", { headers: { ...asAdmin, "x-request-id": `${"x".repeat(150)}<script>` } });
  expect(bad.headers()["x-request-id"]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  // Malformed ids in paths are a 400 on both paths, never a database error.
  expect((await request.get("/api/v1/cutovers/x'--/audit", { headers: asAdmin })).status()).toBe(400);
  expect((await request.post("/api/v1/cutovers/nope/items/nope/signoff", { headers: asAdmin, data: {} })).status()).toBe(400);
});

test("server actions: Next refuses one replayed from a foreign origin, and it writes nothing", async ({ page, request }) => {
  const cutoverId = await leadInRoom(page);
  await page.getByRole("tab", { name: "Risks" }).click();
  const form = page.getByRole("form", { name: "Add a risk" });
  await form.getByLabel("Risk").fill("Added from the page");
  const sent = page.waitForRequest((r) => r.method() === "POST" && !!r.headers()["next-action"]);
  await form.getByRole("button", { name: "Add risk" }).click();
  const action = await sent;
  const headers = action.headers();
  const risks = async () => ((await (await request.get(`/api/v1/cutovers/${cutoverId}`, { headers: asAdmin })).json()) as { risks: { title: string }[] }).risks.map((r) => r.title);
  await expect.poll(risks).toContain("Added from the page");

  // The same action (roomAction), with arguments of our choosing, from our origin and from another.
  const replay = (origin: string, title: string) =>
    page.request.post(action.url(), {
      headers: { "next-action": headers["next-action"]!, "next-router-state-tree": headers["next-router-state-tree"] ?? "", accept: "text/x-component", "content-type": "text/plain;charset=UTF-8", origin },
      data: JSON.stringify(["risk.save", { cutoverId, title, probability: "low", impact: "low", status: "open" }]),
    });
  const foreign = await replay(FOREIGN, "Replayed cross-site");
  expect(foreign.status()).toBeGreaterThanOrEqual(400);
  const own = await replay(new URL(page.url()).origin, "Replayed from our page");
  expect(own.status()).toBe(200);
  await expect.poll(risks).toContain("Replayed from our page");
  expect(await risks()).not.toContain("Replayed cross-site");
});
