import { expect, test, type Page } from "@playwright/test";
import { DEMO, signIn } from "./support/fixtures";

async function newCutover(page: Page, name: string, template: string | RegExp) {
  await page.goto("/cutovers/new");
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("Old system").fill("old-api");
  await page.getByLabel("New system").fill("new-api");
  await page.getByLabel("T-0 (planned start of the switch)").fill("2030-06-01T06:00");
  await page.getByRole("radio", { name: "A template" }).check();
  await page.getByTestId("template-picker").getByRole("radio", { name: template }).check();
  await page.getByRole("button", { name: "Create cutover" }).click();
  await expect(page.getByTestId("cutover-name")).toContainText(name);
}

test("a cutover starts from the canary template, is saved as a team template, and the next one starts from that", async ({ page }) => {
  page.on("dialog", (d) => void d.accept());
  await signIn(page, DEMO.lead);
  const stamp = Date.now();

  await newCutover(page, `Canary ${stamp}`, /Canary over four days/);
  await expect(page.getByTestId("phase")).toHaveCount(5);
  await expect(page.getByRole("heading", { name: /Stage 2: 25 % canary/ })).toBeVisible();

  await page.getByRole("button", { name: "Save as template" }).click();
  await page.getByLabel("Template name").fill(`Team canary ${stamp}`);
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByTestId("template-saved")).toContainText(`Team canary ${stamp}`);

  await newCutover(page, `From the team ${stamp}`, `Team canary ${stamp}`);
  await expect(page.getByTestId("phase")).toHaveCount(5);
  await expect(page.getByRole("heading", { name: /Stage 4: 100 %/ })).toBeVisible();

  // Whoever saved it removes it from the picker.
  await page.goto("/cutovers/new");
  await page.getByRole("radio", { name: "A template" }).check();
  await page.getByRole("button", { name: `Remove template Team canary ${stamp}` }).click();
  await expect(page.getByTestId("template-picker").getByText(`Team canary ${stamp}`)).toHaveCount(0);
});
