"use client";
// The cutover's outgoing messages and channels, shared by the Comms tab and the failure banner:
// one query per cutover, refetched on every live event of the room (its key is under ["cutover", id]).
import { useQuery } from "@tanstack/react-query";
import type { DeliveriesView, DeliveryRow } from "@/lib/schemas/deliveries";
import { TONE, type Look } from "@/components/ui/tones";
import { cutoverQueryKey } from "../shared/use-live-cutover";
import { fetchView } from "../shared/fetch-view";

export function deliveriesQueryKey(cutoverId: string) {
  return [...cutoverQueryKey(cutoverId), "deliveries"] as const;
}

export function useDeliveriesView(cutoverId: string) {
  return useQuery({ queryKey: deliveriesQueryKey(cutoverId), queryFn: () => fetchView<DeliveriesView>(`/api/v1/cutovers/${cutoverId}/deliveries`) });
}

const LOOKS: Record<DeliveryRow["state"], Look> = {
  queued: { label: "queued", style: TONE.idle },
  sending: { label: "sending", style: TONE.active },
  delivered: { label: "delivered", style: TONE.good },
  failed: { label: "failed", style: TONE.bad },
};

/** A delivery's state as a badge: "retrying" for a queued one that has failed before. */
export function deliveryLook(d: Pick<DeliveryRow, "state" | "attempts" | "lastError">): Look {
  if (d.state === "queued" && d.attempts > 0) return { label: `retrying (attempt ${d.attempts + 1})`, style: TONE.warning };
  return LOOKS[d.state];
}
