// The delivery worker, one of the leader's jobs (./leader-jobs.ts): every tick it sends what the
// outbox holds that is due (lib/services/notify/deliver.ts), round after round while rounds come
// back full. On another process becoming leader it starts there; what this one was sending when
// it died is claimed again there once its lease ends.
import { deliverDue, type DeliverOptions } from "@/lib/services/notify/deliver";

export function startDeliveryWorker(opts: { log: (line: string) => void; tickMs?: number } & DeliverOptions): () => Promise<void> {
  const tickMs = opts.tickMs ?? 1000;
  const limit = opts.limit ?? 20;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let lastError = "";

  async function round() {
    try {
      while (!stopped && (await deliverDue({ ...opts, limit })) >= limit) {
        // a full round: more may be due at once
      }
      lastError = "";
    } catch (err) {
      // The database went away for a moment: said once, tried again on the next tick.
      const text = (err as Error).message;
      if (text !== lastError) opts.log(`delivery worker: ${text}`);
      lastError = text;
    }
  }

  function schedule() {
    if (stopped) return;
    timer = setTimeout(() => {
      running = round().finally(() => {
        running = null;
        schedule();
      });
    }, tickMs);
    timer.unref?.();
  }
  schedule();

  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    await running;
  };
}
