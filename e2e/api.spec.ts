import { expect, test, type APIRequestContext } from "@playwright/test";
import { asAdmin, createTokenInUi, DEMO, signIn } from "./support/fixtures";

async function command(request: APIRequestContext, name: string, data: unknown, headers = asAdmin) {
  const res = await request.post(`/api/v1/commands/${name}`, { headers, data });
  return { status: res.status(), body: await res.json() };
}

/** A small cutover led by the demo lead (the admin token's user), with a QA item and a decision. */
async function setup(request: APIRequestContext) {
  const created = await request.post("/api/v1/cutovers", { headers: asAdmin, data: { name: `API ${Date.now()}`, systemFrom: "old", systemTo: "new", tZero: new Date(Date.now() + 3600_000).toISOString() } });
  expect(created.status()).toBe(201);
  const { cutoverId } = await created.json();
  const phase = await command(request, "phase.add", { cutoverId, name: "Canary" });
  const section = await command(request, "section.add", { cutoverId, phaseId: phase.body.phaseId, name: "Checks" });
  const item = await command(request, "item.add", { cutoverId, sectionId: section.body.sectionId, title: "Smoke tests pass", ownerRole: "QA_LEAD", plannedTime: "T-30m" });
  const decision = await command(request, "decision.create", { cutoverId, phaseId: phase.body.phaseId, title: "Proceed to 50 %", requiredRoles: ["DEPLOYMENT_LEAD"] });
  await command(request, "member.add", { cutoverId, email: DEMO.observer, role: "OBSERVER" });
  return { cutoverId, itemId: item.body.itemId as string, decisionId: decision.body.decisionId as string };
}

test("authentication: no token, a malformed or unknown token are 401 with a JSON error", async ({ request }) => {
  const variants: Record<string, string>[] = [{}, { Authorization: "Basic abc" }, { Authorization: "Bearer wr_unknown_token_value" }];
  for (const headers of variants) {
    const res = await request.get("/api/v1/cutovers", { headers });
    expect(res.status()).toBe(401);
    expect(await res.json()).toMatchObject({ error: "unauthorized", message: expect.any(String) });
  }
  const ok = await request.get("/api/v1/cutovers", { headers: asAdmin });
  expect(ok.status()).toBe(200);
  expect((await ok.json()).cutovers.length).toBeGreaterThan(0);
});

test("GET a cutover: whole state, 400 for a malformed id, 404 for an unknown one", async ({ request }) => {
  const { cutoverId, itemId } = await setup(request);
  const res = await request.get(`/api/v1/cutovers/${cutoverId}`, { headers: asAdmin });
  expect(res.status()).toBe(200);
  const state = await res.json();
  expect(state.phases[0].sections[0].items[0]).toMatchObject({ id: itemId, title: "Smoke tests pass", ownerRole: "QA_LEAD", state: "open" });
  expect(state).not.toHaveProperty("prometheusAuth");
  expect((await request.get("/api/v1/cutovers/not-an-id", { headers: asAdmin })).status()).toBe(400);
  const missing = await request.get("/api/v1/cutovers/00000000-0000-4000-8000-000000000000", { headers: asAdmin });
  expect(missing.status()).toBe(404);
  expect(await missing.json()).toMatchObject({ error: "not_found" });
});

test("sign-off and undo over REST: 400, 403, 404, 409 and success, each checked against the state", async ({ request, page }) => {
  const { cutoverId, itemId } = await setup(request);
  const other = await setup(request);
  const url = (id: string, what: string, c = cutoverId) => `/api/v1/cutovers/${c}/items/${id}/${what}`;

  // The lead signing off a QA item is an override: a note is required.
  let res = await request.post(url(itemId, "signoff"), { headers: asAdmin, data: {} });
  expect(res.status()).toBe(400);
  expect((await res.json()).message).toBe("An override needs a note");
  expect((await request.post(url(itemId, "signoff"), { headers: asAdmin, data: "not json", })).status()).toBe(400);
  expect((await request.post(url(itemId, "signoff"), { headers: asAdmin, data: { note: "x".repeat(2 * 1024 * 1024) } })).status()).toBe(400);
  // An item of another cutover, an unknown item.
  expect((await request.post(url(other.itemId, "signoff"), { headers: asAdmin, data: { note: "n" } })).status()).toBe(404);
  expect((await request.post(url("00000000-0000-4000-8000-000000000000", "signoff"), { headers: asAdmin, data: { note: "n" } })).status()).toBe(404);

  // An observer's own token: 403, and nothing changed.
  await signIn(page, DEMO.observer);
  const observerToken = await createTokenInUi(page, "observer-script");
  res = await request.post(url(itemId, "signoff"), { headers: { Authorization: `Bearer ${observerToken}` }, data: { note: "n" } });
  expect(res.status()).toBe(403);
  expect(await res.json()).toMatchObject({ error: "forbidden" });
  const unchanged = await (await request.get(`/api/v1/cutovers/${cutoverId}`, { headers: asAdmin })).json();
  expect(unchanged.phases[0].sections[0].items[0]).toMatchObject({ state: "open", version: 0 });

  res = await request.post(url(itemId, "signoff"), { headers: asAdmin, data: { note: "QA confirmed on the bridge" } });
  expect(res.status()).toBe(200);
  expect(await res.json()).toMatchObject({ state: "done", override: true, version: 1 });
  res = await request.post(url(itemId, "signoff"), { headers: asAdmin, data: { note: "again" } });
  expect(res.status()).toBe(409);
  expect((await res.json()).message).toMatch(/Already signed off by Dana Lead/);

  expect((await request.post(url(itemId, "undo"), { headers: asAdmin, data: {} })).status()).toBe(400);
  res = await request.post(url(itemId, "undo"), { headers: asAdmin, data: { reason: "signed the wrong item" } });
  expect(res.status()).toBe(200);
  expect(await res.json()).toMatchObject({ state: "open" });
  res = await request.post(url(itemId, "not-applicable"), { headers: asAdmin, data: { reason: "no smoke suite here" } });
  expect(res.status()).toBe(200);

  // Revoked tokens stop working.
  await page.goto("/settings/tokens");
  await page.getByTestId("token").filter({ hasText: "observer-script" }).getByRole("button", { name: "Revoke" }).click();
  await expect(page.getByTestId("token").filter({ hasText: "observer-script" })).toContainText("revoked");
  expect((await request.get("/api/v1/cutovers", { headers: { Authorization: `Bearer ${observerToken}` } })).status()).toBe(401);
  // At once, also on the routes the server answers outside Next (the token was used a moment ago).
  res = await request.post(url(itemId, "undo"), { headers: { Authorization: `Bearer ${observerToken}` }, data: { reason: "r" } });
  expect(res.status()).toBe(401);
  expect(await res.json()).toMatchObject({ error: "unauthorized" });
});

test("votes over REST: 409 before the vote opens and after it closes, 400 for a bad choice, 404 for an unknown decision", async ({ request }) => {
  const { cutoverId, decisionId } = await setup(request);
  const votes = (id = decisionId) => `/api/v1/cutovers/${cutoverId}/decisions/${id}/votes`;
  let res = await request.post(votes(), { headers: asAdmin, data: { choice: "go" } });
  expect(res.status()).toBe(409);
  expect((await res.json()).message).toBe("Voting has not been opened yet");
  expect((await command(request, "decision.open_vote", { cutoverId, decisionId })).status).toBe(200);
  expect((await request.post(votes(), { headers: asAdmin, data: { choice: "maybe" } })).status()).toBe(400);
  expect((await request.post(votes("00000000-0000-4000-8000-000000000000"), { headers: asAdmin, data: { choice: "go" } })).status()).toBe(404);
  res = await request.post(votes(), { headers: asAdmin, data: { choice: "go", comment: "metrics green" } });
  expect(res.status()).toBe(200);
  // No critical items in the phase and the only required role voted GO: PROCEED.
  expect(await res.json()).toMatchObject({ outcome: "proceed" });
  res = await request.post(votes(), { headers: asAdmin, data: { choice: "no_go" } });
  expect(res.status()).toBe(409);
  expect((await res.json()).message).toBe("Decision is closed: proceed");
  const audit = await (await request.get(`/api/v1/cutovers/${cutoverId}/audit?action=decision`, { headers: asAdmin })).json();
  expect(audit.events.map((e: { action: string }) => e.action)).toEqual(["decision.proceed", "decision.voted", "decision.vote_opened", "decision.created"]);
});

test("unknown commands are 404; bad command input is 400 and writes nothing", async ({ request }) => {
  const { cutoverId } = await setup(request);
  expect((await command(request, "cutover.delete_everything", {})).status).toBe(404);
  const bad = await command(request, "item.add", { cutoverId, sectionId: "nope", title: "", ownerRole: "CEO" });
  expect(bad.status).toBe(400);
  expect((await command(request, "phase.add", { cutoverId, name: "x".repeat(300) })).status).toBe(400);
  const state = await (await request.get(`/api/v1/cutovers/${cutoverId}`, { headers: asAdmin })).json();
  expect(state.phases).toHaveLength(1);
});

test("exports: the audit log and the timeline as files; 400 for a bad kind or format, 401 without a token, 404 for a stranger's id", async ({ request }) => {
  const { cutoverId } = await setup(request);
  const url = (query: string, id = cutoverId) => `/api/v1/cutovers/${id}/export?${query}`;
  const csv = await request.get(url("what=audit"), { headers: asAdmin });
  expect(csv.status()).toBe(200);
  expect(csv.headers()["content-type"]).toMatch(/^text\/csv/);
  expect(csv.headers()["content-disposition"]).toMatch(/^attachment; filename="api-\d+-audit-\d{8}-\d{4}\.csv"$/);
  const lines = (await csv.text()).trim().split("\r\n");
  expect(lines[0]).toBe("id,at,mode,actor,role,action,subject,before,after,request_id");
  // phase, section, item and decision created, observer added: oldest first.
  expect(lines.slice(1).map((l) => l.split(",")[5])).toEqual(expect.arrayContaining(["decision.created"]));
  expect(lines.length).toBeGreaterThanOrEqual(6);
  const timeline = await request.get(url("what=timeline&format=json"), { headers: asAdmin });
  expect(timeline.status()).toBe(200);
  expect(await timeline.json()).toMatchObject({ cutover: { id: cutoverId, mode: "live" }, entries: [] });
  const bad = await request.get(url("what=audit&format=xlsx"), { headers: asAdmin });
  expect(bad.status()).toBe(400);
  expect(await bad.json()).toMatchObject({ error: "bad_request" });
  expect((await request.get(url("what=secrets"), { headers: asAdmin })).status()).toBe(400);
  // The plan: a markdown runbook by default, JSON on request; a plan is never CSV.
  const markdown = await request.get(url("format=markdown"), { headers: asAdmin });
  expect(markdown.status()).toBe(200);
  expect(markdown.headers()["content-type"]).toBe("text/markdown; charset=utf-8");
  expect(markdown.headers()["content-disposition"]).toMatch(/^attachment; filename="api-\d+-plan-\d{8}-\d{4}\.md"$/);
  expect(await markdown.text()).toMatch(/^# API \d+\n/);
  const json = await request.get(url("format=json"), { headers: asAdmin });
  expect(await json.json()).toMatchObject({ format: "cutover-war-room/cutover", version: 2, cutover: { id: cutoverId }, alertTriggers: [] });
  expect((await request.get(url("format=csv"), { headers: asAdmin })).status()).toBe(400);
  expect((await request.get(url("what=audit"))).status()).toBe(401);
  expect((await request.get(url("what=audit", "00000000-0000-4000-8000-000000000000"), { headers: asAdmin })).status()).toBe(404);
});
