// The room's metrics view kept live in the browser: samples from `metrics.sampled` events are
// appended to the fetched view (no refetch per sample), and tiles age into "stale" by the clock.
import { tileState, type Direction, type Level, type Sample, type System, type TileState } from "@/lib/domain/metrics";
import type { MetricsView } from "@/lib/services/metrics";
import { staleAfterOf } from "@/lib/domain/metrics";

/** The view as fetched, plus when it arrived (to line the browser's clock up with the server's). */
export type MetricsData = MetricsView & { receivedAt: number };

export interface SampledPoint {
  metricId: string;
  system: System;
  sample: Sample;
}

/** The samples of a `metrics.sampled` event ({ m, s, t, v, st, r }), malformed entries skipped. */
export function parseSampled(data: unknown): SampledPoint[] {
  const list = (data as { samples?: unknown } | null | undefined)?.samples;
  if (!Array.isArray(list)) return [];
  return list.flatMap((x: unknown) => {
    const p = (x ?? {}) as { m?: unknown; s?: unknown; t?: unknown; v?: unknown; st?: unknown; r?: unknown };
    if (typeof p.m !== "string" || (p.s !== "old" && p.s !== "new") || typeof p.t !== "number") return [];
    const sample: Sample =
      p.st === "ok" && typeof p.v === "number"
        ? { at: p.t, status: "ok", value: p.v }
        : { at: p.t, status: p.st === "error" ? "error" : "no_data", value: null, reason: typeof p.r === "string" ? p.r : "" };
    return [{ metricId: p.m, system: p.s, sample }];
  });
}

// The staleness rule is the server's own (lib/domain/metrics.ts), re-exported for the room.
export { staleAfterOf };

/**
 * The view with new samples appended: only samples newer than a series' last one (so two
 * listeners, or a refetch racing an event, never duplicate), the window kept to the range, and
 * the tile recomputed as of the newest sample.
 */
export function appendSamples(view: MetricsData, points: readonly SampledPoint[]): MetricsData {
  const staleAfter = staleAfterOf(view.settings.pollIntervalMs);
  let changed = false;
  const metrics = view.metrics.map((m) => {
    const mine = points.filter((p) => p.metricId === m.id);
    if (mine.length === 0) return m;
    let next = m;
    for (const system of ["old", "new"] as const) {
      const series = m[system];
      if (!series) continue;
      const lastAt = series.samples.at(-1)?.at ?? Number.NEGATIVE_INFINITY;
      const added = mine
        .filter((p) => p.system === system && p.sample.at > lastAt)
        .map((p) => p.sample)
        .sort((a, b) => a.at - b.at)
        .filter((s, i, list) => i === 0 || s.at !== list[i - 1]!.at);
      if (added.length === 0) continue;
      const latest = added.at(-1)!.at;
      const samples = [...series.samples, ...added].filter((s) => s.at > latest - view.rangeSec * 1000);
      const thresholds = { direction: m.direction as Direction, warning: m.warningThreshold, critical: m.criticalThreshold };
      const updated = { ...series, samples, tile: tileState(samples, thresholds, latest, staleAfter) };
      next = system === "old" ? { ...next, old: updated } : { ...next, new: updated };
      changed = true;
    }
    return next;
  });
  return changed ? { ...view, metrics } : view;
}

/**
 * The tile as of `now`: a "current" tile whose sample has grown older than `staleAfterMs` since it
 * was computed is stale (no sample arriving must not leave a tile looking current).
 */
export function effectiveTile(tile: TileState, now: number, staleAfterMs: number): TileState {
  if (tile.kind === "current" && now - tile.at > staleAfterMs) {
    return { kind: "stale", lastValue: tile.value, since: tile.at, reason: `no new sample for ${Math.round((now - tile.at) / 1000)} s` };
  }
  return tile;
}

/** The data attribute value of a tile: its level when current, else the state kind. */
export function tileLevelKey(tile: TileState): Level | "stale" | "no_data" | "error" {
  return tile.kind === "current" ? tile.level : tile.kind;
}

