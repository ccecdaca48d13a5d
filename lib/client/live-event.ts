// An event of the cutover's room as the browser receives it from the socket: the one schema of
// lib/realtime/events.ts, parsed by use-live-cutover.ts before any panel reads it.
import type { RoomEvent } from "@/lib/realtime/events";

export type LiveEvent = RoomEvent;
