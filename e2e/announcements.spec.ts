// A rollback tells the world: an administrator defines a signed JSON webhook channel (whose
// receiver answers 500 once) and an email channel (a local SMTP server), the cutover's rollback
// announcement is bound to "rollback started" in automatic mode, the Deployment Lead rolls back
// in the room, and the webhook receives the notice on its second attempt while the SMTP server
// receives the email; the room shows the deliveries as delivered. The receivers are
// lib/testing/notify-receivers.ts; 127.0.0.1 is allow-listed for the e2e server
// (WARROOM_OUTBOUND_ALLOW, playwright.config.ts).
import { expect, test } from "@playwright/test";
import { startWebhookRouter } from "../lib/testing/webhook-router";
import { asAdmin, DEMO, signIn } from "./support/fixtures";

// The channels' receivers (lib/testing/notify-receivers.ts) arrive with the channels themselves;
// loaded by name so that this spec compiles on its own. Their API as the channels define it:
interface Receivers {
  startWebhookReceiver(opts?: { failFirst?: number }): Promise<{ url: string; received: unknown[]; close(): Promise<void> | void }>;
  startSmtpReceiver(): Promise<{ host: string; port: number; messages: unknown[]; close(): Promise<void> | void }>;
}
const RECEIVERS = "../lib/testing/notify-receivers";

let routerServer: Awaited<ReturnType<typeof startWebhookRouter>>;

test.beforeAll(async () => {
  routerServer = await startWebhookRouter();
});
test.afterAll(() => routerServer?.close());

test("a rollback sends the bound rollback notice to a webhook (retried after a 500) and by email; the room shows them delivered", async ({ page, request }) => {
  test.setTimeout(120_000);
  const { startSmtpReceiver, startWebhookReceiver } = (await import(RECEIVERS)) as Receivers;
  const webhook = await startWebhookReceiver({ failFirst: 1 });
  const smtp = await startSmtpReceiver();
  try {
    const stamp = Date.now();
    const cmd = async (name: string, data: unknown) => {
      const res = await request.post(`/api/v1/commands/${name}`, { headers: asAdmin, data });
      expect(res.status(), `${name}: ${await res.text()}`).toBeLessThan(300);
      return res.json();
    };
    // The administrator's channels and router (the admin token is the demo lead, an administrator).
    const hookChannel = `e2e-announce-webhook-${stamp}`;
    const mailChannel = `e2e-announce-email-${stamp}`;
    const router = `e2e-announce-router-${stamp}`;
    await cmd("integration.save", { name: hookChannel, type: "channel", kind: "webhook", config: { url: webhook.url, secret: "0123456789abcdef-announce" } });
    await cmd("integration.save", { name: mailChannel, type: "channel", kind: "email", config: { host: smtp.host, port: smtp.port, security: "none", from: "warroom@example.com", to: ["stakeholders@example.com"] } });
    await cmd("integration.save", { name: router, type: "router", kind: "webhook", config: { url: routerServer.url, readUrl: routerServer.url, secret: "0123456789abcdef-router" } });

    const created = await request.post("/api/v1/cutovers", { headers: asAdmin, data: { name: `Announce ${stamp}`, systemFrom: "old-pay", systemTo: "new-pay", tZero: new Date().toISOString() } });
    expect(created.status()).toBe(201);
    const { cutoverId } = (await created.json()) as { cutoverId: string };
    await cmd("router.set", { cutoverId, integration: router });
    await cmd("notify.channels", { cutoverId, channels: [hookChannel, mailChannel] });

    // The default rollback announcement, bound automatic.
    const view = await (await request.get(`/api/v1/cutovers/${cutoverId}/announcements`, { headers: asAdmin })).json();
    const rollback = view.templates.find((t: { kind: string }) => t.kind === "rollback");
    expect(rollback).toBeTruthy();
    const { name, kind, title, body, version } = rollback as { name: string; kind: string; title: string; body: string; version: number };
    await cmd("announcement.save", { cutoverId, templateId: rollback.id, name, kind, title, body, version, bindingEvent: "rollback_started", bindingMode: "automatic" });
    await cmd("cutover.start", { cutoverId });
    await cmd("traffic.shift", { cutoverId, toPercent: 10, override: true, note: "canary" });

    // The Deployment Lead rolls back in the room.
    await signIn(page, DEMO.lead);
    await page.goto(`/cutovers/${cutoverId}`);
    await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-status", "live");
    await page.getByTestId("rollback-button").click();
    const dialog = page.getByTestId("rollback-dialog");
    await dialog.getByRole("textbox").fill("checkout errors on new");
    await dialog.getByRole("button", { name: "Confirm rollback" }).click();

    // The webhook: a 500 first, then the notice; the SMTP server: the email.
    await expect.poll(() => webhook.received.length, { timeout: 60_000 }).toBeGreaterThanOrEqual(2);
    const last = JSON.stringify(webhook.received.at(-1));
    expect(last).toContain("rolled back to the old system");
    expect(last).toContain("checkout errors on new");
    await expect.poll(() => smtp.messages.length, { timeout: 60_000 }).toBeGreaterThanOrEqual(1);
    const mail = JSON.stringify(smtp.messages[0]);
    expect(mail).toContain("rolled back to the old system");
    expect(mail).toContain("stakeholders@example.com");

    // The audit log says what was sent, by the binding.
    const audit = await (await request.get(`/api/v1/cutovers/${cutoverId}/audit?action=announcement.sent`, { headers: asAdmin })).json();
    expect(audit.events.some((e: { actorName?: string; actor?: string }) => /binding: Rollback/.test(e.actorName ?? e.actor ?? ""))).toBe(true);

    // The room shows both deliveries delivered, the webhook's after a retry.
    await page.getByRole("tab", { name: "Comms" }).click();
    const comms = page.getByTestId("comms-panel");
    await expect(comms.getByTestId("announcement-list")).toContainText("Rollback");
    const delivered = (channel: string) => comms.locator(`[data-testid="delivery"][data-state="delivered"][data-channel="${channel}"]`);
    await expect(delivered(mailChannel)).toHaveCount(1, { timeout: 60_000 });
    // The webhook's: delivered on its second attempt, after the 500.
    await expect(delivered(hookChannel)).toHaveCount(1, { timeout: 60_000 });
    await expect(delivered(hookChannel).getByRole("cell").nth(5)).toHaveText("2");
  } finally {
    await webhook.close();
    await smtp.close();
  }
});

test("the Comms Lead fixes a template's unknown variable, previews it with live state, is told there are no channels and sets the update interval; an Observer reads only", async ({ browser, request }) => {
  const stamp = Date.now();
  const created = await request.post("/api/v1/cutovers", { headers: asAdmin, data: { name: `Comms UI ${stamp}`, systemFrom: "old-pay", systemTo: "new-pay", tZero: new Date().toISOString() } });
  const { cutoverId } = (await created.json()) as { cutoverId: string };
  for (const [email, role] of [
    [DEMO.comms, "COMMS_LEAD"],
    [DEMO.observer, "OBSERVER"],
  ]) {
    expect((await request.post("/api/v1/commands/member.add", { headers: asAdmin, data: { cutoverId, email, role } })).status()).toBe(200);
  }

  const comms = await (await browser.newContext()).newPage();
  await signIn(comms, DEMO.comms);
  await comms.goto(`/cutovers/${cutoverId}`);
  await comms.getByRole("tab", { name: "Comms" }).click();
  const list = comms.getByTestId("announcement-list");
  await expect(list.getByTestId("announcement-row")).toHaveCount(4);

  await comms.getByRole("button", { name: "Edit Status update" }).click();
  const form = comms.getByRole("form", { name: "Edit Status update" });
  const write = async (text: string, button: "Save" | "Preview") => {
    await form.getByLabel("Text").fill(text);
    await form.getByRole("button", { name: button }).click();
  };
  // An unknown variable is refused with its name; a known one previews with live state, then saves.
  await write("Phase {{phase}}, {{colour}}", "Save");
  await expect(form.getByTestId("announcement-form-error")).toContainText("{{colour}}");
  await write("Traffic on new: {{traffic_new}}. Error rate: {{metric:Error rate}}.", "Preview");
  await expect(form.getByTestId("announcement-form-preview")).toContainText("Traffic on new: 0 %. Error rate: no data.");
  await form.getByRole("button", { name: "Save" }).click();
  await expect(form).toHaveCount(0);

  await comms.getByRole("button", { name: "Send Status update" }).click();
  const dialog = comms.getByTestId("announcement-send-dialog");
  await expect(dialog.getByTestId("announcement-send-preview")).toContainText("Traffic on new: 0 %.");
  await expect(dialog.getByTestId("announcement-send-channels")).toContainText("no channels");
  await expect(dialog.getByRole("button", { name: /^Send to/ })).toBeDisabled();
  await dialog.getByRole("button", { name: "Cancel" }).click();

  // How often the room promises an update: the Comms Lead sets it, the status line follows.
  await expect(comms.getByTestId("announcements-next-update")).toContainText("Updates every 30 minutes.");
  const interval = comms.getByTestId("update-interval-form");
  await interval.getByLabel(/^Status update every/).fill("15");
  await interval.getByRole("button", { name: "Save interval" }).click();
  await expect(comms.getByTestId("announcements-next-update")).toContainText("Updates every 15 minutes.");
  await expect(interval.getByRole("button", { name: "Save interval" })).toBeDisabled();

  const observer = await (await browser.newContext()).newPage();
  await signIn(observer, DEMO.observer);
  await observer.goto(`/cutovers/${cutoverId}`);
  await observer.getByRole("tab", { name: "Comms" }).click();
  await expect(observer.getByTestId("announcement-row")).toHaveCount(4);
  await expect(observer.getByRole("button", { name: /^Send / })).toHaveCount(0);
  await expect(observer.getByRole("button", { name: /^Edit / })).toHaveCount(0);
  await expect(observer.getByTestId("announcements-next-update")).toContainText("Updates every 15 minutes.");
  await expect(observer.getByTestId("update-interval-form")).toHaveCount(0);
  await observer.getByRole("button", { name: "Preview Rollback" }).click();
  await expect(observer.getByTestId("announcement-preview")).toContainText(`Comms UI ${stamp}: rolled back to the old system`);
});
