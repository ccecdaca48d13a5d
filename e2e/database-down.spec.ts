import { expect, test } from "@playwright/test";
import { asAdmin, e2ePostgresPid, runningPostgresPid } from "./support/fixtures";

const newCutover = (name: string) => ({ name, systemFrom: "old", systemTo: "new", tZero: new Date(Date.now() + 3600_000).toISOString() });

// Runs last (see playwright.config.ts): it kills the app's PostgreSQL, then stops it for good.
test("a SIGKILLed PostgreSQL is brought back by the server: health recovers and an acknowledged write is still there", async ({ request }) => {
  const created = await request.post("/api/v1/cutovers", { headers: asAdmin, data: newCutover(`Survives ${Date.now()}`) });
  expect(created.status()).toBe(201);
  const { cutoverId } = await created.json();
  const pid = runningPostgresPid();
  process.kill(pid, "SIGKILL");
  // The old postmaster's file stays until the new one replaces it, and is missing (null) for a moment in between.
  await expect
    .poll(() => {
      const now = e2ePostgresPid();
      return now !== null && now !== pid;
    }, { message: "a new postmaster is running", timeout: 30_000 })
    .toBe(true);
  await expect.poll(async () => (await request.get("/health")).status(), { timeout: 30_000 }).toBe(200);
  const read = await request.get(`/api/v1/cutovers/${cutoverId}`, { headers: asAdmin });
  expect(read.status()).toBe(200);
});

test("/health turns 503 and readiness false when PostgreSQL is stopped; writes answer 503 database_unavailable; liveness stays up", async ({ request }) => {
  expect((await request.get("/health")).status()).toBe(200);
  // A clean shutdown from outside is respected: the server does not start it again.
  process.kill(runningPostgresPid(), "SIGINT");
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
  const write = await request.post("/api/v1/cutovers", { headers: asAdmin, data: newCutover("During the outage") });
  expect(write.status()).toBe(503);
  expect(write.headers()["retry-after"]).toBe("5");
  expect(await write.json()).toMatchObject({ error: "unavailable", reason: "database_unavailable" });
});
