// Two app processes on one database behind HAProxy: a sign-off made through one reaches a browser
// on the other, each shows who is on the other, and when the process running the poller dies the
// other takes over within seconds and the triggers go on, firing once per episode.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type Browser, type Page } from "@playwright/test";
import pg from "pg";
import { mergeIntoServerConfig } from "../scripts/lab/server-config";
import { asAdmin, DEMO, E2E_BASE, e2eDatabaseUrl, signIn } from "./support/fixtures";
import { E2E_SERVER_CONFIG } from "./support/lab-integrations";
import { isJobsLeader, startBalancer, startReplica, webServerPid, type Balancer, type Replica } from "./support/replicas";

const A_PORT = Number(new URL(E2E_BASE).port);
const JOBS_LOCK = 724_001; // lib/server/main.ts

let b: Replica;
let balancer: Balancer;
let prometheus: Server;
// What the stand-in Prometheus answers for every query (the new system's error rate, among others).
let value = 5;
let cutoverId = "";
let triggerId = "";
let itemTitle = "";
let owner: pg.Client;
const pages: Page[] = [];

async function cmd(request: import("@playwright/test").APIRequestContext, name: string, data: unknown) {
  const res = await request.post(`/api/v1/commands/${name}`, { headers: asAdmin, data });
  expect(res.status(), `${name}: ${await res.text()}`).toBe(200);
  return res.json();
}

/** Signs in (on the app), then opens the room through HAProxy, pinned to one replica by HAProxy's cookie. */
async function openOn(browser: Browser, email: string, server: "a" | "b"): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  pages.push(page);
  await signIn(page, email);
  await context.addCookies([{ name: "WRSRV", value: server, url: balancer.url }]);
  await page.goto(`${balancer.url}/cutovers/${cutoverId}?tab=plan`);
  await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-status", "live");
  const served = await page.request.get(`${balancer.url}/health/liveness`);
  expect(served.headers()["x-served-by"]).toBe(server);
  return page;
}

const row = (page: Page, title: string) => page.getByTestId("checklist-item").filter({ has: page.getByTestId("item-title").getByText(title, { exact: true }) });
const firings = async () => (await owner.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_events WHERE action = 'trigger.fired' AND subject = $1", [`trigger:${triggerId}`])).rows[0]!.n;
const triggerState = async () => (await owner.query<{ state: string }>("SELECT state FROM rollback_triggers WHERE id = $1", [triggerId])).rows[0]!.state;

test.describe.serial("two replicas behind HAProxy", () => {
  test.beforeAll(async ({ request }) => {
    test.setTimeout(120_000);
    prometheus = createServer((_req, res) => {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ status: "success", data: { resultType: "vector", result: [{ metric: {}, value: [Date.now() / 1000, String(value)] }] } }));
    });
    await new Promise<void>((r) => prometheus.listen(0, "127.0.0.1", r));
    mergeIntoServerConfig(E2E_SERVER_CONFIG, [{ name: "replicas-prometheus", type: "prometheus", kind: "prometheus", config: { url: `http://127.0.0.1:${(prometheus.address() as AddressInfo).port}` } }]);

    b = await startReplica("replica b");
    balancer = await startBalancer({ a: A_PORT, b: b.port });
    owner = new pg.Client({ connectionString: e2eDatabaseUrl() });
    await owner.connect();

    const created = await request.post("/api/v1/cutovers", { headers: asAdmin, data: { name: `Replicas ${Date.now()}`, systemFrom: "old", systemTo: "new", tZero: new Date(Date.now() + 3600_000).toISOString() } });
    expect(created.status()).toBe(201);
    cutoverId = (await created.json()).cutoverId;
    await cmd(request, "member.add", { cutoverId, email: DEMO.qa, role: "QA_LEAD" });
    const { phaseId } = await cmd(request, "phase.add", { cutoverId, name: "Canary" });
    const { sectionId } = await cmd(request, "section.add", { cutoverId, phaseId, name: "Checks" });
    itemTitle = "Smoke tests pass on both replicas";
    await cmd(request, "item.add", { cutoverId, sectionId, title: itemTitle, ownerRole: "QA_LEAD" });

    const view = await (await request.get(`/api/v1/cutovers/${cutoverId}/metrics`, { headers: asAdmin })).json();
    const errorRate = view.metrics.find((m: { name: string }) => m.name === "Error rate");
    ({ triggerId } = await cmd(request, "trigger.save", { cutoverId, metricId: errorRate.id, system: "new", comparison: ">", threshold: 1, forSeconds: 0, severity: "immediate", action: "alert", mode: "recommend" }));
    // The app reads the operator's file again within a second: until then the source is unknown.
    await expect
      .poll(async () => (await request.post("/api/v1/commands/metrics.settings", { headers: asAdmin, data: { cutoverId, prometheusSource: "replicas-prometheus", pollIntervalMs: 1000 } })).status(), { timeout: 10_000 })
      .toBe(200);
  });

  test.afterAll(async ({ request }) => {
    // The cutover stops being polled: the stand-in Prometheus goes away with this spec.
    if (cutoverId) await request.post("/api/v1/commands/metrics.settings", { headers: asAdmin, data: { cutoverId, prometheusSource: null } });
    for (const page of pages) await page.context().close().catch(() => {});
    await owner?.end().catch(() => {});
    await balancer?.stop();
    await b?.child.stop(5000);
    await new Promise<void>((r) => (prometheus ? prometheus.close(() => r()) : r()));
  });

  test("a sign-off through replica A reaches a browser on replica B, and each shows who is on the other", async ({ browser }) => {
    const qa = await openOn(browser, DEMO.qa, "a");
    const lead = await openOn(browser, DEMO.lead, "b");
    await expect(qa.getByTestId("present-person").filter({ hasText: "Dana Lead" })).toContainText("Deployment Lead");
    await expect(lead.getByTestId("present-person").filter({ hasText: "Quinn QA" })).toContainText("QA Lead");

    await row(qa, itemTitle).getByRole("button", { name: `Sign off ${itemTitle}` }).click();
    await expect(row(qa, itemTitle).getByTestId("item-state")).toHaveText("Done");
    await expect(row(lead, itemTitle).getByTestId("item-state")).toHaveText("Done");
    await expect(row(lead, itemTitle).getByTestId("item-signed-by")).toContainText("Quinn QA");
  });

  test("when the replica running the poller dies, the other takes over in under 10 s and triggers fire once per episode", async () => {
    test.setTimeout(120_000);
    // The rule breaches from the first poll: one episode, one firing, whoever polls.
    await expect.poll(triggerState, { timeout: 15_000 }).toBe("firing");
    expect(await firings()).toBe(1);

    // The app started first, so it leads. It is frozen (SIGSTOP) and its lock connection cut, so
    // replica B wins the next election; thawed, it finds out and steps down. Until then it may
    // still finish a poll: two evaluators at once, the moment a takeover is made of.
    expect(await isJobsLeader(A_PORT)).toBe(true);
    const a = webServerPid([b.child.pid]);
    process.kill(a, "SIGSTOP");
    try {
      await owner.query("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND objid = $1 AND granted", [JOBS_LOCK]);
      await expect.poll(() => isJobsLeader(b.port), { timeout: 10_000 }).toBe(true);
    } finally {
      process.kill(a, "SIGCONT");
    }
    await expect.poll(() => isJobsLeader(A_PORT), { timeout: 10_000 }).toBe(false);
    // Still the same episode under the new leader: no second firing.
    expect(await triggerState()).toBe("firing");
    expect(await firings()).toBe(1);

    // The leader dies outright: no goodbye, its connections simply drop.
    b.child.proc.kill("SIGKILL");
    await b.child.exited;
    const killed = Date.now();
    await expect.poll(() => isJobsLeader(A_PORT), { timeout: 10_000, intervals: [100] }).toBe(true);
    console.log(`replica A leads ${Date.now() - killed} ms after replica B was killed`);

    // The triggers go on: the episode ends, and a new one fires once.
    value = 0;
    await expect.poll(triggerState, { timeout: 15_000 }).toBe("inactive");
    expect(await firings()).toBe(1);
    value = 5;
    await expect.poll(triggerState, { timeout: 15_000 }).toBe("firing");
    expect(await firings()).toBe(2);

    // The browser that was on B is back, through HAProxy, on A.
    const lead = pages[1]!;
    await expect(lead.getByTestId("live-indicator")).toHaveAttribute("data-status", "live", { timeout: 20_000 });
    expect((await lead.request.get(`${balancer.url}/health/liveness`)).headers()["x-served-by"]).toBe("a");
  });
});
