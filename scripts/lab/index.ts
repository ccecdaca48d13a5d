// The lab: old and new demo services, HAProxy splitting traffic between them, Prometheus scraping
// everything, and optionally a steady load, all as child processes on 127.0.0.1 that go away
// with the lab: on stop(), on process exit, on SIGINT/SIGTERM/SIGHUP, and (through the kernel's
// parent-death signal and the demo services' IPC channel) even when this process is SIGKILLed.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ensureSystemPackages } from "../ensure-system-packages";
import { isAlive, processesMentioning, sleep, startDemoService, type DemoServiceHandle } from "./demo-service";
import { setNewPercent, startHaproxy, type HaproxyHandle } from "./haproxy";
import { startLoad, type LoadHandle, type LoadOptions } from "./load";
import { startPrometheus, type PrometheusHandle, type ScrapeTarget } from "./prometheus";
import { LAB_ALERT_RULES, startAlertmanager, type AlertmanagerHandle } from "./alertmanager";

export interface LabPorts {
  haproxy?: number;
  /** HAProxy's stats page and Prometheus exporter. */
  stats?: number;
  prometheus?: number;
  old?: number;
  new?: number;
}

export interface LabOptions {
  /** Default ".data/lab" (relative to the current directory). */
  dataDir?: string;
  /** The war room's metrics, e.g. http://127.0.0.1:3000/metrics (a bare base URL gets /metrics). */
  warRoomMetricsUrl?: string;
  /** Load through HAProxy in requests/s; 0 or unset: no load (start one with lab.startLoad). */
  rate?: number;
  /** Load duration in seconds (default 60, at most 600). */
  durationS?: number;
  /** Unset or 0: free ports chosen by the OS. */
  ports?: LabPorts;
  /** Default "1s". */
  scrapeInterval?: string;
  /** Initial percent of traffic to new (default 0). */
  newPercent?: number;
  /** Every line the children print, e.g. to echo them; by default they are only kept for errors. */
  onLine?: (source: string, line: string) => void;
  /**
   * A real Alertmanager posting to a war room cutover (its endpoint URL and Alertmanager token);
   * Prometheus then loads the lab's alert rule (LAB_ALERT_RULES) and sends its alerts there.
   */
  alertmanager?: { webhookUrl: string; token: string; port?: number };
  /** Stop the lab and exit on SIGINT/SIGTERM/SIGHUP (default true). */
  handleSignals?: boolean;
}

export interface Lab {
  dataDir: string;
  old: DemoServiceHandle;
  new: DemoServiceHandle;
  haproxy: HaproxyHandle;
  prometheus: PrometheusHandle;
  /** Started with the `alertmanager` option, else null. */
  alertmanager: AlertmanagerHandle | null;
  /** The load started by `rate`, or the last one started with startLoad. */
  load: LoadHandle | null;
  /** Starts a load through HAProxy (stopping the current one first). */
  startLoad(opts: Omit<LoadOptions, "url">): Promise<LoadHandle>;
  /** Sets the HAProxy weights: old = 100 - percent, new = percent. */
  setNewPercent(percent: number): Promise<void>;
  stop(): Promise<void>;
}

const running = new Set<Lab>();
let signalsInstalled = false;

function installSignalHandlers() {
  if (signalsInstalled) return;
  signalsInstalled = true;
  const codes: Record<string, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
  for (const sig of Object.keys(codes) as NodeJS.Signals[]) {
    process.once(sig, () => {
      // A second Ctrl-C during the stop falls through to Node's default: immediate exit, and the
      // 'exit' hook kills what is left.
      const all = [...running].map((lab) => lab.stop().catch(() => undefined));
      const cap = sleep(10_000);
      void Promise.race([Promise.all(all), cap]).then(() => process.exit(codes[sig]));
    });
  }
}

function metricsTarget(url: string): ScrapeTarget {
  const u = new URL(url);
  return { job: "warroom", url: u.host, path: u.pathname === "/" ? "/metrics" : u.pathname };
}

/**
 * One lab per data dir. A lab that died without cleaning up (SIGKILL with no setpriv) may have
 * left children behind: their command lines name the data dir, so they are found and ended.
 */
async function claimDataDir(dataDir: string): Promise<void> {
  const lockPath = path.join(dataDir, "lab.json");
  if (existsSync(lockPath)) {
    try {
      const { pid } = JSON.parse(readFileSync(lockPath, "utf8")) as { pid: number };
      const cmdline = isAlive(pid) ? readFileSync(`/proc/${pid}/cmdline`, "utf8") : "";
      if (pid !== process.pid && cmdline.includes("node")) {
        throw new Error(`a lab is already running on ${dataDir} (pid ${pid}): stop it (Ctrl-C) or use another data dir`);
      }
    } catch (err) {
      if ((err as Error).message.startsWith("a lab is already running")) throw err;
    }
  }
  // Only the lab's own kinds of children: an editor or a `tail -f` on a file in there is not ours.
  const ours = (argv: string[]) => argv.includes("--demo-child") || ["haproxy", "prometheus", "setpriv"].includes(path.basename(argv[0] ?? ""));
  const stale = processesMentioning(`${dataDir}/`)
    .filter((p) => p.pid !== process.ppid && ours(p.argv))
    .map((p) => p.pid);
  for (const pid of stale) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      /* gone */
    }
  }
  if (stale.length) await sleep(200);
  writeFileSync(lockPath, JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString() }));
}

export async function startLab(opts: LabOptions = {}): Promise<Lab> {
  ensureSystemPackages(["haproxy", "prometheus", ...(opts.alertmanager ? ["alertmanager"] : [])]);
  const dataDir = path.resolve(opts.dataDir ?? ".data/lab");
  mkdirSync(dataDir, { recursive: true });
  await claimDataDir(dataDir);
  const ports = opts.ports ?? {};
  const onLine = (source: string) => (opts.onLine ? (line: string) => opts.onLine!(source, line) : undefined);
  const tag = `${dataDir}/`;

  const started: { stop(): Promise<unknown> }[] = [];
  const stopStarted = async () => {
    // Reverse order: the load before HAProxy before the services, so nothing sees a dead upstream.
    for (const s of started.reverse()) await s.stop().catch(() => undefined);
    started.length = 0;
  };

  try {
    const startService = async (name: "old" | "new") => {
      const h = await startDemoService({ name, port: ports[name], tag, onLine: onLine(name) });
      started.push(h);
      return h;
    };
    const [oldSvc, newSvc] = await Promise.all([startService("old"), startService("new")]);
    const haproxy = await startHaproxy({
      port: ports.haproxy,
      statsPort: ports.stats,
      oldUrl: oldSvc.url,
      newUrl: newSvc.url,
      dataDir,
      newPercent: opts.newPercent ?? 0,
      onLine: onLine("haproxy"),
    });
    started.push(haproxy);
    const targets: ScrapeTarget[] = [
      { job: "old", url: `127.0.0.1:${oldSvc.port}` },
      { job: "new", url: `127.0.0.1:${newSvc.port}` },
    ];
    if (haproxy.metricsUrl) targets.push({ job: "haproxy", url: `127.0.0.1:${haproxy.statsPort}`, path: "/metrics" });
    if (opts.warRoomMetricsUrl) targets.push(metricsTarget(opts.warRoomMetricsUrl));
    const alertmanager = opts.alertmanager ? await startAlertmanager({ dataDir, port: opts.alertmanager.port, webhookUrl: opts.alertmanager.webhookUrl, token: opts.alertmanager.token, onLine: onLine("alertmanager") }) : null;
    if (alertmanager) started.push(alertmanager);
    const alerting = alertmanager ? { rules: LAB_ALERT_RULES, alertmanagers: [alertmanager.address] } : {};
    const prometheus = await startPrometheus({ port: ports.prometheus, dataDir, targets, scrapeInterval: opts.scrapeInterval ?? "1s", onLine: onLine("prometheus"), ...alerting });
    started.push(prometheus);

    let stopping: Promise<void> | null = null;
    const lab: Lab = {
      dataDir,
      old: oldSvc,
      new: newSvc,
      haproxy,
      prometheus,
      alertmanager,
      load: null,
      async startLoad(loadOpts) {
        await lab.load?.stop();
        lab.load = startLoad({ ...loadOpts, url: haproxy.url });
        started.push(lab.load);
        return lab.load;
      },
      setNewPercent: (percent) => setNewPercent(haproxy.socketPath, percent),
      stop() {
        stopping ??= (async () => {
          running.delete(lab);
          await stopStarted();
          rmSync(path.join(dataDir, "lab.json"), { force: true });
        })();
        return stopping;
      },
    };
    if (opts.rate) await lab.startLoad({ rate: opts.rate, durationS: opts.durationS });
    running.add(lab);
    if (opts.handleSignals !== false) installSignalHandlers();
    return lab;
  } catch (err) {
    await stopStarted();
    rmSync(path.join(dataDir, "lab.json"), { force: true });
    throw err;
  }
}

export type { DemoServiceHandle } from "./demo-service";
export type { HaproxyHandle } from "./haproxy";
export type { LoadCounts, LoadHandle, LoadResponse } from "./load";
export type { PrometheusHandle } from "./prometheus";
export type { AlertmanagerHandle } from "./alertmanager";
export { LAB_ALERT_NAME } from "./alertmanager";
