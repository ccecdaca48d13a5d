// The war room's server entry (lib/server/main.ts) bundled for production: one ESM file under
// .next/, run by plain node. `npm start`, the end-to-end tests and the benchmarks all run this,
// so what is tested and measured is what a user starts. Running TypeScript through a loader at
// run time (tsx) would keep a compiler and every transformed source in memory.
//
//   tsx scripts/server-bundle.ts [outfile]     bundles (a fraction of a second)
import { mkdirSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { buildSync, type BuildOptions } from "esbuild";

export const SERVER_BUNDLE = ".next/warroom-server/main.mjs";
/** Where lib/services/plan-import.ts looks for the runbook reader (RUNBOOK_WORKER_BUNDLE there). */
export const RUNBOOK_WORKER_BUNDLE = ".next/warroom-server/runbook-worker.mjs";

/**
 * How node runs the bundle (scripts/start.ts, behind `npm start`, runs it with these). Two malloc
 * arenas keep the resident set of a long-running server with thousands of sockets small. V8's young
 * generation stays at its default: capping it at 8 MB saved ~15 MB of RSS at 2,000 sockets but
 * made rollbacks slower at the tail (more scavenges): HAProxy p95 to traffic moved 26-31 ms
 * against 15-21 ms without the cap (bench/rollback-latency.ts, bench/RESULTS.md).
 */
export const SERVER_NODE_ARGS: string[] = [];
export const SERVER_ENV: Record<string, string> = { NODE_ENV: "production", MALLOC_ARENA_MAX: "2" };

/**
 * Bundles lib/server/main.ts into `outfile`. Packages stay external (node_modules is there at run
 * time). The lab is not in it: with WARROOM_LAB=1 it is preloaded from source through tsx
 * (scripts/lab/register.ts) and registers itself as a start hook.
 */
export function bundleServer(outfile: string = SERVER_BUNDLE): string {
  bundle("lib/server/main.ts", outfile, { packages: "external" });
  bundleRunbookWorker();
  return outfile;
}

/**
 * Bundles the runbook reader (lib/services/runbook-worker.ts) into one self-contained file: the
 * custom server and the code Next compiles into .next both start it by this path from the project
 * root, so it must not depend on where either of them was bundled to. Its packages (the markdown
 * parser, zod) are inside it: it loads without resolving anything.
 */
export function bundleRunbookWorker(outfile: string = RUNBOOK_WORKER_BUNDLE): string {
  return bundle("lib/services/runbook-worker.ts", outfile);
}

/** One ESM file for node from `entry`, written to `outfile` (its folder made first). */
function bundle(entry: string, outfile: string, options: Pick<BuildOptions, "packages"> = {}): string {
  mkdirSync(path.dirname(outfile), { recursive: true });
  buildSync({ entryPoints: [entry], bundle: true, platform: "node", format: "esm", target: "node20", outfile, logLevel: "warning", ...options });
  return outfile;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  console.log(`server bundle: ${bundleServer(process.argv[2])}`);
}
