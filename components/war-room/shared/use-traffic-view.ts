"use client";
// The cutover's traffic view (split, steps, triggers, changes, rollbacks, router, hooks), shared by
// the traffic panel, the shift and rollback buttons and the trigger banners: one query per cutover.
import { useQuery } from "@tanstack/react-query";
import type { TrafficView } from "@/lib/schemas/views";
import { cutoverQueryKey } from "./use-live-cutover";

export type TrafficData = TrafficView;

export function trafficQueryKey(cutoverId: string) {
  return [...cutoverQueryKey(cutoverId), "traffic"] as const;
}

/** A read of the REST API as JSON, or an Error with the server's message. */
export async function fetchRoomJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { cache: "no-store" });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { message?: string } | null;
    throw new Error(body?.message ?? `HTTP ${res.status}`);
  }
  return (await res.json()) as T;
}

export function fetchTrafficView(cutoverId: string): Promise<TrafficData> {
  return fetchRoomJson<TrafficData>(`/api/v1/cutovers/${cutoverId}/traffic`);
}

/** The traffic view; every live event of the cutover refetches it (its key is under ["cutover", id]). */
export function useTrafficView(cutoverId: string) {
  return useQuery({ queryKey: trafficQueryKey(cutoverId), queryFn: () => fetchTrafficView(cutoverId) });
}
