// The one server process: Next (App Router) and socket.io on one port, the PostgreSQL bus,
// and, when no DATABASE_URL is given, the embedded PostgreSQL. Stops cleanly on SIGTERM/SIGINT.
import { createServer } from "node:http";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import next from "next";
import { config, demoExposureWarning, listenHost, signInSettings } from "@/lib/config";
import { SignInConfigError } from "@/lib/domain/sso";
import { clientAddress } from "@/lib/domain/request-input";
import { openDatabase, prepareDatabase, StartupError } from "@/lib/db/connection";
import { closeDb } from "@/lib/db/client";
import { closeLockPool } from "@/lib/db/cutover-lock";
import { listen } from "@/lib/realtime/bus";
import { AppError } from "@/lib/errors";
import { forgetApiTokens } from "@/lib/auth/bearer";
import { loadSecretKey, SecretKeyError } from "@/lib/secrets/crypto";
import { createSocketServer } from "@/lib/realtime/socket-server";
import { createPool } from "@/lib/db/pool";
import { metrics, routeLabel } from "@/lib/observability/metrics";
import { bootstrapUsers } from "@/lib/services/bootstrap";
import { registerAdminToken } from "@/lib/services/api-tokens";
import { runAsLeader } from "@/lib/jobs/leader";
import { runStartHooks, startHooks } from "./start-hooks";
import { attachDemoToLab } from "@/lib/services/demo-cutover";
import { serveFastApi } from "./fast-api";
import { createStatusPages } from "./status-page";
import { startLeaderJobs } from "@/lib/jobs/leader-jobs";
import { addServerConfigFile, loadServerConfig, ServerConfigError, serverConfigFile } from "@/lib/config/server-config";
import { initIntegrations } from "@/lib/integrations/resolve";
import { reconcileTraffic } from "@/lib/services/traffic/reconcile";

// Advisory lock key of the leader that runs the poller and trigger evaluation.
const JOBS_LOCK = 724_001;

const log = (line: string) => console.log(`[warroom] ${line}`);
const dev = process.argv.includes("--dev");

function authSecret(): string {
  const fromEnv = process.env.AUTH_SECRET || process.env.NEXTAUTH_SECRET;
  if (fromEnv) return fromEnv;
  // Kept beside the data so sessions survive a restart; never committed (.data is ignored).
  const file = path.join(config.dataDir, "auth-secret");
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600 });
  return readFileSync(file, "utf8").trim();
}

let embeddedStop: (() => Promise<void>) | null = null;

async function main() {
  const started = Date.now();
  mkdirSync(config.dataDir, { recursive: true });
  try {
    const file = loadServerConfig({ log });
    const where = serverConfigFile();
    if (where) log(`server configuration ${where}: ${file.integrations.length} integration(s), ${file.allowHosts.length} allowed host(s)`);
  } catch (err) {
    if (err instanceof ServerConfigError) throw new StartupError(err.message);
    throw err;
  }
  try {
    const signIn = signInSettings();
    if (signIn.oidc) log(`sign-in: ${signIn.oidc.name} through OpenID Connect (${signIn.oidc.issuer})${signIn.passwordSignIn ? " and passwords" : "; passwords turned off"}`);
  } catch (err) {
    if (err instanceof SignInConfigError) throw new StartupError(err.message);
    throw err;
  }
  // The client secret now lives in this process's memory only (signInSettings keeps it).
  delete process.env.OIDC_CLIENT_SECRET;
  // The lab is started by its launcher (scripts/lab/register.ts, preloaded by `npm start`): a bare
  // `node main.mjs` with WARROOM_LAB=1 would silently serve without it.
  if (process.env.WARROOM_LAB === "1" && startHooks().length === 0) throw new StartupError("WARROOM_LAB=1: start the server with `npm start` (or node --import tsx --import ./scripts/lab/register.ts …), which starts the lab");
  const secret = authSecret();
  process.env.NEXTAUTH_SECRET = secret;
  process.env.NEXTAUTH_URL ??= `http://localhost:${config.port}`;
  // A wrong WARROOM_SECRET_KEY stops the start here, in one line, not at the first stored secret.
  try {
    loadSecretKey();
  } catch (err) {
    if (err instanceof SecretKeyError) throw new StartupError(err.message);
    throw err;
  }

  const database = await openDatabase({ databaseUrl: config.databaseUrl, migrationDatabaseUrl: process.env.MIGRATION_DATABASE_URL || null, dataDir: config.dataDir, log });
  // The owner's credentials serve the start only: nothing later in this process (or its children) sees them.
  delete process.env.MIGRATION_DATABASE_URL;
  process.env.DATABASE_URL = database.url;
  embeddedStop = database.embedded ? database.embedded.stop : null;
  const applied = await prepareDatabase(database, { log, allowOwnerRuntime: process.env.WARROOM_ALLOW_OWNER_RUNTIME === "1" });
  log(applied.length ? `applied migrations: ${applied.join(", ")}` : "database schema is up to date");
  const demo = config.demo || database.embedded !== null;
  // A configuration the operator must fix (WARROOM_ADMIN_PASSWORD refused by the policy): one line.
  await bootstrapUsers({ demo, log }).catch((err: unknown) => {
    throw err instanceof AppError ? new StartupError(err.message) : err;
  });
  await initIntegrations();
  await reconcileTraffic({ log });
  if (process.env.WARROOM_ADMIN_TOKEN) await registerAdminToken(process.env.WARROOM_ADMIN_TOKEN, log);

  const app = next({ dev, hostname: "localhost", port: config.port, dir: process.cwd() });
  const handle = app.getRequestHandler();
  await app.prepare();

  // The public status pages, from snapshots kept current by the bus (no database work per reader).
  const statusPages = createStatusPages({ log, publicUrl: process.env.NEXTAUTH_URL });
  await statusPages.ready;

  const hostname = listenHost({ host: config.host, demo });
  const http = createServer((req, res) => {
    const t0 = process.hrtime.bigint();
    // The one address every later step trusts (sign-in throttling): what the client sent in
    // X-Forwarded-For is replaced, unless the operator declared a proxy in front.
    req.headers["x-forwarded-for"] = clientAddress({ peer: req.socket.remoteAddress, forwardedFor: req.headers["x-forwarded-for"], trustProxy: config.trustProxy });
    const route = routeLabel(req.url ?? "/");
    res.on("finish", () => {
      const m = metrics();
      m.httpRequests.inc({ route, method: req.method ?? "GET", status: String(res.statusCode) });
      m.httpDuration.observe({ route, method: req.method ?? "GET" }, Number(process.hrtime.bigint() - t0) / 1e9);
    });
    if (statusPages.serve(req, res)) return;
    if (serveFastApi(req, res)) return;
    void handle(req, res);
  });
  // socket.io's PostgreSQL adapter links the processes on this database (rooms, presence); one
  // connection LISTENs, the others publish.
  const socketPool = createPool({ connectionString: database.url, name: "socket-io", max: 4 });
  const sockets = createSocketServer(http, secret, log, { pool: socketPool });
  const bus = listen(database.url, (event) => {
    sockets.forward(event);
    statusPages.onEvent(event);
  }, log, (event) => {
    // Another process disabled someone (or reset their password, or changed their roles).
    forgetApiTokens();
    sockets.accessChanged(event.userId);
  }, () => {
    sockets.resync("database_reconnected");
    void statusPages.refreshAll();
  });
  // Background jobs run on one process only, whatever the number of processes on this database.
  const jobs = runAsLeader({
    url: database.url,
    lockKey: JOBS_LOCK,
    name: "jobs",
    log,
    lead: () => {
      const stopJobs = startLeaderJobs(log);
      metrics().jobsLeader.set(1);
      return async () => {
        metrics().jobsLeader.set(0);
        await stopJobs();
      };
    },
  });

  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(config.port, hostname, () => resolve());
  });
  log(`war room ready on http://localhost:${config.port} (listening on ${hostname}) in ${Date.now() - started} ms${dev ? " (dev)" : ""}`);
  for (const line of demoExposureWarning({ host: config.host, demo, port: config.port }) ?? []) console.warn(`[warroom] ${line}`);
  const stopHooks = startHooks().length ? await runStartHooks({ port: config.port, log, addServerConfigFile, attachDemo: attachDemoToLab }) : null;

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping`);
    const force = setTimeout(() => {
      log("shutdown took longer than 10 s: exiting now");
      process.exit(1);
    }, 10_000);
    force.unref();
    // Each step is bounded: with PostgreSQL gone (the worst day), a pool waiting for a connection
    // must not hold up the others; what is left is ended by the exit.
    const step = async (name: string, run: () => Promise<unknown> | undefined, ms = 2000) => {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<"late">((resolve) => (timer = setTimeout(() => resolve("late"), ms)));
      const outcome = await Promise.race([Promise.resolve(run()).catch(() => {}), late]);
      clearTimeout(timer);
      if (outcome === "late") log(`shutdown: ${name} did not finish within ${ms} ms; going on`);
    };
    http.close();
    http.closeIdleConnections();
    // Open status pages reconnect (to another process, or to this one once restarted).
    statusPages.stop();
    await step("sockets", () => sockets.close());
    await step("socket.io adapter pool", () => socketPool.end(), 1000);
    http.closeAllConnections();
    await step("start hooks", () => stopHooks?.());
    await step("jobs", () => jobs.stop());
    await step("bus", () => bus.stop(), 500);
    await step("database pool", () => closeDb(), 1000);
    await step("traffic-lock pool", () => closeLockPool(), 500);
    await step("next", () => app.close?.(), 1000);
    await step("embedded PostgreSQL", () => database.embedded?.stop(), 5000);
    log("stopped");
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

main().catch(async (err: unknown) => {
  if (err instanceof StartupError) console.error(`[warroom] ${err.message}`);
  else console.error("[warroom] start-up failed:", err);
  await embeddedStop?.().catch(() => {});
  process.exit(1);
});
