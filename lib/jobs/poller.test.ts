// The poller against a real PostgreSQL and a stand-in Prometheus: evaluations happen on a fixed
// grid, so a trigger's `for` is measured between grid times and a late timer cannot cost it an
// extra interval.
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { useFreshDatabase } from "@/lib/testing/fixtures";
import { defineFileIntegrations } from "@/lib/testing/server-config";
import { startPoller } from "./poller";

let prometheus: Server;
const asked: number[] = [];

beforeAll(async () => {
  // The stand-in Prometheus is local: allow-listed by the operator's variable (children inherit it).
  process.env.WARROOM_OUTBOUND_ALLOW = "127.0.0.1";
  await useFreshDatabase();
  prometheus = createServer((req, res) => {
    const time = new URL(req.url ?? "/", "http://x").searchParams.get("time");
    if (time) asked.push(Math.round(Number(time) * 1000));
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ status: "success", data: { resultType: "vector", result: [{ metric: {}, value: [Number(time ?? Date.now() / 1000), "42"] }] } }));
  });
  await new Promise<void>((r) => prometheus.listen(0, "127.0.0.1", r));
  const a = prometheus.address();
  defineFileIntegrations({ name: "stand-in", type: "prometheus", kind: "prometheus", config: { url: `http://127.0.0.1:${typeof a === "object" && a ? a.port : 0}` } });
  const c = await db().cutover.create({ data: { name: "Polled", systemFrom: "a", systemTo: "b", tZero: new Date(), state: "in_progress", prometheusSource: "stand-in", pollIntervalMs: 1000 } });
  await db().metricDefinition.create({ data: { cutoverId: c.id, name: "Error rate", unit: "%", queryOld: "up", queryNew: "up" } });
});

afterAll(async () => {
  await new Promise<void>((r) => prometheus.close(() => r()));
});

describe("poller", () => {
  it("evaluates at grid times exactly one interval apart, queries Prometheus at those times and stores the samples with them", async () => {
    const evaluations: number[] = [];
    let enough!: () => void;
    const done = new Promise<void>((r) => (enough = r));
    const stop = startPoller({
      log: () => undefined,
      onSamples: async (_id, samples, at) => {
        expect(samples.every((s) => s.sample.at === at)).toBe(true);
        evaluations.push(at);
        if (evaluations.length === 4) enough();
      },
    });
    await done;
    await stop();
    const gaps = evaluations.slice(1).map((at, i) => at - evaluations[i]!);
    expect(gaps).toEqual([1000, 1000, 1000]);
    for (const at of evaluations) expect(asked).toContain(at);
    const stored = await db().metricSample.findMany({ select: { at: true }, distinct: ["at"], orderBy: { at: "asc" } });
    expect(stored.map((s) => s.at.getTime()).slice(0, 4)).toEqual(evaluations);
  }, 30_000);
});
