// The loop every leader job runs on: a round now (or after the first interval), then one round
// each interval after the previous round ended, so a slow round is never overtaken by the next.
// A round's failure is logged once while it repeats (the database away for a minute is one line,
// not sixty), and stopping waits for the round in progress.
export interface TickerOptions {
  /** The job's name, first word of its log lines. */
  name: string;
  everyMs: number;
  /** One round. `stopped()` tells a long round to end early. */
  round: (stopped: () => boolean) => Promise<void>;
  log: (line: string) => void;
  /** Run the first round at once (default) or after the first interval. */
  immediately?: boolean;
  /** Runs once before the first round (a backfill); its failure is logged and the rounds go on. */
  before?: () => Promise<void>;
}

export function startTicker(opts: TickerOptions): () => Promise<void> {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let lastError = "";
  const isStopped = () => stopped;

  const round = async () => {
    try {
      await opts.round(isStopped);
      lastError = "";
    } catch (err) {
      const text = (err as Error).message;
      if (text !== lastError) opts.log(`${opts.name}: ${text}`);
      lastError = text;
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      current = round().then(schedule);
    }, opts.everyMs);
    timer.unref?.();
  };
  const firstRound = () => (opts.immediately === false ? Promise.resolve() : round());
  // Without a `before`, the first round starts now, in this call.
  let current: Promise<void> = (
    opts.before
      ? opts
          .before()
          .catch((err: unknown) => opts.log(`${opts.name}: ${(err as Error).message}`))
          .then(firstRound)
      : firstRound()
  ).then(schedule);

  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    await current;
  };
}
