"use client";
// Live events of the open cutover for any panel that wants them (metrics samples, rollback
// progress, trigger countdowns): one socket per page, fanned out here.
import { createContext, useContext, useEffect, useRef } from "react";
import type { LiveEvent } from "./use-live-cutover";

type Listener = (e: LiveEvent) => void;
export interface RoomEvents {
  subscribe(listener: Listener): () => void;
  emit(e: LiveEvent): void;
}

export function createRoomEvents(): RoomEvents {
  const listeners = new Set<Listener>();
  return {
    subscribe(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    emit(e) {
      listeners.forEach((l) => l(e));
    },
  };
}

export const RoomEventsContext = createContext<RoomEvents | null>(null);

/** Calls `handler` for every live event of the room (the latest handler, without resubscribing). */
export function useRoomEvents(handler: Listener) {
  const events = useContext(RoomEventsContext);
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => events?.subscribe((e) => ref.current(e)), [events]);
}
