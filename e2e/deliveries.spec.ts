// Channels and deliveries in the browser: an administrator defines a signed webhook channel and
// sends a test message to a local receiver; the lead picks the cutover's channels in Comms; a
// delivery the outbound policy refuses fails at once and shows in the banner above the tabs for
// the whole room, is retried (and fails again, visibly) and dismissed; a good one is delivered.
import { expect, test } from "@playwright/test";
import pg from "pg";
import { verifySignature } from "../lib/adapters/signer";
import { startWebhookReceiver, type WebhookReceiver } from "../lib/testing/notify-receivers";
import { asAdmin, DEMO, e2eDatabaseUrl, signIn } from "./support/fixtures";

const SECRET = "e2e-channel-secret-0123456789";
let receiver: WebhookReceiver;

test.beforeAll(async () => {
  receiver = await startWebhookReceiver();
});
test.afterAll(async () => {
  await receiver?.close();
});

/** What another part of the app does to send a message: a row in the outbox. */
async function queueDelivery(cutoverId: string, channel: string, title: string) {
  const client = new pg.Client({ connectionString: e2eDatabaseUrl() });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO deliveries (id, cutover_id, channel, source, subject, message, created_by) VALUES (gen_random_uuid(), $1, $2, 'announcement', 'e2e', $3, 'e2e')`,
      [cutoverId, channel, JSON.stringify({ title, text: "Sent from the e2e test" })],
    );
  } finally {
    await client.end();
  }
}

test("channels, a test message, and a failed delivery visible to the room until dismissed", async ({ browser, request }) => {
  const admin = await (await browser.newContext()).newPage();
  await signIn(admin, DEMO.lead);
  await admin.goto("/admin/integrations");
  await admin.getByRole("button", { name: "New channel: signed json webhook" }).click();
  const form = admin.getByTestId("integration-form");
  await form.getByLabel(/^Name/).fill("e2e-hook");
  await form.getByLabel(/^URL/).fill(`${receiver.url}/warroom`);
  await form.getByLabel(/^Signing secret/).fill(SECRET);
  await form.getByRole("button", { name: "Save" }).click();
  const row = admin.locator('[data-testid="integration"][data-name="e2e-hook"]');
  await expect(row).toContainText("secret set (never shown)");
  await row.getByRole("button", { name: "Send a test message through e2e-hook" }).click();
  await expect(row.getByRole("status")).toHaveText("Delivered");
  expect(receiver.received).toHaveLength(1);
  expect(verifySignature(receiver.received[0]!.body, String(receiver.received[0]!.headers["x-warroom-signature"]), SECRET)).toBe(true);
  expect(await admin.content()).not.toContain(SECRET);

  // 127.0.0.2 is loopback and not allow-listed (WARROOM_OUTBOUND_ALLOW=127.0.0.1): refused before connecting.
  const refused = await request.post("/api/v1/commands/integration.save", { headers: asAdmin, data: { name: "e2e-refused", type: "channel", kind: "webhook", config: { url: "http://127.0.0.2:9/x" } } });
  expect(refused.status()).toBe(200);

  const created = await request.post("/api/v1/cutovers", { headers: asAdmin, data: { name: `Deliveries ${Date.now()}`, systemFrom: "old", systemTo: "new", tZero: new Date().toISOString() } });
  const cutoverId = (await created.json()).cutoverId as string;
  await admin.goto(`/cutovers/${cutoverId}`);
  await admin.getByRole("tab", { name: "Comms" }).click();
  const panel = admin.getByTestId("deliveries-panel");
  await expect(panel.getByTestId("deliveries-empty")).toBeVisible();
  const picker = panel.getByRole("form", { name: "Pick the channels" });
  await picker.getByLabel("e2e-hook (webhook)").check();
  await picker.getByLabel("e2e-refused (webhook)").check();
  await picker.getByRole("button", { name: "Save channels" }).click();
  await expect(panel.getByTestId("notify-channel")).toHaveCount(2);

  await queueDelivery(cutoverId, "e2e-refused", "Maintenance notice");
  const banner = admin.getByTestId("delivery-failures");
  await expect(banner).toBeVisible();
  await expect(banner).toHaveAttribute("role", "alert");
  await expect(banner).toContainText("Maintenance notice to e2e-refused: refused: 127.0.0.2 is a loopback address");
  const failed = panel.locator('[data-testid="delivery"][data-channel="e2e-refused"]');
  await expect(failed).toHaveAttribute("data-state", "failed");

  await banner.getByRole("button", { name: /^Dismiss/ }).click();
  await expect(banner).toHaveCount(0);
  await expect(failed).toContainText("(dismissed)");
  // Retried from the Comms tab: it is refused again, and the banner says so again.
  await failed.getByRole("button", { name: /^Retry/ }).click();
  await expect(banner).toContainText("Maintenance notice to e2e-refused");
  await expect(failed).not.toContainText("(dismissed)");

  await queueDelivery(cutoverId, "e2e-hook", "Go-live");
  await expect(panel.locator('[data-testid="delivery"][data-channel="e2e-hook"]')).toHaveAttribute("data-state", "delivered");
  expect(receiver.received.some((r) => (r.json as { message?: { title?: string } })?.message?.title === "Go-live")).toBe(true);

  // Everyone in the room sees a failure; an Observer cannot act on it.
  await queueDelivery(cutoverId, "e2e-refused", "Status update");
  const observer = await (await browser.newContext()).newPage();
  await signIn(observer, DEMO.observer);
  await request.post("/api/v1/commands/member.add", { headers: asAdmin, data: { cutoverId, email: DEMO.observer, role: "OBSERVER" } });
  await observer.goto(`/cutovers/${cutoverId}`);
  const seen = observer.getByTestId("delivery-failures");
  await expect(seen).toContainText("Status update to e2e-refused");
  await expect(seen.getByRole("button")).toHaveCount(0);
});
