import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { DEMO, openDemoCutover, signIn } from "./support/fixtures";
import type { Locator } from "@playwright/test";

/** Relative luminance 0 (black) … 1 (white) of an element's background, whatever colour syntax the browser computes. */
function backgroundLuminance(el: Locator): Promise<number> {
  return el.evaluate((node) => {
    const ctx = document.createElement("canvas").getContext("2d")!;
    ctx.fillStyle = getComputedStyle(node).backgroundColor;
    ctx.fillRect(0, 0, 1, 1);
    const [r, g, b] = ctx.getImageData(0, 0, 1, 1).data;
    return (0.2126 * r! + 0.7152 * g! + 0.0722 * b!) / 255;
  });
}

test("keyboard: ? lists the shortcuts, g m opens metrics, / filters items, typing is never a shortcut", async ({ page }) => {
  await signIn(page, DEMO.dba);
  await openDemoCutover(page);
  await page.locator("body").press("?");
  const dialog = page.getByRole("dialog", { name: "Keyboard shortcuts" });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText("g m");
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();

  await page.keyboard.press("g");
  await page.keyboard.press("m");
  await expect(page.getByRole("tab", { name: "Metrics" })).toHaveAttribute("aria-selected", "true");
  await page.keyboard.press("g");
  await page.keyboard.press("a");
  await expect(page.getByRole("tab", { name: "Audit" })).toHaveAttribute("aria-selected", "true");

  await page.keyboard.press("/");
  await expect(page.getByRole("tab", { name: "Plan" })).toHaveAttribute("aria-selected", "true");
  const filter = page.getByLabel("Filter items");
  await expect(filter).toBeFocused();
  await page.keyboard.type("g m w");
  await expect(filter).toHaveValue("g m w");
  await expect(page.getByRole("tab", { name: "Plan" })).toHaveAttribute("aria-selected", "true");
  await expect(page.getByTestId("wall")).toHaveCount(0);
});

test("wall mode: dark, large, header + next decision + metrics, no controls even for the lead; kept in the address", async ({ page }) => {
  await signIn(page, DEMO.lead);
  const cutoverId = await openDemoCutover(page, null);
  await expect(page.getByTestId("rollback-button")).toBeVisible();
  await page.locator("body").press("w");
  const wall = page.getByTestId("wall");
  await expect(wall).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`/cutovers/${cutoverId}\\?wall=1$`));
  // Dark whatever the system's preference (this browser's is light): the wall and its panels.
  expect(await backgroundLuminance(wall)).toBeLessThan(0.1);
  expect(await backgroundLuminance(wall.getByTestId("wall-decision"))).toBeLessThan(0.2);
  await expect(wall.getByTestId("cutover-name")).toBeVisible();
  await expect(wall.getByTestId("wall-metrics")).toBeVisible();
  await expect(wall.getByTestId("wall-decision")).toBeVisible();
  // Nothing to press on the wall: no rollback, no shift, no tabs, no forms.
  await expect(page.getByTestId("rollback-button")).toHaveCount(0);
  await expect(page.getByRole("tab")).toHaveCount(0);
  await expect(wall.getByTestId("metric-form")).toHaveCount(0);

  // A wall screen's bookmark opens the wall.
  await page.reload();
  await expect(page.getByTestId("wall")).toBeVisible();
  await page.getByRole("button", { name: "Exit wall mode" }).click();
  await expect(page.getByTestId("wall")).toHaveCount(0);
  await expect(page).toHaveURL(new RegExp(`/cutovers/${cutoverId}$`));
  await expect(page.getByTestId("rollback-button")).toBeVisible();
});

test("the plan downloads as a markdown runbook, the audit log and the timeline as CSV from the room", async ({ page }) => {
  await signIn(page, DEMO.observer);
  await openDemoCutover(page);
  const [plan] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download the plan as Markdown" }).click()]);
  expect(plan.suggestedFilename()).toMatch(/-plan-\d{8}-\d{4}\.md$/);
  const runbook = readFileSync((await plan.path())!, "utf8");
  expect(runbook).toMatch(/^# .+\n/);
  expect(runbook).toContain("- [");

  await page.getByRole("tab", { name: "Audit" }).click();
  const [audit] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download the audit log as CSV" }).click()]);
  expect(audit.suggestedFilename()).toMatch(/-audit-\d{8}-\d{4}\.csv$/);
  const auditCsv = readFileSync((await audit.path())!, "utf8");
  expect(auditCsv.split("\r\n")[0]).toBe("id,at,mode,actor,role,action,subject,before,after,request_id");
  expect(auditCsv.split("\r\n").length).toBeGreaterThan(2);

  await page.getByRole("tab", { name: "Timeline" }).click();
  const [timeline] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download the timeline as CSV" }).click()]);
  const timelineCsv = readFileSync((await timeline.path())!, "utf8");
  expect(timelineCsv.split("\r\n")[0]).toBe("step,mode,title,owner_role,planned_start,planned_finish,actual_start,actual_finish,status,drift_minutes,drift,details");
  expect(timelineCsv.split("\r\n").length).toBeGreaterThan(3);
});
