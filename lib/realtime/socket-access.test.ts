// Access that ends ends at once for open sockets, end to end on real parts: real PostgreSQL, the
// real bus (LISTEN/NOTIFY), real next-auth session cookies, the socket.io server and real clients.
// A removed member's sockets leave that cutover's room; a disabled user's are disconnected and
// cannot reconnect; people who keep access keep receiving the room.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { io as connect, type Socket } from "socket.io-client";
import { encode } from "next-auth/jwt";
import { db } from "@/lib/db/client";
import { dispatch } from "@/lib/services/commands";
import { createFixture, createTeam, useFreshDatabase, type Fixture, type Team } from "@/lib/testing/fixtures";
import type { Actor } from "@/lib/services/context";
import { listen, type BusListener } from "./bus";
import { createSocketServer } from "./socket-server";

const SECRET = "socket-access-test-secret-0123456789";
const http = createServer((_req, res) => res.end("next"));
const sockets = createSocketServer(http, SECRET, () => {});
let bus: BusListener;
let url = "";
let team: Team;
let f: Fixture;
let admin: Actor;
const clients: Socket[] = [];

async function until(pred: () => boolean, ms = 5000) {
  const deadline = Date.now() + ms;
  while (!pred() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  return pred();
}

interface Client {
  socket: Socket;
  events: { type: string; subject?: string }[];
  disconnected: string[];
}

async function cookieOf(user: Actor) {
  return `next-auth.session-token=${await encode({ token: { sub: user.id, name: user.name, sv: 0 }, secret: SECRET })}`;
}

function open(cookie: string): Socket {
  const socket = connect(url, { path: "/socket.io", transports: ["websocket"], forceNew: true, reconnection: false, extraHeaders: { cookie } });
  clients.push(socket);
  return socket;
}

async function enter(user: Actor): Promise<Client> {
  const socket = open(await cookieOf(user));
  const client: Client = { socket, events: [], disconnected: [] };
  socket.on("event", (e: { type: string; subject?: string }) => client.events.push(e));
  socket.on("disconnect", (reason) => client.disconnected.push(reason));
  await new Promise<void>((resolve, reject) => {
    socket.once("connect_error", reject);
    socket.once("connect", () => socket.emit("join", { cutoverId: f.cutoverId }, (r: { ok: boolean }) => (r.ok ? resolve() : reject(new Error("join refused")))));
  });
  return client;
}

/**
 * A round trip on the client's own connection: the server answers after every frame it had already
 * written to that socket, so once the answer is in, any event sent to it before has arrived too.
 */
async function drained(client: Client) {
  await client.socket.timeout(5000).emitWithAck("join", { cutoverId: "not-an-id" });
}

const types = (c: Client) => c.events.map((e) => e.type);

beforeAll(async () => {
  const databaseUrl = await useFreshDatabase();
  team = await createTeam();
  f = await createFixture(team);
  admin = await db().user.create({ data: { email: "admin@socket.test", name: "Admin", passwordHash: "x", isAdmin: true }, select: { id: true, name: true, isAdmin: true, isPlanner: true } });
  bus = listen(databaseUrl, (e) => sockets.forward(e), () => {}, (e) => sockets.accessChanged(e.userId));
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  expect(await until(() => bus.connected())).toBe(true);
});

afterAll(async () => {
  clients.forEach((c) => c.disconnect());
  await sockets.close();
  await bus.stop();
  http.close();
});

describe("sockets when access ends", () => {
  it("a removed member's sockets leave the room; a member who keeps another role stays", async () => {
    // Backend also observes: removing one of two roles leaves them in the room.
    await db().cutoverMember.create({ data: { cutoverId: f.cutoverId, userId: team.BACKEND_LEAD.id, role: "OBSERVER" } });
    const qa = await enter(team.QA_LEAD);
    const backend = await enter(team.BACKEND_LEAD);
    const observer = await enter(team.OBSERVER);

    await dispatch(team.DEPLOYMENT_LEAD, "member.remove", { cutoverId: f.cutoverId, userId: team.QA_LEAD.id, role: "QA_LEAD" });
    await dispatch(team.DEPLOYMENT_LEAD, "member.remove", { cutoverId: f.cutoverId, userId: team.BACKEND_LEAD.id, role: "OBSERVER" });
    // Backend is put back after the check, and told to refetch what it may have missed.
    expect(await until(() => types(backend).includes("access.rechecked"))).toBe(true);

    await dispatch(team.DEPLOYMENT_LEAD, "risk.save", { cutoverId: f.cutoverId, title: "After the removal", probability: "low", impact: "low" });
    expect(await until(() => types(observer).includes("risk.added") && types(backend).includes("risk.added"))).toBe(true);
    await drained(qa);
    expect(types(qa)).not.toContain("risk.added");
    expect(qa.socket.connected).toBe(true);

    // And joining again is refused: they are no member.
    expect(await qa.socket.timeout(5000).emitWithAck("join", { cutoverId: f.cutoverId })).toEqual({ ok: false, error: "forbidden" });
  });

  it("a disabled user's sockets are disconnected, cannot reconnect, and hear nothing more", async () => {
    const observer = await enter(team.OBSERVER);
    const dba = await enter(team.DATABASE_DBA);
    const before = observer.events.length;

    await dispatch(admin, "user.disable", { userId: team.OBSERVER.id });
    expect(await until(() => observer.disconnected.length > 0)).toBe(true);
    expect(observer.disconnected[0]).toBe("io server disconnect");

    await dispatch(team.DEPLOYMENT_LEAD, "risk.save", { cutoverId: f.cutoverId, title: "After the disable", probability: "low", impact: "low" });
    expect(await until(() => dba.events.some((e) => e.type === "risk.added"))).toBe(true);
    expect(observer.events.slice(before).map((e) => e.type)).not.toContain("risk.added");

    // The same session cookie is refused at the handshake.
    const again = open(await cookieOf(team.OBSERVER));
    await expect(new Promise((resolve, reject) => (again.once("connect", () => resolve("connected")), again.once("connect_error", reject)))).rejects.toThrow("unauthorized");

    // Enabled again, the old session stays ended (its version is stale): a new sign-in is needed.
    await dispatch(admin, "user.enable", { userId: team.OBSERVER.id });
    const stale = open(await cookieOf(team.OBSERVER));
    await expect(new Promise((resolve, reject) => (stale.once("connect", () => resolve("connected")), stale.once("connect_error", reject)))).rejects.toThrow("unauthorized");
  });

  it("revoking administrator takes an administrator without a role out of the room", async () => {
    const other = await db().user.create({ data: { email: "admin2@socket.test", name: "Admin 2", passwordHash: "x", isAdmin: true }, select: { id: true, name: true, isAdmin: true, isPlanner: true } });
    const watcher = await enter(other);
    const dba = await enter(team.DATABASE_DBA);
    await dispatch(admin, "user.set_roles", { userId: other.id, isAdmin: false });
    await dispatch(team.DEPLOYMENT_LEAD, "risk.save", { cutoverId: f.cutoverId, title: "After the revoke", probability: "low", impact: "low" });
    expect(await until(() => dba.events.some((e) => e.type === "risk.added"))).toBe(true);
    await drained(watcher);
    expect(types(watcher)).not.toContain("risk.added");
    // Their session itself is still good: the socket stays connected, outside the room.
    expect(watcher.socket.connected).toBe(true);
  });
});
