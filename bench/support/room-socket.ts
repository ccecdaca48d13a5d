// A browser's view of a room for the fault rows: a person signed in (session cookie) with a
// socket.io connection joined to the cutover, keeping every event the room pushes, as the room's
// page receives them (banners, live tiles).
import { io, type Socket } from "socket.io-client";
import type { RoomEvent } from "../../lib/realtime/events";
import { SOCKET_PATH } from "../../lib/realtime/socket-server";
import { sessionCookie } from "./app";
import type { Api } from "./faults";
import type { RowContext } from "./fault-setup";

export interface RoomSocket {
  events: (RoomEvent & { receivedAt: number })[];
  close(): void;
}

/**
 * Seats `email` in the cutover with `role` (a 409 means the seat is taken already: fine), signs in
 * and joins the room. Closed by the row's cleanup.
 */
export async function watchRoom(ctx: RowContext, api: Api, cutoverId: string, email = "observer@demo.warroom", role = "OBSERVER"): Promise<RoomSocket> {
  const seat = await api.post("/api/v1/commands/member.add", { cutoverId, email, role });
  if (seat.status !== 200 && seat.status !== 409) throw new Error(`member.add ${email}: ${seat.status} ${seat.message}`);
  const cookie = await sessionCookie(api.url, email);
  const socket: Socket = io(api.url, { path: SOCKET_PATH, transports: ["websocket"], extraHeaders: { cookie, origin: api.url }, reconnection: true });
  ctx.cleanup.add(`room socket of ${email}`, () => socket.close());
  const events: RoomSocket["events"] = [];
  socket.on("event", (e: RoomEvent) => events.push({ ...e, receivedAt: Date.now() }));
  const join = async () => {
    const r = (await socket.timeout(10_000).emitWithAck("join", { cutoverId })) as { ok: boolean; error?: string };
    if (!r.ok) throw new Error(`joining the room as ${email}: ${r.error ?? "refused"}`);
  };
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", (err) => reject(new Error(`socket to ${api.url} as ${email}: ${err.message}`)));
  });
  await join();
  // A reconnect (the app's database came back, say) joins the room again, as the page does.
  socket.io.on("reconnect", () => void join().catch(() => undefined));
  return { events, close: () => socket.close() };
}
