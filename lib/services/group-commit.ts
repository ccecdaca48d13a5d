// Group commit for commands that each end in one small durable write: the requests that arrive
// while a batch is in flight (or in the same tick) are served together by ONE run of the batch
// function, so that they share one read, one write statement and one WAL flush instead of paying
// for one commit each. Each caller still gets its own answer, and only after `run` returned, i.e.
// after the commit.
//
// Requests with the same key (the same checklist item) never share a batch, nor run while another
// batch holds that key: the later one waits for the next batch and sees the earlier one's result.
// If a batch fails as a whole (a constraint error, a statement PostgreSQL refuses), its requests
// run again one by one, so only the request at fault fails.
//
// No I/O here: the batch function is the caller's. Imported by services only.

export type Outcome<R> = { ok: true; value: R } | { ok: false; error: unknown };

export interface GroupCommitOptions<Q, R> {
  /** Requests with the same key are never in flight at the same time. */
  key(request: Q): string;
  /**
   * Serves a batch: one outcome per request, in the same order. A throw means that nothing of the
   * batch was written; every request is then retried alone.
   */
  run(batch: readonly Q[]): Promise<Outcome<R>[]>;
  /** Most requests per batch. */
  maxBatch?: number;
  /** Batches in flight at once (their keys never overlap). */
  maxInFlight?: number;
}

interface Pending<Q, R> {
  request: Q;
  key: string;
  resolve(value: R): void;
  reject(error: unknown): void;
}

export interface GroupCommitStats {
  batches: number;
  requests: number;
  largest: number;
  /** Batches that failed as a whole and were retried one request at a time. */
  fallbacks: number;
}

export class GroupCommit<Q, R> {
  private queue: Pending<Q, R>[] = [];
  private readonly busy = new Set<string>();
  private inFlight = 0;
  private scheduled = false;
  private readonly maxBatch: number;
  private readonly maxInFlight: number;
  readonly stats: GroupCommitStats = { batches: 0, requests: 0, largest: 0, fallbacks: 0 };

  constructor(private readonly opts: GroupCommitOptions<Q, R>) {
    this.maxBatch = Math.max(1, opts.maxBatch ?? 256);
    this.maxInFlight = Math.max(1, opts.maxInFlight ?? 1);
  }

  submit(request: Q): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ request, key: this.opts.key(request), resolve, reject });
      this.schedule();
    });
  }

  // setImmediate, not a microtask: requests whose bodies arrived in the same poll of the event
  // loop join the same batch.
  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.maxInFlight || this.queue.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    while (this.inFlight < this.maxInFlight) {
      const batch = this.take();
      if (batch.length === 0) return;
      this.inFlight++;
      for (const p of batch) this.busy.add(p.key);
      void this.execute(batch).finally(() => {
        for (const p of batch) this.busy.delete(p.key);
        this.inFlight--;
        this.schedule();
      });
    }
  }

  /** The oldest waiting requests whose keys are free, at most one per key, in arrival order. */
  private take(): Pending<Q, R>[] {
    const batch: Pending<Q, R>[] = [];
    const rest: Pending<Q, R>[] = [];
    const keys = new Set<string>();
    for (const p of this.queue) {
      if (batch.length < this.maxBatch && !this.busy.has(p.key) && !keys.has(p.key)) {
        keys.add(p.key);
        batch.push(p);
      } else {
        rest.push(p);
      }
    }
    this.queue = rest;
    return batch;
  }

  private async runChecked(batch: readonly Pending<Q, R>[]): Promise<Outcome<R>[]> {
    const outcomes = await this.opts.run(batch.map((p) => p.request));
    if (outcomes.length !== batch.length) throw new Error(`group commit: ${outcomes.length} outcomes for ${batch.length} requests`);
    return outcomes;
  }

  private async execute(batch: Pending<Q, R>[]): Promise<void> {
    this.stats.batches++;
    this.stats.requests += batch.length;
    this.stats.largest = Math.max(this.stats.largest, batch.length);
    let outcomes: Outcome<R>[];
    try {
      outcomes = await this.runChecked(batch);
    } catch (error) {
      if (batch.length === 1) {
        outcomes = [{ ok: false, error }];
      } else {
        // Nothing of the batch was written: each request again on its own, so that only the one
        // at fault fails. Their keys are distinct, so they may run side by side.
        this.stats.fallbacks++;
        outcomes = await Promise.all(
          batch.map((p) => this.runChecked([p]).then((o) => o[0]!, (e: unknown): Outcome<R> => ({ ok: false, error: e }))),
        );
      }
    }
    batch.forEach((p, i) => {
      const o = outcomes[i]!;
      if (o.ok) p.resolve(o.value);
      else p.reject(o.error);
    });
  }
}
