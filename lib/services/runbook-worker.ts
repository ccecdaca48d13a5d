// The worker thread that reads runbooks (lib/services/plan-import.ts starts it). It holds nothing
// but the pure importer, so the reader can be terminated at any instant without losing state.
// Bundled on its own by scripts/server-bundle.ts into .next/warroom-server/runbook-worker.mjs.
import { parentPort } from "node:worker_threads";
import { importRunbook } from "../domain/runbook-import";

export interface RunbookJob {
  id: number;
  markdown: string;
}

const port = parentPort;
if (!port) throw new Error("lib/services/runbook-worker runs only as a worker thread");
port.on("message", (job: RunbookJob) => {
  port.postMessage({ id: job.id, plan: importRunbook(job.markdown) });
});
// One small document before saying ready: the parser's first call builds its tables and the JIT
// has not seen the code yet, and that cost belongs to starting the worker, not to the budget of
// the first real document.
importRunbook(
  "# Warm-up\n## Phase (2 hours before)\n**Checks**:\n- [ ] Backups verified T-30m\n  - [x] nested\n\n| Risk | Impact | Mitigation |\n|---|---|---|\n| a | high | b |\n\n```\n06:00 AM - Start\n├─ detail\n```\n" +
    "#### 1. Steps (Day 1)\n- Flag service configured\n  - a note\n\n✅ Done â†’ ok\n\n| Metric | Warning | Critical |\n|---|---|---|\n| P95 Latency | > 500ms | > 1s |\n\n" +
    "## Rollback triggers\n- If error rate > 5% for 5 minutes → ROLLBACK\n\n## Success criteria\n- Error rate < 1%\n\n| Name | Role | Contact |\n|---|---|---|\n| A | DBA | a@example.com |\n",
);
port.postMessage({ ready: true });
