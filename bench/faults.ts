// The fault suite: each fault of issue #12 done to a production build with the lab (HAProxy,
// Prometheus, demo services), one markdown row per fault: what was done | what users saw | time
// to recover | acknowledged writes lost | recovered. Every row is bounded in time and stops what
// it started, even when it fails. Everything listens on 127.0.0.1.
// Usage: node --import tsx bench/faults.ts [--only 1,3]   (npm run bench:faults)
import { existsSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { machine } from "./support/app";
import { Cleanup, oneLine, sleep, type FaultRow } from "./support/faults";
import type { RowContext } from "./support/fault-setup";

interface Fault {
  title: string;
  run(ctx: RowContext): Promise<FaultRow>;
}

// Loaded when their row runs: a row's set-up code never runs for a row not asked for.
const FAULTS: (() => Promise<Fault>)[] = [
  () => import("./faults/1-postgres-kill"),
  () => import("./faults/2-prometheus-outage"),
  () => import("./faults/3-haproxy-shift"),
  () => import("./faults/4-haproxy-rollback"),
  () => import("./faults/5-rollback-owner-killed"),
  () => import("./faults/6-leader-killed"),
  () => import("./faults/7-hanging-router"),
  () => import("./faults/8-concurrent-rollback"),
];
/** No row may run longer than this, whatever hangs. */
const ROW_CAP_MS = 5 * 60_000;

function selected(): number[] {
  const i = process.argv.indexOf("--only");
  if (i < 0) return FAULTS.map((_, k) => k + 1);
  const picked = (process.argv[i + 1] ?? "").split(",").map(Number);
  const bad = picked.filter((n) => !Number.isInteger(n) || n < 1 || n > FAULTS.length);
  if (picked.length === 0 || bad.length) throw new Error(`--only takes row numbers 1..${FAULTS.length}, e.g. --only 1,3`);
  return picked;
}

const rows = selected();
if (!existsSync(".next/BUILD_ID")) {
  console.error("[faults] no production build: running npm run build once");
  const r = spawnSync("npm", ["run", "build"], { stdio: "inherit" });
  if (r.status !== 0) throw new Error("npm run build failed");
}

let current: Cleanup | null = null;
// Ctrl-C: stop what the running row started, then leave.
for (const sig of ["SIGINT", "SIGTERM"] as const) {
  process.once(sig, () => {
    console.error(`[faults] ${sig}: stopping what this row started`);
    void Promise.race([current?.run(), sleep(30_000)]).then(() => process.exit(130));
  });
}

const results: FaultRow[] = [];
for (const n of rows) {
  const fault = await FAULTS[n - 1]!();
  const cleanup = new Cleanup();
  current = cleanup;
  const ctx: RowContext = { n, cleanup, note: (line) => console.error(`[faults ${n}] ${line}`) };
  ctx.note(`start: ${fault.title}`);
  const started = Date.now();
  let row: FaultRow;
  let timer: NodeJS.Timeout | undefined;
  try {
    const cap = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the row did not finish within ${ROW_CAP_MS / 60_000} min`)), ROW_CAP_MS);
    });
    row = await Promise.race([fault.run(ctx), cap]);
  } catch (err) {
    console.error(err);
    row = { fault: fault.title, done: "the row could not be run to its end", users: `bench error: ${oneLine((err as Error).message, 200)}`, recover: "–", lost: "–", recovered: false };
  } finally {
    clearTimeout(timer);
    await cleanup.run();
  }
  ctx.note(`done in ${Math.round((Date.now() - started) / 1000)} s: recovered=${row.recovered ? "yes" : "no"}`);
  results.push({ ...row, fault: `${n}. ${row.fault}` });
}
current = null;

console.log(`## Faults (${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC, ${machine()})`);
console.log("| fault | what was done | what users saw | time to recover | acknowledged writes lost | recovered |");
console.log("|---|---|---|---|---|---|");
for (const r of results) console.log(`| ${[r.fault, r.done, r.users, r.recover, r.lost].map((c) => oneLine(c, 400)).join(" | ")} | ${r.recovered ? "yes" : "no"} |`);
// Rows finished but a cleanup may have left a timer: the table is out, leave.
process.exit(0);
