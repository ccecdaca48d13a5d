import { expect, test } from "@playwright/test";
import pg from "pg";
import { announce } from "../lib/realtime/bus";
import { DEMO, e2eDatabaseUrl, openDemoCutover, signIn } from "./support/fixtures";

test("pages need a signed-in user; sign-in does not say which part was wrong", async ({ page }) => {
  await page.goto("/cutovers");
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fcutovers/);
  await page.getByLabel("Email").fill(DEMO.lead);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("sign-in-error")).toHaveText("Wrong email or password.");
  await page.getByLabel("Email").fill("nobody@example.com");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("sign-in-error")).toHaveText("Wrong email or password.");
  // The API refuses without a session or token.
  const api = await page.request.get("/api/v1/cutovers");
  expect(api.status()).toBe(401);
  expect(await api.json()).toMatchObject({ error: "unauthorized" });
});

test("a role lead signs in and sees the demo cutover's phases and items with owner roles", async ({ page, context }) => {
  await signIn(page, DEMO.dba);
  const cookies = await context.cookies();
  const session = cookies.find((c) => c.name.endsWith("next-auth.session-token"));
  expect(session?.httpOnly).toBe(true);
  expect(session?.sameSite).toBe("Lax");

  await openDemoCutover(page);
  await expect(page.getByTestId("signed-in-user")).toHaveText("Dmitri DBA");
  await expect(page.getByTestId("my-roles")).toContainText("Database DBA");
  await expect(page.getByRole("heading", { name: /Pre-Deployment \(72 hours before cutover\)/ })).toBeVisible();
  const item = page.getByTestId("checklist-item").filter({ hasText: "PostgreSQL production instance provisioned" });
  await expect(item.getByTestId("item-owner")).toHaveText("Database DBA");
  await expect(item.getByTestId("item-state")).toHaveText("Open");
  expect(await page.getByTestId("checklist-item").count()).toBeGreaterThan(100);
});

test("a change written by a second process reaches the open page without reload", async ({ page }) => {
  await signIn(page, DEMO.qa);
  const cutoverId = await openDemoCutover(page);
  const item = page.getByTestId("checklist-item").filter({ hasText: "Redis cache cluster deployed" });
  await expect(item.getByTestId("item-state")).toHaveText("Open");
  await page.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));

  // This test process is the second writer: one transaction changes the item and announces it.
  const client = new pg.Client({ connectionString: e2eDatabaseUrl() });
  await client.connect();
  try {
    await client.query("BEGIN");
    const { rows } = await client.query<{ id: string }>(
      `UPDATE items SET state = 'done', version = version + 1 WHERE title = $1
         AND section_id IN (SELECT s.id FROM sections s JOIN phases p ON p.id = s.phase_id WHERE p.cutover_id = $2) RETURNING id`,
      ["Redis cache cluster deployed", cutoverId],
    );
    expect(rows).toHaveLength(1);
    await announce({ $executeRawUnsafe: (q, ...v) => client.query(q, v).then((r) => r.rowCount ?? 0) }, { type: "item.signed_off", cutoverId, subject: `item:${rows[0]!.id}`, data: { itemId: rows[0]!.id, state: "done" } });
    await client.query("COMMIT");
  } finally {
    await client.end();
  }
  await expect(item.getByTestId("item-state")).toHaveText("Done");
  expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
});

test("health endpoints answer as the runbooks describe and /metrics exposes the app's metrics", async ({ request }) => {
  const health = await request.get("/health");
  expect(health.status()).toBe(200);
  const body = await health.json();
  expect(body).toMatchObject({ status: "healthy", database: "connected", version: expect.any(String) });
  expect(new Date(body.timestamp).getTime()).toBeGreaterThan(Date.now() - 60_000);
  expect(body.checks.database_latency_ms).toBeGreaterThanOrEqual(0);
  expect(await (await request.get("/health/readiness")).json()).toEqual({ ready: true });
  expect(await (await request.get("/health/liveness")).json()).toEqual({ alive: true });

  const m = await request.get("/metrics");
  expect(m.status()).toBe(200);
  expect(m.headers()["content-type"]).toContain("text/plain");
  const text = await m.text();
  expect(text).toMatch(/warroom_http_requests_total\{route="\/health",method="GET",status="200"\} \d+/);
  expect(text).toContain("warroom_http_request_duration_seconds_bucket");
  expect(text).toContain("warroom_socket_connections");
  expect(text).toContain("warroom_process_resident_memory_bytes");
});
