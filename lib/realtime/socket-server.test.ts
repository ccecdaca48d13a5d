// The socket.io server on a real HTTP server with real clients; the caller's resolution and the
// database's answers about who may see a cutover and whether a session is still good are stubbed.
import { createServer, request, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { io as connect, type Socket } from "socket.io-client";

const resolveSession = vi.fn(async ({ cookie }: { cookie?: string | null }) => {
  const user = /next-auth\.session-token=([^;]+)/.exec(cookie ?? "")?.[1];
  return user ? { user: { id: user, name: user.toUpperCase(), email: `${user}@test.local`, isAdmin: false, isPlanner: false }, sv: 0 } : null;
});
vi.mock("@/lib/auth/actor", async (importActual) => ({ ...(await importActual<object>()), resolveSession }));
vi.mock("@/lib/services/cutover-read", () => ({
  canViewCutover: async (userId: string) => userId !== "stranger",
  rolesIn: async (userId: string) => (userId === "ann" ? ["DEPLOYMENT_LEAD"] : ["OBSERVER"]),
}));

// Every session here is current: socket-access.test.ts checks disabled users and stale sessions on a real database.
vi.mock("@/lib/auth/account-status", () => ({
  accountStatus: async () => ({ disabled: false, sessionVersion: 0 }),
  forgetAccountStatus: () => {},
  sessionStillValid: (status: { disabled: boolean; sessionVersion: number } | null, sv?: number) => status !== null && !status.disabled && status.sessionVersion === (sv ?? 0),
}));

const { createSocketServer } = await import("./socket-server");

const CUTOVER = "7b0b1f4e-3a43-4c55-9a8f-1b2c3d4e5f60";
const http = createServer((_req, res) => res.end("next"));
const sockets = createSocketServer(http, "secret", () => {});
// What Next's request handler does on the first request: its own "upgrade" listener.
const otherUpgrades: string[] = [];
http.on("upgrade", (req: IncomingMessage, socket) => {
  otherUpgrades.push(req.url ?? "");
  socket.end();
});
let url = "";
const clients: Socket[] = [];

beforeAll(async () => {
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});
afterAll(async () => {
  clients.forEach((c) => c.disconnect());
  await sockets.close();
  http.close();
});

type Presence = { cutoverId: string; people: { userId: string; roles: string[] }[] };

async function join(user: string, transports: ("websocket" | "polling")[] = ["websocket"]): Promise<{ socket: Socket; presence: Presence[] }> {
  const socket = connect(url, { path: "/socket.io", transports, forceNew: true, reconnection: false, extraHeaders: { cookie: `other=1; next-auth.session-token=${user}` } });
  clients.push(socket);
  const presence: Presence[] = [];
  socket.on("presence", (p: Presence) => presence.push(p));
  await new Promise<void>((resolve, reject) => {
    socket.once("connect_error", reject);
    socket.once("connect", () => socket.emit("join", { cutoverId: CUTOVER }, (r: { ok: boolean }) => (r.ok ? resolve() : reject(new Error("join refused")))));
  });
  return { socket, presence };
}

async function until(pred: () => boolean, ms = 3000) {
  const deadline = Date.now() + ms;
  while (!pred() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  return pred();
}
const people = (p: Presence | undefined) => p?.people.map((x) => `${x.userId}:${x.roles.join(",")}`).sort();

describe("the socket.io server", () => {
  it("tells everyone in the room who is there, once per change, and a joining tab at once", async () => {
    const ann = await join("ann");
    expect(await until(() => people(ann.presence.at(-1))?.length === 1)).toBe(true);
    const bob = await join("bob");
    expect(await until(() => people(ann.presence.at(-1))?.length === 2 && people(bob.presence.at(-1))?.length === 2)).toBe(true);
    expect(people(bob.presence.at(-1))).toEqual(["ann:DEPLOYMENT_LEAD", "bob:OBSERVER"]);

    // A second tab of Bob: nothing changed for the room, the tab itself is told.
    const annSeen = ann.presence.length;
    const bob2 = await join("bob");
    expect(await until(() => bob2.presence.length > 0)).toBe(true);
    expect(people(bob2.presence.at(-1))).toEqual(["ann:DEPLOYMENT_LEAD", "bob:OBSERVER"]);
    await new Promise((r) => setTimeout(r, 400));
    expect(ann.presence.length).toBe(annSeen);

    // Bob closes one tab: still there. Then the other: gone.
    bob.socket.disconnect();
    await new Promise((r) => setTimeout(r, 400));
    expect(ann.presence.length).toBe(annSeen);
    bob2.socket.disconnect();
    expect(await until(() => people(ann.presence.at(-1))?.length === 1)).toBe(true);
    expect(people(ann.presence.at(-1))).toEqual(["ann:DEPLOYMENT_LEAD"]);
  });

  it("forwards bus events to the cutover's room", async () => {
    const { socket } = await join("carol");
    const got = new Promise((resolve) => socket.once("event", resolve));
    sockets.forward({ type: "item.changed", cutoverId: CUTOVER, at: new Date().toISOString() });
    expect(await got).toMatchObject({ type: "item.changed", cutoverId: CUTOVER });
  });

  it("forwards an event of any size whole, over WebSocket and long-polling alike", async () => {
    const ws = await join("erin");
    const polling = await join("frank", ["polling"]);
    expect(polling.socket.io.engine.transport.name).toBe("polling");
    // Payload lengths that take each of WebSocket's three length encodings (7 bit, 16 bit, 64 bit).
    for (const size of [10, 7_000, 70_000]) {
      const event = { type: "metrics.sampled", cutoverId: CUTOVER, at: new Date().toISOString(), data: { note: "é".repeat(size / 2), size } };
      const got = [ws.socket, polling.socket].map((s) => new Promise((resolve) => s.once("event", resolve)));
      sockets.forward(event);
      expect(await Promise.all(got)).toEqual([event, event]);
    }
  });

  it("builds a broadcast's WebSocket frame once, in one piece", () => {
    const adapter = sockets.io.of("/").adapter as unknown as { _encode(packet: object, opts: { wsPreEncodedFrame?: Buffer[] }): unknown };
    const opts: { wsPreEncodedFrame?: Buffer[] } = {};
    expect(adapter._encode({ type: 2, data: ["event", { a: 1 }], nsp: "/" }, opts)).toEqual(['2["event",{"a":1}]']);
    expect(opts.wsPreEncodedFrame).toHaveLength(1);
    const frame = opts.wsPreEncodedFrame![0]!;
    expect(frame[0]).toBe(0x81); // final fragment, text
    expect(frame[1]).toBe(Buffer.byteLength('42["event",{"a":1}]')); // unmasked, 7-bit length
    expect(frame.subarray(2).toString()).toBe('42["event",{"a":1}]');
  });

  it("refuses a handshake without a session and a join the user may not see", async () => {
    const anonymous = connect(url, { path: "/socket.io", transports: ["websocket"], forceNew: true, reconnection: false });
    clients.push(anonymous);
    await expect(new Promise<void>((resolve, reject) => (anonymous.once("connect", () => resolve()), anonymous.once("connect_error", reject)))).rejects.toThrow("unauthorized");
    await expect(join("stranger")).rejects.toThrow("join refused");
  });

  it("refuses a handshake from a foreign page even with a valid session, over WebSocket and polling", async () => {
    resolveSession.mockClear();
    for (const transports of [["websocket"], ["polling"]] as const) {
      for (const headers of [{ origin: "https://evil.example" }, { origin: "null" }, { "sec-fetch-site": "cross-site" }] as Record<string, string>[]) {
        const socket = connect(url, { path: "/socket.io", transports: [...transports], forceNew: true, reconnection: false, extraHeaders: { cookie: "next-auth.session-token=ann", ...headers } });
        clients.push(socket);
        const outcome = await new Promise<string>((resolve) => (socket.once("connect", () => resolve("connected")), socket.once("connect_error", (e) => resolve(`refused: ${e.message}`))));
        expect(outcome, `${transports[0]} ${JSON.stringify(headers)}`).toMatch(/^refused/);
        socket.disconnect();
      }
    }
    // Refused before the session was even looked at.
    expect(resolveSession).not.toHaveBeenCalled();
    // The page's own origin is welcome.
    const own = connect(url, { path: "/socket.io", transports: ["websocket"], forceNew: true, reconnection: false, extraHeaders: { cookie: "next-auth.session-token=erin", origin: url } });
    clients.push(own);
    await new Promise<void>((resolve, reject) => (own.once("connect", () => resolve()), own.once("connect_error", reject)));
  });

  it("decrypts a session once for many connections, and keeps socket.io's upgrades from other upgrade listeners", async () => {
    resolveSession.mockClear();
    await Promise.all(Array.from({ length: 5 }, () => join("dave")));
    expect(resolveSession).toHaveBeenCalledTimes(1);
    expect(otherUpgrades.filter((u) => u.startsWith("/socket.io/"))).toEqual([]);

    const req = request(`${url}/elsewhere`, { headers: { connection: "Upgrade", upgrade: "websocket" } });
    req.on("error", () => {});
    req.end();
    expect(await until(() => otherUpgrades.includes("/elsewhere"))).toBe(true);
  });

  it("tells every open page to refetch when the bus listens again after losing PostgreSQL (room.resync)", async () => {
    const { RESYNC_EVENT, resyncSchema } = await import("./events");
    const ann = await join("ann");
    const heard: unknown[] = [];
    ann.socket.on(RESYNC_EVENT, (m: unknown) => heard.push(m));
    sockets.resync("database_reconnected");
    expect(await until(() => heard.length === 1)).toBe(true);
    expect(resyncSchema.parse(heard[0])).toMatchObject({ type: "room.resync", reason: "database_reconnected" });
  });
});
