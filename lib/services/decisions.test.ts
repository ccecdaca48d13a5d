import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { decisionSnapshotSchema } from "@/lib/domain/decision";


import { createFixture, createTeam, digest, useFreshDatabase, type Team } from "@/lib/testing/fixtures";
import { dispatch } from "./commands";

let team: Team;
beforeAll(async () => {
  await useFreshDatabase();
  team = await createTeam();
});

const load = (id: string) => db().decisionPoint.findUniqueOrThrow({ where: { id } });

describe("go/no-go decisions", () => {
  it("PROCEED only when the checklist gate passes and every required role voted GO, with a snapshot", async () => {
    const f = await createFixture(team, { decisionState: "pending" });
    await expect(dispatch(team.QA_LEAD, "decision.vote", { cutoverId: f.cutoverId, decisionId: f.decisionId, choice: "go" })).rejects.toMatchObject({ status: 409 });
    await dispatch(team.DEPLOYMENT_LEAD, "decision.open_vote", { cutoverId: f.cutoverId, decisionId: f.decisionId });
    await dispatch(team.QA_LEAD, "decision.vote", { cutoverId: f.cutoverId, decisionId: f.decisionId, choice: "go", comment: "tests green" });
    // All GO, but a critical item is open: the decision waits.
    const waiting = await dispatch(team.DEPLOYMENT_LEAD, "decision.vote", { cutoverId: f.cutoverId, decisionId: f.decisionId, choice: "go" });
    expect(waiting.outcome).toBe("waiting");
    expect(waiting.reason).toMatch(/1 critical item open: Backups verified/);
    expect((await load(f.decisionId)).state).toBe("voting");
    expect(await db().vote.count({ where: { decisionId: f.decisionId } })).toBe(2);
  });

  it("closes as PROCEED on the vote that completes the picture", async () => {
    const f = await createFixture(team);
    await dispatch(team.DATABASE_DBA, "item.sign_off", { cutoverId: f.cutoverId, itemId: f.criticalItemId });
    await dispatch(team.QA_LEAD, "decision.vote", { cutoverId: f.cutoverId, decisionId: f.decisionId, choice: "go" });
    const r = await dispatch(team.DEPLOYMENT_LEAD, "decision.vote", { cutoverId: f.cutoverId, decisionId: f.decisionId, choice: "go" });
    expect(r.outcome).toBe("proceed");
    const d = await load(f.decisionId);
    expect(d.state).toBe("proceed");
    const snap = decisionSnapshotSchema.parse(d.snapshot);
    expect(snap.gates.every((g) => g.passed)).toBe(true);
    expect(snap.votes.map((v) => [v.role, v.choice])).toEqual([["QA_LEAD", "go"], ["DEPLOYMENT_LEAD", "go"]]);
    // Closed decisions are never edited.
    const before = await digest();
    await expect(dispatch(team.QA_LEAD, "decision.vote", { cutoverId: f.cutoverId, decisionId: f.decisionId, choice: "no_go" })).rejects.toMatchObject({ status: 409, message: "Decision is closed: proceed" });
    await expect(dispatch(team.DEPLOYMENT_LEAD, "decision.abort", { cutoverId: f.cutoverId, decisionId: f.decisionId, reason: "late" })).rejects.toMatchObject({ status: 409 });
    expect(await digest()).toEqual(before);
  });

  it("a metric gate with missing data holds the decision; with a covered window of good samples it passes, snapshotted", async () => {
    const f = await createFixture(team);
    await dispatch(team.DATABASE_DBA, "item.sign_off", { cutoverId: f.cutoverId, itemId: f.criticalItemId });
    await dispatch(team.DEPLOYMENT_LEAD, "gate.add", { cutoverId: f.cutoverId, metricId: f.metricId, decisionId: f.decisionId, condition: { kind: "threshold", system: "new", op: "<", value: 1, windowSec: 60 } });
    await dispatch(team.QA_LEAD, "decision.vote", { cutoverId: f.cutoverId, decisionId: f.decisionId, choice: "go" });
    const held = await dispatch(team.DEPLOYMENT_LEAD, "decision.vote", { cutoverId: f.cutoverId, decisionId: f.decisionId, choice: "go" });
    expect(held.outcome).toBe("waiting");
    expect(held.reason).toMatch(/Error rate \(new\) < 1 % over the last 1 min \(no data for Error rate \(new\)/);

    // Another decision of the same phase, with a minute of good samples every 5 s.
    const d2 = await db().decisionPoint.create({ data: { cutoverId: f.cutoverId, phaseId: f.phaseId, title: "Proceed to 100 %", requiredRoles: ["QA_LEAD"], state: "voting" } });
    await dispatch(team.DEPLOYMENT_LEAD, "gate.add", { cutoverId: f.cutoverId, metricId: f.metricId, decisionId: d2.id, condition: { kind: "threshold", system: "new", op: "<", value: 1, windowSec: 60 } });
    const now = Date.now();
    await db().metricSample.createMany({ data: Array.from({ length: 14 }, (_, i) => ({ metricId: f.metricId, system: "new", at: new Date(now - 65_000 + i * 5000), value: 0.2, status: "ok" })) });
    const r = await dispatch(team.QA_LEAD, "decision.vote", { cutoverId: f.cutoverId, decisionId: d2.id, choice: "go" });
    expect(r.outcome).toBe("proceed");
    const snap = decisionSnapshotSchema.parse((await load(d2.id)).snapshot);
    expect(snap.gates.map((g) => [g.kind, g.passed])).toEqual([["checklist", true], ["metric", true]]);
  });

  it("a NO-GO closes it as ABORT with who said no and why", async () => {
    const f = await createFixture(team);
    const r = await dispatch(team.QA_LEAD, "decision.vote", { cutoverId: f.cutoverId, decisionId: f.decisionId, choice: "no_go", comment: "p95 doubled" });
    expect(r.outcome).toBe("abort");
    const d = await load(f.decisionId);
    expect(d.state).toBe("abort");
    expect(d.reason).toContain("p95 doubled");
  });

  it("the last two votes arriving together close the decision exactly once", async () => {
    const f = await createFixture(team);
    await dispatch(team.DATABASE_DBA, "item.sign_off", { cutoverId: f.cutoverId, itemId: f.criticalItemId });
    const results = await Promise.all([
      dispatch(team.QA_LEAD, "decision.vote", { cutoverId: f.cutoverId, decisionId: f.decisionId, choice: "go" }),
      dispatch(team.DEPLOYMENT_LEAD, "decision.vote", { cutoverId: f.cutoverId, decisionId: f.decisionId, choice: "go" }),
    ]);
    expect(results.map((r) => r.outcome).sort()).toEqual(["proceed", "waiting"]);
    expect((await load(f.decisionId)).state).toBe("proceed");
    expect(await db().auditEvent.count({ where: { cutoverId: f.cutoverId, action: "decision.proceed" } })).toBe(1);
  });

  it("ABORT by the lead records why; a role that is not required cannot vote", async () => {
    const f = await createFixture(team);
    const before = await digest();
    await expect(dispatch(team.BACKEND_LEAD, "decision.vote", { cutoverId: f.cutoverId, decisionId: f.decisionId, choice: "go" })).rejects.toMatchObject({ status: 403 });
    await expect(dispatch(team.QA_LEAD, "decision.vote", { cutoverId: f.cutoverId, decisionId: f.decisionId, choice: "maybe" as never })).rejects.toMatchObject({ status: 400 });
    expect(await digest()).toEqual(before);
    await dispatch(team.DEPLOYMENT_LEAD, "decision.abort", { cutoverId: f.cutoverId, decisionId: f.decisionId, reason: "error rate 7 %" });
    expect(await load(f.decisionId)).toMatchObject({ state: "abort", reason: "error rate 7 %" });
  });
});
