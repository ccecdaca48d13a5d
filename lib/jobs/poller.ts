// The metrics poller: on the leader process only, every cutover that is not over is polled at its
// own interval. Each poll runs the instant queries (with a timeout), stores the samples in one
// batch, announces them on the bus, and hands them to the trigger evaluation. A failing query or
// a broken Prometheus is a sample with the reason; it never stops the other metrics or the server.
import { db } from "@/lib/db/client";
import { ACTIVE_STATES } from "@/lib/domain/cutover-state";
import type { PolledSample, Sample } from "@/lib/domain/metrics";
import { queryInstant } from "@/lib/adapters/prometheus/client";
import { announce } from "@/lib/realtime/bus";
import { deleteExpiredSamples, prometheusTarget } from "@/lib/services/metrics";

export type SamplesHandler = (cutoverId: string, samples: PolledSample[], at: number) => Promise<void>;

// A NOTIFY payload holds at most 8000 bytes: announce samples in chunks.
const CHUNK = 25;

interface PolledCutover {
  id: string;
  pollIntervalMs: number;
  prometheusSource: string | null;
  metrics: { id: string; system: string; queryOld: string | null; queryNew: string | null; name: string }[];
}

/**
 * Polls happen on a fixed grid per cutover (first poll, then every interval after it), like a
 * Prometheus rule group: the evaluation time `at` is the grid time, not whenever the timer ran.
 * So a rule with `for: 10s` polled every second fires exactly at the 10th evaluation after it
 * became pending (10 000 ms later, not 9 998 ms because one poll started 2 ms late, which would
 * cost a whole extra interval). A timer set for the next due poll keeps `at` close to real time;
 * the list of cutovers is refreshed every tickMs.
 */
export function startPoller(opts: { log: (line: string) => void; onSamples?: SamplesHandler; tickMs?: number }) {
  const due = new Map<string, number>();
  let known: PolledCutover[] = [];
  // The same failure every poll is one log line a minute, not one a second.
  const lastLog = new Map<string, { text: string; at: number }>();
  const logOnce = (cutoverId: string, text: string) => {
    const prev = lastLog.get(cutoverId);
    if (prev && prev.text === text && Date.now() - prev.at < 60_000) return;
    lastLog.set(cutoverId, { text, at: Date.now() });
    opts.log(`poller: cutover ${cutoverId}: ${text}`);
  };
  const running = new Set<string>();
  let stopped = false;
  let lastCleanup = 0;
  let wake: NodeJS.Timeout | null = null;

  async function pollCutover(c: PolledCutover, at: number) {
    const target = await prometheusTarget(c);
    const jobs: Promise<PolledSample>[] = [];
    for (const m of c.metrics) {
      for (const system of ["old", "new"] as const) {
        const query = system === "old" ? m.queryOld : m.queryNew;
        if (!query || (m.system !== "both" && m.system !== system)) continue;
        jobs.push((target ? queryInstant(target, query, at) : Promise.resolve<Sample>({ at, status: "error", value: null, reason: "no Prometheus source configured" })).then((sample) => ({ metricId: m.id, system, sample })));
      }
    }
    const samples = await Promise.all(jobs);
    if (samples.length === 0) return;
    // The triggers do not wait for the samples to be stored and announced: a rule that fires
    // now acts now.
    const evaluated = Promise.resolve(opts.onSamples?.(c.id, samples, at)).catch((err: unknown) => opts.log(`poller: cutover ${c.id}: trigger evaluation failed: ${(err as Error).message}`));
    await db().metricSample.createMany({
      data: samples.map((s) => ({ metricId: s.metricId, system: s.system, at: new Date(s.sample.at), value: s.sample.status === "ok" ? s.sample.value : null, status: s.sample.status, reason: s.sample.status === "ok" ? null : s.sample.reason.slice(0, 500) })),
    });
    const failed = samples.filter((s) => s.sample.status === "error");
    if (failed.length) {
      const names = new Map(c.metrics.map((m) => [m.id, m.name]));
      logOnce(c.id, `${failed.length}/${samples.length} queries failed, e.g. ${names.get(failed[0]!.metricId)} (${failed[0]!.system}): ${(failed[0]!.sample as { reason: string }).reason}`);
    }
    for (let i = 0; i < samples.length; i += CHUNK) {
      const chunk = samples.slice(i, i + CHUNK).map((s) => ({ m: s.metricId, s: s.system, t: s.sample.at, v: s.sample.value, st: s.sample.status, r: s.sample.status === "ok" ? undefined : s.sample.reason.slice(0, 120) }));
      await announce(db(), { type: "metrics.sampled", cutoverId: c.id, data: { samples: chunk } });
    }
    await evaluated;
  }

  /** Starts every poll that is due, on its grid time, and sets the timer for the next one. */
  function schedule() {
    if (stopped) return;
    const now = Date.now();
    let next = Infinity;
    for (const c of known) {
      const interval = Math.max(1000, c.pollIntervalMs);
      const d = due.get(c.id) ?? now;
      if (running.has(c.id)) continue;
      if (d > now) {
        next = Math.min(next, d);
        continue;
      }
      // The latest grid time that has come; missed ones (a poll that ran long) are skipped, as
      // Prometheus skips missed evaluations.
      const at = d + Math.floor((now - d) / interval) * interval;
      due.set(c.id, at + interval);
      next = Math.min(next, at + interval);
      running.add(c.id);
      void pollCutover(c, at)
        .catch((err: unknown) => opts.log(`poller: cutover ${c.id} failed: ${(err as Error).message}`))
        .finally(() => {
          running.delete(c.id);
          schedule();
        });
    }
    if (wake) clearTimeout(wake);
    wake = next === Infinity ? null : setTimeout(schedule, Math.max(0, next - Date.now()));
  }

  async function tick() {
    if (stopped) return;
    try {
      const now = Date.now();
      const cutovers = await db().cutover.findMany({
        where: { state: { in: [...ACTIVE_STATES] }, metrics: { some: {} } },
        select: { id: true, pollIntervalMs: true, prometheusSource: true, metrics: { select: { id: true, name: true, system: true, queryOld: true, queryNew: true } } },
      });
      // Without a Prometheus there is nothing to ask: the metrics view says so, and no rows of
      // "not configured" fill the sample table.
      const targets = await Promise.all(cutovers.map((c) => prometheusTarget(c)));
      known = cutovers.filter((_c, i) => targets[i]);
      const ids = new Set(known.map((c) => c.id));
      for (const id of due.keys()) if (!ids.has(id)) due.delete(id);
      schedule();
      if (now - lastCleanup > 10 * 60_000) {
        lastCleanup = now;
        const removed = await deleteExpiredSamples();
        if (removed) opts.log(`poller: removed ${removed} samples past their retention`);
      }
    } catch (err) {
      opts.log(`poller: ${(err as Error).message}`);
    }
  }

  const timer = setInterval(() => void tick(), opts.tickMs ?? 250);
  void tick();
  return async () => {
    stopped = true;
    clearInterval(timer);
    if (wake) clearTimeout(wake);
    const deadline = Date.now() + 5000;
    while (running.size && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  };
}
