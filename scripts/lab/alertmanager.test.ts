// A real Prometheus rule through a real Alertmanager into the war room's endpoint: the lab's rule
// on the new demo service's injected error rate fires, Alertmanager posts it with the cutover's
// token to the route handler (served on a local HTTP server), the alert is stored and audited;
// the error rate goes back to 0 and the alert resolves. Plus the lab's configuration files.
import { rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST } from "@/app/api/v1/alertmanager/[cutoverId]/route";
import { db } from "@/lib/db/client";
import { dispatch } from "@/lib/services/commands";
import { createFixture, createTeam, useFreshDatabase, type Fixture } from "@/lib/testing/fixtures";
import { ensureSystemPackages } from "../ensure-system-packages";
import { LAB_ALERT_NAME, LAB_ALERT_RULES, renderAlertmanagerConfig, startAlertmanager, type AlertmanagerHandle } from "./alertmanager";
import { sleep, startDemoService, type DemoServiceHandle } from "./demo-service";
import { renderPrometheusConfig, startPrometheus, type PrometheusHandle } from "./prometheus";

const dataDir = path.resolve(`.data/alertmanager-test-${process.pid}`);
let f: Fixture;
let server: http.Server;
let demo: DemoServiceHandle;
let prometheus: PrometheusHandle;
let alertmanager: AlertmanagerHandle;
const statuses: number[] = [];

/** The Next route handler of the endpoint, behind a plain HTTP server (as the custom server would run it). */
function serveRoute(): Promise<string> {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      void (async () => {
        const url = new URL(req.url ?? "/", "http://127.0.0.1");
        const cutoverId = url.pathname.split("/").at(-1) ?? "";
        const headers = new Headers();
        for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
        headers.set("x-forwarded-for", "127.0.0.1");
        const answer = await POST(new Request(url, { method: req.method, headers, body: Buffer.concat(chunks) }), { params: Promise.resolve({ cutoverId }) });
        statuses.push(answer.status);
        res.writeHead(answer.status, { "content-type": "application/json" });
        res.end(await answer.text());
      })();
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what} (endpoint answered: ${statuses.join(", ") || "nothing"})`);
    await sleep(200);
  }
}

beforeAll(async () => {
  ensureSystemPackages(["prometheus", "alertmanager"]);
  await useFreshDatabase();
  const team = await createTeam();
  f = await createFixture(team, { state: "in_progress" });
  const { token } = await dispatch(team.DEPLOYMENT_LEAD, "alerts.token_create", { cutoverId: f.cutoverId });
  const base = await serveRoute();
  demo = await startDemoService({ name: "new", inProcess: true });
  alertmanager = await startAlertmanager({ dataDir, webhookUrl: `${base}/api/v1/alertmanager/${f.cutoverId}`, token });
  prometheus = await startPrometheus({ dataDir, targets: [{ job: "new", url: `127.0.0.1:${demo.port}` }], rules: LAB_ALERT_RULES, alertmanagers: [alertmanager.address] });
}, 90_000);

afterAll(async () => {
  await prometheus?.stop();
  await alertmanager?.stop();
  await demo?.stop();
  server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("Prometheus → Alertmanager → the war room", () => {
  it("the rule fires, the alert is stored once and audited; it resolves when the error rate drops", async () => {
    const stored = () => db().alert.findFirst({ where: { cutoverId: f.cutoverId, alertname: LAB_ALERT_NAME } });
    await demo.configure({ errorRate: 0.5 });
    await until("the alert to reach the war room", async () => (await stored())?.status === "firing");
    const firing = (await stored())!;
    expect(firing).toMatchObject({ severity: "critical", summary: "Error rate of new above 5 %" });
    expect(firing.description).toMatch(/50%/);
    // Alertmanager's internal links are not kept.
    expect(JSON.stringify(firing)).not.toMatch(/http:/);

    await demo.configure({ errorRate: 0 });
    await until("the alert to resolve", async () => (await stored())?.status === "resolved");
    const audit = await db().auditEvent.findMany({ where: { cutoverId: f.cutoverId, action: { in: ["alert.firing", "alert.resolved"] } }, orderBy: { at: "asc" } });
    expect(audit.map((a) => [a.action, a.actorName])).toEqual([
      ["alert.firing", "Alertmanager"],
      ["alert.resolved", "Alertmanager"],
    ]);
    expect(await db().alert.count({ where: { cutoverId: f.cutoverId } })).toBe(1);
    expect(statuses.every((s) => s === 200)).toBe(true);
  }, 120_000);

  it("configuration files: the receiver carries the token as a bearer credential; Prometheus loads the rule and the Alertmanager", () => {
    const yml = renderAlertmanagerConfig("http://127.0.0.1:3000/api/v1/alertmanager/x", "wram_abcdefghijk");
    expect(yml).toContain('credentials: "wram_abcdefghijk"');
    expect(yml).toContain("send_resolved: true");
    expect(() => renderAlertmanagerConfig("file:///etc/passwd", "wram_abcdefghijk")).toThrow();
    expect(() => renderAlertmanagerConfig("http://x/", "a b\nc: d")).toThrow();
    const prom = renderPrometheusConfig([{ job: "new", url: "127.0.0.1:1" }], "1s", { ruleFile: "/r.yml", alertmanagers: ["127.0.0.1:9093"] });
    expect(prom).toContain('rule_files:\n  - "/r.yml"');
    expect(prom).toContain('targets: ["127.0.0.1:9093"]');
  });
});
