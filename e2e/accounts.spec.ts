import { expect, test, type Browser, type Page } from "@playwright/test";
import { DEMO, openDemoCutover, signIn } from "./support/fixtures";

const row = (page: Page, title: string) => page.getByTestId("checklist-item").filter({ has: page.getByTestId("item-title").getByText(title, { exact: true }) });

async function pageAs(browser: Browser, email?: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  if (email) await signIn(page, email);
  return page;
}

test("an administrator onboards a QA lead through an invitation; disabling them closes their open room", async ({ browser }) => {
  const email = `qa-${Date.now()}@example.com`;
  const password = "a sturdy qa passphrase";

  // The administrator invites; the one-time link is shown once.
  const admin = await pageAs(browser, DEMO.lead);
  await admin.getByRole("link", { name: "Users" }).click();
  await expect(admin).toHaveURL(/\/admin\/users/);
  const form = admin.getByRole("form", { name: "New user" });
  await form.getByLabel("Email").fill(email);
  await form.getByLabel("Name").fill("Quincy QA");
  await form.getByRole("button", { name: "Invite" }).click();
  const link = (await admin.getByTestId("one-time-link-value").textContent())?.trim() ?? "";
  expect(link).toMatch(/\/invite\/[A-Za-z0-9_-]{43}$/);
  await expect(admin.getByTestId("open-link").filter({ hasText: email })).toBeVisible();

  // The QA lead opens it with no session, chooses a password (the policy speaks first), and is in.
  const qa = await pageAs(browser);
  await qa.goto(link);
  await expect(qa.getByTestId("invite-email")).toHaveText(email);
  await qa.getByLabel("Password (12+ characters)").fill("qwerty123456");
  await qa.getByLabel("Password again").fill("qwerty123456");
  await qa.getByRole("button", { name: "Create my account" }).click();
  await expect(qa.getByTestId("error-note")).toContainText("common");
  await qa.getByLabel("Password (12+ characters)").fill(password);
  await qa.getByLabel("Password again").fill(password);
  await qa.getByRole("button", { name: "Create my account" }).click();
  await expect(qa).toHaveURL(/\/cutovers$/);
  await expect(qa.getByTestId("signed-in-user")).toHaveText("Quincy QA");
  // Neither planner nor administrator: no "New cutover", no "Users".
  await expect(qa.getByRole("link", { name: "New cutover" })).toHaveCount(0);
  await expect(qa.getByRole("link", { name: "Users" })).toHaveCount(0);

  // The link worked once.
  const again = await pageAs(browser);
  await again.goto(link);
  await expect(again.getByTestId("invite-problem")).toContainText("already been used");
  await again.context().close();

  // The lead makes them the demo cutover's QA Lead.
  const cutoverId = await openDemoCutover(admin);
  await admin.getByRole("tab", { name: "Contacts" }).click();
  const add = admin.getByRole("form", { name: "Add a member" });
  await add.getByLabel("Email of an existing user").fill(email);
  await add.getByLabel("Role").selectOption("QA_LEAD");
  await add.getByRole("button", { name: "Add member" }).click();
  await expect(admin.getByTestId("member").filter({ hasText: email })).toContainText("QA Lead");

  // The new QA lead signs off a QA item; the lead sees it live.
  await openDemoCutover(qa);
  await expect(qa.getByTestId("my-roles")).toContainText("QA Lead");
  const state = await (await qa.request.get(`/api/v1/cutovers/${cutoverId}`)).json();
  const items: { title: string; ownerRole: string; state: string }[] = state.phases.flatMap((p: { sections: { items: unknown[] }[] }) => p.sections.flatMap((s) => s.items));
  const target = items.find((i) => i.ownerRole === "QA_LEAD" && i.state === "open")!;
  await admin.getByRole("tab", { name: "Plan" }).click();
  await row(qa, target.title).getByRole("button", { name: `Sign off ${target.title}` }).click();
  await expect(row(qa, target.title).getByTestId("item-state")).toHaveText("Done");
  await expect(row(admin, target.title).getByTestId("item-signed-by")).toContainText("Quincy QA");

  // The administrator disables them while their room is open: that room stops at once and goes to sign-in.
  await expect(qa.getByTestId("live-indicator")).toHaveAttribute("data-status", "live");
  await admin.goto("/admin/users");
  await admin.getByTestId("user-row").filter({ hasText: email }).getByRole("button", { name: "Disable" }).click();
  await admin.getByTestId("disable-dialog").getByRole("button", { name: "Disable" }).click();
  await expect(admin.getByTestId("user-row").filter({ hasText: email }).getByTestId("user-status")).toHaveText("disabled");
  await expect(qa).toHaveURL(/\/sign-in/);

  // Their session is over everywhere, and signing in again is refused.
  const api = await qa.request.get(`/api/v1/cutovers/${cutoverId}`);
  expect(api.status()).toBe(401);
  await qa.getByLabel("Email").fill(email);
  await qa.getByLabel("Password").fill(password);
  await qa.getByRole("button", { name: "Sign in" }).click();
  await expect(qa.getByTestId("sign-in-error")).toBeVisible();

  await qa.context().close();
  await admin.context().close();
});
