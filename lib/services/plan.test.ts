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
});
