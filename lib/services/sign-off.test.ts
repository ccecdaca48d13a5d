import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";

import { createFixture, createTeam, digest, useFreshDatabase, type Team } from "@/lib/testing/fixtures";
import { dispatch } from "./commands";

let team: Team;
beforeAll(async () => {
  await useFreshDatabase();
  team = await createTeam();
});

const history = (itemId: string) => db().signOff.findMany({ where: { itemId }, orderBy: { createdAt: "asc" }, select: { kind: true, role: true, override: true, note: true, userId: true } });
const audits = (cutoverId: string) => db().auditEvent.findMany({ where: { cutoverId }, orderBy: { id: "asc" }, select: { action: true, actorName: true, role: true, before: true, after: true } });

describe("sign-off by role", () => {
  it("records who, role, when and note; undo needs a reason and keeps the history; N/A is a third state", async () => {
    const f = await createFixture(team);
    const r = await dispatch(team.QA_LEAD, "item.sign_off", { cutoverId: f.cutoverId, itemId: f.qaItemId, note: "all green" });
    expect(r).toMatchObject({ state: "done", override: false, version: 1 });

    const before = await digest();
    await expect(dispatch(team.QA_LEAD, "item.undo", { cutoverId: f.cutoverId, itemId: f.qaItemId, reason: "  " })).rejects.toMatchObject({ status: 400 });
    expect(await digest()).toEqual(before);

    await dispatch(team.QA_LEAD, "item.undo", { cutoverId: f.cutoverId, itemId: f.qaItemId, reason: "flaky run" });
    await dispatch(team.QA_LEAD, "item.not_applicable", { cutoverId: f.cutoverId, itemId: f.qaItemId, reason: "suite retired" });
    const item = await db().item.findUniqueOrThrow({ where: { id: f.qaItemId } });
    expect(item.state).toBe("not_applicable");
    expect(await history(f.qaItemId)).toEqual([
      { kind: "sign_off", role: "QA_LEAD", override: false, note: "all green", userId: team.QA_LEAD.id },
      { kind: "undo", role: "QA_LEAD", override: false, note: "flaky run", userId: team.QA_LEAD.id },
      { kind: "not_applicable", role: "QA_LEAD", override: false, note: "suite retired", userId: team.QA_LEAD.id },
    ]);
    expect((await audits(f.cutoverId)).map((a) => [a.action, a.role, (a.before as { state: string }).state, (a.after as { state: string }).state])).toEqual([
      ["item.signed_off", "QA_LEAD", "open", "done"],
      ["item.undone", "QA_LEAD", "done", "open"],
      ["item.not_applicable", "QA_LEAD", "open", "not_applicable"],
    ]);
  });

  it("the Deployment Lead may sign off another role's item only as an override with a note", async () => {
    const f = await createFixture(team);
    const before = await digest();
    await expect(dispatch(team.DEPLOYMENT_LEAD, "item.sign_off", { cutoverId: f.cutoverId, itemId: f.qaItemId })).rejects.toMatchObject({ status: 400, message: "An override needs a note" });
    expect(await digest()).toEqual(before);
    const r = await dispatch(team.DEPLOYMENT_LEAD, "item.sign_off", { cutoverId: f.cutoverId, itemId: f.qaItemId, note: "QA lead on the bridge confirmed" });
    expect(r.override).toBe(true);
    expect(await history(f.qaItemId)).toEqual([{ kind: "sign_off", role: "DEPLOYMENT_LEAD", override: true, note: "QA lead on the bridge confirmed", userId: team.DEPLOYMENT_LEAD.id }]);
  });

  it("two people signing off the same item at once: one wins, the other gets 409 with the current state", async () => {
    const f = await createFixture(team);
    const results = await Promise.allSettled([
      dispatch(team.QA_LEAD, "item.sign_off", { cutoverId: f.cutoverId, itemId: f.qaItemId }),
      dispatch(team.DEPLOYMENT_LEAD, "item.sign_off", { cutoverId: f.cutoverId, itemId: f.qaItemId, note: "override" }),
      dispatch(team.QA_LEAD, "item.sign_off", { cutoverId: f.cutoverId, itemId: f.qaItemId }),
    ]);
    const won = results.filter((r) => r.status === "fulfilled");
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(2);
    for (const l of lost) {
      expect(l.reason).toMatchObject({ status: 409 });
      expect(l.reason.message).toMatch(/Already signed off|changed|same moment/);
    }
    expect(await history(f.qaItemId)).toHaveLength(1);
    expect((await audits(f.cutoverId)).filter((a) => a.action === "item.signed_off")).toHaveLength(1);
    const item = await db().item.findUniqueOrThrow({ where: { id: f.qaItemId } });
    expect(item).toMatchObject({ state: "done", version: 1 });
  });

  it("a stale expected version is a 409 naming the current state", async () => {
    const f = await createFixture(team);
    await dispatch(team.QA_LEAD, "item.sign_off", { cutoverId: f.cutoverId, itemId: f.qaItemId, expectedVersion: 0 });
    await expect(dispatch(team.QA_LEAD, "item.undo", { cutoverId: f.cutoverId, itemId: f.qaItemId, reason: "x", expectedVersion: 0 })).rejects.toMatchObject({ status: 409 });
    await expect(dispatch(team.QA_LEAD, "item.sign_off", { cutoverId: f.cutoverId, itemId: f.qaItemId })).rejects.toMatchObject({ status: 409, message: expect.stringContaining("Already signed off by") });
  });

  it("bad input changes nothing: unknown ids, ids of another cutover, a 10 MB note", async () => {
    const f = await createFixture(team);
    const other = await createFixture(team);
    const before = await digest();
    await expect(dispatch(team.QA_LEAD, "item.sign_off", { cutoverId: f.cutoverId, itemId: "00000000-0000-4000-8000-000000000000" })).rejects.toMatchObject({ status: 404 });
    await expect(dispatch(team.QA_LEAD, "item.sign_off", { cutoverId: f.cutoverId, itemId: other.qaItemId })).rejects.toMatchObject({ status: 404 });
    await expect(dispatch(team.QA_LEAD, "item.sign_off", { cutoverId: f.cutoverId, itemId: "not-an-id" })).rejects.toMatchObject({ status: 400 });
    await expect(dispatch(team.QA_LEAD, "item.sign_off", { cutoverId: f.cutoverId, itemId: f.qaItemId, note: "x".repeat(10 * 1024 * 1024) })).rejects.toMatchObject({ status: 400 });
    await expect(dispatch(team.DATABASE_DBA, "item.sign_off", { cutoverId: f.cutoverId, itemId: f.qaItemId })).rejects.toMatchObject({ status: 403 });
    await expect(dispatch(team.OBSERVER, "item.sign_off", { cutoverId: f.cutoverId, itemId: f.qaItemId })).rejects.toMatchObject({ status: 403 });
    expect(await digest()).toEqual(before);
  });

  it("the audit log refuses to be rewritten", async () => {
    const f = await createFixture(team);
    await dispatch(team.QA_LEAD, "item.sign_off", { cutoverId: f.cutoverId, itemId: f.qaItemId });
    // The app's own role lacks the privilege; the trigger (lib/db/migrate.test.ts) stops even the owner.
    await expect(db().auditEvent.updateMany({ where: { cutoverId: f.cutoverId }, data: { action: "forged" } })).rejects.toThrow(/permission denied for table audit_events/);
    await expect(db().auditEvent.deleteMany({ where: { cutoverId: f.cutoverId } })).rejects.toThrow(/permission denied for table audit_events/);
    expect((await audits(f.cutoverId)).map((a) => a.action)).toEqual(["item.signed_off"]);
  });
});
