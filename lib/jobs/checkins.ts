// The check-in and escalation timers, on the leader process only (LEADER_JOBS): every tick makes
// due the check-ins that came due, announces the overdue ones and pages the escalation levels
// that came due. Everything they decide is read from and written to the database with
// conditional writes, so the next leader after a failover resumes where this one stopped.
import { tickCheckIns } from "@/lib/services/checkins";
import { tickEscalation } from "@/lib/services/incidents";

export const CHECKINS_TICK_MS = 1000;

export function startCheckInsJob(opts: { log: (line: string) => void; tickMs?: number; now?: () => number }): () => Promise<void> {
  const tickMs = opts.tickMs ?? CHECKINS_TICK_MS;
  const now = opts.now ?? Date.now;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  // The same failure every second is one log line a minute.
  let lastLog = { text: "", at: 0 };

  async function tick() {
    const at = now();
    const results = await Promise.allSettled([tickCheckIns(at), tickEscalation(at)]);
    for (const r of results) {
      if (r.status !== "rejected") continue;
      const text = `check-ins: ${(r.reason as Error).message}`;
      if (text !== lastLog.text || Date.now() - lastLog.at > 60_000) opts.log(text);
      lastLog = { text, at: Date.now() };
    }
  }

  function schedule() {
    if (stopped) return;
    timer = setTimeout(() => {
      running = tick().finally(() => {
        running = null;
        schedule();
      });
    }, tickMs);
  }
  running = tick().finally(() => {
    running = null;
    schedule();
  });

  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    await running;
  };
}
