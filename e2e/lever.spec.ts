// The lever, on real parts: the lab's demo services behind a real HAProxy, a real Prometheus
// scraping them, a bounded load through HAProxy counting who answered.
import { expect, test, type APIRequestContext } from "@playwright/test";
import { startLab, type Lab } from "../scripts/lab/index";
import { startHaproxy } from "../scripts/lab/haproxy";
import { asAdmin, DEMO, E2E_BASE, signIn } from "./support/fixtures";
import { addLabIntegrations, pickRouter } from "./support/lab-integrations";

let lab: Lab;
let cutoverId: string;

async function cmd(request: APIRequestContext, name: string, data: unknown) {
  const res = await request.post(`/api/v1/commands/${name}`, { headers: asAdmin, data });
  return { status: res.status(), body: await res.json() };
}
async function state(request: APIRequestContext, id = cutoverId) {
  return (await request.get(`/api/v1/cutovers/${id}`, { headers: asAdmin })).json();
}
async function traffic(request: APIRequestContext, id = cutoverId) {
  return (await request.get(`/api/v1/cutovers/${id}/traffic`, { headers: asAdmin })).json();
}
function shareOfNew(responses: { servedBy: string | null }[]) {
  const served = responses.filter((r) => r.servedBy === "old" || r.servedBy === "new");
  return served.filter((r) => r.servedBy === "new").length / served.length;
}
async function settle(ms: number) {
  await new Promise((r) => setTimeout(r, ms));
}

test.describe.serial("traffic, rollback and triggers on the lab", () => {
  test.beforeAll(async ({ request }) => {
    test.setTimeout(120_000);
    lab = await startLab({ dataDir: ".data/e2e-lab", warRoomMetricsUrl: `${E2E_BASE}/metrics`, handleSignals: false });
    await lab.startLoad({ rate: 150, durationS: 300 });
    const created = await request.post("/api/v1/cutovers", { headers: asAdmin, data: { name: `Lever ${Date.now()}`, systemFrom: "old", systemTo: "new", tZero: new Date().toISOString() } });
    cutoverId = (await created.json()).cutoverId;
    await cmd(request, "member.add", { cutoverId, email: DEMO.oncall, role: "ON_CALL" });
    await cmd(request, "member.add", { cutoverId, email: DEMO.qa, role: "QA_LEAD" });
    expect((await cmd(request, "traffic.steps", { cutoverId, steps: [0, 25, 50, 100] })).status).toBe(200);
    const names = addLabIntegrations(lab, "lever");
    await pickRouter(request, cutoverId, names.router);
    expect((await cmd(request, "metrics.settings", { cutoverId, prometheusSource: names.prometheus, pollIntervalMs: 1000 })).status).toBe(200);
    expect((await cmd(request, "router.test", { cutoverId })).body).toMatchObject({ percent: 0 });
  });

  test.afterAll(async () => {
    await lab?.stop();
  });

  test("shift to 25 %: about a quarter of real requests reach new; a step without PROCEED needs an override", async ({ request }) => {
    const before = await traffic(request);
    // A decision for 25 % exists and is not PROCEED: refused without an override.
    const phase = await cmd(request, "phase.add", { cutoverId, name: "Canary" });
    await cmd(request, "decision.create", { cutoverId, phaseId: phase.body.phaseId, title: "Proceed to 25 %", requiredRoles: ["QA_LEAD"], targetPercent: 25 });
    const refused = await request.post(`/api/v1/cutovers/${cutoverId}/traffic/shift`, { headers: asAdmin, data: {} });
    expect(refused.status()).toBe(409);
    expect((await refused.json()).message).toMatch(/not PROCEED. An override needs a note/);
    expect((await request.post(`/api/v1/cutovers/${cutoverId}/traffic/shift`, { headers: asAdmin, data: { override: true } })).status()).toBe(400);
    expect((await traffic(request)).changes.length).toBe(before.changes.length);

    const res = await request.post(`/api/v1/cutovers/${cutoverId}/traffic/shift`, { headers: asAdmin, data: { override: true, note: "canary approved on the bridge" } });
    expect(res.status()).toBe(200);
    const shifted = await res.json();
    expect(shifted).toMatchObject({ from: 0, to: 25 });
    const verifiedAt = Date.now();
    expect((await state(request)).trafficPercent).toBe(25);
    expect(await lab.haproxy.command("get weight be_app/new")).toMatch(/^25 /);
    await settle(3000);
    const after = lab.load!.responses(verifiedAt + 100);
    expect(after.length).toBeGreaterThan(300);
    expect(Math.abs(shareOfNew(after) - 0.25)).toBeLessThanOrEqual(0.05);
    const t = await traffic(request);
    expect(t.changes[0]).toMatchObject({ from: 0, to: 25, state: "verified", override: true, note: "canary approved on the bridge" });
  });

  test("the split survives an HAProxy reload", async ({ request }) => {
    await lab.haproxy.reload();
    expect((await cmd(request, "router.test", { cutoverId })).body).toMatchObject({ percent: 25 });
  });

  test("two rollbacks at once execute exactly once, and afterwards no request reaches new", async ({ request, browser }) => {
    const oncall = await browser.newContext();
    const page = await oncall.newPage();
    await signIn(page, DEMO.oncall);
    const before = (await traffic(request)).rollbacks.length;
    const [a, b] = await Promise.all([
      request.post(`/api/v1/cutovers/${cutoverId}/rollback`, { headers: asAdmin, data: { reason: "p95 doubled" } }),
      page.request.post(`/api/v1/cutovers/${cutoverId}/rollback`, { data: { reason: "on-call saw errors" } }),
    ]);
    const results = [await a.json(), await b.json()];
    expect([a.status(), b.status()]).toEqual([200, 200]);
    expect(results.filter((r) => r.joined === false)).toHaveLength(1);
    expect(results.filter((r) => r.joined === true)).toHaveLength(1);
    const done = results.find((r) => r.joined === false)!;
    expect(done.durationMs).toBeGreaterThan(0);
    const verifiedAt = Date.now();
    await settle(2000);
    const after = lab.load!.responses(verifiedAt + 100);
    expect(after.length).toBeGreaterThan(100);
    expect(after.filter((r) => r.servedBy === "new")).toHaveLength(0);
    const t = await traffic(request);
    expect(t.rollbacks.length).toBe(before + 1);
    expect(t.percent).toBe(0);
    await oncall.close();
  });

  test("HAProxy unreachable: the shift fails, the room is told, nothing is recorded as done", async ({ request }) => {
    // A second HAProxy of our own, stopped before the shift.
    const spare = await startHaproxy({ oldUrl: lab.old.url, newUrl: lab.new.url, dataDir: ".data/e2e-lab-spare" });
    const created = await request.post("/api/v1/cutovers", { headers: asAdmin, data: { name: `Dead router ${Date.now()}`, systemFrom: "old", systemTo: "new", tZero: new Date().toISOString() } });
    const id = (await created.json()).cutoverId;
    addLabIntegrations(lab, "lever", [{ name: "lever-spare", type: "router", kind: "haproxy", config: { socket: spare.socketPath, backend: "be_app", oldServer: "old", newServer: "new", timeoutMs: 1000 } }]);
    await pickRouter(request, id, "lever-spare");
    await spare.stop();
    const res = await request.post(`/api/v1/cutovers/${id}/traffic/shift`, { headers: asAdmin, data: { toPercent: 5, override: true, note: "try" } });
    expect(res.status()).toBe(502);
    expect(await res.json()).toMatchObject({ error: "router_failed", message: expect.stringMatching(/Traffic was not moved to 5 %: .*unreachable/) });
    const s = await state(request, id);
    expect(s.trafficPercent).toBe(0);
    const t = await traffic(request, id);
    expect(t.changes[0]).toMatchObject({ state: "failed", to: 5 });
    const audit = await (await request.get(`/api/v1/cutovers/${id}/audit?action=traffic`, { headers: asAdmin })).json();
    expect(audit.events.map((e: { action: string }) => e.action)).toEqual(["traffic.change_failed"]);
  });

  test("a trigger 'error rate (new) > 5 % for 30 s' rolls back by itself; the audit log names it", async ({ request }) => {
    test.setTimeout(120_000);
    await lab.new.configure({ errorRate: 0 });
    const shift = await request.post(`/api/v1/cutovers/${cutoverId}/traffic/shift`, { headers: asAdmin, data: { toPercent: 50, override: true, note: "trigger test" } });
    expect(shift.status()).toBe(200);
    const view = await (await request.get(`/api/v1/cutovers/${cutoverId}/metrics`, { headers: asAdmin })).json();
    const errorRate = view.metrics.find((m: { name: string }) => m.name === "Error rate");
    const saved = await cmd(request, "trigger.save", { cutoverId, metricId: errorRate.id, system: "new", comparison: ">", threshold: 5, forSeconds: 30, severity: "immediate", action: "rollback", mode: "automatic" });
    expect(saved.status).toBe(200);
    const raisedAt = Date.now();
    await lab.new.configure({ errorRate: 1 });
    // Pending first, with a countdown the room can show.
    await expect.poll(async () => (await traffic(request)).triggers.find((t: { id: string }) => t.id === saved.body.triggerId)?.state, { timeout: 20_000 }).toBe("pending");
    await expect.poll(async () => (await state(request)).trafficPercent, { timeout: 75_000, intervals: [1000] }).toBe(0);
    const tookS = (Date.now() - raisedAt) / 1000;
    expect(tookS).toBeGreaterThanOrEqual(30);
    const audit = await (await request.get(`/api/v1/cutovers/${cutoverId}/audit`, { headers: asAdmin })).json();
    const fired = audit.events.find((e: { action: string }) => e.action === "trigger.fired");
    expect(fired.actorName).toContain("Error rate (new) > 5 % for 30 s");
    const rolled = audit.events.find((e: { action: string }) => e.action === "rollback.split_verified");
    expect(rolled.actorName).toContain("trigger:");
    expect(rolled.after.triggerId).toBe(saved.body.triggerId);
    await lab.new.configure({ errorRate: 0 });
  });
});
