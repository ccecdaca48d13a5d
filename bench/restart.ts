// How long `npm start` takes until the war room answers: a first start (no build in .next) and
// the starts after it on the unchanged checkout. Each start is the real `npm start` (npm, the start
// script, the build when one is due, the server with its embedded PostgreSQL) on a free port with
// a fresh data directory, timed from spawning npm to the first 200 of /health/liveness, then
// stopped with SIGTERM before the next one.
//
//   npx tsx bench/restart.ts [--starts 3] [--keep-build] [--same-data] [--command "<shell command>"]
//
// --same-data keeps one data directory for all the starts, as `npm start` keeps .data: the starts
// after the first find their PostgreSQL cluster, migrations and demo plan in place.
// --keep-build starts from the build that is there instead of removing .next first (then every
// start is a restart). --command times another start command, e.g. the one `npm start` ran before
// it skipped unchanged builds: --command "npm run build && NODE_ENV=production MALLOC_ARENA_MAX=2 node .next/warroom-server/main.mjs".
// It builds .next in this checkout: do not run it while an end-to-end test or another benchmark
// uses the same build.
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "./support/app";

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const starts = Number(option("--starts") ?? 3);
const keepBuild = process.argv.includes("--keep-build");
const sameData = process.argv.includes("--same-data");
const command = option("--command") ?? "npm start";

interface Start {
  ms: number;
  built: boolean;
  /** What the start script spent deciding whether to build (its own log line). */
  checkMs: number | null;
  /** What the server itself reports from its first line to listening (embedded PostgreSQL, migrations, Next). */
  serverMs: number | null;
}

async function timeStart(n: number): Promise<Start> {
  const port = await freePort();
  // Under the project, as the other benchmarks keep theirs: the embedded PostgreSQL runs as its own
  // user, which cannot read a private temporary directory of root's. A fresh one per start unless
  // --same-data: then the starts after the first find their database as a restart does.
  const dataDir = path.resolve(`.data/bench-restart-${process.pid}-${sameData ? 0 : n}`);
  if (!sameData || n === 1) rmSync(dataDir, { recursive: true, force: true });
  const began = performance.now();
  // Its own process group, so that SIGTERM reaches npm, the start script and the server alike.
  const child = spawn("sh", ["-c", command], {
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, PORT: String(port), WARROOM_DATA_DIR: dataDir, DATABASE_URL: "", MIGRATION_DATABASE_URL: "", NEXT_TELEMETRY_DISABLED: "1", WARROOM_LAB: "" },
  });
  let log = "";
  child.stdout.on("data", (d) => (log = (log + d).slice(-20_000)));
  child.stderr.on("data", (d) => (log = (log + d).slice(-20_000)));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const deadline = Date.now() + 600_000;
  let ms = 0;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`start ${n} exited with ${child.exitCode}:\n${log}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health/liveness`)).ok) {
        ms = performance.now() - began;
        break;
      }
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`start ${n} did not answer within 10 minutes:\n${log}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  process.kill(-child.pid!, "SIGTERM");
  await exited;
  // The server stops its embedded PostgreSQL on SIGTERM; wait for the group to be gone.
  for (let i = 0; i < 200; i++) {
    try {
      process.kill(-child.pid!, 0);
    } catch {
      break;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  if (!sameData || n === starts) rmSync(dataDir, { recursive: true, force: true });
  const num = (re: RegExp) => {
    const m = re.exec(log);
    return m ? Number(m[1]) : null;
  };
  return {
    ms,
    built: /building:|Creating an optimized production build/.test(log),
    checkMs: num(/no build needed: .* \(checked in (\d+) ms\)/),
    serverMs: num(/war room ready on \S+ \(listening on [^)]*\) in (\d+) ms/),
  };
}

if (!keepBuild) rmSync(".next", { recursive: true, force: true });
console.log(`command: ${command}\nmachine: ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(" / ")}\n`);
console.log(`data directory: ${sameData ? "one for every start (a restart finds its database)" : "a fresh one per start"}\n`);
console.log("| start | built | ready after | of which: build check | of which: server's own start |\n|---|---|---|---|---|");
const ms = (v: number | null) => (v === null ? "–" : `${(v / 1000).toFixed(2)} s`);
for (let n = 1; n <= starts; n++) {
  const r = await timeStart(n);
  console.log(`| ${n}${n === 1 && !keepBuild ? " (no .next)" : ""} | ${r.built ? "yes" : "no"} | **${(r.ms / 1000).toFixed(1)} s** | ${ms(r.checkMs)} | ${ms(r.serverMs)} |`);
}
console.log(`\nload average after: ${os.loadavg().map((l) => l.toFixed(1)).join(" / ")}`);
