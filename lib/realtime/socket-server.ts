// socket.io on the app's HTTP server: authenticates the session cookie at the handshake, puts each
// client in the room of the cutover it opens (after checking it may see it) and forwards bus events.
import type { Server as HttpServer, IncomingMessage } from "node:http";
import { Server, type Socket } from "socket.io";
import { getToken } from "next-auth/jwt";
import { z } from "zod";
import { metrics } from "@/lib/observability/metrics";
import { canViewCutover, rolesIn } from "@/lib/services/cutover-read";
import type { Role } from "@/lib/domain/roles";
import type { BusEvent } from "./bus";

export const roomOf = (cutoverId: string) => `cutover:${cutoverId}`;

interface SocketUser {
  id: string;
  name: string;
}

export interface PresenceEntry {
  userId: string;
  name: string;
  roles: Role[];
}

interface SocketState {
  user: SocketUser;
  rooms: Map<string, Role[]>;
}

const joinSchema = z.object({ cutoverId: z.string().uuid() });

export function createSocketServer(http: HttpServer, secret: string, log: (line: string) => void) {
  const io = new Server(http, { path: "/socket.io", serveClient: false, pingInterval: 10_000, pingTimeout: 8_000 });

  io.use(async (socket, next) => {
    try {
      const req = socket.request as IncomingMessage;
      // next-auth reads cookies from a parsed map, which a bare Node request does not carry.
      const cookies = Object.fromEntries(
        (req.headers.cookie ?? "")
          .split(";")
          .map((part) => part.trim())
          .filter((part) => part.includes("="))
          .map((part) => {
            const at = part.indexOf("=");
            return [part.slice(0, at), decodeURIComponent(part.slice(at + 1))];
          }),
      );
      const token = await getToken({ req: { headers: req.headers, cookies } as never, secret });
      if (!token?.sub) return next(new Error("unauthorized"));
      (socket.data as SocketState) = { user: { id: token.sub, name: String(token.name ?? token.email ?? "someone") }, rooms: new Map() };
      next();
    } catch {
      next(new Error("unauthorized"));
    }
  });

  // A wall screen reconnecting, or a browser with several tabs, asks the same question many times
  // at once: one database check per user and cutover every few seconds is enough.
  const access = new Map<string, { at: number; result: Promise<Role[] | null> }>();
  function accessOf(userId: string, cutoverId: string): Promise<Role[] | null> {
    const key = `${userId}:${cutoverId}`;
    const hit = access.get(key);
    if (hit && Date.now() - hit.at < 5000) return hit.result;
    const result = (async () => ((await canViewCutover(userId, cutoverId)) ? rolesIn(userId, cutoverId) : null))();
    result.catch(() => access.delete(key));
    access.set(key, { at: Date.now(), result });
    if (access.size > 10_000) access.clear();
    return result;
  }

  /** Who is in the room now (this process's view; one entry per user, roles merged). */
  async function broadcastPresence(cutoverId: string) {
    const sockets = await io.in(roomOf(cutoverId)).fetchSockets();
    const byUser = new Map<string, PresenceEntry>();
    for (const s of sockets) {
      const state = s.data as SocketState;
      const roles = state.rooms?.get(cutoverId);
      if (!state.user || !roles) continue;
      const entry = byUser.get(state.user.id) ?? { userId: state.user.id, name: state.user.name, roles: [] };
      entry.roles = [...new Set([...entry.roles, ...roles])];
      byUser.set(state.user.id, entry);
    }
    io.to(roomOf(cutoverId)).emit("presence", { cutoverId, people: [...byUser.values()] });
  }

  // Presence goes out at most every 250 ms per room: a hundred people joining at once (a wall
  // screen reload, a reconnect storm) is one update, not a hundred times a hundred.
  const presenceTimers = new Map<string, NodeJS.Timeout>();
  function schedulePresence(cutoverId: string) {
    if (presenceTimers.has(cutoverId)) return;
    presenceTimers.set(
      cutoverId,
      setTimeout(() => {
        presenceTimers.delete(cutoverId);
        void broadcastPresence(cutoverId).catch(() => {});
      }, 250),
    );
  }

  io.on("connection", (socket: Socket) => {
    metrics().socketConnections.inc();
    socket.on("disconnecting", () => {
      const state = socket.data as SocketState;
      const left = [...state.rooms.keys()];
      state.rooms.clear();
      left.forEach(schedulePresence);
    });
    socket.on("disconnect", () => metrics().socketConnections.dec());
    socket.on("join", async (raw: unknown, ack?: (r: { ok: boolean; error?: string }) => void) => {
      const parsed = joinSchema.safeParse(raw);
      const reply = typeof ack === "function" ? ack : () => {};
      if (!parsed.success) return reply({ ok: false, error: "bad_request" });
      const state = socket.data as SocketState;
      const { cutoverId } = parsed.data;
      try {
        const roles = await accessOf(state.user.id, cutoverId);
        if (!roles) return reply({ ok: false, error: "forbidden" });
        state.rooms.set(cutoverId, roles);
      } catch {
        return reply({ ok: false, error: "unavailable" });
      }
      await socket.join(roomOf(cutoverId));
      reply({ ok: true });
      schedulePresence(cutoverId);
    });
  });

  return {
    io,
    forward(event: BusEvent) {
      metrics().busEvents.inc({ type: event.type });
      io.to(roomOf(event.cutoverId)).emit("event", event);
    },
    async close() {
      presenceTimers.forEach((t) => clearTimeout(t));
      io.disconnectSockets(true);
      await new Promise<void>((resolve) => io.close(() => resolve()));
    },
  };
}
