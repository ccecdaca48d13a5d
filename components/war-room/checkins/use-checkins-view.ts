"use client";
// The cutover's check-ins and incidents (GET /api/v1/cutovers/{id}/checkins), shared by the Comms
// tab's panel and the banner: one query per cutover, refetched by every change event of the room
// (its key is under ["cutover", id]).
import { useQuery } from "@tanstack/react-query";
import type { CheckInsView } from "@/lib/services/checkins";
import { cutoverQueryKey } from "../shared/use-live-cutover";

export type { CheckInsView };
export type CheckInRow = CheckInsView["checkIns"][number];
export type IncidentRow = CheckInsView["incidents"][number];

export function checkInsQueryKey(cutoverId: string) {
  return [...cutoverQueryKey(cutoverId), "checkins"] as const;
}

async function fetchCheckIns(cutoverId: string): Promise<CheckInsView> {
  const res = await fetch(`/api/v1/cutovers/${cutoverId}/checkins`, { cache: "no-store" });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { message?: string } | null;
    throw new Error(body?.message ?? `HTTP ${res.status}`);
  }
  return (await res.json()) as CheckInsView;
}

export function useCheckInsView(cutoverId: string) {
  return useQuery({ queryKey: checkInsQueryKey(cutoverId), queryFn: () => fetchCheckIns(cutoverId) });
}

/** What a check-in is now: the server's word, or overdue as soon as its time passed here. */
export function liveStatus(c: CheckInRow, now: number): CheckInRow["status"] {
  if (c.status !== "due") return c.status;
  return now >= Date.parse(c.overdueAt) ? "overdue" : "due";
}
