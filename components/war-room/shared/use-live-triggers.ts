"use client";
import { useState } from "react";
import { mergeTrigger, parseTriggerEvent, type TriggerEvent } from "@/lib/client/live-triggers";
import { useRoomEvents } from "./room-events";
import { useTrafficView } from "./use-traffic-view";

/**
 * The cutover's triggers with their live state: the traffic view, overridden by `trigger.state`
 * events newer than it (the events also carry the countdown's end and the room's notice).
 */
export function useLiveTriggers(cutoverId: string) {
  const query = useTrafficView(cutoverId);
  const [events, setEvents] = useState<Record<string, TriggerEvent>>({});
  useRoomEvents((e) => {
    if (e.type !== "trigger.state" || e.cutoverId !== cutoverId) return;
    const d = parseTriggerEvent(e.data);
    if (d) setEvents((prev) => ({ ...prev, [d.triggerId]: { ...d, receivedAt: Date.now() } }));
  });
  const triggers = (query.data?.triggers ?? []).map((t) => mergeTrigger(t, events[t.id], query.dataUpdatedAt));
  return { query, triggers };
}
