// The public status page end to end: the Comms Lead turns it on and publishes from the room; an
// anonymous browser (no session) sees it, and sees the next update arrive without a reload; the
// HTML, JSON and Atom documents contain none of the cutover's private strings, collected from the
// API as its lead: member and contact names, phones, emails, chat handles, link URLs, metric
// queries, router and Prometheus names, item titles.
import { expect, test, type APIRequestContext } from "@playwright/test";
import { asAdmin, DEMO, openDemoCutover, signIn } from "./support/fixtures";

/** Every string of `value` under one of `keys`, at any depth. */
function collect(value: unknown, keys: ReadonlySet<string>, out: Set<string>) {
  if (Array.isArray(value)) value.forEach((v) => collect(v, keys, out));
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (keys.has(k) && typeof v === "string" && v.trim().length >= 3) out.add(v);
      else collect(v, keys, out);
    }
  }
}

async function privateStrings(request: APIRequestContext, cutoverId: string): Promise<string[]> {
  const out = new Set<string>();
  const state = await (await request.get(`/api/v1/cutovers/${cutoverId}`, { headers: asAdmin })).json();
  const metrics = await (await request.get(`/api/v1/cutovers/${cutoverId}/metrics`, { headers: asAdmin })).json();
  const traffic = await (await request.get(`/api/v1/cutovers/${cutoverId}/traffic`, { headers: asAdmin })).json();
  const s = state as { name: string; members: { user: { name: string; email: string } }[]; contacts?: unknown; links: { url: string }[]; phases: { sections: { items: { title: string }[] }[] }[]; escalation?: unknown };
  out.add(s.name);
  for (const m of s.members) {
    out.add(m.user.name);
    out.add(m.user.email);
  }
  for (const l of s.links) out.add(l.url);
  for (const p of s.phases) for (const sec of p.sections) for (const i of sec.items) out.add(i.title);
  collect(s.contacts, new Set(["name", "phone", "email", "chatHandle"]), out);
  collect(s.escalation, new Set(["who"]), out);
  collect(metrics, new Set(["queryOld", "queryNew", "prometheusSource", "defaultSource"]), out);
  collect((traffic as { router: unknown }).router, new Set(["name"]), out);
  collect((traffic as { hooks: unknown }).hooks, new Set(["name", "integration"]), out);
  return [...out].filter((x) => x.trim().length >= 3);
}

test("the Comms Lead publishes; an anonymous reader sees it live; nothing private reaches HTML, JSON or Atom", async ({ page, browser, request }) => {
  await signIn(page, DEMO.comms);
  const cutoverId = await openDemoCutover(page);
  await page.getByRole("tab", { name: "Comms" }).click();
  const panel = page.getByTestId("status-page-panel");
  await expect(panel).toBeVisible();

  await panel.getByLabel("Page on").check();
  await panel.getByLabel("Title readers see (empty: the cutover's name)").fill("Payments maintenance");
  await panel.getByRole("button", { name: "Save settings" }).click();
  const link = panel.getByTestId("status-page-link").getByRole("link").first();
  await expect(link).toHaveText(/^\/status\/[a-z0-9-]+$/);
  const path = (await link.textContent())!.trim();

  const publish = async (body: string, health: string) => {
    await panel.getByLabel(/What readers should know/).fill(body);
    await panel.getByLabel("Health readers see").selectOption({ label: health });
    await panel.getByRole("button", { name: "Publish update" }).click();
    await expect(panel.getByTestId("status-update-row").filter({ hasText: body })).toBeVisible();
  };
  await publish("The maintenance window has started.", "Under maintenance");

  // An anonymous reader: a fresh context with no session cookie.
  const reader = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  const anon = await reader.newPage();
  const response = await anon.goto(path);
  expect(response?.status()).toBe(200);
  expect(anon.url()).toContain(path);
  await expect(anon.getByRole("heading", { level: 1 })).toHaveText("Payments maintenance");
  await expect(anon.getByTestId("status-health")).toContainText("Under maintenance");
  await expect(anon.getByText("The maintenance window has started.")).toBeVisible();
  await expect(anon.getByTestId("status-next")).toContainText("Next update due");

  // The second update arrives without a reload: the marker set on this document survives.
  await anon.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
  await publish("Canary at 10 %: all green.", "Operational");
  await expect(anon.getByText("Canary at 10 %: all green.")).toBeVisible();
  await expect(anon.getByTestId("status-health")).toContainText("Operational");
  expect(await anon.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
  await expect(anon.getByTestId("status-update")).toHaveCount(2);
  await reader.close();

  // The three documents, fetched without a session, and every private string of the cutover.
  const secrets = await privateStrings(request, cutoverId);
  expect(secrets.length).toBeGreaterThan(10);
  for (const doc of [path, `${path}/status.json`, `${path}/feed.atom`]) {
    const res = await request.get(doc, { headers: {}, maxRedirects: 0 });
    expect(res.status(), doc).toBe(200);
    const text = await res.text();
    expect(text, doc).toContain("Canary at 10 %: all green.");
    expect(secrets.filter((s) => text.includes(s)), doc).toEqual([]);
  }
  const json = (await (await request.get(`${path}/status.json`)).json()) as { health: string; updates: unknown[] };
  expect(json.health).toBe("operational");
  expect(json.updates).toHaveLength(2);
  const atom = await request.get(`${path}/feed.atom`);
  expect(atom.headers()["content-type"]).toContain("application/atom+xml");

  // An address that does not exist and a malformed one: the same plain 404, never the sign-in page.
  const unknown = await request.get("/status/no-such-page", { maxRedirects: 0 });
  const malformed = await request.get("/status/NO_SUCH", { maxRedirects: 0 });
  expect(unknown.status()).toBe(404);
  expect(malformed.status()).toBe(404);
  expect(await malformed.text()).toBe(await unknown.text());
});
