// The room with the keyboard alone: an item signed off and a rollback pressed, confirmed and
// finished with Tab, Shift+Tab, Enter and Space only. And what the others hear: the item's owner
// is told their item was signed off, everyone is told about the rollback (live regions), the
// ticker and the audit log name the person and their role, the rollback's toast stays inside
// the viewport and clears itself from "Rolling back" to "rolled back in N ms".
import { rehearsalOnRouter, useWebhookRouter } from "./support/webhook-router";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { asAdmin, DEMO, signIn } from "./support/fixtures";

const routerUrl = useWebhookRouter();

/** Presses Tab (or Shift+Tab) until `target` has the focus; fails if it never gets it. */
async function tabTo(page: Page, target: Locator, { back = false, max = 200 } = {}) {
  const handle = await target.elementHandle();
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((el) => document.activeElement === el, handle)) return;
    await page.keyboard.press(back ? "Shift+Tab" : "Tab");
  }
  throw new Error(`never reached ${String(target)} with the keyboard`);
}

const row = (page: Page, title: string) => page.getByTestId("checklist-item").filter({ has: page.getByTestId("item-title").getByText(title, { exact: true }) });

test("sign off an item and roll back with the keyboard alone; the others are told, by name and role", async ({ browser, request }) => {
  test.setTimeout(180_000);
  const { cmd, cutoverId, sectionId } = await rehearsalOnRouter(request, routerUrl(), "Keyboard", ["old-api", "new-api"]);
  await cmd("item.add", { cutoverId, sectionId, title: "Caches warmed", ownerRole: "DEPLOYMENT_LEAD" });
  await cmd("item.add", { cutoverId, sectionId, title: "Smoke tests pass", ownerRole: "QA_LEAD" });
  await cmd("member.add", { cutoverId, email: DEMO.qa, role: "QA_LEAD" });
  await cmd("cutover.start", { cutoverId });
  await cmd("traffic.shift", { cutoverId, toPercent: 25, override: true, note: "canary" });

  const lead = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  const qa = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  await signIn(lead, DEMO.lead);
  await signIn(qa, DEMO.qa);
  for (const p of [lead, qa]) {
    await p.goto(`/cutovers/${cutoverId}?tab=plan`);
    await expect(p.getByTestId("live-indicator")).toHaveAttribute("data-status", "live");
  }
  const leadName = ((await lead.getByTestId("my-roles").textContent()) ?? "").split(":")[0]!.trim();
  expect(leadName).not.toBe("");

  // 1. The lead signs off their own item: Tab to its button, Enter.
  const caches = row(lead, "Caches warmed");
  await tabTo(lead, caches.getByRole("button", { name: "Sign off Caches warmed" }));
  await lead.keyboard.press("Enter");
  await expect(caches.getByTestId("item-state")).toHaveText("Done");

  // 2. The lead signs off the QA lead's item (an override: a note is asked for), Space this time.
  const smoke = row(lead, "Smoke tests pass");
  await tabTo(lead, smoke.getByRole("button", { name: /^Override sign-off Smoke tests pass/ }));
  await lead.keyboard.press("Space");
  await expect(smoke.getByRole("textbox")).toBeFocused();
  await lead.keyboard.type("verified on the call");
  await lead.keyboard.press("Enter");
  await expect(smoke.getByTestId("item-state")).toHaveText("Done");
  // The QA lead is told, politely, who signed off their item.
  await expect(qa.getByTestId("live-polite")).toContainText(`Your item Smoke tests pass was signed off by ${leadName} (Deployment Lead)`);

  // 3. Rollback: Shift+Tab back up to the red button, Enter; Cancel has the focus; Tab, Enter.
  const rollback = lead.getByTestId("rollback-button");
  await tabTo(lead, rollback, { back: true });
  await lead.keyboard.press("Enter");
  const dialog = lead.getByTestId("rollback-dialog");
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole("button", { name: "Cancel" })).toBeFocused();
  // Escape closes it and gives the focus back to the button that opened it.
  await lead.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(rollback).toBeFocused();
  await lead.keyboard.press("Enter");
  await expect(dialog.getByRole("button", { name: "Cancel" })).toBeFocused();
  await tabTo(lead, dialog.getByRole("button", { name: "Confirm rollback" }));
  await lead.keyboard.press("Enter");

  const toast = lead.getByTestId("rollback-toast");
  await expect(lead.getByTestId("rollback-duration")).toContainText(/rolled back in \d+ ms/, { timeout: 15_000 });
  await expect(lead.getByTestId("traffic-gauge")).toHaveAttribute("data-percent", "0");
  const box = (await toast.boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(1440);
  // Everyone hears it, assertively, with who did it.
  await expect(qa.getByTestId("live-assertive")).toContainText(`Rollback started by ${leadName} (Deployment Lead)`);
  await expect(qa.getByTestId("live-assertive")).toContainText("Rollback completed");
  // On the phone too the toast is inside the screen.
  const qaToast = qa.getByTestId("rollback-toast");
  if (await qaToast.count()) {
    const b = (await qaToast.boundingBox())!;
    expect(b.x).toBeGreaterThanOrEqual(0);
    expect(b.x + b.width).toBeLessThanOrEqual(390);
  }
  // The ticker names the person and the role, never "someone".
  await expect(qa.getByTestId("latest-change")).toContainText(`${leadName} (Deployment Lead): rollback completed`);
  // A clean rollback's toast clears itself.
  await expect(toast).toHaveCount(0, { timeout: 40_000 });

  // The audit log: every rollback and traffic row with the role, none with "—".
  await tabTo(lead, lead.getByRole("tab", { name: "Audit" }));
  await lead.keyboard.press("Enter");
  const rows = lead.getByTestId("audit-event").filter({ has: lead.locator('[data-testid="audit-action"]', { hasText: /^(rollback|traffic)\./ }) });
  await expect(rows.first()).toBeVisible();
  for (const r of await rows.all()) await expect(r.getByTestId("audit-role")).toHaveText("Deployment Lead");

  await lead.context().close();
  await qa.context().close();
});
