// WCAG 2.1 AA on every screen: axe-core's A/AA rules on sign-in, the list, a new cutover with its
// runbook preview, every tab of the room as the Deployment Lead and as an observer, the room's
// dialogs, the report, setup, the admin pages and settings. Serious or critical violations fail;
// the rest are printed.
import { expect, test, type Page } from "@playwright/test";
import { asAdmin, DEMO, openDemoCutover, ROOM_TABS, signIn } from "./support/fixtures";
import { expectAccessible } from "./support/axe";

/** Signs in, opens the demo cutover and checks every tab of its room. */
async function everyTab(page: Page, email: string, who: string) {
  test.setTimeout(300_000);
  await signIn(page, email);
  await openDemoCutover(page);
  for (const tab of ROOM_TABS) {
    await page.getByRole("tab", { name: tab, exact: true }).click();
    await expect(page.getByRole("tab", { name: tab, exact: true })).toHaveAttribute("aria-selected", "true");
    // The tab's code is fetched when it is first opened: wait until its panel replaced "Loading…".
    await expect(page.getByText("Loading…", { exact: true })).toHaveCount(0, { timeout: 30_000 });
    await page.waitForLoadState("networkidle");
    // The charts (and their legends) are drawn after the tiles: check them too.
    if (tab === "Metrics") await expect(page.getByTestId("metric-chart").first()).toBeVisible({ timeout: 30_000 });
    await expectAccessible(page, `room ${tab} tab (${who})`);
  }
}

test("sign-in, the list, setup and a new cutover with its runbook preview", async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto("/sign-in");
  await expectAccessible(page, "sign-in");
  // Administrators exist already: setup answers "not found", which must be accessible as well.
  await page.goto("/setup");
  await expectAccessible(page, "setup");

  await signIn(page, DEMO.lead);
  await expectAccessible(page, "cutover list");
  await page.goto("/cutovers/new");
  await expectAccessible(page, "new cutover");
  await page.getByLabel("A runbook (markdown)").check();
  await page.getByLabel(/Start from a runbook/).fill(
    "# Search cutover\n\n## Phase 1: Preparation\n\n### Checks\n- [ ] Backups verified (DBA)\n- [ ] Partner notified (Comms)\n\n## Success criteria\n- Error rate below 1 %\n",
  );
  await page.getByTestId("preview-runbook").click();
  await expect(page.getByTestId("runbook-preview")).toBeVisible();
  await expectAccessible(page, "new cutover: runbook preview");
});

test("every tab of the room and its dialogs, as the Deployment Lead", async ({ page }) => {
  await everyTab(page, DEMO.lead, "lead");

  await page.getByRole("tab", { name: "Plan", exact: true }).click();
  await page.locator("body").press("?");
  await expect(page.getByRole("dialog", { name: "Keyboard shortcuts" })).toBeVisible();
  await expectAccessible(page, "shortcuts dialog");
  await page.keyboard.press("Escape");

  await page.getByTestId("rollback-button").click();
  await expect(page.getByTestId("rollback-dialog")).toBeVisible();
  await expectAccessible(page, "rollback dialog");
  await page.keyboard.press("Escape");
  await expect(page.getByTestId("rollback-dialog")).toBeHidden();

  const shift = page.getByTestId("shift-button");
  if (await shift.isEnabled()) {
    await shift.click();
    await expect(page.getByRole("dialog")).toBeVisible();
    await expectAccessible(page, "shift / override dialog");
    await page.keyboard.press("Escape");
  }

  await page.getByRole("tab", { name: "Decisions", exact: true }).click();
  const abort = page.getByRole("button", { name: "Abort decision" }).first();
  if (await abort.count()) {
    await abort.click();
    await expect(page.getByTestId("abort-confirm")).toBeVisible();
    await expectAccessible(page, "abort decision confirmation");
  }
});

test("every tab of the room, as an observer", async ({ page }) => everyTab(page, DEMO.observer, "observer"));

test("every tab of the room in the dark (the system's dark mode), as the Deployment Lead", async ({ page }) => {
  await page.emulateMedia({ colorScheme: "dark" });
  await everyTab(page, DEMO.lead, "lead, dark");
});

test("admin pages, settings and the post-mortem report", async ({ page, request }) => {
  test.setTimeout(180_000);
  const stamp = Date.now();
  const created = await request.post("/api/v1/cutovers", { headers: asAdmin, data: { name: `A11y report ${stamp}`, systemFrom: "old", systemTo: "new", tZero: new Date().toISOString(), mode: "rehearsal" } });
  expect(created.status()).toBe(201);
  const { cutoverId } = (await created.json()) as { cutoverId: string };
  for (const [name, data] of [
    ["cutover.start", { cutoverId }],
    ["cutover.abort", { cutoverId, reason: "accessibility check" }],
  ] as const) {
    const res = await request.post(`/api/v1/commands/${name}`, { headers: asAdmin, data });
    expect(res.status(), `${name}: ${await res.text()}`).toBeLessThan(300);
  }

  await signIn(page, DEMO.lead);
  for (const path of ["/admin/users", "/admin/integrations", "/admin/sso", "/settings/tokens"]) {
    await page.goto(path);
    await page.waitForLoadState("networkidle");
    await expectAccessible(page, path);
  }
  await page.goto(`/cutovers/${cutoverId}/report`);
  await page.waitForLoadState("networkidle");
  await expectAccessible(page, "post-mortem report");
});
