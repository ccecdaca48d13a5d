// Requests at a steady rate whatever the answers take (an open loop: a server that hangs does not
// slow the callers down, as with real scripts and CI jobs), with a bound on requests in flight so
// a dead server cannot make the suite itself run out of sockets.

export interface SteadyRate {
  /** Requests started so far. */
  started(): number;
  /** Stops starting requests and resolves once those in flight have ended. */
  stop(): Promise<void>;
}

export function steadyRate(perSecond: number, send: (i: number) => Promise<void>, maxInFlight = 1000): SteadyRate {
  const t0 = Date.now();
  let n = 0;
  const inFlight = new Set<Promise<void>>();
  const timer = setInterval(() => {
    const due = Math.floor(((Date.now() - t0) * perSecond) / 1000);
    while (n < due && inFlight.size < maxInFlight) {
      const p: Promise<void> = send(n++)
        .catch(() => undefined)
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
    // Over the bound: those requests are skipped, not queued for a burst later.
    if (n < due) n = due;
  }, 5);
  return {
    started: () => n,
    async stop() {
      clearInterval(timer);
      await Promise.all([...inFlight]);
    },
  };
}
