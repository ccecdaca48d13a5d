import { expect, test } from "@playwright/test";
import { DEMO, openDemoCutover, signIn } from "./support/fixtures";

// The room opens on one screen that says where we are, what is decided next, what I must do and
// whether we are healthy; the whole plan is one tab away, and the tab is kept in the address.
test("the room opens on Now: phase, schedule ahead, next decision, my open items signed off from there, health", async ({ page }) => {
  await signIn(page, DEMO.qa);
  const cutoverId = await openDemoCutover(page, null);
  await expect(page.getByRole("tab", { name: "Now", exact: true })).toHaveAttribute("aria-selected", "true");
  const now = page.getByTestId("now-view");
  await expect(now.getByTestId("now-phase")).toContainText(/Phase .+T[-+]\d/);
  // The demo's schedule is laid out around its T-0: steps ahead, none late when it opens.
  await expect(now.getByTestId("now-next").getByRole("listitem").first()).toBeVisible();
  await expect(now.getByTestId("now-late")).toHaveCount(0);
  await expect(now.getByTestId("now-decision").getByTestId("decision")).toHaveCount(1);

  // My open items: only the QA Lead's, signed off from here.
  const mine = now.getByTestId("now-my-items");
  const heading = mine.getByRole("heading", { name: /My open items \(\d+\)/ });
  const before = Number((await heading.textContent())!.match(/\((\d+)\)/)![1]);
  expect(before).toBeGreaterThan(0);
  const owners = await mine.getByTestId("item-owner").allTextContents();
  expect(owners.length).toBeGreaterThan(0);
  expect(new Set(owners)).toEqual(new Set(["QA Lead"]));
  const first = mine.getByTestId("checklist-item").first();
  const title = (await first.getByTestId("item-title").textContent())!;
  await first.getByRole("button", { name: /^Sign off/ }).click();
  await expect(heading).toHaveText(`My open items (${before - 1})`);
  await expect(mine.getByTestId("item-title").filter({ hasText: title })).toHaveCount(0);

  await expect(now.getByTestId("now-health")).toBeVisible();
  await expect(now.getByTestId("now-triggers")).toBeVisible();

  // The whole plan is one tab away, and the address keeps the tab across a reload.
  await now.getByTestId("now-my-items").getByRole("button", { name: "Whole plan" }).click();
  await expect(page).toHaveURL(new RegExp(`/cutovers/${cutoverId}\\?tab=plan$`));
  await expect(page.getByTestId("checklist-item").filter({ hasText: title }).first()).toHaveAttribute("data-state", "done");
  await page.reload();
  await expect(page.getByRole("tab", { name: "Plan", exact: true })).toHaveAttribute("aria-selected", "true");
  await page.getByRole("tab", { name: "Now", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/cutovers/${cutoverId}$`));
});

test("an observer's Now has no items to do and no buttons it cannot use", async ({ page }) => {
  await signIn(page, DEMO.observer);
  await openDemoCutover(page, null);
  const now = page.getByTestId("now-view");
  await expect(now.getByTestId("now-phase")).toBeVisible();
  await expect(now.getByTestId("now-my-items")).toHaveCount(0);
  await expect(now.getByRole("button", { name: /^Sign off/ })).toHaveCount(0);
});
