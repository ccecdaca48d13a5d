// How long the runbook importer takes on hostile documents, per size: linear work doubles when
// the size doubles. Prints a markdown table for bench/RESULTS.md.
//
//   npx tsx bench/runbook-import.ts [--sizes 125000,250000,500000,1000000]
import os from "node:os";
import { performance } from "node:perf_hooks";
import { importRunbook, MAX_RUNBOOK_CHARS } from "../lib/domain/runbook-import";
import { HOSTILE } from "./support/hostile-runbooks";

const arg = process.argv.indexOf("--sizes");
const sizes = (arg > 0 ? process.argv[arg + 1]! : "125000,250000,500000,1000000").split(",").map(Number);

function ms(doc: string): number {
  // Best of three: the least disturbed by the other work on a shared machine.
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    importRunbook(doc);
    best = Math.min(best, performance.now() - t);
  }
  return best;
}

importRunbook(HOSTILE["many items"]!(10_000)); // warm-up: the parser's modules and the JIT
console.log(`${os.cpus()[0]?.model ?? "cpu"} × ${os.cpus().length}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}\n`);
console.log(`| document | ${sizes.map((s) => `${(s / 1000).toLocaleString("en-US")} k chars`).join(" | ")} | ratio last/first |`);
console.log(`|---|${sizes.map(() => "---:").join("|")}|---:|`);
for (const [name, shape] of Object.entries(HOSTILE)) {
  const times = sizes.map((s) => {
    const doc = shape(Math.min(s, MAX_RUNBOOK_CHARS));
    if (doc.length > MAX_RUNBOOK_CHARS) throw new Error(`${name} at ${s}: ${doc.length} characters, over the limit`);
    return ms(doc);
  });
  const ratio = times[times.length - 1]! / Math.max(times[0]!, 0.01);
  console.log(`| ${name} | ${times.map((t) => `${t.toFixed(1)} ms`).join(" | ")} | ${ratio.toFixed(1)} × (size × ${sizes[sizes.length - 1]! / sizes[0]!}) |`);
}
