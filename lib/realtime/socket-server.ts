// socket.io on the app's HTTP server: authenticates the session cookie at the handshake, puts each
// client in the room of the cutover it opens (after checking it may see it) and forwards bus events.
// Access ends at once: a disabled user's (or stale session's) sockets are disconnected, and a
// removed member's sockets leave that cutover's room before the next event is forwarded.
import type { Server as HttpServer, IncomingMessage } from "node:http";
import { Server, type Socket } from "socket.io";
import { Adapter } from "socket.io-adapter";
import { createAdapter, PostgresAdapter } from "@socket.io/postgres-adapter";
import type pg from "pg";
import { parseCookies, resolveSession } from "@/lib/auth/actor";
import { z } from "zod";
import { checkOrigin, publicOrigins } from "@/lib/domain/request-origin";
import { metrics } from "@/lib/observability/metrics";
import { canViewCutover, rolesIn } from "@/lib/services/cutover-read";
import { accountStatus, forgetAccountStatus, sessionStillValid } from "@/lib/auth/account-status";
import type { Role } from "@/lib/domain/roles";
import type { BusEvent } from "./bus";
import { RESYNC_EVENT, type Resync, type RoomEvent } from "./events";
import { mergePresence, presenceAnswer, presenceKey, type PresenceEntry } from "./presence";

export const SOCKET_PATH = "/socket.io";
export const roomOf = (cutoverId: string) => `cutover:${cutoverId}`;

interface SocketUser {
  id: string;
  name: string;
  /** The session version the JWT carries (lib/auth/options.ts). */
  sv?: number;
}

interface SocketState {
  user: SocketUser;
  rooms: Map<string, Role[]>;
}

const joinSchema = z.object({ cutoverId: z.string().uuid() });

/**
 * socket.io's handshakes are engine.io's alone. Next's request handler adds its own "upgrade"
 * listener to this server on the first HTTP request (for its dev HMR and rewrites); left alone it
 * runs every socket.io handshake through Next's router as well, and keeps an AbortController and
 * two listeners on each socket for as long as it stays connected. Other upgrades go to everyone,
 * as before. Returns the undo.
 */
function reserveUpgrades(http: HttpServer, path: string): () => void {
  const prefix = `${path}/`;
  const ours = http.listeners("upgrade").slice(); // engine.io's, attached by `new Server(http)`
  const emit = http.emit;
  http.emit = function (this: HttpServer, event: string | symbol, ...args: unknown[]): boolean {
    if (event === "upgrade" && (args[0] as IncomingMessage).url?.startsWith(prefix)) {
      for (const listener of ours) Reflect.apply(listener, this, args);
      return true;
    }
    return Reflect.apply(emit, this, [event, ...args]) as boolean;
  } as HttpServer["emit"];
  return () => {
    http.emit = emit;
  };
}

/**
 * socket.io's in-memory adapter, with a broadcast written to each socket in one piece.
 *
 * For a broadcast, the adapter encodes the packet once and also builds its WebSocket frame once
 * (`wsPreEncodedFrame`, used when perMessageDeflate is off), as two buffers: the frame header and
 * the payload. ws writes such a frame with cork(), two write()s and uncork(), i.e. a writev and
 * the stream's buffering per socket; one buffer is one plain write. Broadcasting to 5,000 sockets
 * that took 15–20 % less CPU (two socket.io servers side by side, 30 broadcasts each: median
 * 83 → 71 ms and 90 → 72 ms), and the sockets at the end of the room hear of a sample that much sooner.
 *
 * `_encode` is private to socket.io-adapter (pinned, with socket.io); the test checks that the
 * frame still comes out in one piece, so an upgrade that changes this is noticed.
 */
export class BroadcastAdapter extends Adapter {}
type FrameEncoder = { _encode(packet: unknown, opts: { wsPreEncodedFrame?: unknown }): unknown };
const encodeOnce = (Adapter.prototype as unknown as FrameEncoder)._encode;
function encodeFramesWhole(proto: object) {
  (proto as FrameEncoder)._encode = function (this: Adapter, packet, opts) {
    const encoded = encodeOnce.call(this, packet, opts);
    const frame = opts.wsPreEncodedFrame;
    if (Array.isArray(frame) && frame.length === 2 && Buffer.isBuffer(frame[0]) && Buffer.isBuffer(frame[1])) opts.wsPreEncodedFrame = [Buffer.concat([frame[0], frame[1]])];
    return encoded;
  };
}
encodeFramesWhole(BroadcastAdapter.prototype);
// The cluster adapter broadcasts to this process's sockets through the same in-memory code.
encodeFramesWhole(PostgresAdapter.prototype);

/** The table the PostgreSQL adapter keeps messages over NOTIFY's 8000 bytes in (created by a migration). */
export const ATTACHMENTS_TABLE = "socket_io_attachments";

export interface SocketServerOptions {
  /**
   * With a pool, socket.io's PostgreSQL adapter links this process to every other process on the
   * same database: presence covers them all. The pool keeps one connection for LISTEN. Without
   * one (tests, a single process), the in-memory adapter.
   */
  pool?: pg.Pool;
}

// Between processes (serverSideEmit): "someone came or left in this room here", and "who of this
// room is on your process?".
const PRESENCE_CHANGED = "presence:changed";
const PRESENCE_OF = "presence:of";

/**
 * A handshake from a foreign page is refused before the session cookie is even read: the browser
 * would attach the cookie, and the room's events would flow to that page (cross-site WebSocket
 * hijacking). Same rule as the REST routes (lib/domain/request-origin.ts); the public URL is read
 * per handshake because the server sets NEXTAUTH_URL at start.
 */
function allowOrigin(req: IncomingMessage, callback: (err: string | null | undefined, success: boolean) => void): void {
  const header = (name: string) => {
    const v = req.headers[name];
    return typeof v === "string" ? v : null;
  };
  const verdict = checkOrigin({ origin: header("origin"), secFetchSite: header("sec-fetch-site"), allowed: publicOrigins(process.env.NEXTAUTH_URL, header("host")) });
  callback(verdict.ok ? null : "Cross-site connection refused", verdict.ok);
}

export function createSocketServer(http: HttpServer, secret: string, log: (line: string) => void, options: SocketServerOptions = {}) {
  // perMessageDeflate stays off (engine.io's default, said here because it matters): a compressed
  // broadcast is compressed once per socket, and zlib keeps ~300 KB of context per connection.
  // Clients only ever send "join" with an id: 64 KB is plenty for a message (1 MB by default).
  // Heartbeats every 2.5 s: a process that died without saying goodbye is forgotten after 7.5 s, and
  // presence stops waiting for its answer then.
  const clustered = options.pool !== undefined;
  // While the database is away every heartbeat fails: one line a minute says so.
  let lastAdapterError = { text: "", at: 0 };
  const adapterError = (err: Error) => {
    if (err.message === lastAdapterError.text && Date.now() - lastAdapterError.at < 60_000) return;
    lastAdapterError = { text: err.message, at: Date.now() };
    log(`socket.io adapter: ${err.message}`);
  };
  const adapter = options.pool ? createAdapter(options.pool, { tableName: ATTACHMENTS_TABLE, heartbeatInterval: 2500, heartbeatTimeout: 7500, errorHandler: adapterError }) : BroadcastAdapter;
  const io = new Server(http, { path: SOCKET_PATH, serveClient: false, pingInterval: 10_000, pingTimeout: 8_000, perMessageDeflate: false, maxHttpBufferSize: 64 * 1024, adapter, allowRequest: allowOrigin });
  const releaseUpgrades = reserveUpgrades(http, SOCKET_PATH);

  // Decrypting a session JWT costs a key derivation and an AES decryption. A reconnect storm (a
  // wall screen reloading, every tab of every browser after a deploy) presents the same few
  // tokens thousands of times: each is decrypted once a minute at most, and never past its expiry.
  const sessions = new Map<string, { user: SocketUser; until: number }>();
  async function userOf(req: IncomingMessage): Promise<SocketUser | null> {
    const cookies = parseCookies(req.headers.cookie);
    const key =
      Object.keys(cookies)
        .filter((name) => name.includes("next-auth.session-token"))
        .sort()
        .map((name) => cookies[name])
        .join("|") + `|${req.headers.authorization ?? ""}`;
    if (key === "|") return null;
    const hit = sessions.get(key);
    if (hit && hit.until > Date.now()) return hit.user;
    sessions.delete(key);
    // The same resolver as REST and server actions (cookie or bearer token), which also refuses a
    // disabled user or a stale session; the version is kept to check again when access changes.
    const found = await resolveSession({ authorization: req.headers.authorization, cookie: req.headers.cookie }, secret);
    if (!found) return null;
    const user: SocketUser = { id: found.user.id, name: found.user.name, sv: found.sv };
    if (sessions.size >= 5000) sessions.delete(sessions.keys().next().value!);
    sessions.set(key, { user, until: Date.now() + 60_000 });
    return user;
  }

  io.use(async (socket, next) => {
    try {
      const user = await userOf(socket.request as IncomingMessage);
      if (!user || !sessionStillValid(await accountStatus(user.id), user.sv)) return next(new Error("unauthorized"));
      (socket.data as SocketState) = { user, rooms: new Map() };
      let mine = byUser.get(user.id);
      if (!mine) byUser.set(user.id, (mine = new Set()));
      mine.add(socket);
      socket.once("disconnect", () => {
        mine.delete(socket);
        if (mine.size === 0 && byUser.get(user.id) === mine) byUser.delete(user.id);
      });
      next();
    } catch {
      next(new Error("unauthorized"));
    }
  });

  // Each user's open sockets on this process, to act on a change of their access.
  const byUser = new Map<string, Set<Socket>>();
  // Bumped whenever a user's access changes: a join whose check started before must check again.
  const generation = new Map<string, number>();
  const generationOf = (userId: string) => generation.get(userId) ?? 0;

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

  // Who is in each room (this process's view), kept as sockets join and leave: per cutover, per
  // user, how many of the user's sockets are there and with which roles. Presence is built from
  // this, in O(people), never by walking the room's sockets.
  const present = new Map<string, Map<string, { name: string; sockets: number; roles: Map<Role, number> }>>();
  const lastPresence = new Map<string, string>();

  function enter(cutoverId: string, user: SocketUser, roles: Role[]) {
    let room = present.get(cutoverId);
    if (!room) present.set(cutoverId, (room = new Map()));
    let person = room.get(user.id);
    if (!person) room.set(user.id, (person = { name: user.name, sockets: 0, roles: new Map() }));
    person.sockets++;
    for (const role of roles) person.roles.set(role, (person.roles.get(role) ?? 0) + 1);
  }

  function leave(cutoverId: string, userId: string, roles: Role[]) {
    const room = present.get(cutoverId);
    const person = room?.get(userId);
    if (!room || !person) return;
    for (const role of roles) {
      const n = (person.roles.get(role) ?? 0) - 1;
      if (n > 0) person.roles.set(role, n);
      else person.roles.delete(role);
    }
    if (--person.sockets <= 0) room.delete(userId);
    if (room.size === 0) present.delete(cutoverId);
  }

  function forgetAccess(userId: string, cutoverId?: string) {
    generation.set(userId, generationOf(userId) + 1);
    if (generation.size > 10_000) generation.clear();
    if (cutoverId) access.delete(`${userId}:${cutoverId}`);
    else for (const key of access.keys()) if (key.startsWith(`${userId}:`)) access.delete(key);
  }

  /** Takes a socket out of a cutover's room at once (synchronously: before the next event goes out). */
  function dropFromRoom(socket: Socket, cutoverId: string) {
    const state = socket.data as SocketState;
    const roles = state.rooms.get(cutoverId);
    if (!roles) return;
    state.rooms.delete(cutoverId);
    leave(cutoverId, state.user.id, roles);
    void socket.leave(roomOf(cutoverId));
    schedulePresence(cutoverId);
  }

  /**
   * Someone's access to one cutover (or all, when none is named) may have shrunk: their sockets
   * leave the room(s) now; those still allowed (another role, an administrator) are put back after
   * the check and told to refetch, since they may have missed an event meanwhile.
   */
  function recheck(userId: string, cutoverId?: string) {
    forgetAccess(userId, cutoverId);
    for (const socket of byUser.get(userId) ?? []) {
      const state = socket.data as SocketState;
      const rooms = cutoverId ? (state.rooms.has(cutoverId) ? [cutoverId] : []) : [...state.rooms.keys()];
      for (const room of rooms) dropFromRoom(socket, room);
      void (async () => {
        try {
          if (!cutoverId && !sessionStillValid(await accountStatus(userId), state.user.sv)) {
            socket.disconnect(true);
            return;
          }
          for (const room of rooms) {
            const roles = await accessOf(userId, room);
            if (!roles || socket.disconnected || state.rooms.has(room)) continue;
            await putInRoom(socket, room, roles);
            socket.emit("event", { type: "access.rechecked", cutoverId: room, at: new Date().toISOString() } satisfies RoomEvent);
          }
        } catch (err) {
          // Unsure whether they still may: the safe side is out; the client reconnects and asks again.
          log(`socket: access check failed (${(err as Error).message}): disconnecting`);
          socket.disconnect(true);
        }
      })();
    }
  }

  async function putInRoom(socket: Socket, cutoverId: string, roles: Role[]) {
    const state = socket.data as SocketState;
    const before = state.rooms.get(cutoverId);
    if (before) leave(cutoverId, state.user.id, before);
    state.rooms.set(cutoverId, roles);
    enter(cutoverId, state.user, roles);
    await socket.join(roomOf(cutoverId));
  }

  /** This process's people in the room. */
  function localPresence(cutoverId: string): PresenceEntry[] {
    const people: PresenceEntry[] = [];
    for (const [userId, p] of present.get(cutoverId) ?? []) people.push({ userId, name: p.name, roles: [...p.roles.keys()] });
    return people;
  }

  /**
   * Everyone in the room on every process: ours, and each other process's answer. A process that
   * does not answer (it died a moment ago) is left out once the adapter gives up waiting, so the
   * room is told late rather than never.
   */
  async function presenceOf(cutoverId: string) {
    const lists = [localPresence(cutoverId)];
    if (clustered) {
      const answers = await new Promise<unknown[]>((resolve) =>
        io.serverSideEmit(PRESENCE_OF, cutoverId, (err: Error | null, responses: unknown[]) => {
          if (err) log(`socket: presence of cutover ${cutoverId}: ${err.message}`);
          resolve(Array.isArray(responses) ? responses : []);
        }),
      );
      for (const answer of answers) {
        const parsed = presenceAnswer.safeParse(answer);
        if (parsed.success) lists.push(parsed.data);
        else log("socket: presence: a malformed answer from another process was ignored");
      }
    }
    return { cutoverId, people: mergePresence(lists) };
  }

  // Sockets that joined while an update was due: told by that update, or on their own if the
  // room turns out not to have changed.
  const waiting = new Map<string, Set<Socket>>();
  let closed = false;

  /** Tells this process's part of the room who is in it when that changed since it was last told; else only the sockets waiting. */
  async function broadcastPresence(cutoverId: string) {
    const joined = waiting.get(cutoverId);
    waiting.delete(cutoverId);
    const presence = await presenceOf(cutoverId);
    if (closed) return;
    const text = presenceKey(presence.people);
    if (lastPresence.get(cutoverId) !== text) {
      if (presence.people.length === 0) lastPresence.delete(cutoverId);
      else lastPresence.set(cutoverId, text);
      // Every process tells its own sockets (each hears of the change): never a cluster broadcast.
      io.local.to(roomOf(cutoverId)).emit("presence", presence);
    } else {
      for (const socket of joined ?? []) if (socket.connected) socket.emit("presence", presence);
    }
  }

  // Presence goes out at most every 250 ms per room, and only when it changed: a hundred people
  // joining at once (a wall screen reload, a reconnect storm) is one update, not a hundred times
  // a hundred; a tab reconnecting is none (the tab itself is told on joining). A change here is
  // announced to the other processes, which then update their part of the room the same way.
  const presenceTimers = new Map<string, NodeJS.Timeout>();
  const announce = new Set<string>();
  const computing = new Set<string>();
  const again = new Set<string>();
  function schedulePresence(cutoverId: string, changedHere = true) {
    if (closed) return;
    if (changedHere && clustered) announce.add(cutoverId);
    if (presenceTimers.has(cutoverId)) return;
    presenceTimers.set(
      cutoverId,
      setTimeout(() => {
        presenceTimers.delete(cutoverId);
        void updatePresence(cutoverId);
      }, 250),
    );
  }
  // One update per room at a time, so two answers never reach the room out of order.
  async function updatePresence(cutoverId: string) {
    if (computing.has(cutoverId)) {
      again.add(cutoverId);
      return;
    }
    computing.add(cutoverId);
    try {
      if (announce.delete(cutoverId)) io.serverSideEmit(PRESENCE_CHANGED, cutoverId);
      await broadcastPresence(cutoverId);
    } catch (err) {
      log(`socket: presence of cutover ${cutoverId} failed: ${(err as Error).message}`);
    } finally {
      computing.delete(cutoverId);
      if (again.delete(cutoverId)) schedulePresence(cutoverId, false);
    }
  }

  /** Until the pool has sent everything queued on it (2 s at most); `listening`: the adapter still holds its LISTEN connection. */
  async function drained(listening: boolean) {
    const pool = options.pool;
    const held = listening ? 1 : 0;
    for (const until = Date.now() + 2000; pool && (pool.waitingCount > 0 || pool.totalCount - pool.idleCount > held) && Date.now() < until; ) await new Promise((r) => setTimeout(r, 10));
  }

  // A process killed outright says nothing: the adapter forgets it after its heartbeats stop, and
  // this refresh then takes its people out of the rooms this process shows.
  const refresh = clustered ? setInterval(() => present.forEach((_people, cutoverId) => schedulePresence(cutoverId, false)), 5000) : null;
  refresh?.unref();

  if (clustered) {
    const cutoverIdOf = (raw: unknown) => joinSchema.shape.cutoverId.safeParse(raw).data ?? null;
    io.on(PRESENCE_CHANGED, (raw: unknown) => {
      const cutoverId = cutoverIdOf(raw);
      // Nobody here to tell: whoever joins later is told on joining.
      if (cutoverId && present.has(cutoverId)) schedulePresence(cutoverId, false);
    });
    io.on(PRESENCE_OF, (raw: unknown, reply: unknown) => {
      if (typeof reply !== "function") return;
      const cutoverId = cutoverIdOf(raw);
      reply(cutoverId ? localPresence(cutoverId) : []);
    });
  }

  io.on("connection", (socket: Socket) => {
    metrics().socketConnections.inc();
    socket.on("disconnecting", () => {
      const state = socket.data as SocketState;
      for (const [cutoverId, roles] of state.rooms) {
        leave(cutoverId, state.user.id, roles);
        schedulePresence(cutoverId);
      }
      state.rooms.clear();
    });
    socket.on("disconnect", () => metrics().socketConnections.dec());
    socket.on("join", async (raw: unknown, ack?: (r: { ok: boolean; error?: string }) => void) => {
      const parsed = joinSchema.safeParse(raw);
      const reply = typeof ack === "function" ? ack : () => {};
      if (!parsed.success) return reply({ ok: false, error: "bad_request" });
      const state = socket.data as SocketState;
      const { cutoverId } = parsed.data;
      let roles: Role[] | null = null;
      try {
        // An access change during the check makes its answer stale: ask again (a few times at most).
        for (let attempt = 0; attempt < 3; attempt++) {
          const gen = generationOf(state.user.id);
          roles = await accessOf(state.user.id, cutoverId);
          if (gen === generationOf(state.user.id)) break;
          roles = null;
        }
      } catch {
        return reply({ ok: false, error: "unavailable" });
      }
      if (!roles) return reply({ ok: false, error: "forbidden" });
      // Gone while the check ran: nothing to join, and nobody to count.
      if (socket.disconnected) return;
      await putInRoom(socket, cutoverId, roles);
      reply({ ok: true });
      if (!waiting.has(cutoverId)) waiting.set(cutoverId, new Set());
      waiting.get(cutoverId)!.add(socket);
      schedulePresence(cutoverId);
    });
  });

  return {
    io,
    forward(event: BusEvent) {
      metrics().busEvents.inc({ type: event.type });
      // Every process hears every bus event and tells its own sockets: a cluster broadcast would
      // deliver each event once per process.
      io.local.to(roomOf(event.cutoverId)).emit("event", event);
      // Removing a member (lib/services/room-details.ts) is announced with subject "user:<id>"
      // (or the id in data.userId).
      if (event.type === "member.removed") {
        const userId = typeof event.data?.userId === "string" ? event.data.userId : event.subject?.startsWith("user:") ? event.subject.slice(5) : null;
        if (userId) recheck(userId, event.cutoverId);
      }
    },
    /**
     * This process's bus listens again after losing PostgreSQL: every page it serves, whatever its
     * room, refetches (only its own: other processes' buses did not miss anything).
     */
    resync(reason: Resync["reason"]) {
      const message: Resync = { type: RESYNC_EVENT, at: new Date().toISOString(), reason };
      io.local.emit(RESYNC_EVENT, message);
    },
    /** A user was disabled or enabled, their password reset or their global roles changed (bus: user.access_changed). */
    accessChanged(userId: string) {
      forgetAccountStatus(userId);
      recheck(userId);
    },
    async close() {
      closed = true;
      if (refresh) clearInterval(refresh);
      presenceTimers.forEach((t) => clearTimeout(t));
      presenceTimers.clear();
      waiting.clear();
      const rooms = [...present.keys()];
      // This process's sockets only: the others keep theirs, and hear that these people left.
      io.local.disconnectSockets(true);
      if (clustered) {
        for (const cutoverId of rooms) io.serverSideEmit(PRESENCE_CHANGED, cutoverId);
        // Sent before the adapter's goodbye, not beside it: any message of ours arriving after the
        // goodbye would count this process as alive again, and the others would wait for its
        // answers until its heartbeats are missed.
        await drained(true);
      }
      await new Promise<void>((resolve) => io.close(() => resolve()));
      releaseUpgrades();
      // The goodbye itself is still a queued query: the caller ends the pool next, which would drop it.
      await drained(false);
    },
  };
}
