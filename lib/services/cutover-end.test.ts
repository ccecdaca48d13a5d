import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { createFixture, createTeam, digest, useFreshDatabase, type Team } from "@/lib/testing/fixtures";
import { dispatch } from "./commands";

let team: Team;
beforeAll(async () => {
  await useFreshDatabase();
  team = await createTeam();
});

const stateOf = async (id: string) => (await db().cutover.findUniqueOrThrow({ where: { id } })).state;
const auditOf = (id: string, action: string) => db().auditEvent.findMany({ where: { cutoverId: id, action } });

describe("ending a cutover", () => {
  it("refuses to complete at 50 % without force, and changes nothing", async () => {
    const f = await createFixture(team, { state: "in_progress" });
    await db().cutover.update({ where: { id: f.cutoverId }, data: { trafficPercent: 50 } });
    const before = await digest();
    await expect(dispatch(team.DEPLOYMENT_LEAD, "cutover.complete", { cutoverId: f.cutoverId })).rejects.toMatchObject({ status: 409, message: expect.stringContaining("traffic is at 50 %") });
    // Forcing without saying why is bad input.
    await expect(dispatch(team.DEPLOYMENT_LEAD, "cutover.complete", { cutoverId: f.cutoverId, force: true })).rejects.toMatchObject({ status: 400 });
    expect(await digest()).toEqual(before);
  });

  it("completes at 50 % when forced with a note, recording the note and what it overrode", async () => {
    const f = await createFixture(team, { state: "in_progress" });
    await db().cutover.update({ where: { id: f.cutoverId }, data: { trafficPercent: 50 } });
    await expect(dispatch(team.DEPLOYMENT_LEAD, "cutover.complete", { cutoverId: f.cutoverId, force: true, note: "half stays on old by design" })).resolves.toEqual({ state: "completed" });
    expect(await stateOf(f.cutoverId)).toBe("completed");
    const [row] = await auditOf(f.cutoverId, "cutover.completed");
    expect(row.before).toMatchObject({ state: "in_progress", trafficPercent: 50, rollbackRunning: false });
    expect(row.after).toMatchObject({ state: "completed", forced: true, note: "half stays on old by design", overrode: [expect.stringContaining("50 %")] });
  });

  it("completes at 100 % without force; refuses while a rollback is running", async () => {
    const f = await createFixture(team, { state: "in_progress" });
    await db().cutover.update({ where: { id: f.cutoverId }, data: { trafficPercent: 100 } });
    const run = await db().rollback.create({ data: { cutoverId: f.cutoverId, state: "running", reason: "drill" } });
    await expect(dispatch(team.DEPLOYMENT_LEAD, "cutover.complete", { cutoverId: f.cutoverId })).rejects.toMatchObject({ status: 409, message: expect.stringContaining("rollback is running") });
    expect(await stateOf(f.cutoverId)).toBe("in_progress");
    await db().rollback.update({ where: { id: run.id }, data: { state: "completed", finishedAt: new Date() } });
    await dispatch(team.DEPLOYMENT_LEAD, "cutover.complete", { cutoverId: f.cutoverId });
    expect(await stateOf(f.cutoverId)).toBe("completed");
    const [row] = await auditOf(f.cutoverId, "cutover.completed");
    expect(row.after).toEqual({ state: "completed" });
  });

  it("cannot complete a cutover that has not started", async () => {
    const f = await createFixture(team);
    await expect(dispatch(team.DEPLOYMENT_LEAD, "cutover.complete", { cutoverId: f.cutoverId, force: true, note: "n" })).rejects.toMatchObject({ status: 409, message: expect.stringContaining("Only a cutover in progress") });
    expect(await stateOf(f.cutoverId)).toBe("draft");
  });

  it("aborts a draft with a reason, recorded; a reason is required", async () => {
    const f = await createFixture(team);
    await expect(dispatch(team.DEPLOYMENT_LEAD, "cutover.abort", { cutoverId: f.cutoverId, reason: "  " })).rejects.toMatchObject({ status: 400 });
    await expect(dispatch(team.DEPLOYMENT_LEAD, "cutover.abort", { cutoverId: f.cutoverId, reason: "x".repeat(2001) })).rejects.toMatchObject({ status: 400 });
    expect(await stateOf(f.cutoverId)).toBe("draft");
    await expect(dispatch(team.DEPLOYMENT_LEAD, "cutover.abort", { cutoverId: f.cutoverId, reason: "vendor postponed" })).resolves.toEqual({ state: "aborted" });
    const [row] = await auditOf(f.cutoverId, "cutover.aborted");
    expect(row.before).toEqual({ state: "draft" });
    expect(row.after).toEqual({ state: "aborted", reason: "vendor postponed" });
  });

  it("an ended cutover is final: no start, complete or abort", async () => {
    const f = await createFixture(team, { state: "in_progress" });
    await dispatch(team.DEPLOYMENT_LEAD, "cutover.abort", { cutoverId: f.cutoverId, reason: "gave up" });
    const before = await digest();
    await expect(dispatch(team.DEPLOYMENT_LEAD, "cutover.start", { cutoverId: f.cutoverId })).rejects.toMatchObject({ status: 409 });
    await expect(dispatch(team.DEPLOYMENT_LEAD, "cutover.complete", { cutoverId: f.cutoverId, force: true, note: "n" })).rejects.toMatchObject({ status: 409, message: expect.stringContaining("cannot be changed") });
    await expect(dispatch(team.DEPLOYMENT_LEAD, "cutover.abort", { cutoverId: f.cutoverId, reason: "again" })).rejects.toMatchObject({ status: 409 });
    expect(await digest()).toEqual(before);
    expect(await auditOf(f.cutoverId, "cutover.aborted")).toHaveLength(1);
  });

  it("only the deployment lead may end it", async () => {
    const f = await createFixture(team, { state: "in_progress" });
    await expect(dispatch(team.ON_CALL, "cutover.abort", { cutoverId: f.cutoverId, reason: "r" })).rejects.toMatchObject({ status: 403 });
    await expect(dispatch(team.QA_LEAD, "cutover.complete", { cutoverId: f.cutoverId, force: true, note: "n" })).rejects.toMatchObject({ status: 403 });
    expect(await stateOf(f.cutoverId)).toBe("in_progress");
  });
});
