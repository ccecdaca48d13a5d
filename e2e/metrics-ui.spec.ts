// The room's numbers and lever in the browser, on the lab: a tile turns critical when new breaks,
// tiles say stale and the gate fails when Prometheus stops, and two people pressing Rollback at
// once get one rollback, as does a press later in the same episode.
import { expect, test, type Page } from "@playwright/test";
import { startLab, type Lab } from "../scripts/lab/index";
import { adminCommand, asAdmin, DEMO, E2E_BASE, signIn } from "./support/fixtures";
import { addLabIntegrations, pickRouter } from "./support/lab-integrations";

let lab: Lab;
let cutoverId: string;

const cmd = adminCommand;

async function openAs(browser: import("@playwright/test").Browser, email: string, tab?: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, email);
  await page.goto(`/cutovers/${cutoverId}`);
  await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-status", "live");
  if (tab) await page.getByRole("tab", { name: tab }).click();
  return page;
}

const tile = (page: Page, name: string) => page.locator(`[data-testid="metric-tile"][data-metric="${name}"]`);

test.describe.serial("metrics and rollback in the browser", () => {
  test.beforeAll(async ({ request }) => {
    test.setTimeout(120_000);
    lab = await startLab({ dataDir: ".data/e2e-lab-ui", warRoomMetricsUrl: `${E2E_BASE}/metrics`, handleSignals: false });
    await lab.startLoad({ rate: 100, durationS: 300 });
    const created = await request.post("/api/v1/cutovers", { headers: asAdmin, data: { name: `Metrics UI ${Date.now()}`, systemFrom: "old", systemTo: "new", tZero: new Date().toISOString() } });
    cutoverId = (await created.json()).cutoverId;
    await cmd(request, "member.add", { cutoverId, email: DEMO.oncall, role: "ON_CALL" });
    const names = addLabIntegrations(lab, "metrics-ui");
    await pickRouter(request, cutoverId, names.router);
    await cmd(request, "metrics.settings", { cutoverId, prometheusSource: names.prometheus, pollIntervalMs: 1000 });
    const view = await (await request.get(`/api/v1/cutovers/${cutoverId}/metrics`, { headers: asAdmin })).json();
    const errorRate = view.metrics.find((m: { name: string }) => m.name === "Error rate");
    await cmd(request, "gate.add", { cutoverId, metricId: errorRate.id, successCriterion: true, condition: { kind: "threshold", system: "old", op: "<", value: 1, windowSec: 10 } });
    await cmd(request, "traffic.shift", { cutoverId, toPercent: 25, override: true, note: "canary for the UI test" });
  });

  test.afterAll(async () => {
    await lab?.stop();
  });

  test("raising new's error rate turns its tile critical in the open browser, within a couple of polls", async ({ browser }) => {
    const page = await openAs(browser, DEMO.lead, "Metrics");
    await expect(tile(page, "Error rate")).toHaveAttribute("data-system-new-level", "ok", { timeout: 20_000 });
    await lab.new.configure({ errorRate: 1 });
    const raised = Date.now();
    await expect(tile(page, "Error rate")).toHaveAttribute("data-system-new-level", "critical", { timeout: 15_000 });
    console.log(`tile critical ${Date.now() - raised} ms after the error rate was raised (poll 1 s, scrape 1 s)`);
    await expect(tile(page, "Error rate")).toHaveAttribute("data-system-old-level", "ok");
    await lab.new.configure({ errorRate: 0 });
    await page.context().close();
  });

  test("Prometheus stopped: tiles say so and the success criterion fails; started again: they recover", async ({ browser, request }) => {
    const criterion = async () => (await (await request.get(`/api/v1/cutovers/${cutoverId}/metrics`, { headers: asAdmin })).json()).successCriteria[0];
    const t0 = Date.now();
    await expect.poll(async () => (await criterion()).passed, { timeout: 30_000 }).toBe(true);
    console.log(`criterion passed via API after ${Date.now() - t0} ms`);
    const page = await openAs(browser, DEMO.lead, "Metrics");
    await expect(page.getByTestId("success-criterion").first()).toHaveAttribute("data-passed", "true", { timeout: 10_000 });
    await lab.prometheus.stop();
    await expect(tile(page, "Request rate")).toHaveAttribute("data-system-old-level", /error|stale/, { timeout: 15_000 });
    await expect(tile(page, "Request rate")).toContainText(/connection refused|no new sample/);
    // The gate reads the stored samples: an error inside its window fails it.
    await page.reload();
    await page.getByRole("tab", { name: "Metrics" }).click();
    await expect(page.getByTestId("success-criterion").first()).toHaveAttribute("data-passed", "false", { timeout: 15_000 });
    await lab.prometheus.start();
    await expect(tile(page, "Request rate")).toHaveAttribute("data-system-old-level", /^(ok|warning|critical)$/, { timeout: 30_000 });
    await page.context().close();
  });

  test("two people press Rollback at the same moment: one rollback, both rooms see the split at 0", async ({ browser, request }) => {
    const lead = await openAs(browser, DEMO.lead);
    const oncall = await openAs(browser, DEMO.oncall);
    const before = (await (await request.get(`/api/v1/cutovers/${cutoverId}/traffic`, { headers: asAdmin })).json()).rollbacks.length;
    for (const p of [lead, oncall]) {
      await expect(p.getByTestId("traffic-gauge")).toHaveAttribute("data-percent", "25");
      await p.getByRole("button", { name: "Rollback", exact: true }).click();
      await expect(p.getByTestId("rollback-summary")).toContainText("Send 100 % of traffic to old");
    }
    await Promise.all([lead.getByRole("button", { name: "Confirm rollback" }).click(), oncall.getByRole("button", { name: "Confirm rollback" }).click()]);
    for (const p of [lead, oncall]) await expect(p.getByTestId("traffic-gauge")).toHaveAttribute("data-percent", "0", { timeout: 15_000 });
    // Both rooms show how long it took from click to verified split.
    for (const p of [lead, oncall]) await expect(p.getByTestId("rollback-duration")).toContainText(/rolled back in \d+ ms/, { timeout: 15_000 });
    const after = (await (await request.get(`/api/v1/cutovers/${cutoverId}/traffic`, { headers: asAdmin })).json()).rollbacks;
    expect(after.length).toBe(before + 1);
    expect(await lab.haproxy.command("get weight be_app/new")).toMatch(/^0 /);
    // Later, nothing shifted towards new since: the same episode. The press is told at once how that
    // rollback ended, and nothing runs again.
    const card = lead.getByTestId("rollback-progress");
    const dismiss = card.getByRole("button", { name: "Dismiss" });
    if (await dismiss.isVisible().catch(() => false)) await dismiss.click();
    await expect(card).toHaveCount(0);
    await lead.getByRole("button", { name: "Rollback", exact: true }).click();
    await lead.getByRole("button", { name: "Confirm rollback" }).click();
    await expect(card).toContainText("Already rolled back");
    await expect(card).toHaveAttribute("data-phase", "completed");
    await expect(card.getByTestId("rollback-duration")).toContainText(/rolled back in \d+ ms/);
    expect((await (await request.get(`/api/v1/cutovers/${cutoverId}/traffic`, { headers: asAdmin })).json()).rollbacks.length).toBe(before + 1);
    await lead.context().close();
    await oncall.context().close();
  });
});
