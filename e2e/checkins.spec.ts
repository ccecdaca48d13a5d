// Check-ins and escalation in the browser, on the real server's leader job: a cadence in seconds
// makes a check-in due for On-call, it goes overdue for everyone (an observer sees it), On-call
// acknowledges it with what they saw; then a critical trigger on a metric this spec controls (a
// stand-in Prometheus) fires, nobody acknowledges, and the room shows the second level reached
// while the outbox holds the pages of both levels.
import http from "node:http";
import type { AddressInfo } from "node:net";
import pg from "pg";
import { expect, test, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import { mergeIntoServerConfig } from "../scripts/lab/server-config";
import { asAdmin, DEMO, e2eDatabaseUrl, signIn } from "./support/fixtures";
import { E2E_SERVER_CONFIG } from "./support/lab-integrations";

let cutoverId = "";
let prometheus: http.Server;
let errorRate = 0;
let owner: pg.Client;

async function cmd(request: APIRequestContext, name: string, data: unknown) {
  const res = await request.post(`/api/v1/commands/${name}`, { headers: asAdmin, data });
  const body = await res.json();
  expect(res.status(), `${name}: ${JSON.stringify(body)}`).toBe(200);
  return body;
}

async function roomAs(browser: Browser, email: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, email);
  await page.goto(`/cutovers/${cutoverId}`);
  await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-status", "live");
  return page;
}

test.describe.serial("check-ins and escalation", () => {
  test.beforeAll(async ({ request }) => {
    prometheus = http.createServer((req, res) => {
      req.resume();
      res.setHeader("content-type", "application/json");
      if ((req.url ?? "").startsWith("/api/v1/query_range")) return res.end(JSON.stringify({ status: "success", data: { resultType: "matrix", result: [] } }));
      res.end(JSON.stringify({ status: "success", data: { resultType: "vector", result: [{ metric: {}, value: [Date.now() / 1000, String(errorRate)] }] } }));
    });
    await new Promise<void>((r) => prometheus.listen(0, "127.0.0.1", r));
    mergeIntoServerConfig(E2E_SERVER_CONFIG, [{ name: "checkins-prometheus", type: "prometheus", kind: "prometheus", config: { url: `http://127.0.0.1:${(prometheus.address() as AddressInfo).port}` } }]);
    owner = new pg.Client({ connectionString: e2eDatabaseUrl() });
    await owner.connect();

    const created = await request.post("/api/v1/cutovers", { headers: asAdmin, data: { name: `Check-ins ${Date.now()}`, systemFrom: "old", systemTo: "new", tZero: new Date().toISOString() } });
    expect(created.status()).toBe(201);
    cutoverId = (await created.json()).cutoverId;
    await cmd(request, "member.add", { cutoverId, email: DEMO.oncall, role: "ON_CALL" });
    await cmd(request, "member.add", { cutoverId, email: DEMO.observer, role: "OBSERVER" });
    await cmd(request, "escalation.set", {
      cutoverId,
      escalation: [
        { level: "Team lead", who: "On-call", after: "0-6 s" },
        { level: "Manager", who: "Engineering manager", after: "6-60 s" },
        { level: "Executive", who: "VP", after: "60+ min", criticalOnly: true },
      ],
    });
    // The channels this cutover pages: a name is enough to queue (the delivery worker sends).
    await owner.query("UPDATE cutovers SET notify_channels = '{checkins-chat}' WHERE id = $1", [cutoverId]);
  });

  test.afterAll(async ({ request }) => {
    if (cutoverId) await request.post("/api/v1/commands/metrics.settings", { headers: asAdmin, data: { cutoverId, prometheusSource: null } });
    await owner?.end();
    prometheus?.close();
  });

  test("a due check-in appears for On-call, goes overdue for the whole room, and is acknowledged", async ({ browser, request }) => {
    const oncall = await roomAs(browser, DEMO.oncall);
    const observer = await roomAs(browser, DEMO.observer);
    // Counted from the start, which comes after the cadence was set (check-ins due before are not owed).
    await cmd(request, "checkin.configure", { cutoverId, cadence: "every 4 s for 4 s", anchor: "start", role: "ON_CALL", grace: "4 s" });
    await cmd(request, "cutover.start", { cutoverId });

    // Due: On-call is asked; the observer owes nothing and is not.
    const due = oncall.getByTestId("checkin-due-banner");
    await expect(due).toBeVisible({ timeout: 15_000 });
    await expect(due.getByRole("button", { name: "Acknowledge check-in" })).toBeVisible();
    await expect(observer.getByTestId("checkin-due-banner")).toHaveCount(0);

    // Overdue: everybody sees it, as an alert; the observer cannot acknowledge it.
    const overdue = observer.getByTestId("checkin-overdue-banner");
    await expect(overdue).toBeVisible({ timeout: 15_000 });
    await expect(overdue).toHaveAttribute("role", "alert");
    await expect(overdue.getByRole("button", { name: "Acknowledge check-in" })).toHaveCount(0);
    const late = oncall.getByTestId("checkin-overdue-banner");
    await expect(late).toBeVisible();

    await late.getByLabel("What did you see?").fill("error rate 0.2 %, p95 180 ms");
    await late.getByRole("button", { name: "Acknowledge check-in" }).click();
    await expect(oncall.getByTestId("checkin-overdue-banner")).toHaveCount(0);
    await expect(observer.getByTestId("checkin-overdue-banner")).toHaveCount(0);

    await observer.getByRole("tab", { name: "Comms" }).click();
    const row = observer.getByTestId("checkin-row");
    await expect(row).toHaveAttribute("data-status", "acknowledged");
    await expect(row).toContainText("On-call");
    await expect(row).toContainText("error rate 0.2 %, p95 180 ms");
    const audit = await owner.query("SELECT action FROM audit_events WHERE cutover_id = $1 AND action LIKE 'checkin.%' ORDER BY id", [cutoverId]);
    expect(audit.rows.map((r) => r.action)).toEqual(["checkin.configured", "checkin.due", "checkin.overdue", "checkin.acknowledged"]);
  });

  test("an unacknowledged critical trigger escalates to the second level", async ({ browser, request }) => {
    const metric = await cmd(request, "metric.save", { cutoverId, name: "Checkout errors", unit: "%", queryNew: "sum(checkout_errors)" });
    await cmd(request, "trigger.save", { cutoverId, metricId: metric.metricId ?? metric.id, system: "new", comparison: ">", threshold: 5, forSeconds: 0, severity: "immediate", action: "alert", mode: "recommend", description: "Checkout errors" });
    await expect
      .poll(async () => (await request.post("/api/v1/commands/metrics.settings", { headers: asAdmin, data: { cutoverId, prometheusSource: "checkins-prometheus", pollIntervalMs: 1000 } })).status(), { timeout: 10_000 })
      .toBe(200);
    const observer = await roomAs(browser, DEMO.observer);
    errorRate = 40;

    const banner = observer.getByTestId("incident-banner");
    await expect(banner).toBeVisible({ timeout: 15_000 });
    await expect(banner).toHaveAttribute("role", "alert");
    await expect(banner).toContainText("Escalation level 1 of 3: Team lead");
    await expect(banner.getByRole("button", { name: "Acknowledge incident" })).toHaveCount(0);
    await expect(banner).toHaveAttribute("data-level", "2", { timeout: 20_000 });
    await expect(banner).toContainText("Escalation level 2 of 3: Manager (Engineering manager)");

    const pages = await owner.query("SELECT channel, message->>'title' AS title, message->>'severity' AS severity FROM deliveries WHERE cutover_id = $1 AND source = 'escalation' ORDER BY created_at", [cutoverId]);
    expect(pages.rows).toEqual([
      { channel: "checkins-chat", title: expect.stringContaining("Escalation level 1 (Team lead)"), severity: "critical" },
      { channel: "checkins-chat", title: expect.stringContaining("Escalation level 2 (Manager)"), severity: "critical" },
    ]);

    // On-call stops it from the banner.
    const oncall = await roomAs(browser, DEMO.oncall);
    await oncall.getByTestId("incident-banner").getByRole("button", { name: "Acknowledge incident" }).click();
    await expect(observer.getByTestId("incident-banner")).toHaveCount(0);
    await observer.getByRole("tab", { name: "Comms" }).click();
    await expect(observer.getByTestId("incident-row").first()).toHaveAttribute("data-state", "acknowledged");
    errorRate = 0;
  });
});
