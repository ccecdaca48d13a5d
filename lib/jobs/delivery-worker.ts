// The delivery worker, one of the leader's jobs (./leader-jobs.ts): every tick it sends what the
// outbox holds that is due (lib/services/notify/deliver.ts), round after round while rounds come
// back full. On another process becoming leader it starts there; what this one was sending when
// it died is claimed again there once its lease ends.
import { deliverDue, type DeliverOptions } from "@/lib/services/notify/deliver";
import { startTicker } from "./ticker";

export function startDeliveryWorker(opts: { log: (line: string) => void; tickMs?: number } & DeliverOptions): () => Promise<void> {
  const limit = opts.limit ?? 20;
  return startTicker({
    name: "delivery worker",
    everyMs: opts.tickMs ?? 1000,
    immediately: false,
    log: opts.log,
    round: async (stopped) => {
      while (!stopped() && (await deliverDue({ ...opts, limit })) >= limit) {
        // a full round: more may be due at once
      }
    },
  });
}
