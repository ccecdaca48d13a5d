// The lab end to end, on real HAProxy and Prometheus (Debian packages, installed when missing):
// weights set through the runtime socket split real traffic, injected errors reach Prometheus,
// a reload keeps runtime weights, and stop() leaves no port open.
import { rmSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isAlive, portAnswers, sleep } from "./demo-service";
import { runtimeCommand } from "./haproxy";
import { startLab, type Lab } from "./index";
import { shareOf, startLoad } from "./load";

const dataDir = path.resolve(`.data/lab-test-${process.pid}`);
let lab: Lab;

beforeAll(async () => {
  lab = await startLab({ dataDir, handleSignals: false });
}, 60_000);

afterAll(async () => {
  await lab?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function waitForValue(expr: string, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let last = 0;
  while (Date.now() < deadline) {
    const result = await lab.prometheus.query(expr);
    last = result.reduce((sum, s) => sum + s.value, 0);
    if (last > 0) return last;
    await sleep(250);
  }
  return last;
}

describe("lab", () => {
  it("demo services reject bad admin input with 400 and report their settings", async () => {
    const post = (body: string) => fetch(lab.new.adminUrl, { method: "POST", headers: { "content-type": "application/json" }, body });
    expect((await post(JSON.stringify({ errorRate: 2 }))).status).toBe(400);
    expect((await post(JSON.stringify({ latencyMs: -1 }))).status).toBe(400);
    expect((await post(JSON.stringify({ errorRate: "high" }))).status).toBe(400);
    expect((await post(JSON.stringify({ unknown: 1 }))).status).toBe(400);
    expect((await post("{not json")).status).toBe(400);
    const ok = await post(JSON.stringify({ latencyMs: 0 }));
    expect(ok.status).toBe(200);
    expect(await (await fetch(lab.new.adminUrl)).json()).toMatchObject({ service: "new", errorRate: 0, latencyMs: 0, dbErrorRate: 0 });
    const metrics = await (await fetch(lab.old.metricsUrl)).text();
    for (const name of ["demo_http_requests_total", "demo_http_request_duration_seconds_bucket", "demo_process_cpu_user_seconds_total", "demo_db_connections_in_use", "demo_db_connections_max", "demo_db_connection_errors_total"]) {
      expect(metrics).toContain(name);
    }
  });

  it("refuses load against anything but localhost", () => {
    expect(() => startLoad({ url: "http://example.com/", rate: 1 })).toThrow(/only 127.0.0.1/);
    expect(() => startLoad({ url: lab.haproxy.url, rate: 5000 })).toThrow(/rate/);
  });

  it("splits traffic by the runtime weights: 25 % to new", async () => {
    expect((await runtimeCommand(lab.haproxy.socketPath, "set weight be_app/new 25")).trim()).toBe("");
    expect((await runtimeCommand(lab.haproxy.socketPath, "set weight be_app/old 75")).trim()).toBe("");
    const since = Date.now();
    const load = await lab.startLoad({ rate: 200, durationS: 4 });
    const counts = await load.done;
    const answers = load.responses(since);
    const share = shareOf(answers, "new");
    console.log(`[lab.test] ${answers.length} answers, share of new ${(share * 100).toFixed(1)} %`, counts);
    expect(answers.length).toBeGreaterThan(600);
    expect(counts.errors).toBe(0);
    expect(share).toBeGreaterThanOrEqual(0.2);
    expect(share).toBeLessThanOrEqual(0.3);
  }, 20_000);

  it("errors injected in new show in the load counts and in Prometheus", async () => {
    await lab.new.configure({ errorRate: 1 });
    const load = await lab.startLoad({ rate: 200, durationS: 15 });
    try {
      const value = await waitForValue('sum(rate(demo_http_requests_total{service="new",code=~"5.."}[15s]))', 12_000);
      expect(load.counts().errors).toBeGreaterThan(0);
      expect(value).toBeGreaterThan(0);
      // Only new fails: every error came from it.
      const errors = load.responses().filter((r) => r.status >= 500);
      expect(errors.every((r) => r.servedBy === "new")).toBe(true);
    } finally {
      await load.stop();
      await lab.new.configure({ errorRate: 0 });
    }
    if (lab.haproxy.metricsUrl) {
      const up = await lab.prometheus.query('up{job="haproxy"}');
      expect(up[0]?.value).toBe(1);
    }
  }, 20_000);

  it("keeps the runtime weight across a reload", async () => {
    await lab.setNewPercent(25);
    const pidBefore = /^Pid: (\d+)$/m.exec(await runtimeCommand(lab.haproxy.socketPath, "show info"))?.[1];
    await lab.haproxy.reload();
    const pidAfter = /^Pid: (\d+)$/m.exec(await runtimeCommand(lab.haproxy.socketPath, "show info"))?.[1];
    expect(pidAfter).not.toBe(pidBefore);
    expect((await runtimeCommand(lab.haproxy.socketPath, "get weight be_app/new")).trim()).toMatch(/^25 /);
    expect((await runtimeCommand(lab.haproxy.socketPath, "get weight be_app/old")).trim()).toMatch(/^75 /);
  }, 15_000);

  it("Prometheus can be taken down and brought back on the same port", async () => {
    await lab.prometheus.stop();
    expect(lab.prometheus.isRunning()).toBe(false);
    expect(await portAnswers(lab.prometheus.port)).toBe(false);
    await lab.prometheus.start();
    expect((await fetch(`${lab.prometheus.url}/-/ready`)).ok).toBe(true);
  }, 20_000);

  it("stops everything: no port open, no child left", async () => {
    const ports = [lab.old.port, lab.new.port, lab.haproxy.port, lab.haproxy.statsPort, lab.prometheus.port];
    const pids = [lab.old.pid, lab.new.pid, lab.haproxy.pid];
    await lab.stop();
    for (const port of ports) expect(await portAnswers(port), `port ${port}`).toBe(false);
    for (const pid of pids) expect(isAlive(pid), `pid ${pid}`).toBe(false);
  }, 20_000);
});
