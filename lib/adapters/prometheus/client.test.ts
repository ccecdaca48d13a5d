// Against a real Prometheus (Debian package, started by the lab's helper) and local stand-ins for
// the failure cases: unreachable, slow, not Prometheus.
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPrometheus, type PrometheusHandle } from "../../../scripts/lab/prometheus";
import { ensureSystemPackages } from "../../../scripts/ensure-system-packages";
import { addAllowListSource } from "@/lib/net/allow-list";
import { freePort } from "@/lib/server/free-port";
import { queryInstant, queryRange } from "./client";

let prom: PrometheusHandle;
let fake: Server;
let fakeUrl: string;
let closedPort: number;
let fakeConnections = 0;
let disallow: () => void = () => undefined;

beforeAll(async () => {
  // Prometheus and the stand-ins listen on 127.0.0.1: allow-listed, as the lab does.
  disallow = addAllowListSource(() => ["127.0.0.1"]);
  ensureSystemPackages(["prometheus"]);
  prom = await startPrometheus({ dataDir: ".data/test-prometheus-client", targets: [], scrapeInterval: "1s" });
  fake = createServer((req, res) => {
    if (req.url?.startsWith("/slow/")) return void setTimeout(() => res.end("{}"), 3000);
    if (req.url?.startsWith("/fake-error/")) {
      res.statusCode = 422;
      return res.end(JSON.stringify({ status: "error", errorType: "execution", error: "secret-looking internal detail" }));
    }
    if (req.url?.startsWith("/fake-parse/")) {
      res.statusCode = 400;
      return res.end(JSON.stringify({ status: "error", errorType: "weird\ntype", error: "parse error: but from a stranger" }));
    }
    res.setHeader("content-type", "text/html");
    res.end("<html>login</html>");
  });
  fake.on("connection", () => fakeConnections++);
  await new Promise<void>((r) => fake.listen(0, "127.0.0.1", r));
  const a = fake.address();
  fakeUrl = `http://127.0.0.1:${typeof a === "object" && a ? a.port : 0}`;
  // A port that was free a moment ago: nothing listens there.
  closedPort = await freePort();
}, 60_000);

afterAll(async () => {
  disallow();
  await prom?.stop();
  await new Promise<void>((r) => fake.close(() => r()));
});

describe("Prometheus client → samples", () => {
  it("a number is an ok sample", async () => {
    expect(await queryInstant({ url: prom.url }, "vector(4.5)")).toMatchObject({ status: "ok", value: 4.5 });
    expect(await queryInstant({ url: prom.url }, "scalar(vector(2))")).toMatchObject({ status: "ok", value: 2 });
  });
  it("an empty result is no data, not zero", async () => {
    expect(await queryInstant({ url: prom.url }, "no_such_metric_anywhere")).toMatchObject({ status: "no_data", reason: "the query returned no series" });
  });
  it("many series and Inf are errors, NaN (0 / 0: no traffic) is no data, each with a plain reason", async () => {
    expect(await queryInstant({ url: prom.url }, 'label_replace(vector(1), "a", "x", "", "") or label_replace(vector(2), "a", "y", "", "")')).toMatchObject({ status: "error", reason: expect.stringContaining("2 series") });
    expect(await queryInstant({ url: prom.url }, "vector(0) / 0")).toMatchObject({ status: "no_data", reason: expect.stringContaining("the query returned NaN") });
    expect(await queryInstant({ url: prom.url }, "vector(1) / 0")).toMatchObject({ status: "error", reason: "the query returned +Inf" });
  });
  it("a malformed query is Prometheus's own error", async () => {
    expect(await queryInstant({ url: prom.url }, "sum(")).toMatchObject({ status: "error", reason: expect.stringMatching(/^Prometheus: .*parse error/) });
  });
  it("unreachable, slow and non-Prometheus providers are errors, never exceptions", async () => {
    expect(await queryInstant({ url: `http://127.0.0.1:${closedPort}` }, "up")).toMatchObject({ status: "error", reason: "connection refused" });
    expect(await queryInstant({ url: `${fakeUrl}/slow/`, timeoutMs: 300 }, "up")).toMatchObject({ status: "error", reason: "timed out after 300 ms" });
    expect(await queryInstant({ url: fakeUrl }, "up")).toMatchObject({ status: "error", reason: "not a Prometheus API response (HTTP 200)" });
  });
  it("repeats nothing of an answer's body but Prometheus's own parse errors", async () => {
    expect(JSON.stringify(await queryInstant({ url: fakeUrl }, "up"))).not.toContain("login");
    expect(await queryInstant({ url: `${fakeUrl}/fake-error/` }, "up")).toMatchObject({ status: "error", reason: "Prometheus: execution" });
    expect(await queryInstant({ url: `${fakeUrl}/fake-parse/` }, "up")).toMatchObject({ status: "error", reason: "Prometheus: error" });
    expect(await queryRange({ url: `${fakeUrl}/fake-error/` }, "up", Date.now() - 60_000, Date.now(), 10)).toMatchObject({ error: "Prometheus: execution" });
  });
  it("without the allow-list, a local Prometheus is refused and never contacted", async () => {
    disallow();
    try {
      fakeConnections = 0;
      expect(await queryInstant({ url: fakeUrl }, "up")).toMatchObject({ status: "error", reason: "refused: 127.0.0.1 is a loopback address (ask an administrator to allow-list the host)" });
      expect(await queryRange({ url: fakeUrl.replace("127.0.0.1", "localhost") }, "up", Date.now() - 60_000, Date.now(), 10)).toMatchObject({ samples: [], error: expect.stringMatching(/^refused: .* is a loopback address/) });
      expect(await queryInstant({ url: "http://169.254.169.254/" }, "up")).toMatchObject({ status: "error", reason: expect.stringContaining("the cloud metadata address") });
      expect(fakeConnections).toBe(0);
    } finally {
      disallow = addAllowListSource(() => ["127.0.0.1"]);
    }
  });
  it("range queries backfill", async () => {
    const now = Date.now();
    const r = await queryRange({ url: prom.url }, "vector(7)", now - 60_000, now, 10);
    expect(r.error).toBeNull();
    expect(r.samples.length).toBeGreaterThanOrEqual(6);
    expect(r.samples.every((s) => s.status === "ok" && s.value === 7)).toBe(true);
  });
});
