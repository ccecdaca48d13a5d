import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { createFixture, createTeam, digest, useFreshDatabase, type Team } from "@/lib/testing/fixtures";
import { dispatch } from "./commands";

let team: Team;
beforeAll(async () => {
  await useFreshDatabase();
  team = await createTeam();
  // Creating and cloning cutovers is for planners and administrators (the global table).
  for (const role of ["BACKEND_LEAD", "DEPLOYMENT_LEAD"] as const) {
    await db().user.update({ where: { id: team[role].id }, data: { isPlanner: true } });
    team[role] = { ...team[role], isPlanner: true };
  }
});

describe("writing the plan", () => {
  it("creates a cutover from a runbook, its creator leading it", async () => {
    const runbook = readFileSync(new URL("../../prisma/demo/production-deployment-checklist.md", import.meta.url), "utf8");
    const r = await dispatch(team.BACKEND_LEAD, "cutover.create", { name: "Rails → TS", systemFrom: "rails", systemTo: "ts", tZero: new Date("2026-12-01T06:00:00Z"), timeZone: "Europe/Berlin", runbook });
    const c = await db().cutover.findUniqueOrThrow({ where: { id: r.cutoverId }, include: { members: true, phases: { include: { sections: { include: { items: true } } } } } });
    expect(c.state).toBe("draft");
    expect(c.members).toEqual([expect.objectContaining({ userId: team.BACKEND_LEAD.id, role: "DEPLOYMENT_LEAD" })]);
    const items = c.phases.flatMap((p) => p.sections.flatMap((s) => s.items));
    // Every task line, less the three read as rollback triggers and the two as decision gates, plus the 11 ✅ success criteria.
    expect(items.length).toBe((runbook.match(/^\s*- \[[ xX]\]/gm) ?? []).length - 3 - 2 + 11);
    const first = items.find((i) => i.title === "PostgreSQL production instance provisioned")!;
    expect(first.ownerRole).toBe("DATABASE_DBA");
    // T-72h against a T-0 of 06:00 UTC.
    expect(first.plannedAt?.toISOString()).toBe("2026-11-28T06:00:00.000Z");
  });

  it("refuses bad input with a clear error and writes nothing", async () => {
    const f = await createFixture(team);
    const before = await digest();
    await expect(dispatch(team.QA_LEAD, "cutover.create", { name: "", systemFrom: "a", systemTo: "b", tZero: new Date() })).rejects.toMatchObject({ status: 400 });
    await expect(dispatch(team.QA_LEAD, "cutover.create", { name: "x".repeat(10 * 1024 * 1024), systemFrom: "a", systemTo: "b", tZero: new Date() })).rejects.toMatchObject({ status: 400 });
    await expect(dispatch(team.QA_LEAD, "cutover.create", { name: "ok", systemFrom: "a", systemTo: "b", tZero: new Date(), timeZone: "Mars/Olympus" })).rejects.toMatchObject({ status: 400 });
    await expect(dispatch(team.DEPLOYMENT_LEAD, "item.add", { cutoverId: f.cutoverId, sectionId: f.sectionId, title: "x", ownerRole: "QA_LEAD", plannedTime: "T-soon" })).rejects.toMatchObject({ status: 400, message: expect.stringContaining('Cannot read planned time "T-soon"') });
    await expect(dispatch(team.DEPLOYMENT_LEAD, "item.add", { cutoverId: f.cutoverId, sectionId: f.sectionId, title: "x", ownerRole: "CHIEF" as never })).rejects.toMatchObject({ status: 400 });
    await expect(dispatch(team.DEPLOYMENT_LEAD, "timeline.add", { cutoverId: f.cutoverId, title: "x", plannedStart: "25:99", ownerRole: "QA_LEAD" })).rejects.toMatchObject({ status: 400 });
    expect(await digest()).toEqual(before);
  });

  it("starting freezes the structure: additions need a reason, renames, moves and removals are refused", async () => {
    const f = await createFixture(team);
    await dispatch(team.DEPLOYMENT_LEAD, "cutover.start", { cutoverId: f.cutoverId });
    await expect(dispatch(team.DEPLOYMENT_LEAD, "cutover.start", { cutoverId: f.cutoverId })).rejects.toMatchObject({ status: 409 });
    const before = await digest();
    await expect(dispatch(team.DEPLOYMENT_LEAD, "item.add", { cutoverId: f.cutoverId, sectionId: f.sectionId, title: "Late check", ownerRole: "QA_LEAD" })).rejects.toMatchObject({ status: 409 });
    await expect(dispatch(team.DEPLOYMENT_LEAD, "item.rename", { cutoverId: f.cutoverId, id: f.qaItemId, name: "Other" })).rejects.toMatchObject({ status: 409 });
    await expect(dispatch(team.DEPLOYMENT_LEAD, "item.move", { cutoverId: f.cutoverId, id: f.qaItemId, direction: "down" })).rejects.toMatchObject({ status: 409 });
    await expect(dispatch(team.DEPLOYMENT_LEAD, "phase.remove", { cutoverId: f.cutoverId, id: f.phaseId })).rejects.toMatchObject({ status: 409 });
    expect(await digest()).toEqual(before);
    const added = await dispatch(team.DEPLOYMENT_LEAD, "item.add", { cutoverId: f.cutoverId, sectionId: f.sectionId, title: "Late check", ownerRole: "QA_LEAD", reason: "found in canary" });
    expect(await db().item.findUniqueOrThrow({ where: { id: added.itemId } })).toMatchObject({ addedReason: "found in canary" });
    await dispatch(team.DEPLOYMENT_LEAD, "phase.add", { cutoverId: f.cutoverId, name: "Extra", reason: "hotfix" });
  });

  it("reorders and removes keep positions dense", async () => {
    const f = await createFixture(team);
    await dispatch(team.DEPLOYMENT_LEAD, "item.move", { cutoverId: f.cutoverId, id: f.qaItemId, direction: "down" });
    await expect(dispatch(team.DEPLOYMENT_LEAD, "item.move", { cutoverId: f.cutoverId, id: f.qaItemId, direction: "down" })).rejects.toMatchObject({ status: 409 });
    expect((await db().item.findMany({ where: { sectionId: f.sectionId }, orderBy: { position: "asc" } })).map((i) => i.title)).toEqual(["Backups verified", "Smoke tests pass"]);
    await dispatch(team.DEPLOYMENT_LEAD, "item.remove", { cutoverId: f.cutoverId, id: f.criticalItemId });
    expect((await db().item.findMany({ where: { sectionId: f.sectionId } })).map((i) => [i.title, i.position])).toEqual([["Smoke tests pass", 0]]);
  });

  it("clones a cutover: same plan and team, items open again, times moved to the new T-0", async () => {
    const f = await createFixture(team);
    await dispatch(team.QA_LEAD, "item.sign_off", { cutoverId: f.cutoverId, itemId: f.qaItemId });
    const source = await db().cutover.findUniqueOrThrow({ where: { id: f.cutoverId } });
    const tZero = new Date(source.tZero.getTime() + 7 * 86_400_000);
    const r = await dispatch(team.DEPLOYMENT_LEAD, "cutover.clone", { cutoverId: f.cutoverId, name: "Second attempt", tZero });
    const clone = await db().cutover.findUniqueOrThrow({ where: { id: r.cutoverId }, include: { members: true, phases: { include: { sections: { include: { items: true } } } }, timeline: true, contacts: true, risks: true, decisions: true } });
    expect(clone).toMatchObject({ state: "draft", clonedFromId: f.cutoverId, name: "Second attempt" });
    expect(clone.members).toHaveLength(7);
    const items = clone.phases.flatMap((p) => p.sections.flatMap((s) => s.items));
    expect(items.map((i) => [i.title, i.state])).toEqual(expect.arrayContaining([["Smoke tests pass", "open"], ["Backups verified", "open"]]));
    expect(clone.decisions[0]).toMatchObject({ state: "pending", title: "Proceed to 50 %" });
    expect(clone.contacts).toHaveLength(1);
    expect(clone.risks).toHaveLength(1);
  });

  it("a clone watches the same way: metrics, gates, triggers (inactive again), hooks, sources and channels; nothing of the run", async () => {
    const f = await createFixture(team);
    const c = f.cutoverId;
    await db().cutover.update({ where: { id: c }, data: { prometheusSource: "team-prometheus", routerIntegration: "edge-haproxy", notifyChannels: ["ops-slack"], updateIntervalMinutes: 15, sampleRetentionDays: 30, checkinCadence: { everyMinutes: 20 } } });
    await db().metricDefinition.update({ where: { id: f.metricId }, data: { queryOld: "sum(rate(errors_total{system=\"old\"}[1m]))", warningThreshold: 1, criticalThreshold: 5 } });
    await dispatch(team.DEPLOYMENT_LEAD, "trigger.save", { cutoverId: c, metricId: f.metricId, comparison: ">", threshold: 5, forSeconds: 300, severity: "immediate", action: "rollback", mode: "automatic" });
    await dispatch(team.DEPLOYMENT_LEAD, "trigger.save", { cutoverId: c, conditionKind: "alert", alertName: "PaymentsDown", forSeconds: 0, severity: "graceful", action: "shift", shiftToPercent: 10 });
    await dispatch(team.DEPLOYMENT_LEAD, "gate.add", { cutoverId: c, metricId: f.metricId, decisionId: f.decisionId, condition: { kind: "threshold", system: "new", op: "<", value: 1, windowSec: 1800 } });
    await dispatch(team.DEPLOYMENT_LEAD, "gate.add", { cutoverId: c, metricId: f.metricId, successCriterion: true, condition: { kind: "ratio", op: "<=", factor: 1.2, windowSec: 600 } });
    await db().rollbackHook.create({ data: { cutoverId: c, name: "Flip the flag", position: 0, integration: "flags-hook" } });
    // The source's run: a trigger that fired, a sample.
    await db().rollbackTrigger.updateMany({ where: { cutoverId: c, conditionKind: "metric" }, data: { state: "firing", firedAt: new Date(), pendingSince: new Date(), consecutiveErrors: 2, lastOutcome: "breach", version: 4 } });
    await db().metricSample.create({ data: { metricId: f.metricId, system: "new", at: new Date(), value: 7, status: "ok" } });
    expect(await db().rollbackTrigger.count({ where: { cutoverId: c, state: "firing" } })).toBe(1);

    const r = (await dispatch(team.DEPLOYMENT_LEAD, "cutover.clone", { cutoverId: c, name: "Rehearsed, now live", tZero: new Date(Date.now() + 86_400_000) })) as { cutoverId: string };
    const copy = await db().cutover.findUniqueOrThrow({ where: { id: r.cutoverId }, include: { metrics: true, triggers: { include: { metric: true } }, gates: { include: { metric: true, decision: true } }, rollbackHooks: true } });
    expect(copy).toMatchObject({ prometheusSource: "team-prometheus", routerIntegration: "edge-haproxy", notifyChannels: ["ops-slack"], updateIntervalMinutes: 15, sampleRetentionDays: 30, checkinCadence: { everyMinutes: 20 }, trafficPercent: 0, statusPageEnabled: false, statusSlug: null });
    const source = await db().metricDefinition.findMany({ where: { cutoverId: c }, orderBy: { position: "asc" } });
    const shape = (m: (typeof source)[number]) => ({ ...m, id: undefined, cutoverId: undefined });
    expect(copy.metrics.sort((a, b) => a.position - b.position).map(shape)).toEqual(source.map(shape));
    expect(copy.metrics.every((m) => !source.some((s) => s.id === m.id))).toBe(true);
    const triggers = copy.triggers.map((t) => [t.conditionKind, t.metric?.name ?? t.alertName, t.metric ? t.metric.cutoverId === copy.id : null, t.mode, t.action, t.shiftToPercent, t.state, t.firedAt, t.pendingSince, t.consecutiveErrors, t.lastOutcome, t.version]);
    expect(triggers.sort()).toEqual(
      [
        ["alert", "PaymentsDown", null, "recommend", "shift", 10, "inactive", null, null, 0, null, 0],
        ["metric", "Error rate", true, "automatic", "rollback", null, "inactive", null, null, 0, null, 0],
      ].sort(),
    );
    expect(copy.gates.map((g) => [g.metric.cutoverId === copy.id, g.decision?.cutoverId === copy.id ? g.decision.title : null, g.successCriterion, g.condition]).sort()).toEqual(
      [
        [true, "Proceed to 50 %", false, { kind: "threshold", system: "new", op: "<", value: 1, windowSec: 1800 }],
        [true, null, true, { kind: "ratio", op: "<=", factor: 1.2, windowSec: 600 }],
      ].sort(),
    );
    expect(copy.rollbackHooks.map((h) => [h.name, h.integration, h.position])).toEqual([["Flip the flag", "flags-hook", 0]]);
    expect(await db().metricSample.count({ where: { metric: { cutoverId: copy.id } } })).toBe(0);
  });
});
