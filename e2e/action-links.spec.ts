// Approve from chat: the lead opens a go/no-go vote; the QA Lead's email (queued in the outbox
// for an email channel) carries their own "Vote GO" link. Opened in a fresh browser it asks for
// sign-in, comes back, shows the vote in words and records it with one click. The same link again
// is refused as used, another user's link is refused, and an expired one too.
import { readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { actionLinkClaims, deriveActionLinkKey, signActionLink } from "../lib/domain/action-links";
import { asAdmin, DEMO, DEMO_PASSWORD, e2eDatabaseUrl, openDemoCutover, signIn } from "./support/fixtures";
import { startSmtpReceiver } from "../lib/testing/notify-receivers";

async function sql<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: e2eDatabaseUrl() });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/** A fresh browser (no session), sent to `url`: signs in as `email` on the way and lands back on the link. */
async function openAs(browser: Browser, url: string, email: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(url);
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=/);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/act\//);
  return page;
}

test("a signed link votes once, for its recipient only, and not after it expired", async ({ browser, page, request }) => {
  await signIn(page, DEMO.lead);
  const cutoverId = await openDemoCutover(page);
  await page.close();

  // An email channel (a real SMTP server on this machine) and the cutover's messages going to it.
  const smtp = await startSmtpReceiver();
  const channel = `e2e-approvals-mail-${Date.now()}`;
  for (const [name, data] of [
    ["integration.save", { name: channel, type: "channel", kind: "email", config: { host: smtp.host, port: smtp.port, security: "none", from: "warroom@example.com", to: ["cutover@example.com"] } }],
    ["notify.channels", { cutoverId, channels: [channel] }],
  ] as const) {
    const res = await request.post(`/api/v1/commands/${name}`, { headers: asAdmin, data });
    expect(res.ok(), await res.text()).toBe(true);
  }
  const [phase] = await sql<{ id: string }>("SELECT id FROM phases WHERE cutover_id = $1 ORDER BY position LIMIT 1", [cutoverId]);
  const title = `Proceed by link ${Date.now()}`;
  const created = await request.post("/api/v1/commands/decision.create", { headers: asAdmin, data: { cutoverId, phaseId: phase!.id, title, requiredRoles: ["DEPLOYMENT_LEAD", "QA_LEAD"] } });
  expect(created.ok(), await created.text()).toBe(true);
  const { decisionId } = (await created.json()) as { decisionId: string };
  const opened = await request.post("/api/v1/commands/decision.open_vote", { headers: asAdmin, data: { cutoverId, decisionId } });
  expect(opened.ok(), await opened.text()).toBe(true);

  // One email per voter, each with their own links, as the SMTP server received them.
  const rows = await sql<{ recipient: string }>("SELECT recipient FROM deliveries WHERE source = 'approval' AND subject = $1", [`decision:${decisionId}`]);
  expect(rows.map((r) => r.recipient).sort()).toEqual([DEMO.lead, DEMO.qa].sort());
  await expect.poll(() => smtp.messages.filter((m) => m.to.includes(DEMO.qa)).length, { timeout: 30_000 }).toBe(1);
  const email = smtp.messages.find((m) => m.to.includes(DEMO.qa))!;
  await smtp.close();
  const linkOf = (label: string) => new RegExp(`^${label}: (\\S+)$`, "m").exec(email.text)?.[1] ?? "";
  const go = linkOf("Vote GO");
  const noGo = linkOf("Vote NO-GO");
  expect(go).toMatch(/\/act\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  expect(noGo).toMatch(/\/act\//);

  // Fresh browser → sign-in → back on the link → the vote in words → confirm.
  const qa = await openAs(browser, go, DEMO.qa);
  await expect(qa.getByTestId("action-link-summary")).toContainText(title);
  await expect(qa.getByTestId("action-link-summary")).toContainText("GO (as QA Lead)");
  await qa.getByRole("button", { name: "Vote GO" }).click();
  await expect(qa.getByTestId("action-link-done")).toBeVisible();
  const votes = await sql<{ email: string; role: string; choice: string }>("SELECT u.email, v.role, v.choice FROM votes v JOIN users u ON u.id = v.user_id WHERE v.decision_id = $1", [decisionId]);
  expect(votes).toEqual([{ email: DEMO.qa, role: "QA_LEAD", choice: "go" }]);
  const [audit] = await sql<{ after: { via?: string } }>("SELECT after FROM audit_events WHERE cutover_id = $1 AND action = 'decision.voted' AND subject = $2", [cutoverId, `decision:${decisionId}`]);
  expect(audit?.after.via).toBe("link");

  // Again: refused as used, nothing done.
  await qa.goto(go);
  await expect(qa.getByTestId("action-link-problem")).toContainText("already used");
  await expect(qa.getByRole("button", { name: /Vote/ })).toHaveCount(0);

  // The QA Lead's other link, opened by the lead: refused, it is someone else's.
  const lead = await openAs(browser, noGo, DEMO.lead);
  await expect(lead.getByTestId("action-link-problem")).toContainText("made for someone else");
  await expect(lead.getByRole("button", { name: /Vote/ })).toHaveCount(0);

  // An expired link, made with the server's own key (its secret is beside its data).
  const secret = readFileSync(path.resolve(".data/e2e/auth-secret"), "utf8").trim();
  const [qaUser] = await sql<{ id: string }>("SELECT id FROM users WHERE email = $1", [DEMO.qa]);
  const expired = signActionLink(actionLinkClaims({ action: "decision.vote", choice: "NO_GO", cutoverId, subjectId: decisionId, recipient: qaUser!.id }, Date.now(), -60_000), deriveActionLinkKey(secret));
  await qa.goto(`/act/${expired}`);
  await expect(qa.getByTestId("action-link-problem")).toContainText("expired");
  await expect(qa.getByRole("button", { name: /Vote/ })).toHaveCount(0);
  expect(await sql("SELECT 1 FROM votes WHERE decision_id = $1", [decisionId])).toHaveLength(1);

  // The demo cutover announces nowhere again (the receiver is gone), for the specs after this one.
  const reset = await request.post("/api/v1/commands/notify.channels", { headers: asAdmin, data: { cutoverId, channels: [] } });
  expect(reset.ok(), await reset.text()).toBe(true);
});
