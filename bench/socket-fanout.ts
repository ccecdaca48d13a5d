// Time from a sample being announced on the bus to each connected socket.io client receiving it,
// for 100 / 500 / 2,000 / 5,000 clients, beside a bare socket.io server broadcasting the same
// payload. Prints p50/p95/p99, delivered share and the server's RSS.
// Usage: npx tsx bench/socket-fanout.ts [--sizes 100,500,2000,5000] [--events 20]
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import pg from "pg";
import { io, type Socket } from "socket.io-client";
import { BENCH_TOKEN, machine, percentile, sessionCookie, startApp } from "./support/app";

const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : def;
};
const SIZES = arg("sizes", "100,500,2000,5000").split(",").map(Number);
const EVENTS = Number(arg("events", "20"));
const GAP_MS = 400;

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

async function connectAll(url: string, n: number, cookie: string | null, cutoverId: string | null, onEvent: (sentAt: number) => void): Promise<Socket[]> {
  const sockets: Socket[] = [];
  const batch = 100;
  for (let i = 0; i < n; i += batch) {
    await Promise.all(
      Array.from({ length: Math.min(batch, n - i) }, async () => {
        const s = io(url, { path: "/socket.io", transports: ["websocket"], forceNew: true, reconnection: false, extraHeaders: cookie ? { cookie } : {} });
        await new Promise<void>((resolve, reject) => {
          s.once("connect_error", reject);
          s.once("connect", () => (cutoverId ? s.emit("join", { cutoverId }, (r: { ok: boolean }) => (r.ok ? resolve() : reject(new Error("join refused")))) : resolve()));
        });
        s.on("event", (e: { data?: { sentAt?: number } }) => {
          if (e.data?.sentAt) onEvent(e.data.sentAt);
        });
        sockets.push(s);
      }),
    );
  }
  return sockets;
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

async function measure(target: string, n: number, connect: (onEvent: (sentAt: number) => void) => Promise<Socket[]>, send: (payload: object) => Promise<void>, pid: number): Promise<Row> {
  const latencies: number[] = [];
  const sockets = await connect((sentAt) => latencies.push(Date.now() - sentAt));
  await new Promise((r) => setTimeout(r, 500));
  for (let e = 0; e < EVENTS; e++) {
    await send({ sentAt: Date.now(), samples: Array.from({ length: 10 }, (_, i) => ({ m: `metric-${i}`, s: "new", v: Math.random() * 10, st: "ok" })) });
    await new Promise((r) => setTimeout(r, GAP_MS + n / 10));
  }
  await new Promise((r) => setTimeout(r, 1000));
  const rss = rssMb(pid);
  sockets.forEach((s) => s.disconnect());
  latencies.sort((a, b) => a - b);
  return { target, clients: n, delivered: `${((100 * latencies.length) / (n * EVENTS)).toFixed(1)} %`, p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99), rssMb: rss };
}

const rows: Row[] = [];
const app = await startApp({ dataDir: ".data/bench-socket" });
const bare = spawn(process.execPath, ["--import", "tsx", "bench/support/bare-socket-server.ts"], { stdio: ["ignore", "pipe", "inherit"] });
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
      await measure("war room", n, (on) => connectAll(app.url, n, cookie, cutoverId, on), async (data) => {
        await bus.query("SELECT pg_notify('warroom_events', $1)", [JSON.stringify({ type: "metrics.sampled", cutoverId, at: new Date().toISOString(), data })]);
      }, app.child.pid!),
    );
    console.error(JSON.stringify(rows.at(-1)));
    rows.push(
      await measure("bare socket.io", n, (on) => connectAll(`http://127.0.0.1:${barePort}`, n, null, null, on), async (data) => {
        await fetch(`http://127.0.0.1:${barePort}/emit`, { method: "POST", body: JSON.stringify({ type: "metrics.sampled", data }) });
      }, bare.pid!),
    );
    console.error(JSON.stringify(rows.at(-1)));
  }
  await bus.end();
} catch (err) {
  console.error("bench failed:", err);
} finally {
  bare.kill();
  await app.stop();
}
console.log(`## Sample fan-out to socket.io clients (${new Date().toISOString().slice(0, 10)}, ${machine()}, ${EVENTS} events each)`);
console.log("| target | clients | delivered | p50 ms | p95 ms | p99 ms | server RSS MB |");
console.log("|---|---|---|---|---|---|---|");
for (const r of rows) console.log(`| ${r.target} | ${r.clients} | ${r.delivered} | ${r.p50} | ${r.p95} | ${r.p99} | ${r.rssMb} |`);
console.log(`\nServer RSS before any client: war room ${idleRss.app} MB, bare socket.io ${idleRss.bare} MB.`);
