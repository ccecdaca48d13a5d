// Time from a sample being announced on the bus to each connected socket.io client receiving it,
// for 100 / 500 / 2,000 / 5,000 clients, beside a bare socket.io server broadcasting the same
// payload. Prints p50/p95/p99, delivered share, the server's RSS and CPU time per event.
//
// The clients live in a few child processes (bench/support/fanout-clients.ts), each a plain
// WebSocket speaking socket.io's wire protocol and reading only the `sentAt` of an event, so the
// measuring side stays cheap and parallel and the numbers are the servers'. Both targets are
// measured with the same clients, at the same time: for each size, n clients join the war room's
// cutover and n connect to the bare server, and the events alternate between the two (never
// overlapping), so that whatever else runs on the machine weighs on both alike.
//
// A latency is Date.now() in the client process minus the Date.now() this process put in the
// sample just before announcing it (NOTIFY for the war room, an HTTP POST for the bare server):
// the same machine clock read by two processes, at millisecond resolution.
// "server RSS" is the server process's resident set with all 2n clients connected, after the
// events; "CPU ms/event" is the server's user + system CPU time over the events phase (heartbeats
// included) divided by its events.
//
// Usage: npx tsx bench/socket-fanout.ts [--sizes 100,500,2000,5000] [--events 20] [--client-procs 1]
//        [--verbose] (slowest delivery of each event) [--server-args "--cpu-prof --cpu-prof-dir=.data/prof"] [--bare-args "…"]   (node flags for each server)
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
// One core is left to the server being measured: on this 2-core machine one client process kept up
// with 5,000 clients as well as two did (same p99 within the run-to-run spread) and four were worse.
const CLIENT_PROCS = Number(arg("client-procs", String(Math.max(1, Math.min(4, os.cpus().length - 1)))));
const SERVER_ARGS = arg("server-args", "").split(" ").filter(Boolean);
const BARE_ARGS = arg("bare-args", "").split(" ").filter(Boolean);
const GAP_MS = 200;
const VERBOSE = process.argv.includes("--verbose");

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

/** User + system CPU time of a process so far, in ms. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in USER_HZ (100)
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const payload = () => ({ sentAt: Date.now(), samples: Array.from({ length: 10 }, (_, i) => ({ m: `metric-${i}`, s: "new", v: Math.random() * 10, st: "ok" })) });

interface Target {
  name: string;
  pid: number;
  connect(n: number): Promise<void>;
  send(data: object): Promise<void>;
}

interface Row {
  target: string;
  clients: number;
  delivered: string;
  p50: number;
  p95: number;
  p99: number;
  rssMb: number;
  cpuMsPerEvent: number;
}

/** n clients on each target at once; events alternate between the targets. */
async function measure(n: number, targets: Target[]): Promise<Row[]> {
  for (const t of targets) await t.connect(n);
  await sleep(500);
  await clients.collect(); // nothing sent yet: forget anything stray
  const cpuBefore = targets.map((t) => cpuMs(t.pid));
  for (let e = 0; e < EVENTS; e++) {
    for (const t of targets) {
      await t.send(payload());
      await sleep(GAP_MS + n / 10);
    }
  }
  await sleep(1000);
  const cpu = targets.map((t, i) => cpuMs(t.pid) - cpuBefore[i]!);
  // Each server with every client connected and all events sent.
  const rss = targets.map((t) => rssMb(t.pid));
  const latencies = await clients.collect();
  await clients.close();
  return targets.map((t, i) => {
    const pairs = latencies[t.name] ?? [];
    const l = pairs.filter((_, j) => j % 2 === 1).sort((a, b) => a - b);
    if (VERBOSE) {
      // The slowest delivery of each event, in the order sent: one slow event, or all of them?
      const worst = new Map<number, number>();
      for (let j = 0; j < pairs.length; j += 2) worst.set(pairs[j]!, Math.max(worst.get(pairs[j]!) ?? 0, pairs[j + 1]!));
      console.error(`${t.name} ${n}: slowest delivery per event ${[...worst].sort((a, b) => a[0] - b[0]).map(([, w]) => w).join(" ")}`);
    }
    return { target: t.name, clients: n, delivered: `${((100 * l.length) / (n * EVENTS)).toFixed(1)} %`, p50: percentile(l, 50), p95: percentile(l, 95), p99: percentile(l, 99), rssMb: rss[i]!, cpuMsPerEvent: Math.round(cpu[i]! / EVENTS) };
  });
}

const rows: Row[] = [];
const clients = await FanoutClients.start(CLIENT_PROCS);
const app = await startApp({ dataDir: ".data/bench-socket", nodeArgs: SERVER_ARGS });
const bare = spawn(process.execPath, [...BARE_ARGS, "--import", "tsx", "bench/support/bare-socket-server.ts"], { stdio: ["ignore", "pipe", "inherit"] });
const barePort = await new Promise<number>((resolve) => bare.stdout!.on("data", (d: Buffer) => /LISTENING (\d+)/.test(d.toString()) && resolve(Number(/LISTENING (\d+)/.exec(d.toString())![1]))));
// Before any client: what the processes cost on their own.
await sleep(2000);
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
  const targets: Target[] = [
    {
      // The war room: a sample announced with NOTIFY, as the poller does, forwarded to the room.
      name: "war room",
      pid: app.child.pid!,
      connect: (n) => clients.connect("war room", app.url, n, cookie, cutoverId),
      send: async (data) => {
        await bus.query("SELECT pg_notify('warroom_events', $1)", [JSON.stringify({ type: "metrics.sampled", cutoverId, at: new Date().toISOString(), data })]);
      },
    },
    {
      name: "bare socket.io",
      pid: bare.pid!,
      connect: (n) => clients.connect("bare socket.io", `http://127.0.0.1:${barePort}`, n, null, null),
      send: async (data) => {
        await fetch(`http://127.0.0.1:${barePort}/emit`, { method: "POST", body: JSON.stringify({ type: "metrics.sampled", data }) });
      },
    },
  ];
  for (const n of SIZES) {
    for (const row of await measure(n, targets)) {
      rows.push(row);
      console.error(JSON.stringify(row));
    }
  }
  await bus.end();
} catch (err) {
  console.error("bench failed:", err);
} finally {
  clients.stop();
  bare.kill("SIGTERM");
  await app.stop();
}
console.log(`## Sample fan-out to socket.io clients (${new Date().toISOString().slice(0, 10)}, ${machine()}, ${EVENTS} events each, ${CLIENT_PROCS} client process(es))`);
console.log("| target | clients | delivered | p50 ms | p95 ms | p99 ms | server RSS MB | server CPU ms/event |");
console.log("|---|---|---|---|---|---|---|---|");
for (const r of rows) console.log(`| ${r.target} | ${r.clients} | ${r.delivered} | ${r.p50} | ${r.p95} | ${r.p99} | ${r.rssMb} | ${r.cpuMsPerEvent} |`);
console.log(`\nServer RSS before any client: war room ${idleRss.app} MB, bare socket.io ${idleRss.bare} MB.`);
for (const n of SIZES) {
  const [w, b] = [rows.find((r) => r.target === "war room" && r.clients === n), rows.find((r) => r.target === "bare socket.io" && r.clients === n)];
  if (w && b) console.log(`${n} clients: war room p99 ${(w.p99 / b.p99).toFixed(2)}× bare socket.io's (p50 ${(w.p50 / b.p50).toFixed(2)}×).`);
}
