// Refusals a client reacts to carry a machine-readable reason, from the service that raises them
// to the JSON answer: the room switches on `reason`, never on the message's wording.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { toSafeError } from "@/lib/errors";
import { isErrorReason } from "@/lib/domain/error-reasons";
import { dispatch } from "./commands";
import { createFixture, createTeam, useFreshDatabase, type Team } from "@/lib/testing/fixtures";

let team: Team;
beforeAll(async () => {
  await useFreshDatabase();
  team = await createTeam();
});

/** The answer a browser gets for a refused command. */
async function refusal(p: Promise<unknown>) {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).not.toBeNull();
  return toSafeError(err, "test");
}

describe("error reasons", () => {
  it("a shift beyond the plan answers override_required; an override without a note answers note_required", async () => {
    const f = await createFixture(team, { state: "in_progress" });
    const before = await db().cutover.findUniqueOrThrow({ where: { id: f.cutoverId } });
    const beyond = await refusal(dispatch(team.DEPLOYMENT_LEAD, "traffic.shift", { cutoverId: f.cutoverId, toPercent: 30 }));
    expect(beyond).toMatchObject({ status: 409, error: "conflict", reason: "override_required" });
    const noNote = await refusal(dispatch(team.DEPLOYMENT_LEAD, "traffic.shift", { cutoverId: f.cutoverId, toPercent: 30, override: true }));
    expect(noNote).toMatchObject({ status: 400, error: "bad_request", reason: "note_required" });
    // Refused: nothing moved, nothing recorded.
    expect((await db().cutover.findUniqueOrThrow({ where: { id: f.cutoverId } })).trafficPercent).toBe(before.trafficPercent);
    expect(await db().trafficChange.count({ where: { cutoverId: f.cutoverId } })).toBe(0);
  });

  it("an ended cutover answers cutover_ended to a shift", async () => {
    const f = await createFixture(team, { state: "in_progress" });
    await db().cutover.update({ where: { id: f.cutoverId }, data: { state: "rolled_back" } });
    expect(await refusal(dispatch(team.DEPLOYMENT_LEAD, "traffic.shift", { cutoverId: f.cutoverId, toPercent: 5 }))).toMatchObject({ status: 409, reason: "cutover_ended" });
  });

  it("a sign-off against a version that changed answers stale_version", async () => {
    const f = await createFixture(team, { state: "in_progress" });
    const item = await db().item.findUniqueOrThrow({ where: { id: f.qaItemId } });
    await db().item.update({ where: { id: f.qaItemId }, data: { version: { increment: 1 } } });
    const stale = await refusal(dispatch(team.QA_LEAD, "item.sign_off", { cutoverId: f.cutoverId, itemId: f.qaItemId, expectedVersion: item.version }));
    expect(stale).toMatchObject({ status: 409, reason: "stale_version" });
    expect((await db().item.findUniqueOrThrow({ where: { id: f.qaItemId } })).state).toBe("open");
  });

  it("a cutover the caller is no member of answers not_a_member", async () => {
    const f = await createFixture(team);
    await db().cutoverMember.deleteMany({ where: { cutoverId: f.cutoverId, userId: team.OBSERVER.id } });
    expect(await refusal(dispatch(team.OBSERVER, "risk.save", { cutoverId: f.cutoverId, title: "x", probability: "low", impact: "low" }))).toMatchObject({ status: 404, reason: "not_a_member" });
  });

  it("a started plan answers plan_frozen to an addition without a reason", async () => {
    const f = await createFixture(team, { state: "in_progress" });
    expect(await refusal(dispatch(team.DEPLOYMENT_LEAD, "phase.add", { cutoverId: f.cutoverId, name: "Late" }))).toMatchObject({ status: 409, reason: "plan_frozen" });
  });

  it("errors without a reason answer none, and only known reasons exist", async () => {
    const f = await createFixture(team);
    const forbidden = await refusal(dispatch(team.OBSERVER, "risk.save", { cutoverId: f.cutoverId, title: "x", probability: "low", impact: "low" }));
    expect(forbidden.status).toBe(403);
    expect(forbidden).not.toHaveProperty("reason");
    expect(isErrorReason("override_required")).toBe(true);
    expect(isErrorReason("override")).toBe(false);
    expect(isErrorReason(undefined)).toBe(false);
  });
});
