// Alertmanager for the lab (Debian package prometheus-alertmanager): a plain child process with one
// webhook receiver that posts every alert to a war room cutover's endpoint
// (POST /api/v1/alertmanager/{cutoverId}) with the cutover's bearer token. Short group and repeat
// intervals so a rule that fires in the lab's Prometheus reaches the room in about a second, and
// no clustering (`--cluster.listen-address=` empty): one lab, one instance.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { freePort, portAnswers, spawnManaged, waitFor, type ManagedChild, type SpawnOptions } from "./demo-service";

export const ALERTMANAGER_BINARY = "/usr/bin/prometheus-alertmanager";

/**
 * The lab's alerting rule: the new demo service's injected error rate (set through its /admin)
 * above 5 %. Its `for` is 0 s: the room's own trigger decides how long it must hold.
 */
export const LAB_ALERT_NAME = "DemoNewErrorRateHigh";
export const LAB_ALERT_RULES = [
  "# Written by scripts/lab: edits here are lost.",
  "groups:",
  "  - name: war-room-lab",
  "    rules:",
  `      - alert: ${LAB_ALERT_NAME}`,
  '        expr: max by (service) (demo_injected_error_ratio{service="new"}) > 0.05',
  "        for: 0s",
  "        labels:",
  "          severity: critical",
  "        annotations:",
  '          summary: "Error rate of new above 5 %"',
  '          description: "The new demo service answers {{ $value | humanizePercentage }} of requests with errors."',
  "",
].join("\n");

export interface AlertmanagerOptions {
  /** 0 or unset: a free port. */
  port?: number;
  /** Files go to `<dataDir>/alertmanager/`. */
  dataDir: string;
  /** The war room endpoint, e.g. http://127.0.0.1:3000/api/v1/alertmanager/<cutoverId>. */
  webhookUrl: string;
  /** The cutover's Alertmanager token (wram_…). */
  token: string;
  binary?: string;
  onLine?: SpawnOptions["onLine"];
}

export interface AlertmanagerHandle {
  url: string;
  port: number;
  /** host:port, for Prometheus's alerting.alertmanagers. */
  address: string;
  configPath: string;
  isRunning(): boolean;
  stop(): Promise<void>;
}

export function renderAlertmanagerConfig(webhookUrl: string, token: string): string {
  const u = new URL(webhookUrl);
  if (u.protocol !== "http:" && u.protocol !== "https:") throw new Error(`the webhook URL must be http(s): ${webhookUrl}`);
  if (!/^[A-Za-z0-9_-]{10,200}$/.test(token)) throw new Error("the Alertmanager token must be a plain token (letters, digits, _ or -)");
  // JSON strings are valid YAML scalars: nothing to escape by hand.
  const q = JSON.stringify;
  return [
    "# Written by scripts/lab/alertmanager.ts on every start: edits here are lost.",
    "route:",
    "  receiver: war-room",
    "  group_by: [alertname]",
    "  group_wait: 1s",
    "  group_interval: 1s",
    "  repeat_interval: 1m",
    "receivers:",
    "  - name: war-room",
    "    webhook_configs:",
    `      - url: ${q(webhookUrl)}`,
    "        send_resolved: true",
    "        http_config:",
    "          authorization:",
    "            type: Bearer",
    `            credentials: ${q(token)}`,
    "",
  ].join("\n");
}

export async function startAlertmanager(opts: AlertmanagerOptions): Promise<AlertmanagerHandle> {
  const binary = opts.binary ?? ALERTMANAGER_BINARY;
  const dir = path.resolve(opts.dataDir, "alertmanager");
  const storage = path.join(dir, "data");
  mkdirSync(storage, { recursive: true });
  const configPath = path.join(dir, "alertmanager.yml");
  writeFileSync(configPath, renderAlertmanagerConfig(opts.webhookUrl, opts.token), { mode: 0o600 });
  const port = opts.port || (await freePort());
  const url = `http://127.0.0.1:${port}`;
  if (await portAnswers(port)) throw new Error(`cannot start Alertmanager: 127.0.0.1:${port} is already in use`);
  const args = [`--config.file=${configPath}`, `--storage.path=${storage}`, `--web.listen-address=127.0.0.1:${port}`, "--cluster.listen-address=", "--log.level=warn"];
  const child: ManagedChild = spawnManaged(binary, args, { label: "alertmanager", dieWithParent: true, onLine: opts.onLine });
  try {
    await waitFor(`Alertmanager to be ready on ${url}/-/ready`, async () => (await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1000) })).ok, { child, timeoutMs: 30_000 });
  } catch (err) {
    await child.stop(2000);
    if ((err as Error).message.includes("ENOENT")) throw new Error(`cannot run ${binary}: not found (install the Debian package: apt-get install -y prometheus-alertmanager)`);
    throw err;
  }
  return {
    url,
    port,
    address: `127.0.0.1:${port}`,
    configPath,
    isRunning: () => child.isRunning(),
    async stop() {
      await child.stop(10_000);
      await waitFor(`port ${port} to close`, async () => !(await portAnswers(port)), { timeoutMs: 5000, intervalMs: 50 });
    },
  };
}
