// Importing a runbook in the browser: paste it, read the preview, untick a section, create, and
// find the imported threshold on a metric tile, the imported trigger in recommend mode, and an
// imported item the lead signs off.
import { expect, test, type Page } from "@playwright/test";
import { asAdmin, DEMO, signIn } from "./support/fixtures";

const RUNBOOK = [
  "# Search cluster cutover (e2e)",
  "",
  "## T-4 Hours: Readiness",
  "- [ ] Snapshot the search index",
  "- [ ] Open the war room bridge",
  "",
  "#### 1. Warm-up steps",
  "- Warm the new cluster caches",
  "- Freeze index writes",
  "",
  "## Thresholds",
  "",
  "| Metric | Warning | Critical |",
  "|--------|---------|----------|",
  "| P95 Latency | > 450ms | > 1200ms |",
  "| Queue depth | > 1000 | > 5000 |",
  "",
  "## Rollback triggers",
  "",
  "- If error rate > 5% for 5 minutes → ROLLBACK",
  "",
  "## Success criteria",
  "",
  "- Error rate < 0.5%",
  "- Customers <script>alert(1)</script> happy",
  "",
  "Some prose nobody reads.",
].join("\n");

const row = (page: Page, title: string) => page.getByTestId("checklist-item").filter({ has: page.getByTestId("item-title").getByText(title, { exact: true }) });

test("paste a runbook, preview it, untick a section, create; thresholds, triggers and items arrive", async ({ page }) => {
  const alerts: string[] = [];
  page.on("dialog", (d) => {
    alerts.push(d.message());
    void d.dismiss();
  });
  await signIn(page, DEMO.lead);
  await page.goto("/cutovers/new");
  await page.getByRole("textbox", { name: "Name", exact: true }).fill(`Imported ${Date.now()}`);
  await page.getByLabel("Old system").fill("solr");
  await page.getByLabel("New system").fill("opensearch");
  await page.getByLabel("T-0 (planned start of the switch)").fill("2030-01-01T06:00");
  await page.getByLabel("A runbook (markdown)").check();
  await page.getByLabel(/Start from a runbook/).fill(RUNBOOK);
  await page.getByTestId("preview-runbook").click();

  const preview = page.getByTestId("runbook-preview");
  await expect(preview).toBeVisible();
  const count = (k: string) => preview.getByTestId(`preview-count-${k}`);
  await expect(count("phases")).toHaveText("2");
  await expect(count("sections")).toHaveText("3");
  await expect(count("items")).toHaveText("5");
  await expect(count("thresholds")).toHaveText("2");
  await expect(count("rules")).toHaveText("1");
  await expect(count("gates")).toHaveText("1");
  await expect(count("skipped")).toHaveText("1");
  await expect(preview.getByTestId("preview-thresholds")).toContainText("Latency p95: 500 ms / 2000 ms → 450 ms / 1200 ms");
  await preview.getByTestId("preview-skipped").click();
  await expect(preview.getByTestId("preview-skipped")).toContainText("line 27: Some prose nobody reads.");
  // Text stays text: the script tag is shown, never run.
  await expect(preview).toContainText("Customers alert(1) happy");

  // Leave out the warm-up steps (phase 0, section 1): the counts follow.
  await preview.getByTestId("preview-section-0-1").uncheck();
  await expect(count("items")).toHaveText("3");
  await expect(count("sections")).toHaveText("2");

  await page.getByRole("button", { name: "Create cutover" }).click();
  await expect(page).toHaveURL(/\/cutovers\/[0-9a-f-]{36}/);
  await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-status", "live");

  // The plan: the unticked section is not there; an imported item is signed off.
  await expect(row(page, "Snapshot the search index")).toBeVisible();
  await expect(row(page, "Warm the new cluster caches")).toHaveCount(0);
  const bridge = row(page, "Open the war room bridge");
  await bridge.getByRole("button", { name: "Sign off Open the war room bridge" }).click();
  await expect(bridge.getByTestId("item-state")).toHaveText("Done");

  // The threshold on its tile.
  await page.getByRole("tab", { name: "Metrics" }).click();
  const tile = page.locator('[data-testid="metric-tile"][data-metric="Latency p95"]');
  await expect(tile).toContainText("warning > 450");
  await expect(tile).toContainText("critical > 1200");
  // A threshold for a metric the cutover did not have: a new metric that waits for its query.
  const queue = page.locator('[data-testid="metric-tile"][data-metric="Queue depth"]');
  await expect(queue.getByTestId("query-needed")).toBeVisible();
  await expect(queue).toContainText("critical > 5000");

  // The trigger, in recommend mode, marked for confirmation.
  await page.getByRole("tab", { name: "Traffic" }).click();
  const trigger = page.getByTestId("trigger").first();
  await expect(trigger).toContainText("recommend");
  await expect(trigger).toContainText("Imported, confirm");
  expect(alerts).toEqual([]);
});

test("POST /api/v1/cutovers?dryRun=1 answers the preview and writes nothing; without it, creates", async ({ request }) => {
  const name = `Dry run ${Date.now()}`;
  const body = { name, systemFrom: "solr", systemTo: "opensearch", tZero: "2030-01-01T06:00:00Z", runbook: RUNBOOK };
  const dry = await request.post("/api/v1/cutovers?dryRun=1", { headers: asAdmin, data: { ...body, exclude: ["kind:rules"] } });
  expect(dry.status()).toBe(200);
  const preview = await dry.json();
  expect(preview.counts).toMatchObject({ phases: 2, items: 5, thresholds: 2, rules: 0, gates: 1, skipped: 1 });
  expect(preview.skipped).toEqual([{ line: 27, text: "Some prose nobody reads." }]);
  const names = async () => ((await (await request.get("/api/v1/cutovers", { headers: asAdmin })).json()).cutovers as { name: string }[]).map((c) => c.name);
  expect(await names()).not.toContain(name);
  const bad = await request.post("/api/v1/cutovers?dryRun=1", { headers: asAdmin, data: { ...body, exclude: ["drop table"] } });
  expect(bad.status()).toBe(400);
  const created = await request.post("/api/v1/cutovers", { headers: asAdmin, data: body });
  expect(created.status()).toBe(201);
  expect((await created.json()).imported.counts).toMatchObject({ rules: 1, gates: 1 });
  expect(await names()).toContain(name);
});
