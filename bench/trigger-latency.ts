// How long after a trigger's condition has held for its `for` duration the automatic rollback is
// verified: target at most one poll interval. Real lab (HAProxy, Prometheus), poll every 1 s.
// Usage: npx tsx bench/trigger-latency.ts [--rounds 5] [--for 10]
import pg from "pg";
import { readFileSync } from "node:fs";
import { startLab } from "../scripts/lab/index";
import { labIntegrations, mergeIntoServerConfig } from "../scripts/lab/server-config";
import { BENCH_TOKEN, machine, percentile, startApp, numberArg } from "./support/app";

const ROUNDS = numberArg("rounds", 5);
const FOR = numberArg("for", 10);
const POLL_MS = 1000;
const auth = { Authorization: `Bearer ${BENCH_TOKEN}`, "content-type": "application/json" };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const app = await startApp({ dataDir: ".data/bench-trigger" });
const lab = await startLab({ dataDir: ".data/bench-trigger-lab", warRoomMetricsUrl: `${app.url}/metrics`, handleSignals: false });
await lab.startLoad({ rate: 200, durationS: 600 });
// The lab's HAProxy and Prometheus reach the app through its configuration file (read again on change).
mergeIntoServerConfig(".data/bench-trigger/warroom.config.json", labIntegrations(lab, "bench"));
await sleep(1500);
async function api(p: string, body?: unknown) {
  const res = await fetch(`${app.url}${p}`, body === undefined ? { headers: auth } : { method: "POST", headers: auth, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${p}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<Record<string, unknown>>;
}
const creds = JSON.parse(readFileSync(".data/bench-trigger/postgres/credentials.json", "utf8")) as { user: string; password: string };
const port = readFileSync(".data/bench-trigger/postgres/cluster/postmaster.pid", "utf8").split("\n")[3];
const sql = new pg.Client({ connectionString: `postgresql://${creds.user}:${encodeURIComponent(creds.password)}@127.0.0.1:${port}/warroom` });
await sql.connect();
const delays: number[] = [];
try {
  const { cutoverId } = (await api("/api/v1/cutovers", { name: "Trigger bench", systemFrom: "old", systemTo: "new", tZero: new Date().toISOString() })) as { cutoverId: string };
  await api("/api/v1/commands/router.set", { cutoverId, integration: "bench-haproxy" });
  await api("/api/v1/commands/metrics.settings", { cutoverId, prometheusSource: "bench-prometheus", pollIntervalMs: POLL_MS });
  const view = (await api(`/api/v1/cutovers/${cutoverId}/metrics`)) as { metrics: { id: string; name: string }[] };
  const metricId = view.metrics.find((m) => m.name === "Error rate")!.id;
  const { triggerId } = (await api("/api/v1/commands/trigger.save", { cutoverId, metricId, system: "new", comparison: ">", threshold: 5, forSeconds: FOR, severity: "immediate", action: "rollback", mode: "automatic" })) as { triggerId: string };
  for (let round = 0; round < ROUNDS; round++) {
    await lab.new.configure({ errorRate: 0 });
    await api(`/api/v1/cutovers/${cutoverId}/traffic/shift`, { toPercent: 50, override: true, note: "bench" });
    // Let the 30 s rate window forget the previous round's errors.
    await sleep(35_000);
    await lab.new.configure({ errorRate: 1 });
    for (let k = 0; k < 120; k++) {
      const r = await sql.query<{ percent: number }>("SELECT traffic_percent AS percent FROM cutovers WHERE id = $1", [cutoverId]);
      if (r.rows[0]!.percent === 0) break;
      await sleep(250);
    }
    const t = await sql.query<{ pending_since: Date; fired_at: Date }>("SELECT pending_since, fired_at FROM rollback_triggers WHERE id = $1", [triggerId]);
    const change = await sql.query<{ finished_at: Date }>("SELECT finished_at FROM traffic_changes WHERE cutover_id = $1 AND trigger_id = $2 AND state = 'verified' ORDER BY finished_at DESC LIMIT 1", [cutoverId, triggerId]);
    const heldUntil = t.rows[0]!.pending_since.getTime() + FOR * 1000;
    const delay = change.rows[0]!.finished_at.getTime() - heldUntil;
    delays.push(delay);
    console.error(`round ${round + 1}: rollback verified ${delay} ms after the condition had held ${FOR} s`);
    await sleep(1500);
  }
} finally {
  await sql.end();
  await lab.stop();
  await app.stop();
}
delays.sort((a, b) => a - b);
console.log(`## Trigger → automatic rollback (${new Date().toISOString().slice(0, 10)}, ${machine()}, poll ${POLL_MS} ms, for ${FOR} s, ${ROUNDS} rounds)`);
console.log(`verified after the condition had held for its duration: p50=${percentile(delays, 50)} ms p95=${percentile(delays, 95)} ms max=${delays.at(-1)} ms (target ≤ ${POLL_MS} ms)`);
