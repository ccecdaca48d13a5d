// Two processes on one database: exactly one polls; when it is killed the other takes over.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { useFreshDatabase } from "@/lib/testing/fixtures";

let url: string;
let prometheus: Server;
let prometheusUrl: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  // The stand-in Prometheus is local: allow-listed by the operator's variable (children inherit it).
  process.env.WARROOM_OUTBOUND_ALLOW = "127.0.0.1";
  url = await useFreshDatabase();
  // A stand-in Prometheus answering every instant query with 42.
  prometheus = createServer((req, res) => {
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ status: "success", data: { resultType: "vector", result: [{ metric: {}, value: [Date.now() / 1000, "42"] }] } }));
  });
  await new Promise<void>((r) => prometheus.listen(0, "127.0.0.1", r));
  const a = prometheus.address();
  prometheusUrl = `http://127.0.0.1:${typeof a === "object" && a ? a.port : 0}`;
  // The server-wide default source: the child processes inherit it, as servers read it from their environment.
  process.env.PROMETHEUS_URL = prometheusUrl;
  const c = await db().cutover.create({ data: { name: "Polled", systemFrom: "a", systemTo: "b", tZero: new Date(), state: "in_progress", pollIntervalMs: 1000 } });
  await db().metricDefinition.create({ data: { cutoverId: c.id, name: "Error rate", unit: "%", queryOld: "up", queryNew: "up" } });
});

afterAll(async () => {
  children.forEach((c) => c.exitCode === null && c.kill("SIGKILL"));
  await new Promise<void>((r) => prometheus.close(() => r()));
});

function startProcess(name: string) {
  const child = spawn(process.execPath, ["--import", "tsx", "lib/jobs/poller-process.fixture.ts"], { env: { ...process.env, DATABASE_URL: url, LOCK_KEY: "991" } });
  const state = { name, child, leaderAt: 0, output: "" };
  child.stdout.on("data", (d: Buffer) => {
    state.output += d.toString();
    if (!state.leaderAt && state.output.includes("LEADER")) state.leaderAt = Date.now();
  });
  child.stderr.on("data", (d: Buffer) => (state.output += d.toString()));
  children.push(child);
  return state;
}

async function until(pred: () => boolean | Promise<boolean>, ms: number) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await pred()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

describe("the poller runs on exactly one process", () => {
  it("one process leads and polls; the other takes over within 10 s of the leader's death", async () => {
    const a = startProcess("a");
    expect(await until(() => a.leaderAt > 0, 20_000)).toBe(true);
    const b = startProcess("b");
    // b is up and trying, but a holds the lock.
    await new Promise((r) => setTimeout(r, 5000));
    expect(b.leaderAt).toBe(0);
    expect(await db().metricSample.count()).toBeGreaterThan(0);
    // Samples arrive at the cutover's interval from one poller, not two (one per system per poll).
    const t0 = new Date();
    await new Promise((r) => setTimeout(r, 4000));
    const perSecond = (await db().metricSample.count({ where: { at: { gte: t0 } } })) / 4;
    expect(perSecond).toBeGreaterThan(1);
    expect(perSecond).toBeLessThanOrEqual(2.6);

    const killedAt = Date.now();
    a.child.kill("SIGKILL");
    expect(await until(() => b.leaderAt > 0, 10_000)).toBe(true);
    expect(b.leaderAt - killedAt).toBeLessThan(10_000);
    const after = new Date();
    expect(await until(async () => (await db().metricSample.count({ where: { at: { gt: after }, value: 42 } })) > 0, 5000)).toBe(true);
  }, 60_000);
});
