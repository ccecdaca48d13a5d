// The measuring side of bench/socket-fanout.ts: a child process holding a share of the connected
// clients. Each client is a plain WebSocket (the `ws` package) speaking just enough of engine.io
// v4 / socket.io v5 to connect, join a cutover and receive events — what socket.io-client does on
// the wire, without its per-message decoding, emitter and reconnection machinery — so that with
// thousands of clients the benchmark measures the server, not itself. Both targets (the war room
// and the bare socket.io server) are measured with this same client.
//
// On the wire (websocket transport only, no polling, no binary):
//   server → "0{sid,pingInterval,…}"  engine.io open       client → "40"             socket.io connect
//   server → "40{sid}" or "44{…}"     connected / refused  client → '420["join",{…}]' join with ack 0
//   server → '430[{"ok":true}]'       the ack              server → '42["event",{…}]' an event
//   server → "2" (ping)               client → "3" (pong)
//
// A received event is timed by the `sentAt` (Date.now() of the sending process) in its data,
// against Date.now() here: both processes read the same machine clock. The event's text is not
// parsed; the number after `"sentAt":` is read from the frame's bytes.
//
// Driven over IPC by the parent (see FanoutClients below); clients are opened in named groups
// (one per server measured at the same time) and their latencies kept per group:
//   { cmd: "connect", group, url, n, cookie, cutoverId } → { ok: true } | { ok: false, error }
//   { cmd: "collect" } → { ok: true, latencies: { [group]: [sentAt, latency, sentAt, latency, …] } }
//                        (and forgets them)
//   { cmd: "close" }   → { ok: true }                                      (every client closed)
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import WebSocket from "ws";

interface ConnectCmd {
  cmd: "connect";
  group: string;
  url: string;
  n: number;
  cookie: string | null;
  cutoverId: string | null;
}
type Cmd = ConnectCmd | { cmd: "collect" } | { cmd: "close" };
type Reply = { ok: true; latencies?: Record<string, number[]> } | { ok: false; error: string };

const SENT_AT = Buffer.from('"sentAt":');
const EVENT_PREFIX = Buffer.from('42["event",');

/** The integer after `"sentAt":` in a frame, or -1. */
function sentAtOf(frame: Buffer): number {
  const at = frame.indexOf(SENT_AT);
  if (at < 0) return -1;
  let v = 0;
  let i = at + SENT_AT.length;
  for (; i < frame.length; i++) {
    const c = frame[i]!;
    if (c < 48 || c > 57) break;
    v = v * 10 + (c - 48);
  }
  return i === at + SENT_AT.length ? -1 : v;
}

function runClients() {
  let sockets: WebSocket[] = [];
  let latencies: Record<string, number[]> = {};

  function open(cmd: ConnectCmd): Promise<WebSocket> {
    const wsUrl = `${cmd.url.replace(/^http/, "ws")}/socket.io/?EIO=4&transport=websocket`;
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(wsUrl, { headers: cmd.cookie ? { cookie: cmd.cookie } : {}, perMessageDeflate: false, skipUTF8Validation: true });
      let ready = false;
      const fail = (why: string) => {
        if (ready) return;
        ready = true;
        ws.terminate();
        reject(new Error(why));
      };
      const timer = setTimeout(() => fail("connect timed out"), 60_000);
      ws.on("error", (err) => fail(err.message));
      ws.on("close", () => fail("closed before joining"));
      ws.on("message", (data: Buffer) => {
        const type = data[0];
        if (type === 0x32 /* "2" ping */ && data.length === 1) return ws.send("3");
        if (type !== 0x34 /* "4" message */) {
          if (type === 0x30 /* "0" open */) ws.send("40");
          return;
        }
        if (ready) {
          if (data.subarray(0, EVENT_PREFIX.length).equals(EVENT_PREFIX)) {
            const sentAt = sentAtOf(data);
            if (sentAt > 0) (latencies[cmd.group] ??= []).push(sentAt, Date.now() - sentAt);
          }
          return;
        }
        const text = data.toString();
        if (text.startsWith("44")) return fail(`refused: ${text.slice(2)}`);
        if (text.startsWith("40")) {
          if (!cmd.cutoverId) {
            ready = true;
            clearTimeout(timer);
            return resolve(ws);
          }
          return ws.send(`420${JSON.stringify(["join", { cutoverId: cmd.cutoverId }])}`);
        }
        if (text.startsWith("430")) {
          const [r] = JSON.parse(text.slice(3)) as [{ ok: boolean; error?: string }];
          if (!r.ok) return fail(`join refused: ${r.error}`);
          ready = true;
          clearTimeout(timer);
          resolve(ws);
        }
      });
    });
  }

  async function connect(cmd: ConnectCmd) {
    const batch = 50;
    for (let i = 0; i < cmd.n; i += batch) {
      const opened = await Promise.all(Array.from({ length: Math.min(batch, cmd.n - i) }, () => open(cmd)));
      sockets.push(...opened);
    }
  }

  async function close() {
    const all = sockets;
    sockets = [];
    await Promise.all(
      all.map(
        (ws) =>
          new Promise<void>((resolve) => {
            if (ws.readyState === WebSocket.CLOSED) return resolve();
            ws.once("close", () => resolve());
            ws.close();
            setTimeout(() => (ws.terminate(), resolve()), 5000).unref();
          }),
      ),
    );
  }

  process.on("message", async (cmd: Cmd) => {
    const reply = (r: Reply) => process.send!(r);
    try {
      if (cmd.cmd === "connect") {
        delete latencies[cmd.group];
        await connect(cmd);
        reply({ ok: true });
      } else if (cmd.cmd === "collect") {
        const out = latencies;
        latencies = {};
        reply({ ok: true, latencies: out });
      } else if (cmd.cmd === "close") {
        await close();
        reply({ ok: true });
      }
    } catch (err) {
      reply({ ok: false, error: (err as Error).message });
    }
  });
  process.on("disconnect", () => process.exit(0));
}

/** A few child processes sharing the clients of one measurement between them. */
export class FanoutClients {
  private constructor(private readonly children: ChildProcess[]) {}

  static async start(processes: number): Promise<FanoutClients> {
    const file = fileURLToPath(import.meta.url);
    const children = Array.from({ length: processes }, () => fork(file, ["--clients"], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] }));
    await Promise.all(children.map((c) => new Promise((resolve, reject) => (c.once("spawn", resolve), c.once("error", reject)))));
    return new FanoutClients(children);
  }

  private ask(child: ChildProcess, cmd: Cmd): Promise<Reply & { ok: true }> {
    return new Promise((resolve, reject) => {
      const onExit = () => reject(new Error("a client process exited"));
      child.once("exit", onExit);
      child.once("message", (r: Reply) => {
        child.off("exit", onExit);
        if (r.ok) resolve(r);
        else reject(new Error(r.error));
      });
      child.send(cmd);
    });
  }

  /** Opens `n` clients of `group` spread evenly over the processes (and joins `cutoverId` when given). */
  async connect(group: string, url: string, n: number, cookie: string | null, cutoverId: string | null): Promise<void> {
    const k = this.children.length;
    await Promise.all(this.children.map((c, i) => this.ask(c, { cmd: "connect", group, url, n: Math.floor(n / k) + (i < n % k ? 1 : 0), cookie, cutoverId })));
  }

  /** Every delivery per group since connecting or the last collect: sentAt, latency (ms), sentAt, latency, … */
  async collect(): Promise<Record<string, number[]>> {
    const parts = await Promise.all(this.children.map((c) => this.ask(c, { cmd: "collect" })));
    const all: Record<string, number[]> = {};
    for (const p of parts) for (const [g, l] of Object.entries(p.latencies ?? {})) all[g] = (all[g] ?? []).concat(l);
    return all;
  }

  async close(): Promise<void> {
    await Promise.all(this.children.map((c) => this.ask(c, { cmd: "close" })));
  }

  stop(): void {
    for (const c of this.children) c.disconnect();
  }
}

if (process.argv.includes("--clients") && process.send) runClients();
