import { expect, test } from "@playwright/test";
import { e2ePostgresPid } from "./support/fixtures";

// Runs last (see playwright.config.ts): it stops the app's PostgreSQL for good.
test("/health turns 503 and readiness false when PostgreSQL is stopped; liveness stays up", async ({ request }) => {
  expect((await request.get("/health")).status()).toBe(200);
  process.kill(e2ePostgresPid(), "SIGINT");
  await expect
    .poll(async () => (await request.get("/health")).status(), { timeout: 15_000 })
    .toBe(503);
  const body = await (await request.get("/health")).json();
  expect(body).toMatchObject({ status: "unhealthy", database: "disconnected" });
  expect(body.checks.database_latency_ms).toBeNull();
  const ready = await request.get("/health/readiness");
  expect(ready.status()).toBe(503);
  expect(await ready.json()).toEqual({ ready: false });
  expect(await (await request.get("/health/liveness")).json()).toEqual({ alive: true });
});
