// Sign-off under load: requests that arrive together are served by one group commit. These tests
// submit their requests in one tick so that they share a batch (checked through the batch
// counters), and then check that every caller got exactly the answer it would have got alone.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { db } from "@/lib/db/client";
import { BUS_CHANNEL } from "@/lib/realtime/bus";
import { signOffItem, transitionStats } from "./sign-off";
import { authorize } from "./context";
import { createFixture, createTeam, digest, useFreshDatabase, type Fixture, type Team } from "@/lib/testing/fixtures";
import { dispatch } from "./commands";

let team: Team;
let url: string;
let listener: pg.Client;
const events: { type: string; cutoverId: string; data?: { itemId?: string; state?: string } }[] = [];
let markers = 0;

beforeAll(async () => {
  url = await useFreshDatabase();
  team = await createTeam();
  listener = new pg.Client({ connectionString: url });
  await listener.connect();
  listener.on("notification", (msg) => {
    if (msg.payload === "marker") markers++;
    else if (msg.payload) events.push(JSON.parse(msg.payload));
  });
  await listener.query(`LISTEN ${BUS_CHANNEL}`);
});

afterAll(async () => {
  await listener?.end();
});

/** The bus events of a cutover so far. A marker sent after the commits arrives after their events. */
async function busEvents(cutoverId: string) {
  const want = markers + 1;
  await db().$executeRawUnsafe("SELECT pg_notify($1, 'marker')", BUS_CHANNEL);
  while (markers < want) await new Promise((r) => setTimeout(r, 5));
  return events.filter((e) => e.cutoverId === cutoverId);
}

async function addItems(f: Fixture, owner: "QA_LEAD" | "DATABASE_DBA", count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const item = await db().item.create({ data: { sectionId: f.sectionId, title: `${owner} step ${i}`, ownerRole: owner, position: 10 + i }, select: { id: true } });
    ids.push(item.id);
  }
  return ids;
}

const history = (itemId: string) => db().signOff.findMany({ where: { itemId }, orderBy: { createdAt: "asc" }, select: { kind: true, role: true, userId: true, note: true } });
const audits = (cutoverId: string) => db().auditEvent.findMany({ where: { cutoverId }, orderBy: { id: "asc" }, select: { action: true, subject: true, role: true, requestId: true } });
const itemOf = (id: string) => db().item.findUniqueOrThrow({ where: { id }, select: { state: true, version: true } });

/** Runs the calls, all started in this tick, and returns how many batches served them. */
async function together<T>(calls: (() => Promise<T>)[]) {
  const before = transitionStats();
  const results = await Promise.allSettled(calls.map((c) => c()));
  const after = transitionStats();
  return { results, batches: after.batches - before.batches, fallbacks: after.fallbacks - before.fallbacks };
}

const reason = (r: PromiseSettledResult<unknown>) => (r.status === "rejected" ? (r.reason as { status?: number; message?: string; name?: string }) : null);

describe("sign-off group commit", () => {
  it("many callers on many items at once: one batch, one winner per item, the others 409, history not doubled", async () => {
    const f = await createFixture(team);
    const items = await addItems(f, "QA_LEAD", 5);
    const calls = items.flatMap((itemId) => [
      () => dispatch(team.QA_LEAD, "item.sign_off", { cutoverId: f.cutoverId, itemId, note: "first" }, { requestId: `first-${itemId}` }),
      () => dispatch(team.DEPLOYMENT_LEAD, "item.sign_off", { cutoverId: f.cutoverId, itemId, note: "override" }),
      () => dispatch(team.QA_LEAD, "item.sign_off", { cutoverId: f.cutoverId, itemId, expectedVersion: 0 }),
    ]);
    const { results, batches } = await together(calls);
    // The first request of each item shares the first batch; the later ones wait for the next.
    expect(batches).toBe(3);
    items.forEach((_, i) => {
      const [first, ...rest] = results.slice(3 * i, 3 * i + 3);
      expect(first).toMatchObject({ status: "fulfilled", value: { state: "done", version: 1, override: false } });
      for (const r of rest) expect(reason(r)).toMatchObject({ status: 409, message: expect.stringMatching(/^Already signed off by QA_LEAD/) });
    });
    for (const itemId of items) {
      expect(await history(itemId)).toEqual([{ kind: "sign_off", role: "QA_LEAD", userId: team.QA_LEAD.id, note: "first" }]);
      expect(await itemOf(itemId)).toEqual({ state: "done", version: 1 });
    }
    const a = await audits(f.cutoverId);
    expect(a.map((e) => [e.action, e.subject, e.role, e.requestId])).toEqual(items.map((id) => ["item.signed_off", `item:${id}`, "QA_LEAD", `first-${id}`]));
    const bus = await busEvents(f.cutoverId);
    expect(bus.map((e) => [e.type, e.data?.itemId, e.data?.state]).sort()).toEqual(items.map((id) => ["item.signed_off", id, "done"]).sort());
  });

  it("a second request on an item waits for the next batch and sees the first one's result", async () => {
    const f = await createFixture(team);
    const [a, b] = await addItems(f, "QA_LEAD", 2);
    const { results, batches } = await together([
      () => dispatch(team.QA_LEAD, "item.sign_off", { cutoverId: f.cutoverId, itemId: a!, expectedVersion: 0 }),
      () => dispatch(team.QA_LEAD, "item.undo", { cutoverId: f.cutoverId, itemId: a!, reason: "wrong box", expectedVersion: 1 }),
      () => dispatch(team.QA_LEAD, "item.not_applicable", { cutoverId: f.cutoverId, itemId: b!, reason: "not this time" }),
      () => dispatch(team.QA_LEAD, "item.undo", { cutoverId: f.cutoverId, itemId: b!, reason: "stale", expectedVersion: 0 }),
    ]);
    expect(batches).toBe(2);
    expect(results[0]).toMatchObject({ status: "fulfilled", value: { state: "done", version: 1 } });
    expect(results[1]).toMatchObject({ status: "fulfilled", value: { state: "open", version: 2 } });
    expect(results[2]).toMatchObject({ status: "fulfilled", value: { state: "not_applicable", version: 1 } });
    expect(reason(results[3]!)).toMatchObject({ status: 409, message: expect.stringContaining("changed since you loaded it") });
    expect((await history(a!)).map((h) => h.kind)).toEqual(["sign_off", "undo"]);
    expect((await history(b!)).map((h) => h.kind)).toEqual(["not_applicable"]);
    expect(await itemOf(a!)).toEqual({ state: "open", version: 2 });
    expect(await itemOf(b!)).toEqual({ state: "not_applicable", version: 1 });
  });

  it("one batch mixing good, forbidden, unknown, stale and invalid requests: each its own answer, the denied ones change nothing", async () => {
    const f = await createFixture(team);
    const other = await createFixture(team);
    const [good1, good2, forbidden, stale, done, invalid, overrideOk, watched] = await addItems(f, "QA_LEAD", 8);
    const [dbaItem] = await addItems(f, "DATABASE_DBA", 1);
    await dispatch(team.QA_LEAD, "item.sign_off", { cutoverId: f.cutoverId, itemId: done! });
    await dispatch(team.QA_LEAD, "item.sign_off", { cutoverId: f.cutoverId, itemId: stale! });
    await dispatch(team.QA_LEAD, "item.undo", { cutoverId: f.cutoverId, itemId: stale!, reason: "again" });
    const untouched = [forbidden!, stale!, done!, invalid!, watched!, other.qaItemId];
    const before = await Promise.all(untouched.map(async (id) => [await itemOf(id), await history(id)]));
    const auditsBefore = (await audits(f.cutoverId)).length;
    const busBefore = (await busEvents(f.cutoverId)).length;
    const unknownItem = "00000000-0000-4000-8000-000000000000";
    const { results, batches } = await together<unknown>([
      () => dispatch(team.QA_LEAD, "item.sign_off", { cutoverId: f.cutoverId, itemId: good1!, note: "ok" }),
      () => dispatch(team.DATABASE_DBA, "item.sign_off", { cutoverId: f.cutoverId, itemId: forbidden! }),
      () => dispatch(team.QA_LEAD, "item.sign_off", { cutoverId: f.cutoverId, itemId: unknownItem }),
      () => dispatch(team.QA_LEAD, "item.sign_off", { cutoverId: f.cutoverId, itemId: other.qaItemId }),
      () => dispatch(team.QA_LEAD, "item.sign_off", { cutoverId: "00000000-0000-4000-8000-000000000001", itemId: good2! }),
      () => dispatch(team.QA_LEAD, "item.sign_off", { cutoverId: f.cutoverId, itemId: stale!, expectedVersion: 1 }),
      () => dispatch(team.QA_LEAD, "item.sign_off", { cutoverId: f.cutoverId, itemId: done! }),
      () => dispatch(team.DEPLOYMENT_LEAD, "item.sign_off", { cutoverId: f.cutoverId, itemId: invalid! }),
      () => dispatch(team.DATABASE_DBA, "item.not_applicable", { cutoverId: f.cutoverId, itemId: dbaItem!, reason: "no database step" }),
      () => dispatch(team.DEPLOYMENT_LEAD, "item.sign_off", { cutoverId: f.cutoverId, itemId: overrideOk!, note: "QA on the bridge" }),
      () => dispatch(team.OBSERVER, "item.sign_off", { cutoverId: f.cutoverId, itemId: watched! }),
    ]);
    expect(batches).toBe(1);
    expect(results[0]).toMatchObject({ status: "fulfilled", value: { itemId: good1, state: "done", version: 1, override: false } });
    expect(reason(results[1]!)).toMatchObject({ status: 403 });
    expect(reason(results[2]!)).toMatchObject({ status: 404, message: "Item not found in this cutover" });
    expect(reason(results[3]!)).toMatchObject({ status: 404, message: "Item not found in this cutover" });
    expect(reason(results[4]!)).toMatchObject({ status: 404, message: "No such cutover, or you are not a member of it" });
    expect(reason(results[5]!)).toMatchObject({ status: 409, message: expect.stringContaining("changed since you loaded it") });
    expect(reason(results[6]!)).toMatchObject({ status: 409, message: expect.stringContaining("Already signed off by") });
    expect(reason(results[7]!)).toMatchObject({ status: 400, message: "An override needs a note" });
    expect(results[8]).toMatchObject({ status: "fulfilled", value: { itemId: dbaItem, state: "not_applicable", version: 1 } });
    expect(results[9]).toMatchObject({ status: "fulfilled", value: { itemId: overrideOk, state: "done", version: 1, override: true } });
    expect(reason(results[10]!)).toMatchObject({ status: 403 });

    expect(await Promise.all(untouched.map(async (id) => [await itemOf(id), await history(id)]))).toEqual(before);
    expect(await itemOf(good2!)).toEqual({ state: "open", version: 0 });
    expect(await history(good2!)).toEqual([]);
    expect(await history(overrideOk!)).toEqual([{ kind: "sign_off", role: "DEPLOYMENT_LEAD", userId: team.DEPLOYMENT_LEAD.id, note: "QA on the bridge" }]);
    const added = (await audits(f.cutoverId)).slice(auditsBefore);
    expect(added.map((e) => [e.action, e.subject, e.role])).toEqual([
      ["item.signed_off", `item:${good1}`, "QA_LEAD"],
      ["item.not_applicable", `item:${dbaItem}`, "DATABASE_DBA"],
      ["item.signed_off", `item:${overrideOk}`, "DEPLOYMENT_LEAD"],
    ]);
    const bus = (await busEvents(f.cutoverId)).slice(busBefore);
    expect(bus.map((e) => [e.type, e.data?.itemId])).toEqual(expect.arrayContaining([["item.signed_off", good1], ["item.not_applicable", dbaItem], ["item.signed_off", overrideOk]]));
    expect(bus).toHaveLength(3);
    expect((await busEvents(other.cutoverId)).length).toBe(0);
  });

  it("a statement PostgreSQL refuses fails only its own request: the others of the batch are written once", async () => {
    const f = await createFixture(team);
    const [a, b, c] = await addItems(f, "QA_LEAD", 3);
    const before = await digest();
    // PostgreSQL text cannot hold a NUL character: the batch's write statement fails as a whole.
    // (The dispatcher refuses NUL before any handler; this request enters the batch behind it.)
    const qa = team.QA_LEAD;
    const { results, batches, fallbacks } = await together<unknown>([
      () => dispatch(team.QA_LEAD, "item.sign_off", { cutoverId: f.cutoverId, itemId: a!, note: "fine" }),
      () => signOffItem({ actor: qa, authorize: (roles) => authorize(qa, roles, "item.sign_off") }, { cutoverId: f.cutoverId, itemId: b!, note: "bad\u0000note" }),
      () => dispatch(team.QA_LEAD, "item.sign_off", { cutoverId: f.cutoverId, itemId: c!, note: "also fine" }),
    ]);
    expect(batches).toBe(1);
    expect(fallbacks).toBe(1);
    expect(results[0]).toMatchObject({ status: "fulfilled", value: { state: "done", version: 1 } });
    expect(results[1]).toMatchObject({ status: "rejected" });
    expect(results[2]).toMatchObject({ status: "fulfilled", value: { state: "done", version: 1 } });
    expect(await history(a!)).toHaveLength(1);
    expect(await history(b!)).toEqual([]);
    expect(await history(c!)).toHaveLength(1);
    expect(await itemOf(b!)).toEqual({ state: "open", version: 0 });
    expect((await audits(f.cutoverId)).map((e) => e.subject).sort()).toEqual([`item:${a}`, `item:${c}`].sort());
    const bus = await busEvents(f.cutoverId);
    expect(bus.map((e) => e.data?.itemId).sort()).toEqual([a, c].sort());
    // Nothing else changed: only the two items, their sign-offs and their audit events.
    const after = await digest();
    const changed = Object.keys(before).filter((t) => before[t] !== after[t]).sort();
    expect(changed).toEqual(["audit_events", "items", "sign_offs"]);
  });

  it("a lone request is a batch of one and answers as before", async () => {
    const f = await createFixture(team);
    const { results, batches } = await together([() => dispatch(team.QA_LEAD, "item.sign_off", { cutoverId: f.cutoverId, itemId: f.qaItemId })]);
    expect(batches).toBe(1);
    expect(results[0]).toMatchObject({ status: "fulfilled", value: { itemId: f.qaItemId, state: "done", version: 1, override: false } });
    expect(typeof (results[0] as PromiseFulfilledResult<{ signOffId: string }>).value.signOffId).toBe("string");
    const [row] = await db().signOff.findMany({ where: { itemId: f.qaItemId }, select: { id: true } });
    expect(row!.id).toBe((results[0] as PromiseFulfilledResult<{ signOffId: string }>).value.signOffId);
  });
});
