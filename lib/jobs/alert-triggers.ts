// The leader's evaluation of alert triggers ("alert X is firing"), every second: a rule's `for`
// runs out while no notification arrives, so time alone must move it. The endpoint also evaluates
// a cutover's rules at once when one of its alerts changes status (lib/services/alerts.ts); the
// version check of lib/services/triggers.ts keeps the two from acting twice.
import { evaluateAlertTriggers } from "@/lib/services/triggers";
import { startTicker } from "./ticker";

export const ALERT_TRIGGER_INTERVAL_MS = 1000;

export function startAlertTriggers(opts: { log: (line: string) => void; intervalMs?: number; evaluate?: (at: number) => Promise<void> }): () => Promise<void> {
  const evaluate = opts.evaluate ?? ((at: number) => evaluateAlertTriggers(at));
  return startTicker({ name: "alert triggers", everyMs: opts.intervalMs ?? ALERT_TRIGGER_INTERVAL_MS, log: opts.log, round: () => evaluate(Date.now()) });
}
