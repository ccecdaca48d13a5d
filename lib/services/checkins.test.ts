// Check-ins on a real PostgreSQL: the cadence set through the command table, the job's passes
// with a clock the test holds (two passes at once write each check-in once and announce each
// overdue one once), and acknowledging by the owing role only.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { listen, type BusEvent, type BusListener } from "@/lib/realtime/bus";
import { createFixture, createTeam, digest, useFreshDatabase, type Team } from "@/lib/testing/fixtures";
import { dispatch } from "./commands";
import { getCheckInsView, tickCheckIns } from "./checkins";

let team: Team;
let bus: BusListener;
const received: BusEvent[] = [];

beforeAll(async () => {
  const url = await useFreshDatabase();
  team = await createTeam();
  bus = listen(url, (e) => received.push(e));
  await until(() => bus.connected(), "the bus");
});
afterAll(async () => {
  await bus?.stop();
});

async function until(pred: () => boolean | Promise<boolean>, what: string) {
  const deadline = Date.now() + 15_000;
  while (!(await pred())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A running cutover owing On-call a check-in every 5 s for 20 s, overdue 2 s after; started when configured. */
async function running(cadence = "every 5 s for 20 s", anchor: "start" | "full_traffic" = "start") {
  const f = await createFixture(team, { state: "in_progress" });
  await dispatch(team.DEPLOYMENT_LEAD, "checkin.configure", { cutoverId: f.cutoverId, cadence, anchor, grace: "2 s" });
  const c = await db().cutover.findUniqueOrThrow({ where: { id: f.cutoverId }, select: { checkinCadence: true } });
  const t0 = (c.checkinCadence as { configuredAt: number }).configuredAt;
  await db().cutover.update({ where: { id: f.cutoverId }, data: { startedAt: new Date(t0) } });
  return { f, t0 };
}
const audit = (cutoverId: string, action: string) => db().auditEvent.count({ where: { cutoverId, action } });

describe("configuring the cadence", () => {
  it("reads the runbook sentence and the structured form; refuses what it cannot read, changing nothing", async () => {
    const f = await createFixture(team, { state: "in_progress" });
    const lead = team.DEPLOYMENT_LEAD;
    await expect(dispatch(lead, "checkin.configure", { cutoverId: f.cutoverId, cadence: "every 30 min for the first 2 h, hourly for the next 6 h, every 4 h for the next 16 h" })).resolves.toEqual({ cadence: "every 30 min for the first 2 h, every 1 h for the next 6 h, every 4 h for the next 16 h" });
    const view = await getCheckInsView(team.OBSERVER, { cutoverId: f.cutoverId });
    // Not anchored yet: the new system has not taken all the traffic.
    expect(view.cadence).toMatchObject({ anchor: "full_traffic", role: "ON_CALL", anchorAt: null, nextDueAt: null, total: 14 });
    await dispatch(lead, "checkin.configure", { cutoverId: f.cutoverId, cadence: [{ every: "10 s", for: "1 min" }], role: "QA_LEAD", anchor: "start" });
    expect((await getCheckInsView(lead, { cutoverId: f.cutoverId })).cadence).toMatchObject({ text: "every 10 s for the first 1 min", role: "QA_LEAD" });

    const before = await digest();
    await expect(dispatch(lead, "checkin.configure", { cutoverId: f.cutoverId, cadence: "whenever" })).rejects.toMatchObject({ status: 400 });
    await expect(dispatch(lead, "checkin.configure", { cutoverId: f.cutoverId, cadence: "every 1 s for 1 d" })).rejects.toMatchObject({ status: 400 });
    await expect(dispatch(lead, "checkin.configure", { cutoverId: f.cutoverId, cadence: "every 5 s for 1 min", role: "OBSERVER" })).rejects.toMatchObject({ status: 400 });
    await expect(dispatch(team.ON_CALL, "checkin.configure", { cutoverId: f.cutoverId, cadence: null })).rejects.toMatchObject({ status: 403 });
    expect(await digest()).toEqual(before);

    await dispatch(lead, "checkin.configure", { cutoverId: f.cutoverId, cadence: null });
    expect((await getCheckInsView(lead, { cutoverId: f.cutoverId })).cadence).toBeNull();
    expect(await audit(f.cutoverId, "checkin.configured")).toBe(3);
  });
});

describe("importing a runbook", () => {
  it("takes the cadence its checklist states, with the defaults", async () => {
    const planner = { ...team.DEPLOYMENT_LEAD, isPlanner: true };
    await db().user.update({ where: { id: planner.id }, data: { isPlanner: true } });
    const runbook = "# Cutover\n## Post-Cutover (First 24 Hours)\n### Continuous monitoring\n- [ ] Check metrics every 30 minutes first 2 hours\n- [ ] Check metrics every 1 hour next 6 hours\n- [ ] Daily review after 24 hours\n";
    const { cutoverId } = (await dispatch(planner, "cutover.create", { name: "Imported", systemFrom: "a", systemTo: "b", tZero: "2030-01-01T00:00:00Z", runbook })) as { cutoverId: string };
    const view = await getCheckInsView(planner, { cutoverId });
    expect(view.cadence).toMatchObject({ text: "every 30 min for the first 2 h, every 1 h for the next 6 h", anchor: "full_traffic", role: "ON_CALL", total: 10 });
  });
});

describe("the check-in job", () => {
  it("makes each check-in due once, even when two passes run at once", async () => {
    const { f, t0 } = await running();
    expect(await tickCheckIns(t0 + 4_000, { cutoverId: f.cutoverId })).toEqual({ due: 0, overdue: 0 });
    const [a, b] = await Promise.all([tickCheckIns(t0 + 11_000, { cutoverId: f.cutoverId }), tickCheckIns(t0 + 11_000, { cutoverId: f.cutoverId })]);
    expect(a.due + b.due).toBe(2);
    const rows = await db().checkIn.findMany({ where: { cutoverId: f.cutoverId }, orderBy: { dueAt: "asc" } });
    expect(rows.map((r) => [r.dueAt.getTime() - t0, r.overdueAt.getTime() - t0, r.role, r.state])).toEqual([
      [5_000, 7_000, "ON_CALL", "due"],
      [10_000, 12_000, "ON_CALL", "due"],
    ]);
    expect(await audit(f.cutoverId, "checkin.due")).toBe(2);
    // The first is overdue already (7 s < 11 s): announced once.
    expect(a.overdue + b.overdue).toBe(1);
    await tickCheckIns(t0 + 11_000, { cutoverId: f.cutoverId });
    expect(await db().checkIn.count({ where: { cutoverId: f.cutoverId } })).toBe(2);
  });

  it("announces an overdue check-in once, to the whole room, and queues a notice to the cutover's channels", async () => {
    const { f, t0 } = await running();
    await db().cutover.update({ where: { id: f.cutoverId }, data: { notifyChannels: ["ops-chat"] } });
    await tickCheckIns(t0 + 6_000, { cutoverId: f.cutoverId });
    const [row] = await db().checkIn.findMany({ where: { cutoverId: f.cutoverId } });
    expect(await audit(f.cutoverId, "checkin.overdue")).toBe(0);
    const [a, b] = await Promise.all([tickCheckIns(t0 + 7_500, { cutoverId: f.cutoverId }), tickCheckIns(t0 + 7_500, { cutoverId: f.cutoverId })]);
    expect(a.overdue + b.overdue).toBe(1);
    expect(await audit(f.cutoverId, "checkin.overdue")).toBe(1);
    await until(() => received.some((e) => e.cutoverId === f.cutoverId && e.type === "checkin.overdue" && e.subject === `checkin:${row!.id}`), "the overdue event");
    const deliveries = await db().delivery.findMany({ where: { cutoverId: f.cutoverId } });
    expect(deliveries).toMatchObject([{ channel: "ops-chat", source: "checkin", subject: `checkin:${row!.id}`, state: "queued" }]);
    const view = await getCheckInsView(team.OBSERVER, { cutoverId: f.cutoverId });
    expect(view.checkIns).toMatchObject([{ id: row!.id, status: "overdue", canAcknowledge: false }]);
  });

  it("counts from full traffic when so anchored, and owes nothing for a cutover rolled back", async () => {
    const { f, t0 } = await running("every 5 s for 20 s", "full_traffic");
    expect(await tickCheckIns(t0 + 30_000, { cutoverId: f.cutoverId })).toEqual({ due: 0, overdue: 0 });
    await db().trafficChange.create({ data: { cutoverId: f.cutoverId, fromPercent: 50, toPercent: 100, fence: 1n, state: "verified", requestedAt: new Date(t0 + 10_000), finishedAt: new Date(t0 + 10_000) } });
    expect((await tickCheckIns(t0 + 16_000, { cutoverId: f.cutoverId })).due).toBe(1);
    await db().cutover.update({ where: { id: f.cutoverId }, data: { state: "rolled_back" } });
    expect((await tickCheckIns(t0 + 40_000, { cutoverId: f.cutoverId })).due).toBe(0);
  });
});

describe("acknowledging", () => {
  it("is for the owing role (and the lead): another role gets 403 and changes nothing; twice is a 409", async () => {
    const { f, t0 } = await running();
    await tickCheckIns(t0 + 11_000, { cutoverId: f.cutoverId });
    const [first, second] = await db().checkIn.findMany({ where: { cutoverId: f.cutoverId }, orderBy: { dueAt: "asc" } });
    const before = await digest();
    await expect(dispatch(team.QA_LEAD, "checkin.acknowledge", { cutoverId: f.cutoverId, checkInId: first!.id, note: "fine" })).rejects.toMatchObject({ status: 403 });
    await expect(dispatch(team.OBSERVER, "checkin.acknowledge", { cutoverId: f.cutoverId, checkInId: first!.id, note: "fine" })).rejects.toMatchObject({ status: 403 });
    await expect(dispatch(team.ON_CALL, "checkin.acknowledge", { cutoverId: f.cutoverId, checkInId: "00000000-0000-4000-8000-000000000000" })).rejects.toMatchObject({ status: 404 });
    expect(await digest()).toEqual(before);

    await expect(dispatch(team.ON_CALL, "checkin.acknowledge", { cutoverId: f.cutoverId, checkInId: first!.id, note: "p95 240 ms, errors 0.1 %" })).resolves.toMatchObject({ checkInId: first!.id });
    await expect(dispatch(team.ON_CALL, "checkin.acknowledge", { cutoverId: f.cutoverId, checkInId: first!.id, note: "again" })).rejects.toMatchObject({ status: 409 });
    await expect(dispatch(team.DEPLOYMENT_LEAD, "checkin.acknowledge", { cutoverId: f.cutoverId, checkInId: second!.id })).resolves.toBeTruthy();

    const view = await getCheckInsView(team.QA_LEAD, { cutoverId: f.cutoverId });
    const shown = Object.fromEntries(view.checkIns.map((c) => [c.id, c]));
    expect(shown[first!.id]).toMatchObject({ status: "acknowledged", acknowledgedBy: team.ON_CALL.name, note: "p95 240 ms, errors 0.1 %" });
    expect(shown[second!.id]).toMatchObject({ status: "acknowledged", acknowledgedBy: team.DEPLOYMENT_LEAD.name, note: null });
    expect(await audit(f.cutoverId, "checkin.acknowledged")).toBe(2);
    // Acknowledged before it was overdue: the job announces nothing.
    await tickCheckIns(t0 + 11_000, { cutoverId: f.cutoverId });
    expect(await db().checkIn.count({ where: { cutoverId: f.cutoverId, overdueRecordedAt: { not: null } } })).toBe(1);
  });
});
