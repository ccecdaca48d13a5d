// The attacks of the security review, replayed over HTTP against the production build: each is
// refused and leaves no trace (no program run, no file written, no connection to a forbidden
// address, no secret in any answer). Forbidden targets are real listeners on 127.0.0.2/127.0.0.3
// (loopback, but not on the server's allow-list, which holds 127.0.0.1 for the lab), and each
// test asserts they saw nothing.
//
// The rest of the review has its own specs: the browser edge (CSRF, headers, socket origin,
// sign-in throttling) in security-edge.spec.ts, the hostile runbook in hostile-runbook.spec.ts,
// the audit log's database role in database-roles.spec.ts, accounts in accounts.spec.ts.
import { createServer, request as httpRequest, type Server } from "node:http";
import { existsSync } from "node:fs";
import { networkInterfaces, tmpdir } from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { asAdmin, DEMO, E2E_BASE, signIn } from "./support/fixtures";

interface Listener {
  url: string;
  hits: () => number;
  close: () => Promise<void>;
}

/** A local HTTP listener that counts every connection; `redirectTo` answers 302 there. */
async function listener(host: string, redirectTo?: string): Promise<Listener> {
  let connections = 0;
  const server: Server = createServer((_req, res) => {
    if (redirectTo) res.writeHead(302, { location: redirectTo }).end();
    else res.writeHead(200, { "content-type": "application/json" }).end('{"percent":0,"status":"success","data":{"resultType":"vector","result":[]}}');
  });
  server.on("connection", () => connections++);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const port = (server.address() as { port: number }).port;
  return { url: `http://${host}:${port}/`, hits: () => connections, close: () => new Promise((r) => server.close(() => r())) };
}

const command = (request: APIRequestContext, name: string, data: unknown, headers: Record<string, string> = asAdmin) =>
  request.post(`/api/v1/commands/${name}`, { headers, data: data as Record<string, unknown> });

async function newCutover(request: APIRequestContext, name: string): Promise<string> {
  const res = await request.post("/api/v1/cutovers", { headers: asAdmin, data: { name: `${name} ${Date.now()}`, systemFrom: "old", systemTo: "new", tZero: new Date().toISOString() } });
  expect(res.status()).toBe(201);
  return ((await res.json()) as { cutoverId: string }).cutoverId;
}

const unique = (prefix: string) => `${prefix}-${randomBytes(4).toString("hex")}`;

test("an Observer cannot create a cutover and so cannot become anyone's lead", async ({ page }) => {
  await signIn(page, DEMO.observer);
  const before = ((await (await page.request.get("/api/v1/cutovers")).json()) as { cutovers: unknown[] }).cutovers.length;
  const res = await page.request.post("/api/v1/cutovers", { data: { name: "Mine now", systemFrom: "a", systemTo: "b", tZero: new Date().toISOString() } });
  expect(res.status()).toBe(403);
  expect(((await (await page.request.get("/api/v1/cutovers")).json()) as { cutovers: unknown[] }).cutovers).toHaveLength(before);
});

test("no web user makes the server run a program: command routers and hooks typed into the API are refused", async ({ request }) => {
  const cutoverId = await newCutover(request, "Attack: commands");
  const marker = path.join(tmpdir(), unique("warroom-pwned"));
  const argv = ["touch", marker];

  // The old shape: a router with a command, set on the cutover directly.
  const direct = await command(request, "router.set", { cutoverId, config: { kind: "command", setCommand: argv, readCommand: ["sh", "-c", `touch ${marker}; echo 0`] } });
  expect(direct.status()).toBe(400);
  // As a named integration (the administrator's catalog): file-only kinds are refused.
  for (const [type, kind, config] of [
    ["router", "command", { setCommand: argv, readCommand: argv }],
    ["hook", "command", { argv }],
    ["router", "nginx", { upstreamFile: marker, upstreamName: "app", oldServer: "127.0.0.1:1", newServer: "127.0.0.1:2", pidFile: path.resolve(".data/e2e/auth-secret") }],
    ["router", "haproxy", { socket: marker, backend: "be", oldServer: "old", newServer: "new" }],
  ] as const) {
    const res = await command(request, "integration.save", { name: unique("evil"), type, kind, config });
    expect(res.status(), `${type}/${kind}`).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(/server configuration file/);
  }
  // A hook in the old shape (kind + argv on the cutover).
  expect((await command(request, "hook.add", { cutoverId, name: "pwn", kind: "command", config: { argv } })).status()).toBe(400);
  // Nothing is configured, so testing the router and rolling back run nothing either.
  expect((await command(request, "router.test", { cutoverId })).status()).toBeGreaterThanOrEqual(400);
  await request.post(`/api/v1/cutovers/${cutoverId}/rollback`, { headers: asAdmin, data: { reason: "attack" } });

  const traffic = (await (await request.get(`/api/v1/cutovers/${cutoverId}/traffic`, { headers: asAdmin })).json()) as { router: unknown; hooks: unknown[] };
  expect(traffic.router).toBeNull();
  expect(traffic.hooks).toHaveLength(0);
  expect(existsSync(marker)).toBe(false);
  expect(existsSync(path.resolve("pwned"))).toBe(false);
});

test("outbound requests reach no address the administrators did not allow, follow no redirect and echo nothing", async ({ request }) => {
  const forbidden = await listener("127.0.0.2");
  // 127.0.0.3 is allow-listed below, but answers with a redirect to the forbidden listener.
  const redirector = await listener("127.0.0.3", forbidden.url);
  try {
    const cutoverId = await newCutover(request, "Attack: SSRF");
    const router = unique("ssrf-router");
    const prom = unique("ssrf-prom");
    const hook = unique("ssrf-hook");
    expect((await command(request, "integration.save", { name: router, type: "router", kind: "webhook", config: { url: forbidden.url, readUrl: forbidden.url, secret: "0123456789abcdef-router" } })).status()).toBe(200);
    expect((await command(request, "integration.save", { name: prom, type: "prometheus", kind: "prometheus", config: { url: forbidden.url } })).status()).toBe(200);
    expect((await command(request, "integration.save", { name: hook, type: "hook", kind: "webhook", config: { url: forbidden.url } })).status()).toBe(200);
    expect((await command(request, "router.set", { cutoverId, integration: router })).status()).toBe(200);
    expect((await command(request, "hook.add", { cutoverId, name: "notify", integration: hook })).status()).toBe(200);
    expect((await command(request, "metrics.settings", { cutoverId, prometheusSource: prom, pollIntervalMs: 60_000 })).status()).toBe(200);

    const tested = await command(request, "router.test", { cutoverId });
    expect(tested.status()).toBe(502);
    expect(((await tested.json()) as { message: string }).message).toMatch(/refused|not allowed|allow-list/i);
    // "Test query" answers the value, or a short reason without a word of what came back.
    const query = (await (await command(request, "metric.test", { cutoverId, query: "up" })).json()) as { status: string; value: unknown; reason?: string };
    expect(query).toMatchObject({ value: null, reason: expect.stringMatching(/refused|allow-list/i) });
    const shifted = await request.post(`/api/v1/cutovers/${cutoverId}/traffic/shift`, { headers: asAdmin, data: { toPercent: 5, override: true, note: "attack" } });
    expect(shifted.status()).toBe(502);

    // The cloud metadata address is refused by name.
    const metadata = unique("ssrf-metadata");
    expect((await command(request, "integration.save", { name: metadata, type: "prometheus", kind: "prometheus", config: { url: "http://169.254.169.254/latest/meta-data/" } })).status()).toBe(200);
    expect((await command(request, "metrics.settings", { cutoverId, prometheusSource: metadata, pollIntervalMs: 60_000 })).status()).toBe(200);
    const meta = (await (await command(request, "metric.test", { cutoverId, query: "up" })).json()) as { value: unknown; reason?: string };
    expect(meta.value).toBeNull();
    expect(meta.reason).toMatch(/169\.254\.169\.254|link-local|metadata/i);

    // Allowed host, but it redirects to a forbidden one: the redirect is not followed.
    expect((await command(request, "outbound.allow", { host: "127.0.0.3", note: "attack suite" })).status()).toBe(200);
    const redirecting = unique("ssrf-redirect");
    expect((await command(request, "integration.save", { name: redirecting, type: "prometheus", kind: "prometheus", config: { url: redirector.url } })).status()).toBe(200);
    expect((await command(request, "metrics.settings", { cutoverId, prometheusSource: redirecting, pollIntervalMs: 60_000 })).status()).toBe(200);
    const redirected = (await (await command(request, "metric.test", { cutoverId, query: "up" })).json()) as { value: unknown; reason?: string };
    expect(redirected.value).toBeNull();
    expect(redirected.reason).toMatch(/redirect|3\d\d/i);
    expect(redirector.hits()).toBeGreaterThan(0);
    await command(request, "outbound.disallow", { host: "127.0.0.3" });

    expect(forbidden.hits()).toBe(0);
  } finally {
    await forbidden.close();
    await redirector.close();
  }
});

test("secrets stay on the server: not in views, the audit log, exports or answers, and never sent to a new address", async ({ browser, request }) => {
  const secret = `router-secret-${randomBytes(8).toString("hex")}`;
  const token = `prom-token-${randomBytes(8).toString("hex")}`;
  const cutoverId = await newCutover(request, "Attack: secrets");
  const router = unique("secret-router");
  const prom = unique("secret-prom");
  expect((await command(request, "integration.save", { name: router, type: "router", kind: "webhook", config: { url: "https://lb.example.com/split", secret } })).status()).toBe(200);
  expect((await command(request, "integration.save", { name: prom, type: "prometheus", kind: "prometheus", config: { url: "https://prom.example.com", auth: { kind: "bearer", token } } })).status()).toBe(200);
  // Credentials inside a URL are refused outright.
  expect((await command(request, "integration.save", { name: unique("in-url"), type: "prometheus", kind: "prometheus", config: { url: "https://user:hunter2@prom.example.com" } })).status()).toBe(400);
  // Moving the Prometheus source to another host without typing the token again is refused.
  const moved = await command(request, "integration.save", { name: prom, type: "prometheus", kind: "prometheus", config: { url: "https://elsewhere.example.net" } });
  expect(moved.status()).toBe(400);
  expect((await command(request, "router.set", { cutoverId, integration: router })).status()).toBe(200);
  expect((await command(request, "metrics.settings", { cutoverId, prometheusSource: prom, pollIntervalMs: 60_000 })).status()).toBe(200);
  expect((await command(request, "member.add", { cutoverId, email: DEMO.observer, role: "OBSERVER" })).status()).toBe(200);

  const answers: string[] = [];
  for (const url of [`/api/v1/cutovers/${cutoverId}`, `/api/v1/cutovers/${cutoverId}/traffic`, `/api/v1/cutovers/${cutoverId}/audit?limit=500`, `/api/v1/cutovers/${cutoverId}/export?what=audit&format=json`, `/api/v1/cutovers/${cutoverId}/export?what=audit&format=csv`, `/api/v1/cutovers/${cutoverId}/export?format=json`, `/api/v1/cutovers/${cutoverId}/export?format=markdown`]) {
    const res = await request.get(url, { headers: asAdmin });
    expect(res.status(), url).toBe(200);
    answers.push(await res.text());
  }
  const observer = await (await browser.newContext()).newPage();
  await signIn(observer, DEMO.observer);
  const seen = await observer.request.get(`/api/v1/cutovers/${cutoverId}/traffic`);
  expect(seen.status()).toBe(200);
  const view = (await seen.json()) as { router: unknown };
  answers.push(JSON.stringify(view));
  // An Observer sees that a router is set, not how it is reached.
  expect(JSON.stringify(view.router ?? "")).not.toContain("lb.example.com");
  await observer.goto(`/cutovers/${cutoverId}`);
  answers.push(await observer.content());
  await observer.context().close();

  for (const text of answers) {
    expect(text).not.toContain(secret);
    expect(text).not.toContain(token);
  }
});

test("small things: protocol-relative links, oversized request ids, oversized bodies and foreign return URLs are refused", async ({ page, request }) => {
  const cutoverId = await newCutover(request, "Attack: input");
  for (const url of ["//evil.example/x", "javascript:alert(1)", "/\\evil.example"]) {
    const res = await command(request, "links.set", { cutoverId, links: [{ label: "x", url }] });
    expect(res.status(), url).toBe(400);
  }
  const longId = "x".repeat(10_000);
  const res = await request.get("/api/v1/cutovers", { headers: { ...asAdmin, "x-request-id": longId } });
  expect(res.status()).toBe(200);
  expect((res.headers()["x-request-id"] ?? "").length).toBeLessThanOrEqual(100);

  // 2 MB sent in chunks (no content-length): refused while it streams, and nothing is created.
  // The refusal: a 400, or (when the server closes while we are still writing and the kernel
  // resets the connection before its answer is read) a reset. Either way nothing is created.
  const outcome = await new Promise<number | "reset">((resolve, reject) => {
    let answered = false;
    const req = httpRequest(`${E2E_BASE}/api/v1/cutovers`, { method: "POST", agent: false, headers: { ...asAdmin, "content-type": "application/json" } }, (res) => {
      answered = true;
      res.resume();
      resolve(res.statusCode ?? 0);
      res.once("end", () => req.destroy());
    });
    req.on("error", (err: NodeJS.ErrnoException) => {
      if (answered) return;
      if (err.code === "EPIPE" || err.code === "ECONNRESET") resolve("reset");
      else reject(err);
    });
    req.write('{"name":"big","runbook":"');
    const chunk = "a".repeat(64 * 1024);
    let sent = 0;
    const pump = () => {
      while (sent < 32 && !answered && !req.destroyed) {
        sent++;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      if (!answered && !req.destroyed) req.end('"}');
    };
    pump();
  });
  expect([400, "reset"]).toContain(outcome);
  const names = ((await (await request.get("/api/v1/cutovers", { headers: asAdmin })).json()) as { cutovers: { name: string }[] }).cutovers.map((c) => c.name);
  expect(names).not.toContain("big");

  // After sign-in the app only returns to its own pages.
  await page.goto(`/sign-in?callbackUrl=${encodeURIComponent("/\\evil.example")}`);
  await page.getByLabel("Email").fill(DEMO.lead);
  await page.getByLabel("Password").fill("warroom-demo");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((u) => u.origin === new URL(E2E_BASE).origin || u.hostname === "localhost");
  expect(new URL(page.url()).hostname).not.toContain("evil");
});

test("the demo listens on loopback only: its published password is not reachable from the network", async ({ request }) => {
  const external = Object.values(networkInterfaces())
    .flat()
    .find((a) => a && a.family === "IPv4" && !a.internal);
  test.skip(!external, "this machine has no non-loopback IPv4 address to try");
  const port = new URL(E2E_BASE).port;
  const reached = await fetch(`http://${external!.address}:${port}/health/liveness`, { signal: AbortSignal.timeout(3000) }).then(
    () => true,
    () => false,
  );
  expect(reached).toBe(false);
  expect((await request.get("/health/liveness")).status()).toBe(200);
});
