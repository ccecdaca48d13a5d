"use client";
// The cutover's alerts from Alertmanager (GET /api/v1/cutovers/{id}/alerts), shared by the banners
// and the Comms panel. Its key is under ["cutover", id], so every live event of the room (an
// `alert.state` among them) refetches it.
import { useQuery } from "@tanstack/react-query";
import type { AlertsView } from "@/lib/services/alerts";
import { cutoverQueryKey } from "../shared/use-live-cutover";
import { errorOf } from "../shared/use-metrics-view";

export type { AlertsView };
export type AlertRow = AlertsView["alerts"][number];

export function alertsQueryKey(cutoverId: string) {
  return [...cutoverQueryKey(cutoverId), "alerts"] as const;
}

async function fetchAlerts(cutoverId: string): Promise<AlertsView> {
  const res = await fetch(`/api/v1/cutovers/${cutoverId}/alerts`, { cache: "no-store" });
  if (!res.ok) throw new Error(await errorOf(res));
  return (await res.json()) as AlertsView;
}

export function useAlertsView(cutoverId: string) {
  return useQuery({ queryKey: alertsQueryKey(cutoverId), queryFn: () => fetchAlerts(cutoverId) });
}
