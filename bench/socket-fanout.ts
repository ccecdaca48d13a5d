// Time from a sample being announced on the bus to each connected socket.io client receiving it,
// for 100 / 500 / 2,000 / 5,000 clients, beside a bare socket.io server broadcasting the same
// payload. Prints p50/p95/p99, delivered share and the server's RSS.
//
// The clients live in a few child processes (bench/support/fanout-clients.ts), each a plain
// WebSocket speaking socket.io's wire protocol and reading only the `sentAt` of an event, so the
// measuring side stays cheap and parallel and the numbers are the servers'. Both targets are
// measured with the same clients. A latency is Date.now() in the client process minus the
// Date.now() this process put in the sample just before announcing it: the same machine clock,
// read by two processes (millisecond resolution).
//
// Usage: npx tsx bench/socket-fanout.ts [--sizes 100,500,2000,5000] [--events 20] [--client-procs 2]
//        [--server-args "--cpu-prof --cpu-prof-dir=.data/prof"] [--bare-args "…"]   (node flags for each server)
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";
import pg from "pg";
import { BENCH_TOKEN, machine, percentile, sessionCookie, startApp } from "./support/app";
import { FanoutClients } from "./support/fanout-clients";

const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : def;
};
const SIZES = arg("sizes", "100,500,2000,5000").split(",").map(Number);
const EVENTS = Number(arg("events", "20"));
const CLIENT_PROCS = Number(arg("client-procs", String(Math.min(4, os.cpus().length))));
const SERVER_ARGS = arg("server-args", "").split(" ").filter(Boolean);
const BARE_ARGS = arg("bare-args", "").split(" ").filter(Boolean);
const GAP_MS = 400;

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

interface Row {
  target: string;
  clients: number;
  delivered: string;
  p50: number;
  p95: number;
  p99: number;
  rssMb: number;
}

async function measure(target: string, n: number, connect: () => Promise<void>, send: (payload: object) => Promise<void>, pid: number): Promise<Row> {
  await connect();
  await new Promise((r) => setTimeout(r, 500));
  await clients.collect(); // nothing sent yet: forget anything stray
  for (let e = 0; e < EVENTS; e++) {
    await send({ sentAt: Date.now(), samples: Array.from({ length: 10 }, (_, i) => ({ m: `metric-${i}`, s: "new", v: Math.random() * 10, st: "ok" })) });
    await new Promise((r) => setTimeout(r, GAP_MS + n / 10));
  }
  await new Promise((r) => setTimeout(r, 1000));
  // The server with every client connected and all events sent.
  const rss = rssMb(pid);
  const latencies = await clients.collect();
  await clients.close();
  latencies.sort((a, b) => a - b);
  return { target, clients: n, delivered: `${((100 * latencies.length) / (n * EVENTS)).toFixed(1)} %`, p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99), rssMb: rss };
}

const rows: Row[] = [];
const clients = await FanoutClients.start(CLIENT_PROCS);
const app = await startApp({ dataDir: ".data/bench-socket", nodeArgs: SERVER_ARGS });
const bare = spawn(process.execPath, [...BARE_ARGS, "--import", "tsx", "bench/support/bare-socket-server.ts"], { stdio: ["ignore", "pipe", "inherit"] });
const barePort = await new Promise<number>((resolve) => bare.stdout!.on("data", (d: Buffer) => /LISTENING (\d+)/.test(d.toString()) && resolve(Number(/LISTENING (\d+)/.exec(d.toString())![1]))));
// Before any client: what the processes cost on their own.
await new Promise((r) => setTimeout(r, 2000));
const idleRss = { app: rssMb(app.child.pid!), bare: rssMb(bare.pid!) };
console.error(JSON.stringify({ idleRssMb: idleRss }));
try {
  const auth = { Authorization: `Bearer ${BENCH_TOKEN}` };
  const cutoverId = ((await (await fetch(`${app.url}/api/v1/cutovers`, { headers: auth })).json()) as { cutovers: { id: string }[] }).cutovers[0]!.id;
  const cookie = await sessionCookie(app.url, "observer@demo.warroom");
  const creds = JSON.parse(readFileSync(".data/bench-socket/postgres/credentials.json", "utf8")) as { user: string; password: string };
  const port = readFileSync(".data/bench-socket/postgres/cluster/postmaster.pid", "utf8").split("\n")[3];
  const bus = new pg.Client({ connectionString: `postgresql://${creds.user}:${encodeURIComponent(creds.password)}@127.0.0.1:${port}/warroom` });
  bus.on("error", () => {});
  await bus.connect();
  for (const n of SIZES) {
    // The war room: a sample announced with NOTIFY, as the poller does, forwarded to the room.
    rows.push(
      await measure("war room", n, () => clients.connect(app.url, n, cookie, cutoverId), async (data) => {
        await bus.query("SELECT pg_notify('warroom_events', $1)", [JSON.stringify({ type: "metrics.sampled", cutoverId, at: new Date().toISOString(), data })]);
      }, app.child.pid!),
    );
    console.error(JSON.stringify(rows.at(-1)));
    rows.push(
      await measure("bare socket.io", n, () => clients.connect(`http://127.0.0.1:${barePort}`, n, null, null), async (data) => {
        await fetch(`http://127.0.0.1:${barePort}/emit`, { method: "POST", body: JSON.stringify({ type: "metrics.sampled", data }) });
      }, bare.pid!),
    );
    console.error(JSON.stringify(rows.at(-1)));
  }
  await bus.end();
} catch (err) {
  console.error("bench failed:", err);
} finally {
  clients.stop();
  bare.kill("SIGTERM");
  await app.stop();
}
console.log(`## Sample fan-out to socket.io clients (${new Date().toISOString().slice(0, 10)}, ${machine()}, ${EVENTS} events each, clients in ${CLIENT_PROCS} processes)`);
console.log("| target | clients | delivered | p50 ms | p95 ms | p99 ms | server RSS MB |");
console.log("|---|---|---|---|---|---|---|");
for (const r of rows) console.log(`| ${r.target} | ${r.clients} | ${r.delivered} | ${r.p50} | ${r.p95} | ${r.p99} | ${r.rssMb} |`);
console.log(`\nServer RSS before any client: war room ${idleRss.app} MB, bare socket.io ${idleRss.bare} MB.`);
