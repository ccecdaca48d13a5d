"use client";
// Subscribes the page to its cutover's room on the socket.io bus. Events invalidate the cutover
// query so TanStack Query refetches the current state; the socket reconnects on its own.
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { io } from "socket.io-client";
import type { Role } from "@/lib/domain/roles";
import { eventEnvelopeSchema, parseRoomEvent, RESYNC_EVENT, resyncSchema, type RoomEvent } from "@/lib/realtime/events";

export type LiveStatus = "connecting" | "live" | "disconnected";
import type { LiveEvent } from "@/lib/client/live-event";

export type { LiveEvent };
export interface PresencePerson {
  userId: string;
  name: string;
  roles: Role[];
}

export function cutoverQueryKey(cutoverId: string) {
  return ["cutover", cutoverId] as const;
}

export function useLiveCutover(cutoverId: string, onEvent?: (e: LiveEvent) => void): { status: LiveStatus; people: PresencePerson[] } {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<LiveStatus>("connecting");
  const [people, setPeople] = useState<PresencePerson[]>([]);
  const handler = useRef(onEvent);
  handler.current = onEvent;
  useEffect(() => {
    const socket = io({ path: "/socket.io", transports: ["websocket", "polling"], reconnectionDelayMax: 5000 });
    let joinedBefore = false;
    const join = () =>
      socket.emit("join", { cutoverId }, (r: { ok: boolean }) => {
        setStatus(r.ok ? "live" : "disconnected");
        if (!r.ok) return;
        // Anything missed while disconnected (a server restart, a lost network) is picked up by
        // one refetch: after a reconnect, of everything the page shows, not only the cutover.
        void queryClient.invalidateQueries(joinedBefore ? { refetchType: "active" } : { queryKey: cutoverQueryKey(cutoverId) });
        joinedBefore = true;
      });
    socket.on("connect", join);
    // The server's own connection to PostgreSQL came back: events committed meanwhile never came.
    socket.on(RESYNC_EVENT, (raw: unknown) => {
      if (resyncSchema.safeParse(raw).success) void queryClient.invalidateQueries({ refetchType: "active" });
    });
    socket.on("disconnect", (reason) => {
      setStatus("disconnected");
      // The server ended this socket (the account was disabled, the session ended, or the server
      // is stopping): ask again, and the handshake says which; a refused session goes to sign-in.
      if (reason === "io server disconnect") socket.connect();
    });
    socket.on("connect_error", (err) => {
      setStatus("disconnected");
      if (err.message === "unauthorized") window.location.assign(`/sign-in?callbackUrl=${encodeURIComponent(window.location.pathname)}`);
    });
    socket.on("presence", (p: { cutoverId: string; people: PresencePerson[] }) => {
      if (p.cutoverId === cutoverId) setPeople(p.people);
    });
    socket.on("event", (raw: unknown) => {
      const env = eventEnvelopeSchema.safeParse(raw);
      if (!env.success || env.data.cutoverId !== cutoverId) return;
      // Samples arrive every few seconds: they go to the panels that chart them, and never
      // refetch the whole cutover. Everything else is a change of state worth refetching.
      if (!env.data.type.startsWith("metrics.")) void queryClient.invalidateQueries({ queryKey: cutoverQueryKey(cutoverId), refetchType: "active" });
      // Panels read `data` only as its schema describes it (lib/realtime/events.ts).
      const e = parseRoomEvent(raw);
      if (e) handler.current?.(e);
    });
    return () => {
      socket.disconnect();
    };
  }, [cutoverId, queryClient]);
  return { status, people };
}
