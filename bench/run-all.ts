// `npm run bench`: every benchmark in turn (each prints a markdown block for bench/RESULTS.md).
// Benchmarks start their own app, database and lab on 127.0.0.1; run them on an idle machine.
import { spawnSync } from "node:child_process";

const benches = ["signoff-fanout.ts", "signoff-api.ts", "socket-fanout.ts", "rollback-latency.ts", "trigger-latency.ts", "room-weight.ts", "status-page.ts"];
let failed = 0;
for (const b of benches) {
  console.log(`\n=== bench/${b}`);
  const r = spawnSync(process.execPath, ["--import", "tsx", `bench/${b}`], { stdio: "inherit" });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
