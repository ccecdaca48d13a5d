// Throughput of the sign-off API against a production build: items spread over several cutovers,
// every request a real state change (sign-off, then undo on the next round) or a 409.
// Target: ≥ 1,000 requests/s with p95 < 50 ms. Usage: npx tsx bench/signoff-api.ts [--seconds 15] [--connections 32]
import autocannon from "autocannon";
import { BENCH_TOKEN, machine, startApp, numberArg } from "./support/app";

const SECONDS = numberArg("seconds", 15);
const CONNECTIONS = numberArg("connections", 32);
const CUTOVERS = numberArg("cutovers", 10);
const ITEMS = numberArg("items", 100);
const auth = { Authorization: `Bearer ${BENCH_TOKEN}`, "content-type": "application/json" };

const app = await startApp({ dataDir: ".data/bench-api", env: { WARROOM_DB_POOL: "20" } });
try {
  const urls: string[] = [];
  for (let c = 0; c < CUTOVERS; c++) {
    const runbook = `# Bench ${c}\n\n## Cutover\n\n### Steps\n\n${Array.from({ length: ITEMS }, (_, i) => `- [ ] Step ${i + 1}`).join("\n")}\n`;
    const res = await fetch(`${app.url}/api/v1/cutovers`, { method: "POST", headers: auth, body: JSON.stringify({ name: `Bench ${c}`, systemFrom: "old", systemTo: "new", tZero: new Date().toISOString(), runbook }) });
    if (res.status !== 201) throw new Error(`create failed: ${res.status} ${await res.text()}`);
    const { cutoverId } = (await res.json()) as { cutoverId: string };
    const state = (await (await fetch(`${app.url}/api/v1/cutovers/${cutoverId}`, { headers: auth })).json()) as { phases: { sections: { items: { id: string; ownerRole: string }[] }[] }[] };
    for (const item of state.phases.flatMap((p) => p.sections.flatMap((s) => s.items))) {
      if (item.ownerRole !== "DEPLOYMENT_LEAD") throw new Error(`unexpected owner ${item.ownerRole}`);
      urls.push(`/api/v1/cutovers/${cutoverId}/items/${item.id}`);
    }
  }
  let n = 0;
  const statuses: Record<string, number> = {};
  const result = await autocannon({
    url: app.url,
    connections: CONNECTIONS,
    duration: SECONDS,
    method: "POST",
    headers: auth,
    requests: [
      {
        setupRequest: (req) => {
          const i = n++;
          const round = Math.floor(i / urls.length);
          const path = urls[i % urls.length]!;
          return round % 2 === 0 ? { ...req, path: `${path}/signoff`, body: "{}" } : { ...req, path: `${path}/undo`, body: JSON.stringify({ reason: "bench" }) };
        },
        onResponse: (status) => {
          statuses[status] = (statuses[status] ?? 0) + 1;
        },
      },
    ],
  });
  console.log(`## Sign-off API throughput (${new Date().toISOString().slice(0, 10)}, ${machine()})`);
  console.log(`cutovers=${CUTOVERS} items=${urls.length} connections=${CONNECTIONS} duration=${SECONDS}s`);
  console.log(`requests/s: mean=${result.requests.average.toFixed(0)} total=${result.requests.total} statuses=${JSON.stringify(statuses)} errors=${result.errors} timeouts=${result.timeouts}`);
  console.log(`latency ms: p50=${result.latency.p50} p90=${result.latency.p90} p97.5=${result.latency.p97_5} p99=${result.latency.p99} max=${result.latency.max}`);
} finally {
  await app.stop();
}
