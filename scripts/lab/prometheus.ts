// Prometheus for the lab: a plain child process scraping the lab's targets every second or two,
// with its TSDB under `<dataDir>/prometheus/data`. stop() and start() exist on their own so tests
// can take Prometheus away and bring it back, as happens to a real one during a cutover.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { freePort, portAnswers, spawnManaged, waitFor, type ManagedChild, type SpawnOptions } from "./demo-service";

export interface ScrapeTarget {
  /** The Prometheus job label, e.g. "old". */
  job: string;
  /** host:port (a full http://host:port/path URL is accepted too; its path becomes `path`). */
  url: string;
  /** Metrics path (default /metrics). */
  path?: string;
}

export interface PrometheusOptions {
  /** 0 or unset: a free port. */
  port?: number;
  /** Files go to `<dataDir>/prometheus/`. */
  dataDir: string;
  targets: ScrapeTarget[];
  /** Prometheus duration, e.g. "1s" (default) or "2s". */
  scrapeInterval?: string;
  /** Alerting rules (a rule file's YAML, e.g. LAB_ALERT_RULES of ./alertmanager.ts), written next to the config. */
  rules?: string;
  /** Alertmanagers (host:port) the rules' alerts are sent to. */
  alertmanagers?: string[];
  /** The prometheus binary (default: `prometheus` on PATH). */
  binary?: string;
  onLine?: SpawnOptions["onLine"];
}

export interface PrometheusHandle {
  url: string;
  port: number;
  configPath: string;
  isRunning(): boolean;
  /** Starts it again after stop() (same port, same data); no-op when running. */
  start(): Promise<void>;
  stop(): Promise<void>;
  restart(): Promise<void>;
  /** Instant query; resolves with the result vector (empty when no series matched). */
  query(expr: string): Promise<PromSample[]>;
}

export interface PromSample {
  metric: Record<string, string>;
  value: number;
}

function normaliseTarget(t: ScrapeTarget): { job: string; address: string; path: string } {
  if (!/^[a-zA-Z_][a-zA-Z0-9_-]*$/.test(t.job)) throw new Error(`invalid Prometheus job name: ${JSON.stringify(t.job)}`);
  if (/^https?:\/\//.test(t.url)) {
    const u = new URL(t.url);
    if (u.protocol !== "http:") throw new Error(`the lab scrapes plain http only: ${t.url}`);
    const fromUrl = u.pathname === "/" ? undefined : u.pathname;
    return { job: t.job, address: u.host, path: t.path ?? fromUrl ?? "/metrics" };
  }
  if (!/^[^/\s:]+:\d+$/.test(t.url)) throw new Error(`scrape target must be host:port, got ${JSON.stringify(t.url)}`);
  return { job: t.job, address: t.url, path: t.path ?? "/metrics" };
}

export function renderPrometheusConfig(targets: ScrapeTarget[], scrapeInterval: string, alerting: { ruleFile?: string; alertmanagers?: string[] } = {}): string {
  if (!/^\d+(ms|s|m)$/.test(scrapeInterval)) throw new Error(`scrapeInterval must be a Prometheus duration like "1s", got ${JSON.stringify(scrapeInterval)}`);
  const jobs = targets.map(normaliseTarget);
  const seen = new Set<string>();
  for (const j of jobs) {
    if (seen.has(j.job)) throw new Error(`duplicate Prometheus job: ${j.job}`);
    seen.add(j.job);
  }
  // JSON strings are valid YAML scalars: no YAML library needed, and nothing to escape by hand.
  const q = JSON.stringify;
  return [
    "# Written by scripts/lab/prometheus.ts on every start of the lab: edits here are lost.",
    "global:",
    `  scrape_interval: ${scrapeInterval}`,
    // The timeout may not exceed the interval; a target slower than that is as good as down.
    `  scrape_timeout: ${scrapeInterval}`,
    `  evaluation_interval: ${scrapeInterval}`,
    "scrape_configs:",
    ...jobs.flatMap((j) => [`  - job_name: ${q(j.job)}`, `    metrics_path: ${q(j.path)}`, "    static_configs:", `      - targets: [${q(j.address)}]`]),
    ...(alerting.ruleFile ? ["rule_files:", `  - ${q(alerting.ruleFile)}`] : []),
    ...(alerting.alertmanagers?.length ? ["alerting:", "  alertmanagers:", "    - static_configs:", `        - targets: [${alerting.alertmanagers.map((a) => q(a)).join(", ")}]`] : []),
    "",
  ].join("\n");
}

export async function startPrometheus(opts: PrometheusOptions): Promise<PrometheusHandle> {
  const binary = opts.binary ?? "prometheus";
  const dir = path.resolve(opts.dataDir, "prometheus");
  const tsdb = path.join(dir, "data");
  mkdirSync(tsdb, { recursive: true });
  const configPath = path.join(dir, "prometheus.yml");
  const ruleFile = opts.rules ? path.join(dir, "rules.yml") : undefined;
  if (ruleFile) writeFileSync(ruleFile, opts.rules!);
  writeFileSync(configPath, renderPrometheusConfig(opts.targets, opts.scrapeInterval ?? "1s", { ruleFile, alertmanagers: opts.alertmanagers }));
  const port = opts.port || (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const args = [
    `--config.file=${configPath}`,
    `--storage.tsdb.path=${tsdb}`,
    // A lab's history is only interesting for the session.
    "--storage.tsdb.retention.time=1d",
    `--web.listen-address=127.0.0.1:${port}`,
    "--web.enable-lifecycle",
  ];

  let child: ManagedChild | null = null;
  let starting: Promise<void> | null = null;

  async function start(): Promise<void> {
    if (child?.isRunning()) return;
    if (await portAnswers(port)) throw new Error(`cannot start Prometheus: 127.0.0.1:${port} is already in use`);
    const c = spawnManaged(binary, args, { label: "prometheus", dieWithParent: true, onLine: opts.onLine });
    child = c;
    try {
      await waitFor(`Prometheus to be ready on ${url}/-/ready`, async () => (await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1000) })).ok, { child: c, timeoutMs: 30_000 });
    } catch (err) {
      await c.stop(2000);
      if ((err as Error).message.includes("ENOENT")) throw new Error(`cannot run ${binary}: not found (install the Debian package: apt-get install -y prometheus)`);
      throw err;
    }
  }

  async function stop(): Promise<void> {
    await starting?.catch(() => undefined);
    // SIGTERM lets Prometheus close its TSDB cleanly, so the next start does not replay a WAL.
    await child?.stop(10_000);
    // Go's listener is closed by then; wait until the kernel agrees, so start() can rebind.
    await waitFor(`port ${port} to close`, async () => !(await portAnswers(port)), { timeoutMs: 5000, intervalMs: 50 });
  }

  starting = start();
  await starting;

  return {
    url,
    port,
    configPath,
    isRunning: () => child?.isRunning() ?? false,
    start: () => (starting = start()),
    stop,
    async restart() {
      await stop();
      await (starting = start());
    },
    async query(expr: string) {
      const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(expr)}`, { signal: AbortSignal.timeout(5000) });
      const body = (await res.json()) as { status: string; error?: string; data?: { resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] } };
      if (body.status !== "success" || !body.data) throw new Error(`Prometheus query failed (${res.status}): ${body.error ?? "no data"}: ${expr}`);
      if (body.data.resultType !== "vector") throw new Error(`expected an instant vector from ${expr}, got ${body.data.resultType}`);
      return body.data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
    },
  };
}
