import { describe, expect, it } from "vitest";
import { appendSamples, effectiveTile, parseSampled, staleAfterOf, tileLevelKey, type MetricsData } from "./metric-samples";

const T0 = Date.parse("2026-11-29T10:00:00Z");

function view(): MetricsData {
  const series = { samples: [{ at: T0, status: "ok" as const, value: 1 }], tile: { kind: "current" as const, level: "ok" as const, value: 1, at: T0 }, backfilled: false };
  return {
    now: T0,
    receivedAt: T0,
    rangeSec: 60,
    settings: { prometheusSource: null, defaultSource: null, pollIntervalMs: 2000, sampleRetentionDays: 7, choices: null },
    metrics: [{ id: "m1", name: "Error rate", unit: "%", system: "both", queryOld: "a", queryNew: "b", direction: "above", warningThreshold: 2, criticalThreshold: 5, old: series, new: series }],
    markers: [],
    successCriteria: [],
    gates: [],
  } as unknown as MetricsData;
}

describe("parseSampled", () => {
  it("reads a metrics.sampled event and skips malformed entries", () => {
    expect(parseSampled(null)).toEqual([]);
    expect(parseSampled({ samples: "no" })).toEqual([]);
    expect(
      parseSampled({
        samples: [
          { m: "m1", s: "new", t: T0, v: 3, st: "ok" },
          { m: "m1", s: "old", t: T0, st: "error", r: "connection refused" },
          { m: "m1", s: "old", t: T0, st: "ok" },
          { m: "m1", s: "mid", t: T0, v: 1, st: "ok" },
          { s: "new", t: T0, v: 1, st: "ok" },
          null,
        ],
      }),
    ).toEqual([
      { metricId: "m1", system: "new", sample: { at: T0, status: "ok", value: 3 } },
      { metricId: "m1", system: "old", sample: { at: T0, status: "error", value: null, reason: "connection refused" } },
      // "ok" without a value is no data.
      { metricId: "m1", system: "old", sample: { at: T0, status: "no_data", value: null, reason: "" } },
    ]);
  });
});

describe("appendSamples", () => {
  it("appends newer samples once, in order, keeps the window and recomputes the tile", () => {
    const v = view();
    const next = appendSamples(v, [
      { metricId: "m1", system: "new", sample: { at: T0 + 4000, status: "ok", value: 6 } },
      { metricId: "m1", system: "new", sample: { at: T0 + 2000, status: "ok", value: 3 } },
      { metricId: "m1", system: "new", sample: { at: T0 + 2000, status: "ok", value: 3 } },
      { metricId: "m1", system: "new", sample: { at: T0 - 1000, status: "ok", value: 9 } },
    ]);
    const s = next.metrics[0]!.new!;
    expect(s.samples.map((x) => x.at)).toEqual([T0, T0 + 2000, T0 + 4000]);
    expect(s.tile).toEqual({ kind: "current", level: "critical", value: 6, at: T0 + 4000 });
    // The other system is untouched.
    expect(next.metrics[0]!.old).toBe(v.metrics[0]!.old);
    // The same samples again change nothing (a second listener, a refetch racing an event).
    expect(appendSamples(next, [{ metricId: "m1", system: "new", sample: { at: T0 + 4000, status: "ok", value: 6 } }])).toBe(next);
    // Older than the range is dropped.
    const later = appendSamples(next, [{ metricId: "m1", system: "new", sample: { at: T0 + 61_000, status: "ok", value: 1 } }]);
    expect(later.metrics[0]!.new!.samples.map((x) => x.at)).toEqual([T0 + 2000, T0 + 4000, T0 + 61_000]);
  });

  it("ignores samples of other metrics", () => {
    const v = view();
    expect(appendSamples(v, [{ metricId: "other", system: "new", sample: { at: T0 + 1, status: "ok", value: 1 } }])).toBe(v);
  });
});

describe("staleness", () => {
  it("is three poll intervals, at least 10 s", () => {
    expect(staleAfterOf(2000)).toBe(10_000);
    expect(staleAfterOf(5000)).toBe(15_000);
  });

  it("turns a current tile stale once its sample is too old", () => {
    const tile = { kind: "current" as const, level: "warning" as const, value: 3, at: T0 };
    expect(effectiveTile(tile, T0 + 10_000, 10_000)).toBe(tile);
    expect(effectiveTile(tile, T0 + 12_000, 10_000)).toEqual({ kind: "stale", lastValue: 3, since: T0, reason: "no new sample for 12 s" });
    expect(tileLevelKey(tile)).toBe("warning");
    expect(tileLevelKey({ kind: "no_data", lastValue: null, since: null, reason: "" })).toBe("no_data");
  });
});
