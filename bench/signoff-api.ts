// Throughput of the sign-off API against a production build: items spread over several cutovers,
// every request a real state change (sign-off, then undo on the next round) or a 409.
// Target: ≥ 1,000 requests/s with p95 < 50 ms. Usage: npx tsx bench/signoff-api.ts [--seconds 15] [--connections 32] [--cpu-prof]
// 32 connections stand for a busy cutover's scripts and CI jobs at once; run it with
// --connections 10 (autocannon's default) as well. p95 comes from every request's latency.
import { readdirSync, readFileSync } from "node:fs";
import autocannon from "autocannon";
import { BENCH_TOKEN, machine, percentile, startApp, numberArg } from "./support/app";

const SECONDS = numberArg("seconds", 15);
const CONNECTIONS = numberArg("connections", 32);
const CUTOVERS = numberArg("cutovers", 10);
const ITEMS = numberArg("items", 100);
const auth = { Authorization: `Bearer ${BENCH_TOKEN}`, "content-type": "application/json" };

// --cpu-prof writes a CPU profile of the app process to .data/profiles when it stops.
const nodeArgs = process.argv.includes("--cpu-prof") ? ["--cpu-prof", "--cpu-prof-dir=.data/profiles"] : [];
const app = await startApp({ dataDir: ".data/bench-api", env: { WARROOM_DB_POOL: String(numberArg("pool", 20)) }, nodeArgs });
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
  // CPU seconds of the app process and of every PostgreSQL process, so that runs on a busy machine
  // can still be compared per request.
  const cpuOf = (pids: number[]) =>
    pids.reduce((sum, pid) => {
      try {
        const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
        return sum + (Number(f[11]) + Number(f[12])) / 100;
      } catch {
        return sum;
      }
    }, 0);
  const postgresPids = () => {
    const all = readdirSync("/proc").filter((d) => /^\d+$/.test(d)).map(Number);
    const read = (pid: number, file: string) => {
      try {
        return readFileSync(`/proc/${pid}/${file}`, "utf8");
      } catch {
        return "";
      }
    };
    const master = all.find((pid) => read(pid, "cmdline").includes(".data/bench-api/postgres"));
    return master === undefined ? [] : [master, ...all.filter((pid) => read(pid, "stat").split(") ")[1]?.split(" ")[1] === String(master))];
  };
  const pgPids = postgresPids();
  const sysOf = (pid: number) => Number(readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ")[12]) / 100;
  const cpu0 = { app: cpuOf([app.child.pid!]), pg: cpuOf(pgPids), appSys: sysOf(app.child.pid!) };
  let n = 0;
  const statuses: Record<string, number> = {};
  const latencies: number[] = [];
  const opts: autocannon.Options = {
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
  };
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const run = autocannon(opts, (err, res) => (err ? reject(err) : resolve(res)));
    run.on("response", (_client, _status, _bytes, ms) => latencies.push(ms));
  });
  latencies.sort((a, b) => a - b);
  const p = (q: number) => percentile(latencies, q).toFixed(1);
  console.log(`## Sign-off API throughput (${new Date().toISOString().slice(0, 10)}, ${machine()})`);
  console.log(`cutovers=${CUTOVERS} items=${urls.length} connections=${CONNECTIONS} duration=${SECONDS}s`);
  console.log(`requests/s: mean=${result.requests.average.toFixed(0)} total=${result.requests.total} statuses=${JSON.stringify(statuses)} errors=${result.errors} timeouts=${result.timeouts}`);
  const total = result.requests.total || 1;
  const pgAll = postgresPids();
  console.log(`cpu per request: app ${((1000 * (cpuOf([app.child.pid!]) - cpu0.app)) / total).toFixed(2)} ms (of which system ${((1000 * (sysOf(app.child.pid!) - cpu0.appSys)) / total).toFixed(2)} ms), postgres ${((1000 * (cpuOf(pgAll) - cpu0.pg)) / total).toFixed(2)} ms (${pgAll.length} processes)`);
  console.log(`latency ms (${latencies.length} responses): p50=${p(50)} p90=${p(90)} p95=${p(95)} p97.5=${p(97.5)} p99=${p(99)} max=${p(100)}`);
  console.log(`latency ms (autocannon): p50=${result.latency.p50} p90=${result.latency.p90} p97.5=${result.latency.p97_5} p99=${result.latency.p99} max=${result.latency.max}`);
} finally {
  await app.stop();
}
