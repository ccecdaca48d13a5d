"use client";
// The cutover's check-ins and incidents (GET /api/v1/cutovers/{id}/checkins), shared by the Comms
// tab's panel and the banner: one query per cutover, refetched by every change event of the room
// (its key is under ["cutover", id]).
import { useQuery } from "@tanstack/react-query";
import type { CheckInsView } from "@/lib/services/checkins";
import { cutoverQueryKey } from "../shared/use-live-cutover";
import { fetchView } from "../shared/fetch-view";

export type { CheckInsView };
export type CheckInRow = CheckInsView["checkIns"][number];
export type IncidentRow = CheckInsView["incidents"][number];

export function checkInsQueryKey(cutoverId: string) {
  return [...cutoverQueryKey(cutoverId), "checkins"] as const;
}

export function useCheckInsView(cutoverId: string) {
  return useQuery({ queryKey: checkInsQueryKey(cutoverId), queryFn: () => fetchView<CheckInsView>(`/api/v1/cutovers/${cutoverId}/checkins`) });
}

/** What a check-in is now: the server's word, or overdue as soon as its time passed here. */
export function liveStatus(c: CheckInRow, now: number): CheckInRow["status"] {
  if (c.status !== "due") return c.status;
  return now >= Date.parse(c.overdueAt) ? "overdue" : "due";
}
