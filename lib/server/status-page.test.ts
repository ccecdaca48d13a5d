// The public status pages over real HTTP, a real PostgreSQL and its real bus: a page exists only
// once turned on, is rebuilt when the bus announces a change (publish, retract, rollback), answers
// 304 to its ETag, pushes new documents to open pages over SSE, never shows a private field, and
// does no database work per reader. Unknown, disabled and malformed addresses get the same 404.
import http from "node:http";
import type { AddressInfo } from "node:net";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { listen, type BusEvent, type BusListener } from "@/lib/realtime/bus";
import { dispatch } from "@/lib/services/commands";
import { listStatusPages, loadStatusSource } from "@/lib/services/status-page";
import { createFixture, createTeam, useFreshDatabase, type Fixture, type Team } from "@/lib/testing/fixtures";
import { createStatusPages, type StatusPageServer } from "./status-page";

let team: Team;
let f: Fixture;
let pages: StatusPageServer;
let bus: BusListener;
let server: http.Server;
let base = "";
let loads = 0;
const waiting: { type: string; cutoverId: string; resolve: () => void }[] = [];

/** Resolves once the bus has delivered `type` for the cutover and the page was rebuilt from it. */
function rebuiltAfter(type: string, cutoverId = f.cutoverId): Promise<void> {
  return new Promise((resolve) => waiting.push({ type, cutoverId, resolve: () => void pages.settled().then(resolve) }));
}

function onBus(event: BusEvent) {
  pages.onEvent(event);
  for (const w of [...waiting]) {
    if (w.type === event.type && w.cutoverId === event.cutoverId) {
      waiting.splice(waiting.indexOf(w), 1);
      w.resolve();
    }
  }
}

beforeAll(async () => {
  const url = await useFreshDatabase();
  team = await createTeam();
  f = await createFixture(team, { state: "in_progress" });
  // Private things of the cutover the page must never show.
  await db().contact.create({ data: { cutoverId: f.cutoverId, role: "DATABASE_DBA", name: "Dana Private", phone: "+44 20 7946 0958", email: "dana@corp.internal", chatHandle: "@dana-dba" } });
  await db().cutover.update({ where: { id: f.cutoverId }, data: { links: [{ label: "Runbook", url: "https://wiki.corp.internal/runbook" }], prometheusSource: "prom-internal" } });
  pages = createStatusPages({
    loaders: {
      load: (id) => {
        loads++;
        return loadStatusSource(id);
      },
      list: listStatusPages,
    },
    publicUrl: "https://status.example.com",
    debounceMs: 5,
    maxReaders: 3,
  });
  await pages.ready;
  bus = listen(url, onBus);
  for (;;) {
    // The LISTEN is up once connected() says so; nothing is published before.
    if (bus.connected()) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  server = http.createServer((req, res) => {
    if (pages.serve(req, res)) return;
    req.resume();
    res.writeHead(299).end("next");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  pages?.stop();
  await bus?.stop();
  server?.closeAllConnections();
  server?.close();
});

const get = async (path: string, headers: Record<string, string> = {}) => {
  const res = await fetch(base + path, { headers });
  return { status: res.status, headers: res.headers, text: await res.text() };
};

/** A GET of the path exactly as written (fetch would normalise "..", and so on). */
function rawStatus(path: string): Promise<number> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    http.get({ hostname, port, path }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    }).on("error", reject);
  });
}

/** An SSE reader: resolves each frame's event name and data as they arrive. */
function openEvents(path: string) {
  const frames: { event: string; data: string }[] = [];
  const waiters: (() => void)[] = [];
  let buffer = "";
  let status = 0;
  let closed = false;
  const req = http.get(base + path, (res) => {
    status = res.statusCode ?? 0;
    res.setEncoding("utf8");
    res.on("data", (chunk: string) => {
      buffer += chunk;
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event) frames.push({ event, data: data ?? "" });
      }
      waiters.splice(0).forEach((w) => w());
    });
    res.on("end", () => {
      closed = true;
      waiters.splice(0).forEach((w) => w());
    });
  });
  const until = async (test: () => boolean) => {
    while (!test()) await new Promise<void>((r) => waiters.push(r));
  };
  return {
    frames,
    status: () => status,
    closed: () => closed,
    /** Waits for the n-th frame (1-based). */
    frame: async (n: number) => {
      await until(() => frames.length >= n || closed);
      return frames[n - 1];
    },
    ended: () => until(() => closed),
    close: () => req.destroy(),
  };
}

describe("public status page", () => {
  let slug = "";

  it("does not exist before it is turned on: the same 404 as an unknown address", async () => {
    const unknown = await get("/status/no-such-page");
    const off = await get("/status/fixture-cutover");
    expect(unknown.status).toBe(404);
    expect(off.status).toBe(404);
    expect(off.text).toBe(unknown.text);
    expect(off.headers.get("content-type")).toBe(unknown.headers.get("content-type"));
    expect((await get("/status/no-such-page/status.json")).text).toBe(unknown.text);
    expect((await get("/sign-in")).status).toBe(299);
  });

  it("is built when turned on, under the slug made from the name, with the public title", async () => {
    const rebuilt = rebuiltAfter("status.configured");
    const result = (await dispatch(team.COMMS_LEAD, "status.configure", { cutoverId: f.cutoverId, enabled: true, title: "Payments maintenance" })) as { slug: string };
    slug = result.slug;
    expect(slug).toBe("fixture-cutover");
    await rebuilt;
    const page = await get(`/status/${slug}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain("<h1>Payments maintenance</h1>");
    expect(page.text).toContain("In progress");
    expect(page.text).toContain("Canary");
    expect(page.text).toContain("No status published yet");
    expect(page.headers.get("cache-control")).toBe("public, max-age=5");
    const csp = page.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(page.headers.get("x-frame-options")).toBe("DENY");
    expect(page.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("shows an update once published (rebuilt from the bus), answers 304 to its ETag, and serves JSON and Atom", async () => {
    const before = await get(`/status/${slug}/status.json`);
    const rebuilt = rebuiltAfter("status.published");
    await dispatch(team.COMMS_LEAD, "status.publish", { cutoverId: f.cutoverId, body: "Payments are moving to the new system", health: "maintenance", figures: [{ label: "Error rate", value: "0.2 %" }] });
    await rebuilt;
    const json = await get(`/status/${slug}/status.json`);
    expect(json.headers.get("etag")).not.toBe(before.headers.get("etag"));
    const doc = JSON.parse(json.text) as { health: string; updates: { body: string; figures: unknown[] }[]; nextUpdateAt: string | null };
    expect(doc.health).toBe("maintenance");
    expect(doc.updates[0]).toMatchObject({ body: "Payments are moving to the new system", figures: [{ label: "Error rate", value: "0.2 %" }] });
    expect(doc.nextUpdateAt).not.toBeNull();

    for (const path of [`/status/${slug}`, `/status/${slug}/`, `/status/${slug}/status.json`, `/status/${slug}/feed.atom`]) {
      const first = await get(path);
      expect(first.status, path).toBe(200);
      const etag = first.headers.get("etag")!;
      expect(etag).toMatch(/^"[\w-]+"$/);
      const again = await get(path, { "if-none-match": etag });
      expect(again.status, path).toBe(304);
      expect(again.text).toBe("");
      expect((await get(path, { "if-none-match": '"stale"' })).status).toBe(200);
    }
    const atom = await get(`/status/${slug}/feed.atom`);
    expect(atom.headers.get("content-type")).toBe("application/atom+xml; charset=utf-8");
    expect(atom.text).toContain("<title>Under maintenance: Payments are moving to the new system</title>");
    const head = await fetch(`${base}/status/${slug}`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
    expect((await fetch(`${base}/status/${slug}`, { method: "POST" })).status).toBe(405);
  });

  it("pushes each new document to open pages, and tells them when the page is gone", async () => {
    const reader = openEvents(`/status/${slug}/events`);
    const first = await reader.frame(1);
    expect(reader.status()).toBe(200);
    expect(first?.event).toBe("update");
    expect(JSON.parse(first!.data).document.updates).toHaveLength(1);

    await dispatch(team.DEPLOYMENT_LEAD, "status.publish", { cutoverId: f.cutoverId, body: "Canary at 10 %, all green", health: "operational" });
    const second = await reader.frame(2);
    const pushed = JSON.parse(second!.data) as { document: { health: string; updates: unknown[] }; html: string };
    expect(pushed.document.health).toBe("operational");
    expect(pushed.document.updates).toHaveLength(2);
    expect(pushed.html).toContain("Canary at 10 %, all green");
    reader.close();
  });

  it("drops a retracted update, and the end of the cutover reads as completed with no update promised", async () => {
    const latest = await db().statusUpdate.findFirstOrThrow({ where: { cutoverId: f.cutoverId }, orderBy: { publishedAt: "desc" } });
    let rebuilt = rebuiltAfter("status.retracted");
    await dispatch(team.COMMS_LEAD, "status.retract", { cutoverId: f.cutoverId, id: latest.id });
    await rebuilt;
    const doc = JSON.parse((await get(`/status/${slug}/status.json`)).text) as { health: string; updates: { body: string }[]; progress: string };
    expect(doc.updates.map((u) => u.body)).toEqual(["Payments are moving to the new system"]);
    expect(doc.health).toBe("maintenance");
    await expect(dispatch(team.COMMS_LEAD, "status.retract", { cutoverId: f.cutoverId, id: latest.id })).rejects.toMatchObject({ status: 409 });

    // A state change announced by the room (here: completed), as the rollback's or the lead's would be.
    rebuilt = rebuiltAfter("cutover.completed");
    await dispatch(team.DEPLOYMENT_LEAD, "cutover.complete", { cutoverId: f.cutoverId, force: true, note: "accepted" });
    await rebuilt;
    const ended = JSON.parse((await get(`/status/${slug}/status.json`)).text) as { progress: string; nextUpdateAt: string | null; phase: string | null };
    expect(ended).toMatchObject({ progress: "completed", nextUpdateAt: null, phase: null });
  });

  it("shows none of the cutover's private fields in HTML, JSON or Atom", async () => {
    const c = await db().cutover.findUniqueOrThrow({
      where: { id: f.cutoverId },
      include: { members: { include: { user: true } }, contacts: true, metrics: true, timeline: true, risks: true, decisions: true, phases: { include: { sections: { include: { items: true } } } } },
    });
    const updates = await db().statusUpdate.findMany({ where: { cutoverId: f.cutoverId } });
    const links = c.links as { url: string; label: string }[];
    const secrets = [
      c.name,
      c.prometheusSource!,
      ...c.members.flatMap((m) => [m.user.name, m.user.email]),
      ...c.contacts.flatMap((x) => [x.name, x.phone, x.email, x.chatHandle]),
      ...links.map((l) => l.url),
      ...c.metrics.flatMap((m) => [m.queryOld, m.queryNew]),
      ...c.timeline.map((t) => t.title),
      ...c.risks.map((r) => r.title),
      ...c.decisions.map((d) => d.title),
      ...c.phases.flatMap((p) => p.sections.flatMap((s) => [s.name, ...s.items.map((i) => i.title)])),
      ...updates.flatMap((u) => [u.publishedByName, u.publishedById]),
      c.id,
    ].filter((s): s is string => typeof s === "string" && s.length > 0);
    expect(secrets.length).toBeGreaterThan(15);
    for (const path of [`/status/${slug}`, `/status/${slug}/status.json`, `/status/${slug}/feed.atom`]) {
      const { text } = await get(path);
      const leaked = secrets.filter((s) => text.includes(s));
      expect(leaked, path).toEqual([]);
    }
  });

  it("the safety net rebuilds from the database what no event announced", async () => {
    // Written behind the bus's back (as a change committed while this process's LISTEN was down).
    await db().statusUpdate.create({ data: { cutoverId: f.cutoverId, body: "Written while the bus was down", health: "degraded", publishedById: team.COMMS_LEAD.id, publishedByName: "x", nextUpdateAt: null } });
    expect((await get(`/status/${slug}`)).text).not.toContain("Written while the bus was down");
    await pages.refreshAll();
    const doc = JSON.parse((await get(`/status/${slug}/status.json`)).text) as { health: string; updates: { body: string }[] };
    expect(doc.updates[0]!.body).toBe("Written while the bus was down");
    expect(doc.health).toBe("degraded");
  });

  it("does no database work per reader", async () => {
    await pages.settled();
    const before = loads;
    await Promise.all(Array.from({ length: 200 }, (_, i) => get(i % 3 === 0 ? `/status/${slug}` : i % 3 === 1 ? `/status/${slug}/status.json` : "/status/nobody-here")));
    expect(loads).toBe(before);
  });

  it("holds a bounded number of open readers", async () => {
    const readers = [openEvents(`/status/${slug}/events`), openEvents(`/status/${slug}/events`), openEvents(`/status/${slug}/events`)];
    await Promise.all(readers.map((r) => r.frame(1)));
    expect(pages.readers()).toBe(3);
    const refused = await get(`/status/${slug}/events`);
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("30");
    readers.forEach((r) => r.close());
  });

  it("turned off: the same 404 as an unknown address, and open pages are told it is gone", async () => {
    // Wait for the last test's readers to be counted out before opening another.
    while (pages.readers() > 0) await new Promise((r) => setTimeout(r, 5));
    const reader = openEvents(`/status/${slug}/events`);
    await reader.frame(1);
    const rebuilt = rebuiltAfter("status.configured");
    await dispatch(team.COMMS_LEAD, "status.configure", { cutoverId: f.cutoverId, enabled: false });
    await rebuilt;
    await reader.ended();
    expect(reader.frames.at(-1)?.event).toBe("gone");
    const off = await get(`/status/${slug}`);
    const unknown = await get("/status/never-existed");
    expect(off.status).toBe(404);
    expect(off.text).toBe(unknown.text);
    expect((await get(`/status/${slug}/events`)).status).toBe(404);
  });

  it("any other /status path is a 404 (bad slugs, encodings, huge paths), never an error and never Next", async () => {
    const segment = fc.oneof(
      fc.string({ maxLength: 80 }).map((s) => encodeURIComponent(s)),
      fc.constantFrom("..", "%2e%2e", "%00", "%", "Fixture-Cutover", "-abc", "ab", "x".repeat(5000), "fixture-cutover/../../etc/passwd", "a/b/c/d", "fixture-cutover/feed.xml"),
    );
    await fc.assert(
      fc.asyncProperty(segment, fc.constantFrom("", "/", "/feed.atom", "/status.json", "/events", "/x"), async (s, suffix) => {
        expect(await rawStatus(`/status/${s}${suffix}`)).toBe(404);
      }),
      { numRuns: 150 },
    );
    expect(await rawStatus("/status")).toBe(404);
    expect(await rawStatus(`/status/${"a".repeat(10_000)}`)).toBe(404);
    expect(await rawStatus("/status/../status/fixture-cutover")).toBe(404);
  });
});
