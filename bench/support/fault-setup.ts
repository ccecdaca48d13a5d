// The set-ups the fault rows start from: one app (embedded PostgreSQL) with the lab, or several
// app processes on one PostgreSQL with the lab, as in production. Everything started is handed to
// the row's Cleanup, so it is stopped even when the row fails half-way.
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { startLab, type Lab, type LabOptions } from "../../scripts/lab/index";
import { labIntegrations, mergeIntoServerConfig, type LabConfigEntry } from "../../scripts/lab/server-config";
import { startApp, type BenchApp, type StartAppOptions } from "./app";
import { Api, Cleanup, sleep, startSharedPostgres, stopLeftoverPostgres } from "./faults";

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

/** One app on its own embedded PostgreSQL, stopped (and its database with it) at the end. */
export async function appFor(ctx: RowContext, opts: StartAppOptions & { name?: string } = {}): Promise<BenchApp> {
  const dataDir = opts.dataDir ?? dirOf(ctx, opts.name ?? "app");
  const app = await startApp({ ...opts, dataDir });
  ctx.cleanup.add(`app ${dataDir}`, async () => {
    await app.stop();
    // An app SIGKILLed by the row leaves its embedded PostgreSQL behind.
    await stopLeftoverPostgres(dataDir);
  });
  return app;
}

/** The lab's router and Prometheus (and `extra`) in an app's configuration file, read again by the app within a second. */
export async function configure(app: { dataDir: string }, lab: Lab | null, extra: LabConfigEntry[] = []): Promise<void> {
  mergeIntoServerConfig(path.join(app.dataDir, "warroom.config.json"), [...(lab ? labIntegrations(lab, PREFIX) : []), ...extra]);
  await sleep(1500);
}

export interface Replicas {
  apps: BenchApp[];
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
  const apps: BenchApp[] = [];
  // One after the other: the first migrates and seeds, the others find it done.
  for (let i = 0; i < count; i++) {
    apps.push(await appFor(ctx, { name: `replica-${i + 1}`, env, onLine: opts.onLine ? (line) => opts.onLine!(i, line) : undefined }));
  }
  return { apps, apis: apps.map((a) => new Api(a.url)), ownerUrl: pgHandle.ownerUrl };
}
