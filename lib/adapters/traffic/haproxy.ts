// HAProxy through its runtime API (the `stats socket … level admin`, unix or TCP): the split is
// the weights of two servers of one backend, changed live without a reload.
//
// - percent maps directly onto weights: new = p, old = 100 - p (HAProxy accepts 0..256), so
//   `get weight` shows the split a human expects to see.
// - One command line per connection (HAProxy's non-interactive mode answers and closes), which
//   keeps a half-read answer from one call out of the next.
// - Weights set through the runtime API live only in the running process: a reload re-reads
//   haproxy.cfg and would silently put the old split back. With `stateFile` set, every change is
//   followed by `show servers state` written to that file; HAProxy started with
//   `server-state-file <stateFile>` + `load-server-state-from-file global` restores the weights
//   from it on reload (it applies a saved weight as long as the server's weight in haproxy.cfg is
//   unchanged). verify() also checks the file, so "verified" means "survives a reload".
// - The whole `show servers state` (all backends) is written, not just ours: the usual
//   `server-state-file` is global and shared, and writing one backend would drop the others'.
import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import net from "node:net";
import path from "node:path";
import type { TrafficChangeMeta, TrafficRouter, VerifyResult } from "@/lib/domain/ports";
import { assertAllowedTcpTarget, OutboundError } from "@/lib/net/outbound";
import { assertPercent, deadline, type HaproxyRouterConfig } from "./config";

interface Weights {
  old: number;
  new: number;
}

/** One server's line of `show servers state`, the fields we use. */
interface ServerState {
  uweight: number;
  opState: number;
  adminState: number;
}

const OP_STATE = ["stopped", "starting", "running", "stopping"];

export class HaproxyRouter implements TrafficRouter {
  readonly kind = "haproxy" as const;

  constructor(private readonly config: HaproxyRouterConfig) {}

  describe(): string {
    const { backend, oldServer, newServer, stateFile } = this.config;
    return `HAProxy ${backend} (${oldServer}/${newServer}) via ${this.where()}${stateFile ? `, state file ${stateFile}` : ", no state file (a reload resets the split)"}`;
  }

  async read(signal?: AbortSignal): Promise<number> {
    return toPercent(await this.weights(signal), this.config.backend);
  }

  async set(percent: number, _meta: TrafficChangeMeta, signal?: AbortSignal): Promise<void> {
    assertPercent(percent);
    const { backend, oldServer, newServer } = this.config;
    // Reading first checks the backend and both servers exist before anything changes, so a typo
    // in one server name cannot leave the other one half-switched.
    const current = await this.weights(signal);
    const target: Weights = { old: 100 - percent, new: percent };
    // Raise one weight before lowering the other: going 100 % new -> 0 % new in the other order
    // would pass through old=0/new=0, and HAProxy answers 503 while no server has weight.
    const raiseNewFirst = target.new >= current.new;
    const cmds = [`set weight ${backend}/${newServer} ${target.new}`, `set weight ${backend}/${oldServer} ${target.old}`];
    if (!raiseNewFirst) cmds.reverse();
    const line = cmds.join("; ");
    const answer = (await this.command(line, signal)).trim();
    // `set weight` prints nothing on success; anything else is HAProxy's refusal (e.g. "Backend
    // is using a static LB algorithm and only accepts weights '0%' and '100%'.").
    if (answer) {
      let now = "";
      try {
        now = ` Split now in force: ${await this.read(signal)} % to new.`;
      } catch {
        // the refusal is the error worth showing; the read-back is only a hint
      }
      throw new Error(`HAProxy at ${this.where()} refused "${line}": ${firstLines(answer)}.${now}`);
    }
    if (this.config.stateFile) await this.saveState(signal);
  }

  async verify(percent: number, signal?: AbortSignal): Promise<VerifyResult> {
    assertPercent(percent);
    const { backend, oldServer, newServer, stateFile } = this.config;
    const live = await this.weights(signal);
    const actual = toPercent(live, backend);
    const problems: string[] = [];
    if (actual !== percent) problems.push(`HAProxy has ${actual} % to new (weights old=${live.old} new=${live.new}), expected ${percent} %`);

    // Weights are not the whole story: a server that is down or in maintenance takes nothing
    // whatever its weight.
    const states = parseServersState(await this.command(`show servers state ${backend}`, signal), backend);
    for (const [role, name, share] of [["old", oldServer, 100 - percent], ["new", newServer, percent]] as const) {
      const s = states.get(name);
      if (!s || share === 0) continue;
      if (s.opState !== 2) problems.push(`${role} server ${name} is ${OP_STATE[s.opState] ?? `in state ${s.opState}`}`);
      if (s.adminState !== 0) problems.push(`${role} server ${name} is in maintenance or drain (admin state ${s.adminState})`);
    }

    if (stateFile) {
      let saved: Map<string, ServerState> | null = null;
      try {
        saved = parseServersState(await fs.readFile(stateFile, "utf8"), backend);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        problems.push(`state file ${stateFile} ${code ? `cannot be read (${code})` : "is not a HAProxy server state"}: a reload would lose the split`);
      }
      if (saved) {
        const o = saved.get(oldServer);
        const n = saved.get(newServer);
        if (!o || !n) problems.push(`state file ${stateFile} has no line for ${backend}/${oldServer} and ${backend}/${newServer}: a reload would lose the split`);
        else if (o.uweight + n.uweight === 0 || Math.round((n.uweight / (o.uweight + n.uweight)) * 100) !== percent) {
          problems.push(`state file ${stateFile} holds weights old=${o.uweight} new=${n.uweight}: a reload would change the split`);
        }
      }
    }

    if (problems.length) return { ok: false, actual, detail: problems.join("; ") };
    return {
      ok: true,
      actual,
      detail: `HAProxy ${backend}: ${oldServer}=${live.old}, ${newServer}=${live.new}${stateFile ? `; saved in ${stateFile}, kept across a reload` : "; no state file, a reload would reset it"}`,
    };
  }

  // ---- runtime API

  private where(): string {
    const s = this.config.socket;
    return typeof s === "string" ? s : `${s.host}:${s.port}`;
  }

  private async weights(signal?: AbortSignal): Promise<Weights> {
    const { backend, oldServer, newServer } = this.config;
    const answer = await this.command(`get weight ${backend}/${oldServer}; get weight ${backend}/${newServer}`, signal);
    // Each command's answer ends with an empty line.
    const parts = answer.trim().split(/\n\s*\n/);
    const parse = (text: string | undefined, server: string): number => {
      const m = /^(\d+) \(initial \d+\)/.exec(text?.trim() ?? "");
      if (m) return Number(m[1]);
      throw this.refusal(text?.trim() || "(no answer)", server, "get weight");
    };
    return { old: parse(parts[0], oldServer), new: parse(parts[1], newServer) };
  }

  /** Turns HAProxy's terse refusals into errors that say what to fix. */
  private refusal(text: string, server: string, what: string): Error {
    const { backend } = this.config;
    if (/^No such backend/i.test(text)) return new Error(`HAProxy at ${this.where()} has no backend "${backend}" (answer: "${firstLines(text)}"): check the router's backend name`);
    if (/^No such server/i.test(text)) return new Error(`HAProxy backend "${backend}" at ${this.where()} has no server "${server}" (answer: "${firstLines(text)}"): check the router's server names`);
    if (/permission denied/i.test(text)) return new Error(`HAProxy at ${this.where()} refused "${what}": ${firstLines(text)} (the stats socket needs "level admin")`);
    return new Error(`HAProxy at ${this.where()} gave an unexpected answer to "${what} ${backend}/${server}": ${firstLines(text)}`);
  }

  /** Sends one command line and resolves with HAProxy's whole answer (it closes the connection when done). */
  private async command(line: string, signal?: AbortSignal): Promise<string> {
    const { timeoutMs, socket } = this.config;
    const where = this.where();
    const verb = line.split(/\s+/).slice(0, 2).join(" ");
    const d = deadline(timeoutMs, signal);
    if (d.signal.aborted) throw new Error(`HAProxy "${verb}" aborted before it was sent`);
    let to: string | { port: number; host: string };
    if (typeof socket === "string") {
      to = socket;
    } else {
      // A TCP runtime API is an outbound connection like any other: its address must pass the
      // allow-list, and the connection goes to exactly the address that was checked.
      try {
        to = { port: socket.port, host: (await assertAllowedTcpTarget(socket.host, socket.port, d.signal)).address };
      } catch (err) {
        throw new Error(`HAProxy runtime API at ${where}: ${err instanceof OutboundError ? err.message : "cannot be reached"}`);
      }
    }
    return new Promise<string>((resolve, reject) => {
      if (d.signal.aborted) return reject(new Error(`HAProxy "${verb}" aborted before it was sent`));
      const conn = typeof to === "string" ? net.connect(to) : net.connect(to.port, to.host);
      const chunks: Buffer[] = [];
      let connected = false;
      let done = false;
      const finish = (err: Error | null, text = "") => {
        if (done) return;
        done = true;
        d.signal.removeEventListener("abort", onAbort);
        conn.destroy();
        if (err) reject(err);
        else resolve(text);
      };
      const onAbort = () =>
        finish(
          new Error(
            d.timedOut()
              ? `HAProxy runtime API at ${where} did not answer "${verb}" within ${timeoutMs} ms${connected ? "" : " (could not even connect)"}`
              : `HAProxy "${verb}" at ${where} was aborted`,
          ),
        );
      d.signal.addEventListener("abort", onAbort, { once: true });
      conn.on("connect", () => {
        connected = true;
        conn.write(`${line}\n`);
      });
      conn.on("data", (c: Buffer) => chunks.push(c));
      conn.on("end", () => finish(null, Buffer.concat(chunks).toString("utf8")));
      conn.on("error", (err: NodeJS.ErrnoException) => {
        const hint =
          err.code === "EACCES"
            ? " (no permission on the socket: check its mode/owner)"
            : err.code === "ENOENT" || err.code === "ECONNREFUSED"
              ? " (is HAProxy running with this `stats socket … level admin`?)"
              : "";
        finish(new Error(connected ? `HAProxy runtime API at ${where} dropped the connection during "${verb}": ${err.message}` : `HAProxy runtime API at ${where} is unreachable: ${err.message}${hint}`));
      });
    });
  }

  /** Writes `show servers state` to the state file atomically (tmp + rename): HAProxy must never load half a file. */
  private async saveState(signal?: AbortSignal): Promise<void> {
    const file = this.config.stateFile!;
    const text = await this.command("show servers state", signal);
    // Format version 1 is what HAProxy 1.6 .. 3.x write and read; anything else is an error text.
    if (!/^1\n#/.test(text)) throw new Error(`split set, but HAProxy's "show servers state" answered unexpectedly (${firstLines(text)}): the state file was not updated, a reload would lose the split`);
    const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
    try {
      await fs.writeFile(tmp, `${text.trimEnd()}\n`, { mode: 0o644 });
      await fs.rename(tmp, file);
    } catch (err) {
      await fs.rm(tmp, { force: true }).catch(() => undefined);
      throw new Error(`split set, but the HAProxy state file ${file} could not be written (${(err as Error).message}): a reload would lose the split`);
    }
  }
}

function toPercent(w: Weights, backend: string): number {
  if (w.old + w.new === 0) throw new Error(`HAProxy ${backend}: both servers have weight 0, no server takes traffic`);
  return Math.round((w.new / (w.old + w.new)) * 100);
}

/** Parses `show servers state` (format 1, a header line names the columns) into server -> state for one backend. */
export function parseServersState(text: string, backend: string): Map<string, ServerState> {
  const lines = text.split("\n");
  const header = lines.find((l) => l.startsWith("# "));
  // No quote of the text: it may come from a file, and this error reaches the room.
  if (!/^1\s*$/.test(lines[0] ?? "") || !header) throw new Error("not a HAProxy server state (format 1)");
  const cols = header.slice(2).trim().split(/\s+/);
  const at = (name: string) => {
    const i = cols.indexOf(name);
    if (i < 0) throw new Error(`HAProxy server state has no column ${name}`);
    return i;
  };
  const [iBe, iSrv, iUw, iOp, iAdm] = ["be_name", "srv_name", "srv_uweight", "srv_op_state", "srv_admin_state"].map(at) as [number, number, number, number, number];
  const out = new Map<string, ServerState>();
  for (const l of lines.slice(1)) {
    if (!l.trim() || l.startsWith("#")) continue;
    const f = l.trim().split(/\s+/);
    if (f[iBe] !== backend) continue;
    out.set(f[iSrv]!, { uweight: Number(f[iUw]), opState: Number(f[iOp]), adminState: Number(f[iAdm]) });
  }
  return out;
}

/**
 * HAProxy's answer, quoted in errors because its refusals say what to fix ("Backend is using a
 * static LB algorithm…"). Quoted only when it reads like HAProxy's runtime API (short printable
 * lines, not an HTTP or other protocol's answer): whatever else listens at a configured address
 * is not echoed into the room.
 */
function firstLines(text: string): string {
  const lines = text.trim().split("\n").slice(0, 3).map((l) => l.trim());
  if (!lines.join("")) return "(empty answer)";
  if (lines.some((l) => !/^[\x20-\x7e]{0,200}$/.test(l)) || /^(HTTP\/|SSH-|[+-](OK|ERR)|\* OK|220[ -])/i.test(lines[0]!)) return "(an answer that is not HAProxy's runtime API)";
  return lines.join(" / ");
}
