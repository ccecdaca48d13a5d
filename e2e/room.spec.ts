import { expect, test, type Browser, type Page } from "@playwright/test";
import { asAdmin, DEMO, openDemoCutover, signIn } from "./support/fixtures";

interface Item {
  id: string;
  title: string;
  ownerRole: string;
  state: string;
}

async function pageAs(browser: Browser, email: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, email);
  return page;
}

async function items(page: Page, cutoverId: string): Promise<Item[]> {
  const state = await (await page.request.get(`/api/v1/cutovers/${cutoverId}`)).json();
  return state.phases.flatMap((p: { sections: { items: Item[] }[] }) => p.sections.flatMap((s) => s.items));
}

const row = (page: Page, title: string) => page.getByTestId("checklist-item").filter({ has: page.getByTestId("item-title").getByText(title, { exact: true }) });

test("a role lead signs off; everyone else in the room sees it live, with who is present", async ({ browser }) => {
  const qa = await pageAs(browser, DEMO.qa);
  const dba = await pageAs(browser, DEMO.dba);
  const cutoverId = await openDemoCutover(qa);
  await openDemoCutover(dba);
  await expect(dba.getByTestId("present-person").filter({ hasText: "Quinn QA" })).toContainText("QA Lead");
  await expect(qa.getByTestId("present-person").filter({ hasText: "Dmitri DBA" })).toContainText("Database DBA");

  const open = (await items(qa, cutoverId)).filter((i) => i.ownerRole === "QA_LEAD" && i.state === "open");
  const [target, another] = [open[0]!, open[1]!];
  // The DBA has no button on a QA item, and the server refuses it too.
  await expect(row(dba, another.title).getByRole("button", { name: `Sign off ${another.title}` })).toHaveCount(0);
  const refused = await dba.request.post(`/api/v1/cutovers/${cutoverId}/items/${another.id}/signoff`, { data: {} });
  expect(refused.status()).toBe(403);

  await row(qa, target.title).getByRole("button", { name: `Sign off ${target.title}` }).click();
  await expect(row(qa, target.title).getByTestId("item-state")).toHaveText("Done");
  // The other browser: no reload, the change arrives through the bus.
  await expect(row(dba, target.title).getByTestId("item-state")).toHaveText("Done");
  await expect(row(dba, target.title).getByTestId("item-signed-by")).toContainText("Quinn QA");
  await expect(dba.getByTestId("latest-change")).toContainText("Quinn QA");

  // Undo needs a reason; the history keeps both.
  await row(qa, target.title).getByRole("button", { name: `Undo ${target.title}` }).click();
  await qa.getByPlaceholder("Reason (required)").fill("signed the wrong box");
  await qa.getByRole("button", { name: "Confirm" }).click();
  await expect(row(dba, target.title).getByTestId("item-state")).toHaveText("Open");
  await dba.context().close();
  await qa.context().close();
});

test("an Observer sees the room but no button it cannot use, and the server refuses it", async ({ browser }) => {
  const observer = await pageAs(browser, DEMO.observer);
  const cutoverId = await openDemoCutover(observer);
  await expect(observer.getByTestId("my-roles")).toContainText("Observer");
  await expect(observer.getByTestId("checklist-item").first()).toBeVisible();
  await expect(observer.getByRole("button", { name: /^(Sign off|Override sign-off|Undo|N\/A)/ })).toHaveCount(0);
  await expect(observer.getByRole("button", { name: "+ Add item" })).toHaveCount(0);
  const item = (await items(observer, cutoverId)).find((i) => i.state === "open")!;
  const res = await observer.request.post(`/api/v1/cutovers/${cutoverId}/items/${item.id}/signoff`, { data: { note: "x" } });
  expect(res.status()).toBe(403);
  expect((await items(observer, cutoverId)).find((i) => i.id === item.id)!.state).toBe("open");
  await observer.context().close();
});

test("go/no-go: votes in two browsers reach PROCEED, a NO-GO reaches ABORT, and the audit log shows it all", async ({ browser, request }) => {
  // The plan, written through the API by the lead (the admin token belongs to the demo lead).
  const cmd = async (name: string, data: unknown) => (await request.post(`/api/v1/commands/${name}`, { headers: asAdmin, data })).json();
  const { cutoverId } = await (await request.post("/api/v1/cutovers", { headers: asAdmin, data: { name: `Go/no-go ${Date.now()}`, systemFrom: "python", systemTo: "go", tZero: new Date(Date.now() + 3600_000).toISOString() } })).json();
  const { phaseId } = await cmd("phase.add", { cutoverId, name: "Canary 10 %" });
  const { sectionId } = await cmd("section.add", { cutoverId, phaseId, name: "Monitoring" });
  await cmd("item.add", { cutoverId, sectionId, title: "Error rate below 1 %", ownerRole: "QA_LEAD", critical: true });
  const proceed = await cmd("decision.create", { cutoverId, phaseId, title: "Proceed to 50 %", requiredRoles: ["DEPLOYMENT_LEAD", "QA_LEAD"], targetPercent: 50 });
  const abort = await cmd("decision.create", { cutoverId, phaseId, title: "Skip to 100 %", requiredRoles: ["DEPLOYMENT_LEAD", "QA_LEAD"], targetPercent: 100 });
  await cmd("member.add", { cutoverId, email: DEMO.qa, role: "QA_LEAD" });

  const lead = await pageAs(browser, DEMO.lead);
  const qa = await pageAs(browser, DEMO.qa);
  for (const p of [lead, qa]) {
    await p.goto(`/cutovers/${cutoverId}`);
    await expect(p.getByTestId("live-indicator")).toHaveAttribute("data-status", "live");
  }
  await qa.getByRole("tab", { name: "Decisions" }).click();
  await lead.getByRole("tab", { name: "Decisions" }).click();
  const decision = (p: Page, id: string) => p.locator(`[data-testid="decision"][data-decision-id="${id}"]`);

  // The lead opens both votes; QA sees them open without reload.
  await decision(lead, proceed.decisionId).getByRole("button", { name: "Open vote" }).click();
  await decision(lead, abort.decisionId).getByRole("button", { name: "Open vote" }).click();
  await expect(decision(qa, proceed.decisionId)).toHaveAttribute("data-state", "voting");
  await expect(decision(qa, abort.decisionId)).toHaveAttribute("data-state", "voting");

  // All GO, but the critical item is open: the gate holds the decision.
  await decision(qa, proceed.decisionId).getByLabel("Comment").fill("QA suite green");
  await decision(qa, proceed.decisionId).getByRole("button", { name: "Vote GO" }).click();
  await decision(lead, proceed.decisionId).getByRole("button", { name: "Vote GO" }).click();
  // Both votes are recorded before anything else changes: a vote that landed after the sign-off
  // below would complete this decision as PROCEED.
  for (const p of [lead, qa]) {
    for (const role of ["DEPLOYMENT_LEAD", "QA_LEAD"]) {
      await expect(decision(p, proceed.decisionId).locator(`[data-testid="required-role"][data-role="${role}"]`)).toHaveAttribute("data-vote", "go");
    }
  }
  // The status line counts the failing gate; the gate itself names the open item.
  await expect(decision(lead, proceed.decisionId).getByTestId("decision-reason")).toContainText("1 gate failing");
  await expect(decision(lead, proceed.decisionId).getByTestId("gate").first()).toContainText("1 critical item open: Error rate below 1 %");
  await expect(decision(lead, proceed.decisionId)).toHaveAttribute("data-state", "voting");
  // A decision closes on the vote that completes it, so the gate must pass before the last vote:
  // QA signs the item off, and a fresh decision point goes through to PROCEED.
  await qa.getByRole("tab", { name: "Plan" }).click();
  await row(qa, "Error rate below 1 %").getByRole("button", { name: "Sign off Error rate below 1 %" }).click();
  await expect(row(qa, "Error rate below 1 %").getByTestId("item-state")).toHaveText("Done");
  const again = await cmd("decision.create", { cutoverId, phaseId, title: "Proceed to 50 % (after sign-off)", requiredRoles: ["DEPLOYMENT_LEAD", "QA_LEAD"], targetPercent: 50 });
  await cmd("decision.open_vote", { cutoverId, decisionId: again.decisionId });
  await qa.getByRole("tab", { name: "Decisions" }).click();
  await decision(qa, again.decisionId).getByRole("button", { name: "Vote GO" }).click();
  await decision(lead, again.decisionId).getByRole("button", { name: "Vote GO" }).click();
  await expect(decision(lead, again.decisionId)).toHaveAttribute("data-state", "proceed");
  await expect(decision(qa, again.decisionId)).toHaveAttribute("data-state", "proceed");
  await expect(decision(qa, again.decisionId).getByTestId("decision-state")).toHaveText(/PROCEED/);

  // A NO-GO closes the other decision as ABORT, with who and why.
  await decision(qa, abort.decisionId).getByLabel("Comment").fill("p95 doubled on new");
  await decision(qa, abort.decisionId).getByRole("button", { name: "Vote NO-GO" }).click();
  await expect(decision(lead, abort.decisionId)).toHaveAttribute("data-state", "abort");
  await expect(decision(lead, abort.decisionId).getByTestId("decision-reason")).toContainText("p95 doubled on new");

  // The lead aborts the decision that is still waiting, with a reason.
  await decision(lead, proceed.decisionId).getByRole("button", { name: "Abort decision" }).click();
  await decision(lead, proceed.decisionId).getByLabel("Reason").fill("superseded after the sign-off");
  await decision(lead, proceed.decisionId).getByRole("button", { name: "Confirm abort" }).click();
  await expect(decision(qa, proceed.decisionId)).toHaveAttribute("data-state", "abort");

  // The audit log, newest first, streams it all.
  await lead.getByRole("tab", { name: "Audit" }).click();
  const actions = lead.getByTestId("audit-event");
  await expect(actions.first()).toHaveAttribute("data-action", "decision.abort");
  for (const action of ["decision.proceed", "decision.voted", "item.signed_off", "decision.vote_opened", "member.added", "cutover.created"]) {
    await expect(lead.locator(`[data-testid="audit-event"][data-action="${action}"]`).first()).toBeVisible();
  }
  await lead.getByLabel("Filter by person").fill("Quinn");
  await expect(lead.locator('[data-testid="audit-event"]').first()).toContainText("Quinn QA");
  await lead.context().close();
  await qa.context().close();
});

test("the schedule: the owner role starts a step, drift shows per step and for the whole cutover", async ({ browser }) => {
  const lead = await pageAs(browser, DEMO.lead);
  await openDemoCutover(lead);
  await expect(lead.getByTestId("t-clock")).toHaveText(/^T[-+]\d/);
  await lead.getByRole("tab", { name: "Timeline" }).click();
  const first = lead.getByTestId("timeline-entry").first();
  await expect(first).toBeVisible();
  await first.getByRole("button", { name: "Start" }).click();
  await expect(first.getByRole("button", { name: "Finish" })).toBeVisible();
  await expect(first.getByTestId("entry-drift")).toHaveText(/behind plan|ahead of plan|on plan/);
  await expect(lead.getByTestId("cutover-drift")).toHaveText(/behind plan|ahead of plan|on plan/);
  await lead.context().close();
});
