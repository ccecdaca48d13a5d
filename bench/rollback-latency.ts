// Rollback request → no more requests reaching new, seen by the lab's load generator, for the
// HAProxy and nginx routers through the app, and in the same run the bare floor (the same change
// sent straight to HAProxy's runtime socket / a bare nginx reload). Also the time until the app
// answered (split verified and recorded). Usage: npx tsx bench/rollback-latency.ts [--rounds 20] [--rate 1500]
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startLab } from "../scripts/lab/index";
import { runtimeCommand } from "../scripts/lab/haproxy";
import { labIntegrations, mergeIntoServerConfig } from "../scripts/lab/server-config";
import { startLoad, type LoadHandle } from "../scripts/lab/load";
import { renderUpstream } from "../lib/adapters/traffic/nginx";
import { NginxRouterConfigSchema } from "../lib/adapters/traffic/config";
import { BENCH_TOKEN, freePort, machine, percentile, startApp, numberArg } from "./support/app";

const ROUNDS = numberArg("rounds", 20);
const RATE = numberArg("rate", 1500);
const auth = { Authorization: `Bearer ${BENCH_TOKEN}`, "content-type": "application/json" };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const lab = await startLab({ dataDir: ".data/bench-lab", handleSignals: false });
const app = await startApp({ dataDir: ".data/bench-rollback" });

// nginx in front of the same two services.
const ndir = path.resolve(".data/bench-nginx");
rmSync(ndir, { recursive: true, force: true });
mkdirSync(path.join(ndir, "tmp"), { recursive: true });
const nginxPort = await freePort();
// statusListen: the app reads the split back from nginx; the bare reload writes the same file.
const nginxConfig = NginxRouterConfigSchema.parse({ kind: "nginx", upstreamFile: path.join(ndir, "upstream.conf"), upstreamName: "app", oldServer: `127.0.0.1:${lab.old.port}`, newServer: `127.0.0.1:${lab.new.port}`, configFile: path.join(ndir, "nginx.conf"), pidFile: path.join(ndir, "nginx.pid"), statusListen: `127.0.0.1:${await freePort()}` });
const t = path.join(ndir, "tmp");
writeFileSync(
  path.join(ndir, "nginx.conf"),
  `daemon off;\nmaster_process on;\nworker_processes 2;\nuser ${os.userInfo().username};\npid ${ndir}/nginx.pid;\nerror_log ${ndir}/error.log notice;\nevents { worker_connections 1024; }\nhttp {\n  access_log off;\n  client_body_temp_path ${t}/body; proxy_temp_path ${t}/proxy; fastcgi_temp_path ${t}/fastcgi; uwsgi_temp_path ${t}/uwsgi; scgi_temp_path ${t}/scgi;\n  include ${ndir}/upstream.conf;\n  server { listen 127.0.0.1:${nginxPort}; location / { proxy_pass http://app; } }\n}\n`,
);
writeFileSync(nginxConfig.upstreamFile, renderUpstream(nginxConfig, 0));
const nginx: ChildProcess = spawn("nginx", ["-c", path.join(ndir, "nginx.conf"), "-e", path.join(ndir, "error.log")], { stdio: "ignore" });
await sleep(500);

async function api(pathname: string, body: unknown) {
  const res = await fetch(`${app.url}${pathname}`, { method: "POST", headers: auth, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${pathname}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<Record<string, unknown>>;
}

// Both routers name server paths: they reach the app through its configuration file (read again on change).
mergeIntoServerConfig(".data/bench-rollback/warroom.config.json", [
  labIntegrations(lab, "bench")[0]!,
  { name: "bench-nginx", type: "router", kind: "nginx", config: nginxConfig },
]);
await sleep(1500);

async function cutoverFor(integration: string) {
  const { cutoverId } = (await api("/api/v1/cutovers", { name: `Bench ${Date.now()}`, systemFrom: "old", systemTo: "new", tZero: new Date().toISOString() })) as { cutoverId: string };
  await api("/api/v1/commands/router.set", { cutoverId, integration });
  return cutoverId;
}

/** Time from `click` to the last answer served by new (0 when none arrived after the click). */
function movedAfter(load: LoadHandle, click: number): number {
  const lastNew = load.responses(click).filter((r) => r.servedBy === "new").at(-1);
  return lastNew ? lastNew.at - click : 0;
}

async function nginxBareSet(percent: number) {
  writeFileSync(nginxConfig.upstreamFile, renderUpstream(nginxConfig, percent));
  const pid = Number(readFileSync(nginxConfig.pidFile!, "utf8").trim());
  process.kill(pid, "SIGHUP");
}

interface Series {
  label: string;
  moved: number[];
  recorded: number[];
}

/** One rollback through the app: shift to 50 %, then POST /rollback; recorded = until it answered. */
async function appRound(s: Series, load: LoadHandle, cutoverId: string, settleMs: number) {
  await api(`/api/v1/cutovers/${cutoverId}/traffic/shift`, { toPercent: 50, override: true, note: "bench" });
  await sleep(settleMs);
  const click = Date.now();
  await api(`/api/v1/cutovers/${cutoverId}/rollback`, { reason: "bench" });
  s.recorded.push(Date.now() - click);
  await sleep(settleMs);
  s.moved.push(movedAfter(load, click));
  // The hooks run after the split; wait until the rollback is closed before the next round.
  for (let k = 0; k < 50; k++) {
    const v = (await (await fetch(`${app.url}/api/v1/cutovers/${cutoverId}/traffic`, { headers: auth })).json()) as { rollbacks: { state: string }[] };
    if (v.rollbacks[0]?.state !== "running") break;
    await sleep(20);
  }
}

/** The same change without the app: straight to the router. */
async function bareRound(s: Series, load: LoadHandle, set: (p: number) => Promise<void>, settleMs: number) {
  await set(50);
  await sleep(settleMs);
  const click = Date.now();
  await set(0);
  await sleep(settleMs);
  s.moved.push(movedAfter(load, click));
}

/**
 * Bare and app rounds alternate under one load generator, so both see the same machine: on a
 * shared machine whose load changes by the minute, two blocks run one after the other would
 * compare two different machines.
 */
async function compare(router: string, loadUrl: string, cutoverId: string, set: (p: number) => Promise<void>, settleMs: number): Promise<Series[]> {
  const load = startLoad({ rate: RATE, durationS: 600, url: loadUrl });
  const bare: Series = { label: `${router} bare ${router === "HAProxy" ? "socket" : "reload"}`, moved: [], recorded: [] };
  const viaApp: Series = { label: `${router} through the app`, moved: [], recorded: [] };
  try {
    for (let i = 0; i < ROUNDS; i++) {
      if (i % 2 === 0) {
        await bareRound(bare, load, set, settleMs);
        await appRound(viaApp, load, cutoverId, settleMs);
      } else {
        await appRound(viaApp, load, cutoverId, settleMs);
        await bareRound(bare, load, set, settleMs);
      }
    }
  } finally {
    await load.stop();
  }
  return [bare, viaApp];
}

const results: Series[] = [];
try {
  const hapCutover = await cutoverFor("bench-haproxy");
  results.push(...(await compare("HAProxy", lab.haproxy.url, hapCutover, (p) => runtimeCommand(lab.haproxy.socketPath, `set weight be_app/new ${p}; set weight be_app/old ${100 - p}`).then(() => {}), 300)));
  const nginxCutover = await cutoverFor("bench-nginx");
  results.push(...(await compare("nginx", `http://127.0.0.1:${nginxPort}`, nginxCutover, nginxBareSet, 700)));
} finally {
  nginx.kill("SIGTERM");
  await app.stop();
  await lab.stop();
}
const fmt = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return xs.length ? `${percentile(s, 50)} / ${percentile(s, 95)}` : "–";
};
console.log(`## Rollback latency (${new Date().toISOString().slice(0, 10)}, ${machine()}, ${ROUNDS} rollbacks each, bare and app rounds alternating, load ${RATE} req/s)`);
console.log("| path | to traffic moved p50 / p95 ms | to verified and recorded p50 / p95 ms |");
console.log("|---|---|---|");
for (const r of results) console.log(`| ${r.label} | ${fmt(r.moved)} | ${fmt(r.recorded)} |`);
const ratio = (p: number, a: number[], b: number[]) => (percentile([...a].sort((x, y) => x - y), p) / Math.max(1, percentile([...b].sort((x, y) => x - y), p))).toFixed(2);
const [, , nb, na] = results;
if (nb && na) console.log(`nginx through the app / bare reload, to traffic moved: p50 ${ratio(50, na.moved, nb.moved)}×, p95 ${ratio(95, na.moved, nb.moved)}× (target ≤ 1.2×)`);
