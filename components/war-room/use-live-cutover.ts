"use client";
// Subscribes the page to its cutover's room on the socket.io bus. Events invalidate the cutover
// query so TanStack Query refetches the current state; the socket reconnects on its own.
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { io } from "socket.io-client";

export type LiveStatus = "connecting" | "live" | "disconnected";
export interface LiveEvent {
  type: string;
  cutoverId: string;
  at: string;
  actor?: string;
  subject?: string;
}

export function cutoverQueryKey(cutoverId: string) {
  return ["cutover", cutoverId] as const;
}

export function useLiveCutover(cutoverId: string, onEvent?: (e: LiveEvent) => void): LiveStatus {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<LiveStatus>("connecting");
  useEffect(() => {
    const socket = io({ path: "/socket.io", transports: ["websocket", "polling"], reconnectionDelayMax: 5000 });
    const join = () =>
      socket.emit("join", { cutoverId }, (r: { ok: boolean }) => {
        setStatus(r.ok ? "live" : "disconnected");
        // Anything missed while disconnected is picked up by one refetch.
        if (r.ok) void queryClient.invalidateQueries({ queryKey: cutoverQueryKey(cutoverId) });
      });
    socket.on("connect", join);
    socket.on("disconnect", () => setStatus("disconnected"));
    socket.on("connect_error", () => setStatus("disconnected"));
    socket.on("event", (e: LiveEvent) => {
      if (e.cutoverId !== cutoverId) return;
      void queryClient.invalidateQueries({ queryKey: cutoverQueryKey(cutoverId) });
      onEvent?.(e);
    });
    return () => {
      socket.disconnect();
    };
    // onEvent is read at call time; re-subscribing on each render would drop the socket.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [cutoverId, queryClient]);
  return status;
}
