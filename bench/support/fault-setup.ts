// The set-ups the fault rows start from: one app (embedded PostgreSQL) with the lab, or several
// app processes on one PostgreSQL with the lab, as in production. Everything started is handed to
// the row's Cleanup, so it is stopped even when the row fails half-way.
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { startLab, type Lab, type LabOptions } from "../../scripts/lab/index";
import { labIntegrations, mergeIntoServerConfig, type LabConfigEntry } from "../../scripts/lab/server-config";
import { startApp, type BenchApp, type StartAppOptions } from "./app";
import { Api, Cleanup, embeddedOwnerUrl, query, sleep, startSharedPostgres, stopLeftoverPostgres, type ApiAnswer } from "./faults";

/** Names the lab's router and Prometheus in the app's configuration. */
export const PREFIX = "faults";
export const ROUTER = `${PREFIX}-haproxy`;
export const PROMETHEUS = `${PREFIX}-prometheus`;

export interface RowContext {
  /** The row's number: its files go to .data/faults/<n>-… */
  n: number;
  cleanup: Cleanup;
  /** A progress line on stderr (the table goes to stdout). */
  note(line: string): void;
}

export const dirOf = (ctx: RowContext, name: string) => path.resolve(`.data/faults/${ctx.n}-${name}`);

export async function labFor(ctx: RowContext, opts: Omit<LabOptions, "dataDir" | "handleSignals"> = {}): Promise<Lab> {
  const lab = await startLab({ ...opts, dataDir: dirOf(ctx, "lab"), handleSignals: false });
  // restartHaproxy() replaces lab.haproxy: stop whichever runs at the end.
  ctx.cleanup.add("lab", async () => {
    await lab.haproxy.stop().catch(() => undefined);
    await lab.stop();
  });
  return lab;
}

export interface FaultApp extends BenchApp {
  /** Its embedded PostgreSQL's directory (credentials, `cluster/`), as the app reported it. */
  postgresRoot: string;
}

// The app says where its embedded PostgreSQL keeps its data: the suite follows it there, should
// it ever move out of the data directory.
const EMBEDDED_LINE = /embedded PostgreSQL (?:started|joined) on [^,]+, data in (\S+)/;

/** One app on its own embedded PostgreSQL (unless env says otherwise), stopped with its database at the end. */
export async function appFor(ctx: RowContext, opts: StartAppOptions & { name?: string } = {}): Promise<FaultApp> {
  const dataDir = opts.dataDir ?? dirOf(ctx, opts.name ?? "app");
  let cluster: string | null = null;
  const app = await startApp({
    ...opts,
    dataDir,
    onLine: (line) => {
      cluster ??= EMBEDDED_LINE.exec(line)?.[1] ?? null;
      opts.onLine?.(line);
    },
  });
  const postgresRoot = cluster ? path.dirname(cluster) : path.join(dataDir, "postgres");
  ctx.cleanup.add(`app ${dataDir}`, async () => {
    await app.stop();
    // An app SIGKILLed by the row leaves its embedded PostgreSQL behind.
    await stopLeftoverPostgres(postgresRoot);
  });
  return Object.assign(app, { postgresRoot });
}

/** The lab's router and Prometheus (and `extra`) in an app's configuration file, read again by the app within a second. */
export async function configure(app: { dataDir: string }, lab: Lab | null, extra: LabConfigEntry[] = []): Promise<void> {
  mergeIntoServerConfig(path.join(app.dataDir, "warroom.config.json"), [...(lab ? labIntegrations(lab, PREFIX) : []), ...extra]);
  await sleep(1500);
}

export interface Replicas {
  apps: FaultApp[];
  apis: Api[];
  /** The shared database's owner URL, for the row's own checks. */
  ownerUrl: string;
}

/**
 * `count` app processes on one PostgreSQL (a cluster this suite owns, not any app's), sharing the
 * secrets a real deployment shares (session signing, the secret key) and one configuration file.
 * WARROOM_DEMO=1 gives them the demo team, so two people can press buttons.
 */
export async function replicasFor(ctx: RowContext, count: number, lab: Lab | null, opts: { onLine?: (replica: number, line: string) => void } = {}): Promise<Replicas> {
  const pgDir = dirOf(ctx, "postgres");
  const pgHandle = await startSharedPostgres(pgDir);
  ctx.cleanup.add("shared postgres", () => pgHandle.stop());
  const configFile = path.join(dirOf(ctx, "config"), "warroom.config.json");
  mkdirSync(path.dirname(configFile), { recursive: true });
  mergeIntoServerConfig(configFile, lab ? labIntegrations(lab, PREFIX) : []);
  const env = {
    DATABASE_URL: pgHandle.runtimeUrl,
    MIGRATION_DATABASE_URL: pgHandle.ownerUrl,
    WARROOM_CONFIG: configFile,
    WARROOM_SECRET_KEY: randomBytes(32).toString("base64"),
    AUTH_SECRET: randomBytes(32).toString("base64url"),
    WARROOM_DEMO: "1",
  };
  const apps: FaultApp[] = [];
  // One after the other: the first migrates and seeds, the others find it done.
  for (let i = 0; i < count; i++) {
    apps.push(await appFor(ctx, { name: `replica-${i + 1}`, env, onLine: opts.onLine ? (line) => opts.onLine!(i, line) : undefined }));
  }
  return { apps, apis: apps.map((a) => new Api(a.url)), ownerUrl: pgHandle.ownerUrl };
}

/** A shift as the traffic tab's override does it (any percent, with a note). */
export function shift(api: Api, cutoverId: string, toPercent: number, timeoutMs = 60_000): Promise<ApiAnswer> {
  return api.post(`/api/v1/cutovers/${cutoverId}/traffic/shift`, { toPercent, override: true, note: "faults" }, { timeoutMs });
}

export interface LabRoom {
  lab: Lab;
  app: FaultApp;
  api: Api;
  /** The app's database (owner), for what the row checks was recorded. */
  db: string;
  cutoverId: string;
}

/** One app with the lab and a cutover that moves the lab's HAProxy, at `split` % on new. */
export async function labRoom(ctx: RowContext, name: string, split: number, labOpts: Omit<LabOptions, "dataDir" | "handleSignals"> = {}): Promise<LabRoom> {
  const lab = await labFor(ctx, labOpts);
  const app = await appFor(ctx);
  await configure(app, lab);
  const api = new Api(app.url);
  const cutoverId = await api.createCutover({ name: `Faults: ${name}`, router: ROUTER });
  if (split > 0) {
    const a = await shift(api, cutoverId, split);
    if (a.status !== 200) throw new Error(`shift to ${split} %: ${a.status} ${a.message}`);
  }
  return { lab, app, api, db: embeddedOwnerUrl(app.postgresRoot), cutoverId };
}

/** What the database says was done to a cutover's traffic. */
export async function trafficRecord(ownerUrl: string, cutoverId: string) {
  const [row] = await query<{ percent: number; verified: string; shifted: string; failed: string }>(
    ownerUrl,
    `SELECT c.traffic_percent AS percent,
            (SELECT count(*) FROM traffic_changes t WHERE t.cutover_id = c.id AND t.state = 'verified') AS verified,
            (SELECT count(*) FROM traffic_changes t WHERE t.cutover_id = c.id AND t.state = 'failed') AS failed,
            (SELECT count(*) FROM audit_events a WHERE a.cutover_id = c.id AND a.action IN ('traffic.shifted', 'rollback.split_verified')) AS shifted
       FROM cutovers c WHERE c.id = $1`,
    [cutoverId],
  );
  return { percent: row!.percent, verified: Number(row!.verified), failed: Number(row!.failed), shifted: Number(row!.shifted) };
}
