"use client";
// The metrics view of a cutover, shared by the metrics panel and the trigger form (which needs
// the metric list): one cache entry per range, kept live by the room's sample events.
import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { useContext } from "react";
import { appendSamples, parseSampled, type MetricsData } from "@/lib/client/metric-samples";
import type { MetricsView } from "@/lib/services/metrics";
import { RoomEventsContext, useRoomEvents } from "./room-events";
import { cutoverQueryKey } from "./use-live-cutover";

export type { MetricsData };

export function metricsQueryKey(cutoverId: string, rangeSec: number) {
  return [...cutoverQueryKey(cutoverId), "metrics", rangeSec] as const;
}

/** The message of an API error answer, for the views that fetch their own data. */
export async function errorOf(res: Response): Promise<string> {
  const body = (await res.json().catch(() => null)) as { message?: string } | null;
  return body?.message ?? `HTTP ${res.status}`;
}

export async function fetchMetricsView(cutoverId: string, rangeSec: number): Promise<MetricsData> {
  const res = await fetch(`/api/v1/cutovers/${cutoverId}/metrics?rangeSec=${rangeSec}`, { cache: "no-store" });
  if (!res.ok) throw new Error(await errorOf(res));
  const view = (await res.json()) as MetricsView;
  return { ...view, receivedAt: Date.now() };
}

/**
 * The metrics view of a cutover over `rangeSec`, kept live: `metrics.sampled` events append to
 * every cached range of this cutover (no refetch per sample). Without the room's event context
 * (a page that did not provide it) it falls back to polling at the poll interval.
 */
export function useMetricsView(cutoverId: string, rangeSec: number) {
  const queryClient = useQueryClient();
  const events = useContext(RoomEventsContext);
  const query = useQuery({
    queryKey: metricsQueryKey(cutoverId, rangeSec),
    queryFn: () => fetchMetricsView(cutoverId, rangeSec),
    placeholderData: keepPreviousData,
    // Live samples arrive as events; gates and success criteria are evaluated on the server, so
    // the view is fetched again every 15 s to keep them current (every poll interval without events).
    refetchInterval: events ? 15_000 : (q) => Math.max(5000, q.state.data?.settings.pollIntervalMs ?? 5000),
    // A wall screen or a background tab must not show a gate as it was minutes ago.
    refetchIntervalInBackground: true,
  });
  useRoomEvents((e) => {
    if (e.type !== "metrics.sampled" || e.cutoverId !== cutoverId) return;
    const points = parseSampled(e.data);
    if (points.length === 0) return;
    queryClient.setQueriesData<MetricsData>({ queryKey: [...cutoverQueryKey(cutoverId), "metrics"] }, (old) => (old ? appendSamples(old, points) : old));
  });
  return query;
}
