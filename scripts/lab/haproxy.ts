// HAProxy in front of the demo services: one backend `be_app` with servers `old` and `new` whose
// weights are the traffic split (old = 100 - p, new = p), changed at run time through the admin
// socket, with no reload.
//
// Reloads: HAProxy runs in master-worker mode (`-W`). `reload()` first saves the runtime server
// state (`show servers state`) into the server-state file, then sends SIGUSR2 to the master (what
// `systemctl reload haproxy` does; the master CLI's `reload` command is equivalent): the master
// re-executes itself with `-sf <old workers>`, the new worker reads the state file
// (`load-server-state-from-file global`) so weights set at run time survive, and the old worker
// finishes its requests and leaves.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { freePort, isAlive, portAnswers, sleep, spawnManaged, startError, waitFor, type ManagedChild, type SpawnOptions } from "./demo-service";

export interface HaproxyOptions {
  /** Frontend port for the application traffic; 0 or unset: a free port. */
  port?: number;
  /** Port of the stats page and the Prometheus exporter; 0 or unset: a free port. */
  statsPort?: number;
  /** Base URLs of the two services, e.g. http://127.0.0.1:40001. */
  oldUrl: string;
  newUrl: string;
  /** Files go to `<dataDir>/haproxy/`. */
  dataDir: string;
  /** Initial percent to new (default 0: old 100 / new 0). */
  newPercent?: number;
  /** The haproxy binary (default: `haproxy` on PATH). */
  binary?: string;
  onLine?: SpawnOptions["onLine"];
}

export interface HaproxyHandle {
  port: number;
  /** http://127.0.0.1:port, the application traffic entry point. */
  url: string;
  /** The runtime API (admin level). */
  socketPath: string;
  /** The master CLI (`show proc`, `reload`). */
  masterSocketPath: string;
  configPath: string;
  stateFilePath: string;
  statsPort: number;
  statsUrl: string;
  /** The built-in Prometheus exporter, or null when this HAProxy was built without it. */
  metricsUrl: string | null;
  /** The master's pid. */
  pid: number;
  /** A runtime API command, e.g. "get weight be_app/new"; resolves with HAProxy's answer. */
  command(cmd: string): Promise<string>;
  /** Reload with the same config, keeping the runtime server state; resolves once a new worker serves. */
  reload(): Promise<void>;
  stop(): Promise<void>;
}

export const BACKEND = "be_app";

/** Sends one command to a HAProxy runtime API socket (node:net) and resolves with the answer. */
export function runtimeCommand(socketPath: string, cmd: string, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(socketPath);
    let out = "";
    sock.setEncoding("utf8");
    sock.setTimeout(timeoutMs, () => {
      sock.destroy();
      reject(new Error(`HAProxy runtime API ${socketPath}: no answer to "${cmd}" within ${timeoutMs} ms`));
    });
    sock.on("connect", () => sock.write(`${cmd}\n`));
    sock.on("data", (d: string) => (out += d));
    // Non-interactive mode: HAProxy answers and closes the connection.
    sock.on("end", () => resolve(out));
    sock.on("error", (err) => reject(new Error(`HAProxy runtime API ${socketPath}: ${err.message}`)));
  });
}

/** `set weight` for both servers so that `percent` of the requests go to new. */
export async function setNewPercent(socketPath: string, percent: number): Promise<void> {
  if (!Number.isInteger(percent) || percent < 0 || percent > 100) throw new RangeError(`percent must be an integer 0..100, got ${percent}`);
  // Raise before lowering so there is never a moment with both weights at 0.
  const order = percent >= 50 ? (["new", "old"] as const) : (["old", "new"] as const);
  for (const srv of order) {
    const weight = srv === "new" ? percent : 100 - percent;
    const answer = (await runtimeCommand(socketPath, `set weight ${BACKEND}/${srv} ${weight}`)).trim();
    if (answer) throw new Error(`HAProxy refused "set weight ${BACKEND}/${srv} ${weight}": ${answer}`);
  }
}

let exporterCache: Map<string, boolean> | null = null;
/** Whether `haproxy -vv` lists the built-in Prometheus exporter service. */
export function haproxyHasPrometheusExporter(binary = "haproxy"): boolean {
  exporterCache ??= new Map();
  const cached = exporterCache.get(binary);
  if (cached !== undefined) return cached;
  const r = spawnSync(binary, ["-vv"], { encoding: "utf8" });
  const has = /Available services\s*:.*prometheus-exporter/.test(`${r.stdout}${r.stderr}`) || /Built with the Prometheus exporter/.test(`${r.stdout}${r.stderr}`);
  exporterCache.set(binary, has);
  return has;
}

function hostPort(url: string, what: string): string {
  const u = new URL(url);
  if (!u.port) throw new Error(`${what} must include a port: ${url}`);
  return `${u.hostname}:${u.port}`;
}

export interface HaproxyConfigInput {
  port: number;
  statsPort: number;
  oldAddr: string;
  newAddr: string;
  socketPath: string;
  stateFilePath: string;
  newPercent: number;
  prometheusExporter: boolean;
}

export function renderHaproxyConfig(c: HaproxyConfigInput): string {
  return `# Written by scripts/lab/haproxy.ts on every start of the lab: edits here are lost.
global
    maxconn 4096
    # Runtime API: "set weight ${BACKEND}/new 25" moves traffic without a reload.
    stats socket ${c.socketPath} mode 600 level admin expose-fd listeners
    stats timeout 30s
    # Runtime weights are lost on reload unless saved here first ("show servers state").
    server-state-file ${c.stateFilePath}
    # Old workers holding keep-alive connections must not linger for ever after a reload.
    hard-stop-after 10s

defaults
    mode http
    load-server-state-from-file global
    option dontlognull
    timeout connect 2s
    timeout client 65s
    # Above the demo services' maximum added latency (60 s).
    timeout server 65s
    timeout http-request 10s
    timeout http-keep-alive 10s
    timeout queue 5s
    # A reused idle server connection may be closed by the service just as it is picked.
    retries 2
    retry-on conn-failure empty-response

frontend fe_app
    bind 127.0.0.1:${c.port}
    default_backend ${BACKEND}

backend ${BACKEND}
    # Weights are percents: old = 100 - p, new = p (HAProxy accepts 0..256).
    balance roundrobin
    option httpchk GET /health
    http-check expect status 200
    server old ${c.oldAddr} weight ${100 - c.newPercent} check inter 1s fall 3 rise 2
    server new ${c.newAddr} weight ${c.newPercent} check inter 1s fall 3 rise 2

frontend fe_stats
    bind 127.0.0.1:${c.statsPort}
${c.prometheusExporter ? "    http-request use-service prometheus-exporter if { path /metrics }\n" : "    # This HAProxy was built without the Prometheus exporter (no USE_PROMEX).\n"}    stats enable
    stats uri /stats
    stats refresh 5s
`;
}

// sun_path is 108 bytes on Linux; HAProxy also binds a temporary name a few bytes longer.
const MAX_SOCKET_PATH = 96;

export async function startHaproxy(opts: HaproxyOptions): Promise<HaproxyHandle> {
  const binary = opts.binary ?? "haproxy";
  const dir = path.resolve(opts.dataDir, "haproxy");
  mkdirSync(dir, { recursive: true });
  const socketPath = path.join(dir, "admin.sock");
  const masterSocketPath = path.join(dir, "master.sock");
  if (masterSocketPath.length > MAX_SOCKET_PATH) throw new Error(`data dir too deep for a unix socket path (${masterSocketPath.length} > ${MAX_SOCKET_PATH} chars): ${masterSocketPath}`);
  const configPath = path.join(dir, "haproxy.cfg");
  const stateFilePath = path.join(dir, "server-state");
  const port = opts.port || (await freePort());
  const statsPort = opts.statsPort || (await freePort());
  const newPercent = opts.newPercent ?? 0;
  if (!Number.isInteger(newPercent) || newPercent < 0 || newPercent > 100) throw new RangeError(`newPercent must be an integer 0..100, got ${newPercent}`);
  const prometheusExporter = haproxyHasPrometheusExporter(binary);

  writeFileSync(
    configPath,
    renderHaproxyConfig({ port, statsPort, oldAddr: hostPort(opts.oldUrl, "oldUrl"), newAddr: hostPort(opts.newUrl, "newUrl"), socketPath, stateFilePath, newPercent, prometheusExporter }),
  );
  // A state file from an earlier lab would restore that lab's weights over the config's; an empty
  // one (version line only) keeps HAProxy from warning that the file is missing.
  writeFileSync(stateFilePath, "1\n");
  rmSync(socketPath, { force: true });
  rmSync(masterSocketPath, { force: true });

  const check = spawnSync(binary, ["-c", "-q", "-f", configPath], { encoding: "utf8" });
  if (check.error) throw new Error(`cannot run ${binary}: ${check.error.message} (install the Debian package: apt-get install -y haproxy)`);
  if (check.status !== 0) throw new Error(`HAProxy rejected ${configPath}\n  command: ${binary} -c -q -f ${configPath}\n${`${check.stdout}${check.stderr}`.trim().replace(/^/gm, "    ")}`);

  // Something already listening would also answer the readiness check below: refuse up front.
  for (const p of [port, statsPort]) if (await portAnswers(p)) throw new Error(`cannot start HAProxy: 127.0.0.1:${p} is already in use`);
  const args = ["-W", "-db", "-S", `${masterSocketPath},mode,600`, "-f", configPath];
  const child: ManagedChild = spawnManaged(binary, args, { label: "haproxy", dieWithParent: true, onLine: opts.onLine });
  const command = (cmd: string) => runtimeCommand(socketPath, cmd);
  const workerPid = async (): Promise<number | null> => {
    const m = /^Pid: (\d+)$/m.exec(await command("show info"));
    return m ? Number(m[1]) : null;
  };
  try {
    await waitFor(`HAProxy to listen on 127.0.0.1:${port}`, () => portAnswers(port), { child, timeoutMs: 15_000 });
    await waitFor(`the HAProxy runtime API on ${socketPath}`, async () => (await workerPid()) !== null, { child, timeoutMs: 10_000 });
  } catch (err) {
    await child.stop(2000);
    throw err;
  }
  const workers = new Set<number>();
  const first = await workerPid();
  if (first) workers.add(first);

  const url = `http://127.0.0.1:${port}`;
  const statsBase = `http://127.0.0.1:${statsPort}`;
  let reloading: Promise<void> | null = null;

  async function reload(): Promise<void> {
    if (!child.isRunning()) throw startError(child, "HAProxy is not running: cannot reload");
    const before = await workerPid();
    const state = await command("show servers state");
    if (!/^1\s*$/m.test(state.split("\n")[0] ?? "")) throw new Error(`unexpected "show servers state" answer: ${state.slice(0, 200)}`);
    const tmp = `${stateFilePath}.tmp`;
    writeFileSync(tmp, state);
    renameSync(tmp, stateFilePath);
    process.kill(child.pid, "SIGUSR2");
    await waitFor(
      "a new HAProxy worker after reload (see the config check errors above, if any)",
      async () => {
        const pid = await workerPid();
        if (pid === null || pid === before) return false;
        workers.add(pid);
        return true;
      },
      { child, timeoutMs: 10_000 },
    );
  }

  return {
    port,
    url,
    socketPath,
    masterSocketPath,
    configPath,
    stateFilePath,
    statsPort,
    statsUrl: `${statsBase}/stats`,
    metricsUrl: prometheusExporter ? `${statsBase}/metrics` : null,
    pid: child.pid,
    command,
    reload() {
      // Two overlapping reloads would race on the state file and on "which worker is new".
      reloading = (reloading ?? Promise.resolve()).then(reload, reload);
      return reloading;
    },
    async stop() {
      try {
        const pid = child.isRunning() ? await workerPid().catch(() => null) : null;
        if (pid) workers.add(pid);
      } catch {
        /* the worker may be gone already */
      }
      // SIGTERM to the master: hard stop of the workers, then the master exits.
      await child.stop(5000);
      // Workers exit on their own when the master goes; make sure of it.
      for (let i = 0; i < 20 && [...workers].some(isAlive); i++) await sleep(100);
      for (const pid of workers) {
        if (isAlive(pid)) {
          try {
            process.kill(pid, "SIGKILL");
          } catch {
            /* gone */
          }
        }
      }
      rmSync(socketPath, { force: true });
      rmSync(masterSocketPath, { force: true });
    },
  };
}

/** The HAProxy version line, e.g. "2.6.12-1+deb12u4", or null when haproxy cannot run. */
export function haproxyVersion(binary = "haproxy"): string | null {
  try {
    const out = execFileSync(binary, ["-v"], { encoding: "utf8" });
    return /version (\S+)/.exec(out)?.[1] ?? null;
  } catch {
    return null;
  }
}
