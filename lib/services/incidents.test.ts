// Incidents and the escalation ladder on a real PostgreSQL: a critical trigger opens one incident,
// the job (with a clock the test holds) pages each level once, in order, queueing real outbox rows
// to the cutover's channels; acknowledging stops it; a second job after a failover, or running
// at the same time, neither skips nor repeats a level.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { startCheckInsJob } from "@/lib/jobs/checkins";
import { createFixture, createTeam, digest, useFreshDatabase, type Team } from "@/lib/testing/fixtures";
import { dispatch } from "./commands";
import { getCheckInsView } from "./checkins";
import { openIncident, tickEscalation } from "./incidents";
import { evaluateTriggers } from "./triggers";

let team: Team;

beforeAll(async () => {
  await useFreshDatabase();
  team = await createTeam();
});

async function until(pred: () => boolean | Promise<boolean>, what: string) {
  const deadline = Date.now() + 15_000;
  while (!(await pred())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const LADDER = [
  { level: "Team lead", who: "Backend Lead", after: "0-10 s" },
  { level: "Manager", who: "Manager", after: "10-20 s" },
  { level: "Executive", who: "VP Engineering", after: "20+ s", criticalOnly: true },
];

/** A running cutover with the ladder above and two channels, and an open critical incident. */
async function withIncident() {
  const f = await createFixture(team, { state: "in_progress" });
  await dispatch(team.DEPLOYMENT_LEAD, "escalation.set", { cutoverId: f.cutoverId, escalation: LADDER });
  await db().cutover.update({ where: { id: f.cutoverId }, data: { notifyChannels: ["ops-chat", "ops-hook"] } });
  const opened = await db().$transaction((tx) => openIncident(tx, { cutoverId: f.cutoverId, subject: "alert:abc", severity: "critical", title: "HighErrorRate firing" }));
  const row = await db().incident.findUniqueOrThrow({ where: { id: opened!.incidentId } });
  return { f, incident: row, t0: row.openedAt.getTime() };
}

const levelsPaged = async (cutoverId: string) =>
  (await db().auditEvent.findMany({ where: { cutoverId, action: "escalation.level_reached" }, orderBy: { id: "asc" }, select: { after: true } })).map((a) => (a.after as { level: number }).level);

describe("opening incidents", () => {
  it("a critical trigger opens one incident, even evaluated twice at once; a graceful one opens none; it resolves when the rule stops", async () => {
    const f = await createFixture(team, { state: "in_progress" });
    const critical = await db().rollbackTrigger.create({ data: { cutoverId: f.cutoverId, metricId: f.metricId, system: "new", comparison: ">", threshold: 1, forSeconds: 0, severity: "immediate", action: "alert", mode: "recommend" } });
    await db().rollbackTrigger.create({ data: { cutoverId: f.cutoverId, metricId: f.metricId, system: "new", comparison: ">", threshold: 2, forSeconds: 0, severity: "graceful", action: "alert", mode: "recommend" } });
    const at = Date.now();
    const breach = [{ metricId: f.metricId, system: "new" as const, sample: { at, status: "ok" as const, value: 5 } }];
    await Promise.all([evaluateTriggers(f.cutoverId, breach, at), evaluateTriggers(f.cutoverId, breach, at)]);
    const incidents = await db().incident.findMany({ where: { cutoverId: f.cutoverId } });
    expect(incidents).toMatchObject([{ subject: `trigger:${critical.id}`, openSubject: `trigger:${critical.id}`, severity: "critical", levelReached: 0, resolvedAt: null }]);
    expect(await db().auditEvent.count({ where: { cutoverId: f.cutoverId, action: "incident.opened" } })).toBe(1);
    // Opening the same subject again while open: still one.
    await expect(db().$transaction((tx) => openIncident(tx, { cutoverId: f.cutoverId, subject: `trigger:${critical.id}`, severity: "critical", title: "again" }))).resolves.toBeNull();

    const calm = [{ metricId: f.metricId, system: "new" as const, sample: { at: at + 1000, status: "ok" as const, value: 0 } }];
    await evaluateTriggers(f.cutoverId, calm, at + 1000);
    expect(await db().incident.findFirst({ where: { cutoverId: f.cutoverId } })).toMatchObject({ openSubject: null, resolvedAt: expect.any(Date) });
    // Resolved: a new episode opens a new incident.
    await evaluateTriggers(f.cutoverId, [{ ...breach[0]!, sample: { ...breach[0]!.sample, at: at + 2000 } }], at + 2000);
    expect(await db().incident.count({ where: { cutoverId: f.cutoverId } })).toBe(2);
  });
});

describe("escalating", () => {
  it("pages each level once as its time comes, queueing a critical message with the room's link to every channel", async () => {
    const { f, incident, t0 } = await withIncident();
    expect(await tickEscalation(t0, { cutoverId: f.cutoverId })).toEqual({ paged: 1 });
    expect(await tickEscalation(t0 + 9_000, { cutoverId: f.cutoverId })).toEqual({ paged: 0 });
    let deliveries = await db().delivery.findMany({ where: { cutoverId: f.cutoverId }, orderBy: { createdAt: "asc" } });
    expect(deliveries.map((d) => [d.channel, d.source, d.subject, d.state, d.recipient])).toEqual([
      ["ops-chat", "escalation", `incident:${incident.id}`, "queued", null],
      ["ops-hook", "escalation", `incident:${incident.id}`, "queued", null],
    ]);
    expect(deliveries[0]!.message).toMatchObject({ title: expect.stringContaining("Escalation level 1 (Team lead)"), severity: "critical", links: [{ label: "Open the room", url: expect.stringContaining(`/cutovers/${f.cutoverId}`) }] });

    // Two levels came due at once: both paged, in order.
    expect(await tickEscalation(t0 + 21_000, { cutoverId: f.cutoverId })).toEqual({ paged: 2 });
    expect(await levelsPaged(f.cutoverId)).toEqual([1, 2, 3]);
    deliveries = await db().delivery.findMany({ where: { cutoverId: f.cutoverId } });
    expect(deliveries).toHaveLength(6);
    expect(await tickEscalation(t0 + 60_000, { cutoverId: f.cutoverId })).toEqual({ paged: 0 });

    const view = await getCheckInsView(team.OBSERVER, { cutoverId: f.cutoverId });
    expect(view.incidents).toMatchObject([{ id: incident.id, state: "open", levelReached: 3, levels: 3, level: { level: "Executive", who: "VP Engineering" }, nextLevelAt: null }]);
  });

  it("says REHEARSAL on the pages of a rehearsal", async () => {
    const { f, t0 } = await withIncident();
    await db().cutover.update({ where: { id: f.cutoverId }, data: { mode: "rehearsal" } });
    await tickEscalation(t0, { cutoverId: f.cutoverId });
    const [page] = await db().delivery.findMany({ where: { cutoverId: f.cutoverId } });
    expect((page!.message as { title: string }).title).toMatch(/^REHEARSAL: Escalation level 1/);
  });

  it("leaves out critical-only levels for a warning", async () => {
    const { f } = await withIncident();
    await db().$transaction((tx) => openIncident(tx, { cutoverId: f.cutoverId, subject: "alert:warn", severity: "warning", title: "Latency creeping" }));
    const warn = await db().incident.findFirstOrThrow({ where: { cutoverId: f.cutoverId, subject: "alert:warn" } });
    await tickEscalation(warn.openedAt.getTime() + 60_000, { cutoverId: f.cutoverId });
    expect((await db().incident.findUniqueOrThrow({ where: { id: warn.id } })).levelReached).toBe(2);
  });

  it("stops once acknowledged by someone allowed; others get 403 and change nothing", async () => {
    const { f, incident, t0 } = await withIncident();
    await tickEscalation(t0, { cutoverId: f.cutoverId });
    const before = await digest();
    await expect(dispatch(team.QA_LEAD, "incident.acknowledge", { cutoverId: f.cutoverId, incidentId: incident.id })).rejects.toMatchObject({ status: 403 });
    await expect(dispatch(team.OBSERVER, "incident.acknowledge", { cutoverId: f.cutoverId, incidentId: incident.id })).rejects.toMatchObject({ status: 403 });
    expect(await digest()).toEqual(before);
    await expect(dispatch(team.ON_CALL, "incident.acknowledge", { cutoverId: f.cutoverId, incidentId: incident.id, note: "on it" })).resolves.toEqual({ incidentId: incident.id, levelReached: 1 });
    await expect(dispatch(team.DEPLOYMENT_LEAD, "incident.acknowledge", { cutoverId: f.cutoverId, incidentId: incident.id })).rejects.toMatchObject({ status: 409 });
    expect(await tickEscalation(t0 + 60_000, { cutoverId: f.cutoverId })).toEqual({ paged: 0 });
    expect(await levelsPaged(f.cutoverId)).toEqual([1]);
    const view = await getCheckInsView(team.OBSERVER, { cutoverId: f.cutoverId });
    expect(view.incidents).toMatchObject([{ state: "acknowledged", acknowledgedBy: team.ON_CALL.name, note: "on it", nextLevelAt: null }]);
  });

  it("two jobs at once page each level once", async () => {
    const { f, t0 } = await withIncident();
    await Promise.all([tickEscalation(t0 + 25_000, { cutoverId: f.cutoverId }), tickEscalation(t0 + 25_000, { cutoverId: f.cutoverId }), tickEscalation(t0 + 25_000, { cutoverId: f.cutoverId })]);
    expect(await levelsPaged(f.cutoverId)).toEqual([1, 2, 3]);
    expect(await db().delivery.count({ where: { cutoverId: f.cutoverId } })).toBe(6);
  });

  it("a new leader after a failover neither skips nor repeats a level", async () => {
    const { f, t0 } = await withIncident();
    let clock = t0;
    const logs: string[] = [];
    const first = startCheckInsJob({ log: (l) => logs.push(l), tickMs: 10, now: () => clock });
    await until(async () => (await levelsPaged(f.cutoverId)).length === 1, "level 1 from the first leader");
    // The first leader dies mid-escalation; time passes with nobody running the job.
    await first();
    clock = t0 + 15_000;
    const second = startCheckInsJob({ log: (l) => logs.push(l), tickMs: 10, now: () => clock });
    try {
      await until(async () => (await levelsPaged(f.cutoverId)).length === 2, "level 2 from the second leader");
      clock = t0 + 30_000;
      await until(async () => (await levelsPaged(f.cutoverId)).length === 3, "level 3 from the second leader");
    } finally {
      await second();
    }
    expect(await levelsPaged(f.cutoverId)).toEqual([1, 2, 3]);
    expect(await db().delivery.count({ where: { cutoverId: f.cutoverId } })).toBe(6);
    expect(logs).toEqual([]);
  });
});
