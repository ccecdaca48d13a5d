// The lab's load generator: a steady, bounded request rate through HAProxy, counting answers by
// which service served them (the `x-served-by` header). Local targets only: it is a lab tool,
// and a bounded rate against 127.0.0.1 can never turn into an accidental load test of someone else.
import http from "node:http";

export const MAX_RATE = 2000;
export const MAX_DURATION_S = 600;
const DEFAULT_DURATION_S = 60;
const MAX_STORED = 100_000;
const MAX_IN_FLIGHT = 512;
const TICK_MS = 10;
const REQUEST_TIMEOUT_MS = 70_000;
const LOCAL_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

export interface LoadOptions {
  /** http://127.0.0.1:port/... or http://localhost:port/...; anything else is refused. */
  url: string;
  /** Requests per second, > 0 and ≤ 2000. */
  rate: number;
  /** How long to run, > 0 and ≤ 600 s (default 60). */
  durationS?: number;
  /** Stop after this many requests were sent. */
  maxRequests?: number;
}

/**
 * Totals since the start (or the last reset). `old` and `new` count every answer by its
 * `x-served-by` header, whatever the status; `other` counts answers without a known
 * `x-served-by` (e.g. HAProxy's own 503) and transport failures; so old + new + other = total.
 * `errors` counts status ≥ 500 and transport failures, whoever served them.
 */
export interface LoadCounts {
  old: number;
  new: number;
  errors: number;
  other: number;
  total: number;
  /** Requests sent but not answered yet. */
  inFlight: number;
  /** Requests not sent because MAX_IN_FLIGHT were still waiting (the target is too slow). */
  dropped: number;
}

export interface LoadResponse {
  /** Date.now() when the answer (or the failure) arrived. */
  at: number;
  /** The `x-served-by` header, or null. */
  servedBy: string | null;
  /** HTTP status; 0 for a transport failure. */
  status: number;
}

export interface LoadHandle {
  readonly rate: number;
  readonly durationS: number;
  counts(): LoadCounts;
  /** Answers that arrived at or after `sinceMs` (Date.now() time), oldest first; the last 100k are kept. */
  responses(sinceMs?: number): LoadResponse[];
  /** Zeroes the counts and forgets the stored responses; the load keeps running. */
  reset(): void;
  /** Stops sending, waits (up to 5 s) for the requests in flight, resolves with the final counts. */
  stop(): Promise<LoadCounts>;
  /** Resolves with the final counts once the load ends (duration, maxRequests, or stop()). */
  done: Promise<LoadCounts>;
  /** Called for every answer; returns an unsubscribe function. */
  onResponse(cb: (r: LoadResponse) => void): () => void;
}

/** Share (0..1) of `servedBy` among the answers in `list`; NaN when the list is empty. */
export function shareOf(list: LoadResponse[], servedBy: string): number {
  if (list.length === 0) return NaN;
  return list.filter((r) => r.servedBy === servedBy).length / list.length;
}

function validate(opts: LoadOptions): { url: URL; rate: number; durationS: number; maxRequests: number } {
  let url: URL;
  try {
    url = new URL(opts.url);
  } catch {
    throw new Error(`load: not a URL: ${JSON.stringify(opts.url)}`);
  }
  if (url.protocol !== "http:") throw new Error(`load: only http:// URLs are supported, got ${url.protocol}//`);
  if (!LOCAL_HOSTS.has(url.hostname)) throw new Error(`load: refusing to send load to ${url.hostname}: only 127.0.0.1, localhost or [::1] are allowed`);
  if (typeof opts.rate !== "number" || !Number.isFinite(opts.rate) || opts.rate <= 0 || opts.rate > MAX_RATE) {
    throw new RangeError(`load: rate must be a number > 0 and ≤ ${MAX_RATE} requests/s, got ${opts.rate}`);
  }
  const durationS = opts.durationS ?? DEFAULT_DURATION_S;
  if (!Number.isFinite(durationS) || durationS <= 0 || durationS > MAX_DURATION_S) {
    throw new RangeError(`load: duration must be > 0 and ≤ ${MAX_DURATION_S} s, got ${durationS}`);
  }
  const maxRequests = opts.maxRequests ?? Infinity;
  if (maxRequests !== Infinity && (!Number.isInteger(maxRequests) || maxRequests <= 0)) throw new RangeError(`load: maxRequests must be a positive integer, got ${maxRequests}`);
  return { url, rate: opts.rate, durationS, maxRequests };
}

export function startLoad(opts: LoadOptions): LoadHandle {
  const { url, rate, durationS, maxRequests } = validate(opts);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 128 });
  const zero = (): Omit<LoadCounts, "inFlight"> => ({ old: 0, new: 0, errors: 0, other: 0, total: 0, dropped: 0 });
  let counts = zero();
  let inFlight = 0;
  // A ring buffer: a long run at 2000 req/s must not grow memory without bound.
  let ring: LoadResponse[] = [];
  let ringStart = 0;
  const listeners = new Set<(r: LoadResponse) => void>();

  function record(servedBy: string | null, status: number) {
    const r: LoadResponse = { at: Date.now(), servedBy, status };
    counts.total++;
    if (servedBy === "old") counts.old++;
    else if (servedBy === "new") counts.new++;
    else counts.other++;
    if (status === 0 || status >= 500) counts.errors++;
    if (ring.length < MAX_STORED) ring.push(r);
    else {
      ring[ringStart] = r;
      ringStart = (ringStart + 1) % MAX_STORED;
    }
    for (const cb of listeners) {
      try {
        cb(r);
      } catch {
        /* a listener's bug must not stop the load */
      }
    }
  }

  let idle: (() => void) | null = null;
  function settle() {
    inFlight--;
    if (inFlight === 0 && idle) idle();
  }

  function sendOne() {
    inFlight++;
    let finished = false;
    const finish = (servedBy: string | null, status: number) => {
      if (finished) return;
      finished = true;
      record(servedBy, status);
      settle();
    };
    const req = http.get(url, { agent, headers: { "user-agent": "cutover-war-room-lab-load" } }, (res) => {
      const header = res.headers["x-served-by"];
      const servedBy = typeof header === "string" ? header : null;
      const status = res.statusCode ?? 0;
      res.resume();
      res.once("end", () => finish(servedBy, status));
      res.once("error", () => finish(servedBy, 0));
      res.once("aborted", () => finish(servedBy, 0));
    });
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error("timeout")));
    req.once("error", () => finish(null, 0));
  }

  const t0 = Date.now();
  const endAt = t0 + durationS * 1000;
  let sent = 0;
  let skipped = 0;
  let timer: NodeJS.Timeout | null = null;
  let resolveDone!: (c: LoadCounts) => void;
  const done = new Promise<LoadCounts>((r) => (resolveDone = r));
  const snapshot = (): LoadCounts => ({ ...counts, inFlight });

  function tick() {
    const now = Date.now();
    if (now >= endAt || sent >= maxRequests) return void finish();
    const due = Math.floor(((now - t0) / 1000) * rate) - sent - skipped;
    // After a stall (event loop blocked, machine suspended) never burst to catch up: the rate
    // is a ceiling. Requests beyond 100 ms worth are skipped for good.
    const burst = Math.max(1, Math.ceil(rate / 10));
    if (due > burst) skipped += due - burst;
    for (let i = 0; i < Math.min(due, burst) && sent < maxRequests; i++) {
      sent++;
      if (inFlight >= MAX_IN_FLIGHT) counts.dropped++;
      else sendOne();
    }
    timer = setTimeout(tick, TICK_MS);
  }

  let finishing: Promise<LoadCounts> | null = null;
  function finish(): Promise<LoadCounts> {
    if (finishing) return finishing;
    if (timer) clearTimeout(timer);
    finishing = (async () => {
      if (inFlight > 0) {
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, 5000);
          idle = () => {
            clearTimeout(t);
            resolve();
          };
        });
      }
      agent.destroy();
      const final = snapshot();
      resolveDone(final);
      return final;
    })();
    return finishing;
  }

  timer = setTimeout(tick, 0);

  return {
    rate,
    durationS,
    counts: snapshot,
    responses(sinceMs = 0) {
      const ordered = ring.length < MAX_STORED ? ring : [...ring.slice(ringStart), ...ring.slice(0, ringStart)];
      return ordered.filter((r) => r.at >= sinceMs);
    },
    reset() {
      counts = zero();
      ring = [];
      ringStart = 0;
    },
    stop: finish,
    done,
    onResponse(cb) {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
  };
}
