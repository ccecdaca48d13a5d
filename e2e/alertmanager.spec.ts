// Alerts from Alertmanager in the browser, on the lab: the lab's Prometheus fires its rule (the new
// demo service's injected error rate) through a real Alertmanager into the app's endpoint with the
// cutover's token; the banner appears in an open room with its severity, then goes away when the
// alert resolves.
import { expect, test, type APIRequestContext } from "@playwright/test";
import { startLab, LAB_ALERT_NAME, type Lab } from "../scripts/lab/index";
import { asAdmin, DEMO, E2E_BASE, signIn } from "./support/fixtures";

let lab: Lab;
let cutoverId: string;

test.describe.serial("alerts from Alertmanager", () => {
  test.beforeAll(async ({ request }) => {
    test.setTimeout(120_000);
    const cmd = async (_r: APIRequestContext, name: string, data: unknown) => {
      const res = await request.post(`/api/v1/commands/${name}`, { headers: asAdmin, data });
      return res.ok() ? res.json() : Promise.reject(new Error(`${name}: ${res.status()} ${await res.text()}`));
    };
    const created = await request.post("/api/v1/cutovers", { headers: asAdmin, data: { name: `Alerts ${Date.now()}`, systemFrom: "old", systemTo: "new", tZero: new Date().toISOString() } });
    cutoverId = (await created.json()).cutoverId;
    await cmd(request, "member.add", { cutoverId, email: DEMO.observer, role: "OBSERVER" });
    const { token } = await cmd(request, "alerts.token_create", { cutoverId });
    lab = await startLab({ dataDir: ".data/e2e-lab-alerts", handleSignals: false, alertmanager: { webhookUrl: `${E2E_BASE}/api/v1/alertmanager/${cutoverId}`, token } });
  });

  test.afterAll(async () => {
    await lab?.stop();
  });

  test("a wrong token is refused; the lab's rule fires into the room as a banner and resolves", async ({ browser, request }) => {
    test.setTimeout(120_000);
    expect((await request.post(`/api/v1/alertmanager/${cutoverId}`, { headers: { authorization: `Bearer wram_${"x".repeat(43)}` }, data: { version: "4" } })).status()).toBe(401);

    const page = await (await browser.newContext()).newPage();
    await signIn(page, DEMO.observer);
    await page.goto(`/cutovers/${cutoverId}`);
    await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-status", "live");
    await expect(page.getByTestId("alert-banner")).toHaveCount(0);

    await lab.new.configure({ errorRate: 0.5 });
    const banner = page.getByTestId("alert-banner");
    await expect(banner).toHaveCount(1, { timeout: 60_000 });
    await expect(banner).toContainText("CRITICAL");
    await expect(banner).toContainText(LAB_ALERT_NAME);
    await expect(banner).toContainText("Error rate of new above 5 %");

    await lab.new.configure({ errorRate: 0 });
    await expect(banner).toHaveCount(0, { timeout: 60_000 });
  });

  test("the lead sees the alert resolved in the Comms tab and makes a token, shown once in the receiver configuration", async ({ browser }) => {
    const page = await (await browser.newContext()).newPage();
    await signIn(page, DEMO.lead);
    await page.goto(`/cutovers/${cutoverId}`);
    await page.getByRole("tab", { name: "Comms" }).click();
    const row = page.getByTestId("alert-row");
    await expect(row).toHaveCount(1);
    await expect(row).toHaveAttribute("data-status", "resolved");
    await expect(row).toContainText(LAB_ALERT_NAME);
    await page.getByRole("button", { name: "Make a new token" }).click();
    const config = page.getByLabel("Receiver configuration");
    await expect(config).toHaveValue(new RegExp(`/api/v1/alertmanager/${cutoverId}[\\s\\S]*credentials: "wram_[A-Za-z0-9_-]{43}"`));
    await expect(page.getByRole("button", { name: /^Revoke token made/ })).toHaveCount(2);
  });
});
