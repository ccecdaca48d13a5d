// The integrations catalog in the browser: an administrator defines a Prometheus source with a
// token (never shown again), a lead picks it by name in the room, and an Observer finds neither
// the page nor the link.
import { expect, test } from "@playwright/test";
import { asAdmin, DEMO, signIn } from "./support/fixtures";

const TOKEN = "ui-bearer-token-0123456789";

test("an administrator defines a Prometheus source; the lead picks it by name; an Observer cannot see the page", async ({ browser, request }) => {
  const admin = await (await browser.newContext()).newPage();
  await signIn(admin, DEMO.lead);
  await admin.getByRole("link", { name: "Integrations" }).click();
  await expect(admin).toHaveURL(/\/admin\/integrations$/);
  await admin.getByRole("button", { name: "New prometheus source" }).click();
  const form = admin.getByTestId("integration-form");
  await form.getByLabel(/^Name/).fill("ui-prom");
  await form.getByLabel("Prometheus URL", { exact: true }).fill("https://prom.example.com:9090");
  await form.getByLabel("Authentication").selectOption("bearer");
  await form.getByLabel("Bearer token", { exact: true }).fill(TOKEN);
  await form.getByRole("button", { name: "Save" }).click();
  const row = admin.locator('[data-testid="integration"][data-name="ui-prom"]');
  await expect(row).toContainText("secret set (never shown)");
  await expect(row).toContainText("https://prom.example.com:9090/");
  expect(await admin.content()).not.toContain(TOKEN);

  // A command router typed into the API is refused: only the server configuration file defines those.
  const refused = await request.post("/api/v1/commands/integration.save", { headers: asAdmin, data: { name: "evil", type: "router", kind: "command", config: { setCommand: ["touch", "pwned"] } } });
  expect(refused.status()).toBe(400);
  expect((await refused.json()).message).toMatch(/server configuration file/);

  const created = await request.post("/api/v1/cutovers", { headers: asAdmin, data: { name: `Integrations UI ${Date.now()}`, systemFrom: "old", systemTo: "new", tZero: new Date().toISOString() } });
  const cutoverId = (await created.json()).cutoverId as string;
  await admin.goto(`/cutovers/${cutoverId}`);
  await admin.getByRole("tab", { name: "Metrics" }).click();
  const settings = admin.getByRole("form", { name: "Prometheus settings" });
  await settings.getByLabel("Prometheus source").selectOption("ui-prom");
  await settings.getByRole("button", { name: "Save settings" }).click();
  await expect(admin.getByTestId("metrics-panel")).toContainText("Prometheus ui-prom");
  expect(await admin.content()).not.toContain(TOKEN);

  const observer = await (await browser.newContext()).newPage();
  await signIn(observer, DEMO.observer);
  await expect(observer.getByRole("link", { name: "Integrations" })).toHaveCount(0);
  const res = await observer.goto("/admin/integrations");
  expect(res?.status()).toBe(404);
});
