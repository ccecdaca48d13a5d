// The background jobs the leader process runs (lib/jobs/leader.ts elects it): each starts when
// this process becomes leader and stops when it no longer is, so timers and workers run on one
// process only and resume on the next leader after a failover.
import { startPoller } from "./poller";
import { startDeliveryWorker } from "./delivery-worker";
import { evaluateTriggers } from "@/lib/services/triggers";
import { startAnnouncementBindings } from "./announcement-bindings";
import { startAlertTriggers } from "./alert-triggers";
import { startCheckInsJob } from "./checkins";

export interface LeaderJob {
  name: string;
  /** Starts the job; returns how to stop it (bounded: shutdown waits for it). */
  start(log: (line: string) => void): () => Promise<void>;
}

export const LEADER_JOBS: readonly LeaderJob[] = [
  // Prometheus queries on each cutover's grid, and the rollback triggers on their samples.
  { name: "poller", start: (log) => startPoller({ log, onSamples: evaluateTriggers }) },
  // Sends the outbox (deliveries) through the channels, with retries (lib/services/notify/deliver.ts).
  { name: "deliveries", start: (log) => startDeliveryWorker({ log }) },
  // Bound announcements: follows the audit log from its cursor; sends or recommends.
  { name: "announcement-bindings", start: (log) => startAnnouncementBindings({ log }) },
  // Rollback triggers on Alertmanager alerts ("alert X is firing"), every second.
  { name: "alert-triggers", start: (log) => startAlertTriggers({ log }) },
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
