// socket.io on the app's HTTP server: authenticates the session cookie at the handshake, puts each
// client in the room of the cutover it opens (after checking it may see it) and forwards bus events.
import type { Server as HttpServer, IncomingMessage } from "node:http";
import { Server, type Socket } from "socket.io";
import { getToken } from "next-auth/jwt";
import { z } from "zod";
import { metrics } from "@/lib/observability/metrics";
import { canViewCutover } from "@/lib/services/cutover-read";
import type { BusEvent } from "./bus";

export const roomOf = (cutoverId: string) => `cutover:${cutoverId}`;

interface SocketUser {
  id: string;
  name: string;
}

const joinSchema = z.object({ cutoverId: z.string().uuid() });

export function createSocketServer(http: HttpServer, secret: string, log: (line: string) => void) {
  const io = new Server(http, { path: "/socket.io", serveClient: false, pingInterval: 10_000, pingTimeout: 8_000 });

  io.use(async (socket, next) => {
    try {
      const req = socket.request as IncomingMessage & { cookies?: Record<string, string> };
      const token = await getToken({ req: req as never, secret });
      if (!token?.sub) return next(new Error("unauthorized"));
      (socket.data as { user?: SocketUser }).user = { id: token.sub, name: String(token.name ?? token.email ?? "someone") };
      next();
    } catch {
      next(new Error("unauthorized"));
    }
  });

  io.on("connection", (socket: Socket) => {
    metrics().socketConnections.inc();
    socket.on("disconnect", () => metrics().socketConnections.dec());
    socket.on("join", async (raw: unknown, ack?: (r: { ok: boolean; error?: string }) => void) => {
      const parsed = joinSchema.safeParse(raw);
      const reply = typeof ack === "function" ? ack : () => {};
      if (!parsed.success) return reply({ ok: false, error: "bad_request" });
      const user = (socket.data as { user: SocketUser }).user;
      if (!(await canViewCutover(user.id, parsed.data.cutoverId))) return reply({ ok: false, error: "forbidden" });
      await socket.join(roomOf(parsed.data.cutoverId));
      reply({ ok: true });
    });
  });

  return {
    io,
    forward(event: BusEvent) {
      metrics().busEvents.inc({ type: event.type });
      io.to(roomOf(event.cutoverId)).emit("event", event);
    },
    async close() {
      io.disconnectSockets(true);
      await new Promise<void>((resolve) => io.close(() => resolve()));
    },
  };
}
