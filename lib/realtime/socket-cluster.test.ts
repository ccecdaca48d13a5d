// Two socket.io servers (two app processes) linked by socket.io's PostgreSQL adapter on a real
// PostgreSQL, as the app's runtime role, with real clients: presence covers both processes, a bus
// event reaches each client once, and a process that stops takes its people out of the room.
// Who the caller is and what they may see are stubbed (socket-access.test.ts checks them for real).
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { io as connect, type Socket } from "socket.io-client";
import { createPool } from "@/lib/db/pool";
import { useFreshDatabase } from "@/lib/testing/fixtures";

const resolveSession = vi.fn(async ({ cookie }: { cookie?: string | null }) => {
  const user = /next-auth\.session-token=([^;]+)/.exec(cookie ?? "")?.[1];
  // "long…" users have long names: their presence answers exceed NOTIFY's 8000 bytes.
  const name = user?.startsWith("long") ? `${user.toUpperCase()} ${"x".repeat(480)}` : user?.toUpperCase();
  return user ? { user: { id: user, name: name!, email: `${user}@test.local`, isAdmin: false, isPlanner: false }, sv: 0 } : null;
});
vi.mock("@/lib/auth/actor", async (importActual) => ({ ...(await importActual<object>()), resolveSession }));
// Users removed from every cutover (as the database would answer after member.remove).
const removed = new Set<string>();
vi.mock("@/lib/services/cutover-read", () => ({
  canViewCutover: async (userId: string) => !removed.has(userId),
  rolesIn: async (userId: string) => (userId === "ann" ? ["DEPLOYMENT_LEAD"] : ["OBSERVER"]),
}));
vi.mock("@/lib/auth/account-status", () => ({
  accountStatus: async () => ({ disabled: false, sessionVersion: 0 }),
  forgetAccountStatus: () => {},
  sessionStillValid: () => true,
}));

const { createSocketServer } = await import("./socket-server");
type SocketServer = ReturnType<typeof createSocketServer>;

const CUTOVER = "7b0b1f4e-3a43-4c55-9a8f-1b2c3d4e5f61";
const OTHER = "7b0b1f4e-3a43-4c55-9a8f-1b2c3d4e5f62";
type Presence = { cutoverId: string; people: { userId: string; roles: string[] }[] };

interface Node {
  http: HttpServer;
  sockets: SocketServer;
  pool: pg.Pool;
  url: string;
  stopped: boolean;
}
const nodes: Node[] = [];
// What the processes logged.
const logs: string[] = [];
const clients: Socket[] = [];
let databaseUrl = "";

async function startNode(): Promise<Node> {
  const http = createServer((_req, res) => res.end("next"));
  const pool = createPool({ connectionString: databaseUrl, name: "socket-io-test", max: 3 });
  const sockets = createSocketServer(http, "secret", (line) => logs.push(line), { pool });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const node = { http, sockets, pool, url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`, stopped: false };
  nodes.push(node);
  return node;
}

async function stopNode(node: Node) {
  if (node.stopped) return;
  node.stopped = true;
  await node.sockets.close();
  node.http.close();
  await node.pool.end();
}

async function until(pred: () => boolean | Promise<boolean>, ms = 15_000) {
  const deadline = Date.now() + ms;
  while (!(await pred()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
  return pred();
}

async function join(node: Node, user: string, cutoverId = CUTOVER) {
  const socket = connect(node.url, { path: "/socket.io", transports: ["websocket"], forceNew: true, reconnection: false, extraHeaders: { cookie: `next-auth.session-token=${user}` } });
  clients.push(socket);
  const presence: Presence[] = [];
  const events: { type: string }[] = [];
  socket.on("presence", (p: Presence) => presence.push(p));
  socket.on("event", (e: { type: string }) => events.push(e));
  await new Promise<void>((resolve, reject) => {
    socket.once("connect_error", reject);
    socket.once("connect", () => socket.emit("join", { cutoverId }, (r: { ok: boolean }) => (r.ok ? resolve() : reject(new Error("join refused")))));
  });
  return { socket, presence, events };
}
const people = (p: Presence | undefined) => p?.people.map((x) => `${x.userId}:${x.roles.join(",")}`) ?? [];

let a: Node;
let b: Node;

beforeAll(async () => {
  databaseUrl = await useFreshDatabase();
  a = await startNode();
  b = await startNode();
  // Each adapter learns of the other from its heartbeats: wait until both count two servers.
  expect(await until(async () => (await a.sockets.io.of("/").adapter.serverCount()) === 2 && (await b.sockets.io.of("/").adapter.serverCount()) === 2)).toBe(true);
});

afterAll(async () => {
  clients.forEach((c) => c.disconnect());
  for (const node of nodes) await stopNode(node);
});

describe("two processes, one room", () => {
  it("shows people on either process to everyone in the room, and drops those who leave", async () => {
    const ann = await join(a, "ann");
    const bob = await join(b, "bob");
    const both = ["ann:DEPLOYMENT_LEAD", "bob:OBSERVER"];
    expect(await until(() => people(ann.presence.at(-1)).join() === both.join() && people(bob.presence.at(-1)).join() === both.join())).toBe(true);
    // Another room's people are not this room's.
    const carol = await join(b, "carol", OTHER);
    expect(await until(() => people(carol.presence.at(-1)).join() === "carol:OBSERVER")).toBe(true);
    expect(people(ann.presence.at(-1))).toEqual(both);

    bob.socket.disconnect();
    expect(await until(() => people(ann.presence.at(-1)).join() === "ann:DEPLOYMENT_LEAD")).toBe(true);
  });

  it("delivers a bus event once to each client when every process forwards it", async () => {
    const ann = await join(a, "ann");
    const dave = await join(b, "dave");
    // Each process hears every bus event and forwards it: here both do, as they would.
    for (const node of [a, b]) node.sockets.forward({ type: "item.changed", cutoverId: CUTOVER, at: new Date().toISOString() });
    expect(await until(() => [ann, dave].every((c) => c.events.length >= 1))).toBe(true);
    // A message from B to A sent after the forwards (a presence change) has arrived: anything the
    // forwards sent between the processes would have arrived before it.
    await join(b, "frank");
    expect(await until(() => people(ann.presence.at(-1)).includes("frank:OBSERVER"))).toBe(true);
    expect(ann.events.map((e) => e.type)).toEqual(["item.changed"]);
    expect(dave.events.map((e) => e.type)).toEqual(["item.changed"]);
  });

  it("carries answers over NOTIFY's size limit through the attachments table", async () => {
    const longs = await Promise.all(Array.from({ length: 20 }, (_, i) => join(b, `long${String(i).padStart(2, "0")}`)));
    const ann = await join(a, "ann");
    expect(await until(() => people(ann.presence.at(-1)).filter((p) => p.startsWith("long")).length === 20)).toBe(true);
    expect(await a.pool.query("SELECT count(*)::int AS n FROM socket_io_attachments").then((r) => r.rows[0].n)).toBeGreaterThan(0);
    longs.forEach((c) => c.socket.disconnect());
    expect(await until(() => people(ann.presence.at(-1)).every((p) => !p.startsWith("long")))).toBe(true);
  });

  it("a member removed while on both processes leaves the room on both, and the room sees them go", async () => {
    const ann = await join(a, "ann");
    const ginaA = await join(a, "gina");
    const ginaB = await join(b, "gina");
    expect(await until(() => people(ann.presence.at(-1)).includes("gina:OBSERVER"))).toBe(true);
    removed.add("gina");
    // The bus delivers the removal to every process; each acts on its own sockets.
    const event = { type: "member.removed", cutoverId: CUTOVER, at: new Date().toISOString(), subject: "user:gina", data: { userId: "gina" } };
    for (const node of [a, b]) node.sockets.forward(event);
    expect(await until(() => !people(ann.presence.at(-1)).includes("gina:OBSERVER"))).toBe(true);
    // Neither of Gina's sockets hears the room any more.
    const seen = [ginaA.events.length, ginaB.events.length];
    for (const node of [a, b]) node.sockets.forward({ type: "item.changed", cutoverId: CUTOVER, at: new Date().toISOString() });
    expect(await until(() => ann.events.some((e) => e.type === "item.changed"))).toBe(true);
    await join(b, "henry");
    expect(await until(() => people(ann.presence.at(-1)).includes("henry:OBSERVER"))).toBe(true);
    expect([ginaA.events.length, ginaB.events.length]).toEqual(seen);
  });

  it("takes the people of a process that stops out of the room", async () => {
    const ann = await join(a, "ann");
    await join(b, "erin");
    expect(await until(() => people(ann.presence.at(-1)).includes("erin:OBSERVER"))).toBe(true);
    await stopNode(b);
    expect(await until(() => !people(ann.presence.at(-1)).includes("erin:OBSERVER"))).toBe(true);
    // B said goodbye after its last message: A never waited for an answer from it.
    expect(logs.filter((l) => l.includes("timeout reached"))).toEqual([]);
  });
});
