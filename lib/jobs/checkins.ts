// The check-in and escalation timers, on the leader process only (LEADER_JOBS): every tick makes
// due the check-ins that came due, announces the overdue ones and pages the escalation levels
// that came due. Everything they decide is read from and written to the database with
// conditional writes, so the next leader after a failover resumes where this one stopped.
import { tickCheckIns } from "@/lib/services/checkins";
import { tickEscalation } from "@/lib/services/incidents";
import { startTicker } from "./ticker";

export const CHECKINS_TICK_MS = 1000;

export function startCheckInsJob(opts: { log: (line: string) => void; tickMs?: number; now?: () => number }): () => Promise<void> {
  const now = opts.now ?? Date.now;
  return startTicker({
    name: "check-ins",
    everyMs: opts.tickMs ?? CHECKINS_TICK_MS,
    log: opts.log,
    round: async () => {
      const at = now();
      // Escalation goes on when the check-ins fail, and the other way round.
      const results = await Promise.allSettled([tickCheckIns(at), tickEscalation(at)]);
      const failed = results.flatMap((r) => (r.status === "rejected" ? [(r.reason as Error).message] : []));
      if (failed.length) throw new Error(failed.join("; "));
    },
  });
}
