// Readers of a public status page against a production build: a cutover with its page on and a
// few published updates, then autocannon on the page's HTML, its JSON and its Atom feed (no
// sign-in, no ETag: every response is a full 200 body from the in-memory snapshot), and the same
// HTML with If-None-Match (304s, what browsers and feed readers mostly send).
// Target: ≥ 1,000 requests/s with p95 < 50 ms. Localhost only, bounded.
// Usage: npx tsx bench/status-page.ts [--seconds 10] [--connections 50]
import autocannon from "autocannon";
import { BENCH_TOKEN, machine, numberArg, percentile, startApp } from "./support/app";

const SECONDS = numberArg("seconds", 10);
const CONNECTIONS = numberArg("connections", 50);
const auth = { Authorization: `Bearer ${BENCH_TOKEN}`, "content-type": "application/json" };

async function command(url: string, name: string, input: object): Promise<Record<string, unknown>> {
  const res = await fetch(`${url}/api/v1/commands/${name}`, { method: "POST", headers: auth, body: JSON.stringify(input) });
  if (!res.ok) throw new Error(`${name}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
}

const app = await startApp({ dataDir: ".data/bench-status" });
try {
  const created = await fetch(`${app.url}/api/v1/cutovers`, { method: "POST", headers: auth, body: JSON.stringify({ name: "Bench status page", systemFrom: "old", systemTo: "new", tZero: new Date().toISOString() }) });
  if (created.status !== 201) throw new Error(`create failed: ${created.status} ${await created.text()}`);
  const { cutoverId } = (await created.json()) as { cutoverId: string };
  const { slug } = (await command(app.url, "status.configure", { cutoverId, enabled: true, title: "Payments maintenance" })) as { slug: string };
  for (let i = 0; i < 5; i++) {
    await command(app.url, "status.publish", { cutoverId, body: `Update ${i + 1}: canary at ${10 * (i + 1)} %, error rate normal.`, health: i % 2 ? "operational" : "maintenance", figures: [{ label: "Error rate", value: "0.2 %" }] });
  }
  // The snapshot is rebuilt from the bus: wait until the page shows the last update.
  const page = `${app.url}/status/${slug}`;
  for (;;) {
    const r = await fetch(page);
    if (r.ok && (await r.text()).includes("Update 5:")) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const etag = (await fetch(page)).headers.get("etag")!;

  const rows: string[] = [];
  for (const [label, path, headers, expect] of [
    ["HTML", `/status/${slug}`, {}, 200],
    ["JSON", `/status/${slug}/status.json`, {}, 200],
    ["Atom", `/status/${slug}/feed.atom`, {}, 200],
    ["HTML with If-None-Match", `/status/${slug}`, { "if-none-match": etag }, 304],
  ] as const) {
    const latencies: number[] = [];
    const statuses: Record<number, number> = {};
    const result = await new Promise<autocannon.Result>((resolve, reject) => {
      const run = autocannon({ url: app.url + path, connections: CONNECTIONS, duration: SECONDS, headers: { ...headers } }, (err, res) => (err ? reject(err) : resolve(res)));
      run.on("response", (_client, status, _bytes, ms) => {
        latencies.push(ms);
        statuses[status] = (statuses[status] ?? 0) + 1;
      });
    });
    latencies.sort((a, b) => a - b);
    const p = (q: number) => `${percentile(latencies, q).toFixed(1)} ms`;
    const rate = result.requests.average;
    const met = rate >= 1000 && percentile(latencies, 95) < 50 ? "✓" : "✗";
    rows.push(`| ${label} | ${CONNECTIONS} | ${Math.round(rate).toLocaleString("en-GB")} | ${p(50)} | **${p(95)}** | ${p(99)} | ${(statuses[expect] ?? 0).toLocaleString("en-GB")} ${expect} of ${latencies.length.toLocaleString("en-GB")} | ${result.errors + result.timeouts} | ${met} |`);
  }
  console.log(`\n## Public status page readers (\`bench/status-page.ts\`)\n${machine()}; ${new Date().toISOString()}; ${SECONDS} s per row.\n`);
  console.log("| what | connections | requests/s | p50 | p95 | p99 | answers | errors | ≥ 1,000 req/s, p95 < 50 ms |");
  console.log("|---|---|---|---|---|---|---|---|---|");
  for (const r of rows) console.log(r);
} finally {
  await app.stop();
}
