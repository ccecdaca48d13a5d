// The background jobs the leader process runs (lib/jobs/leader.ts elects it): each starts when
// this process becomes leader and stops when it no longer is, so timers and workers run on one
// process only and resume on the next leader after a failover.
import { startPoller } from "./poller";
import { evaluateTriggers } from "@/lib/services/triggers";
import { startCheckInsJob } from "./checkins";

export interface LeaderJob {
  name: string;
  /** Starts the job; returns how to stop it (bounded: shutdown waits for it). */
  start(log: (line: string) => void): () => Promise<void>;
}

export const LEADER_JOBS: readonly LeaderJob[] = [
  // Prometheus queries on each cutover's grid, and the rollback triggers on their samples.
  { name: "poller", start: (log) => startPoller({ log, onSamples: evaluateTriggers }) },
  // Check-ins coming due and overdue, and the escalation ladder of unacknowledged incidents.
  { name: "checkins", start: (log) => startCheckInsJob({ log }) },
];

/** Starts every job; the returned function stops them all. */
export function startLeaderJobs(log: (line: string) => void, jobs: readonly LeaderJob[] = LEADER_JOBS): () => Promise<void> {
  const stops = jobs.map((j) => ({ name: j.name, stop: j.start(log) }));
  return async () => {
    await Promise.all(stops.map((s) => s.stop().catch((err: unknown) => log(`${s.name}: stopping failed: ${(err as Error).message}`))));
  };
}
