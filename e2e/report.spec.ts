// The post-mortem report of a rehearsal driven through the API to a rollback on a webhook router:
// the room links to it once ended, it shows the outcome and REHEARSAL (on screen, and as a mark
// every printed page repeats), the team's lessons are saved, the markdown carries both, and
// Chromium prints it to a PDF.
import { rehearsalOnRouter, useWebhookRouter } from "./support/webhook-router";
import { expect, test } from "@playwright/test";
import { asAdmin, DEMO, signIn } from "./support/fixtures";

const routerUrl = useWebhookRouter();

test("a rolled-back rehearsal's report: outcome, REHEARSAL on every page, lessons saved, markdown and PDF", async ({ request, page }) => {
  const { cmd, cutoverId, sectionId, name } = await rehearsalOnRouter(request, routerUrl(), "Report", ["old-pay", "new-pay"]);
  const { itemId } = await cmd("item.add", { cutoverId, sectionId, title: "Caches warmed", ownerRole: "DEPLOYMENT_LEAD" });
  await cmd("item.add", { cutoverId, sectionId, title: "Partner notified", ownerRole: "DEPLOYMENT_LEAD" });
  await cmd("cutover.start", { cutoverId });

  // Not ended yet: no report.
  expect((await request.get(`/api/v1/cutovers/${cutoverId}/report`, { headers: asAdmin })).status()).toBe(409);

  expect((await request.post(`/api/v1/cutovers/${cutoverId}/items/${itemId}/signoff`, { headers: asAdmin, data: {} })).status()).toBe(200);
  await cmd("traffic.shift", { cutoverId, toPercent: 25, override: true, note: "canary" });
  expect((await request.post(`/api/v1/cutovers/${cutoverId}/rollback`, { headers: asAdmin, data: { reason: "p95 doubled" } })).status()).toBe(200);
  await expect.poll(async () => (await (await request.get(`/api/v1/cutovers/${cutoverId}`, { headers: asAdmin })).json()).state, { timeout: 15_000 }).toBe("rolled_back");

  // The lead (the admin token's user, who created the cutover) finds the report from the room.
  await signIn(page, DEMO.lead);
  await page.goto(`/cutovers/${cutoverId}`);
  await page.getByTestId("report-link").click();
  await expect(page).toHaveURL(new RegExp(`/cutovers/${cutoverId}/report$`));
  await expect(page.getByTestId("outcome-headline")).toContainText(/^Rolled back by .+ at /);
  await expect(page.getByTestId("report-outcome")).toContainText("Why: p95 doubled");
  await expect(page.getByTestId("report-title")).toContainText("REHEARSAL");
  await expect(page.getByTestId("rehearsal-banner")).toBeVisible();
  await expect(page.getByTestId("report-traffic")).toContainText("0 % → 25 %");
  await expect(page.getByTestId("report-traffic")).toContainText("25 % → 0 %");
  await expect(page.getByTestId("report-open")).toContainText("Partner notified");
  await expect(page.getByTestId("report-open")).not.toContainText("Caches warmed");

  // Lessons: saved through the command, there after a reload.
  await page.getByTestId("lessons-wentWell").fill("Rollback took seconds");
  await page.getByTestId("lessons-actions").fill("Alert on p95 before the shift");
  await page.getByTestId("lessons-save").click();
  await expect(page.getByTestId("lessons-saved")).toBeVisible();
  await page.reload();
  await expect(page.getByTestId("lessons-wentWell")).toHaveValue("Rollback took seconds");
  await expect(page.getByTestId("lessons-edited")).toContainText("Last edited by");

  const md = await page.request.get(`/api/v1/cutovers/${cutoverId}/report?format=markdown`);
  expect(md.status()).toBe(200);
  expect(md.headers()["content-disposition"]).toMatch(/filename="REHEARSAL-report-rehearsal-/);
  const text = await md.text();
  expect(text.split("\n")[0]).toBe(`# REHEARSAL · Post-mortem: ${name}`);
  expect(text).toContain("Rollback took seconds");
  expect(text).toContain("Why: p95 doubled");

  // Printed: no navigation or buttons, the REHEARSAL mark fixed (so on every page), then a PDF.
  await page.emulateMedia({ media: "print" });
  await expect(page.getByRole("link", { name: "Cutover War Room" })).toBeHidden();
  await expect(page.getByTestId("lessons-save")).toBeHidden();
  await expect(page.getByTestId("rehearsal-mark")).toBeVisible();
  expect(await page.getByTestId("rehearsal-mark").evaluate((el) => getComputedStyle(el).position)).toBe("fixed");
  await expect(page.getByTestId("lessons-text-wentWell")).toHaveText("Rollback took seconds");
  const pdf = await page.pdf({ format: "A4", printBackground: true });
  expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
  // Sections start on new pages: a report of this size prints on several.
  expect(pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g)?.length ?? 0).toBeGreaterThan(3);
});

test("the lead completes a cutover from the room (forced below 100 %), then its report says so; an aborted one is final", async ({ request, page }) => {
  const stamp = Date.now();
  const post = (path: string, data: unknown) => request.post(path, { headers: asAdmin, data });
  const create = async (name: string) => {
    const res = await post("/api/v1/cutovers", { name, systemFrom: "old", systemTo: "new", tZero: new Date().toISOString(), mode: "rehearsal" });
    expect(res.status()).toBe(201);
    return ((await res.json()) as { cutoverId: string }).cutoverId;
  };
  const cutoverId = await create(`Ending ${stamp}`);
  expect((await post("/api/v1/commands/cutover.start", { cutoverId })).status()).toBeLessThan(300);
  // At 0 % a plain completion is refused.
  expect((await post("/api/v1/commands/cutover.complete", { cutoverId })).status()).toBe(409);

  await signIn(page, DEMO.lead);
  await page.goto(`/cutovers/${cutoverId}`);
  await expect(page.getByTestId("report-link")).toHaveCount(0);
  await page.getByTestId("complete-cutover").click();
  await expect(page.getByTestId("complete-force")).toBeChecked();
  await expect(page.getByTestId("confirm-end")).toBeDisabled();
  await page.getByTestId("end-text").fill("rehearsal ends at 0 % by design");
  await page.getByTestId("confirm-end").click();
  await expect(page.getByTestId("cutover-outcome")).toHaveText("Completed");
  await expect(page.getByTestId("complete-cutover")).toHaveCount(0);
  await expect(page.getByTestId("abort-cutover")).toHaveCount(0);
  await page.getByTestId("report-link").click();
  await expect(page.getByTestId("outcome-headline")).toContainText(/^Completed by /);
  await expect(page.getByText("Why: rehearsal ends at 0 % by design")).toBeVisible();

  const draft = await create(`Abandoned ${stamp}`);
  expect((await post("/api/v1/commands/cutover.abort", { cutoverId: draft, reason: "" })).status()).toBe(400);
  expect((await post("/api/v1/commands/cutover.abort", { cutoverId: draft, reason: "vendor postponed" })).status()).toBeLessThan(300);
  expect((await post("/api/v1/commands/cutover.start", { cutoverId: draft })).status()).toBe(409);
  await page.goto(`/cutovers/${draft}`);
  await expect(page.getByTestId("cutover-outcome")).toHaveText("Aborted");
  await expect(page.getByTestId("report-link")).toBeVisible();
});
