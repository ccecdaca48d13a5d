import { describe, expect, it } from "vitest";
import {
  canVote,
  checklistGate,
  decisionSnapshot,
  decisionSnapshotSchema,
  evaluateDecision,
  type Gate,
  type Vote,
} from "./decision";
import type { Role } from "./roles";

const REQUIRED: Role[] = ["DEPLOYMENT_LEAD", "DATABASE_DBA", "QA_LEAD"];

const pass = (id: string): Gate => ({ id, kind: "metric", label: `${id} ok`, passed: true, detail: "fine" });
const fail = (id: string, detail = "5.2 % > 5 %"): Gate => ({ id, kind: "metric", label: `${id} ok`, passed: false, detail });

function vote(role: Role, choice: "go" | "no_go", extra: Partial<Vote> = {}): Vote {
  return { role, choice, userName: `${role.toLowerCase()}-user`, at: "2026-06-14T10:00:00.000Z", ...extra };
}
const allGo = REQUIRED.map((r) => vote(r, "go"));

describe("checklistGate", () => {
  it("passes when every critical item is done or not applicable", () => {
    expect(
      checklistGate("Canary 10 %", [
        { title: "Backup verified", critical: true, state: "done" },
        { title: "Cache warm", critical: true, state: "not_applicable" },
        { title: "Dashboards bookmarked", critical: false, state: "open" },
      ]),
    ).toEqual({
      id: "checklist:canary-10",
      kind: "checklist",
      label: "Critical items of Canary 10 % done",
      passed: true,
      detail: "All 2 critical items done",
    });
  });

  it("fails and names the open critical items", () => {
    const g = checklistGate("T-24h verification", [
      { title: "Backup verified", critical: true, state: "open" },
      { title: "Smoke tests green", critical: true, state: "open" },
      { title: "Runbook printed", critical: false, state: "open" },
      { title: "Rollback rehearsed", critical: true, state: "done" },
    ]);
    expect(g.passed).toBe(false);
    expect(g.detail).toBe("2 critical items open: Backup verified, Smoke tests green");
    expect(g.id).toBe("checklist:t-24h-verification");
  });

  it("uses the singular for one open item", () => {
    expect(checklistGate("P", [{ title: "X", critical: true, state: "open" }]).detail).toBe("1 critical item open: X");
  });

  it("shortens a long list", () => {
    const items = Array.from({ length: 8 }, (_, i) => ({ title: `I${i + 1}`, critical: true, state: "open" as const }));
    expect(checklistGate("P", items).detail).toBe("8 critical items open: I1, I2, I3, I4, I5 and 3 more");
  });

  it("passes with no critical items", () => {
    expect(checklistGate("P", [{ title: "x", critical: false, state: "open" }])).toMatchObject({ passed: true, detail: "No critical items" });
    expect(checklistGate("P", []).passed).toBe(true);
  });
});

describe("evaluateDecision", () => {
  it("PROCEEDs when all gates pass and every required role voted GO", () => {
    expect(evaluateDecision({ state: "voting", gates: [pass("errors"), pass("latency")], requiredRoles: REQUIRED, votes: allGo })).toEqual({
      outcome: "proceed",
      missingRoles: [],
      failingGates: [],
      noGoVotes: [],
      reason: "All gates pass and every required role voted GO",
    });
  });

  it("ABORTs on a single no-go, naming who and why", () => {
    const noGo = vote("DATABASE_DBA", "no_go", { userName: "Dana", comment: "Replication lag 40 s" });
    const r = evaluateDecision({
      state: "voting",
      gates: [pass("errors")],
      requiredRoles: REQUIRED,
      votes: [vote("DEPLOYMENT_LEAD", "go"), noGo],
    });
    expect(r.outcome).toBe("abort");
    expect(r.noGoVotes).toEqual([noGo]);
    expect(r.missingRoles).toEqual(["QA_LEAD"]);
    expect(r.reason).toBe('No-go from Database DBA (Dana): "Replication lag 40 s"');
  });

  it("names every no-go voter, with or without a comment", () => {
    const r = evaluateDecision({
      state: "voting",
      gates: [],
      requiredRoles: REQUIRED,
      votes: [vote("QA_LEAD", "no_go", { userName: "Quinn", comment: null }), vote("DATABASE_DBA", "no_go", { userName: "Dana", comment: "Lag" })],
    });
    // Reported in required-role order, not vote order.
    expect(r.reason).toBe('No-go from Database DBA (Dana): "Lag"; QA Lead (Quinn)');
  });

  it("aborts on a no-go even when a gate fails too", () => {
    expect(
      evaluateDecision({ state: "voting", gates: [fail("errors")], requiredRoles: REQUIRED, votes: [vote("QA_LEAD", "no_go")] }).outcome,
    ).toBe("abort");
  });

  it("waits for missing votes and says which", () => {
    const r = evaluateDecision({
      state: "voting",
      gates: [pass("errors")],
      requiredRoles: REQUIRED,
      votes: [vote("DEPLOYMENT_LEAD", "go")],
    });
    expect(r).toMatchObject({ outcome: "waiting", missingRoles: ["DATABASE_DBA", "QA_LEAD"], failingGates: [], noGoVotes: [] });
    expect(r.reason).toBe("Waiting for votes from Database DBA, QA Lead");
  });

  it("does not proceed on all GO while a gate fails", () => {
    const failing = fail("errors", "error rate 7 % > 5 %");
    const r = evaluateDecision({ state: "voting", gates: [pass("latency"), failing], requiredRoles: REQUIRED, votes: allGo });
    expect(r.outcome).toBe("waiting");
    expect(r.failingGates).toEqual([failing]);
    expect(r.missingRoles).toEqual([]);
    expect(r.reason).toBe("Failing gates: errors ok (error rate 7 % > 5 %)");
  });

  it("reports missing votes and failing gates together", () => {
    const r = evaluateDecision({ state: "voting", gates: [fail("errors")], requiredRoles: ["QA_LEAD"], votes: [] });
    expect(r.reason).toBe("Waiting for votes from QA Lead. Failing gates: errors ok (5.2 % > 5 %)");
  });

  it("waits while pending even if everything would pass", () => {
    const r = evaluateDecision({ state: "pending", gates: [pass("errors")], requiredRoles: REQUIRED, votes: [] });
    expect(r.outcome).toBe("waiting");
    expect(r.reason).toBe("Voting has not been opened. Waiting for votes from Deployment Lead, Database DBA, QA Lead");
  });

  it("ignores votes from roles that are not required and duplicate votes", () => {
    const r = evaluateDecision({
      state: "voting",
      gates: [],
      requiredRoles: ["DATABASE_DBA"],
      votes: [vote("COMMS_LEAD", "no_go"), vote("DATABASE_DBA", "go"), vote("DATABASE_DBA", "no_go")],
    });
    expect(r.outcome).toBe("proceed");
  });

  it("proceeds on gates alone when no role is required", () => {
    expect(evaluateDecision({ state: "voting", gates: [pass("g")], requiredRoles: [], votes: [] }).outcome).toBe("proceed");
  });

  it("keeps a closed decision's outcome even if a gate fails later", () => {
    const closed = evaluateDecision({ state: "proceed", gates: [fail("errors")], requiredRoles: REQUIRED, votes: allGo });
    expect(closed).toMatchObject({ outcome: "proceed", reason: "Decision closed: proceed" });
    expect(closed.failingGates).toHaveLength(1);
    const aborted = evaluateDecision({ state: "abort", gates: [pass("errors")], requiredRoles: REQUIRED, votes: [] });
    expect(aborted).toMatchObject({ outcome: "abort", reason: "Decision closed: abort" });
    const abortedByVote = evaluateDecision({
      state: "abort",
      gates: [],
      requiredRoles: REQUIRED,
      votes: [vote("QA_LEAD", "no_go", { userName: "Quinn", comment: "Checkout broken" })],
    });
    expect(abortedByVote.reason).toBe('No-go from QA Lead (Quinn): "Checkout broken"');
  });
});

describe("canVote", () => {
  it("allows a required role the voter holds that has not voted", () => {
    expect(canVote("voting", ["DATABASE_DBA"], REQUIRED, [])).toEqual({ ok: true, role: "DATABASE_DBA" });
  });

  it("rejects voting on a closed decision as a conflict", () => {
    expect(canVote("proceed", ["DATABASE_DBA"], REQUIRED, [])).toEqual({ ok: false, code: "conflict", message: "Decision is closed: proceed" });
    expect(canVote("abort", ["DATABASE_DBA"], REQUIRED, [])).toEqual({ ok: false, code: "conflict", message: "Decision is closed: abort" });
  });

  it("rejects voting before the vote is opened", () => {
    expect(canVote("pending", ["DATABASE_DBA"], REQUIRED, [])).toMatchObject({ ok: false, code: "conflict" });
  });

  it("forbids roles that are not required", () => {
    expect(canVote("voting", ["COMMS_LEAD"], REQUIRED, [])).toEqual({
      ok: false,
      code: "forbidden",
      message: "None of your roles votes on this decision",
    });
  });

  it("forbids observers even if listed as required", () => {
    expect(canVote("voting", ["OBSERVER"], ["OBSERVER"], [])).toMatchObject({ ok: false, code: "forbidden" });
  });

  it("rejects a second vote for the same role as a conflict", () => {
    expect(canVote("voting", ["DATABASE_DBA"], REQUIRED, ["DATABASE_DBA"])).toEqual({
      ok: false,
      code: "conflict",
      message: "Database DBA already voted",
    });
  });

  it("lets a member with two required roles vote once per role", () => {
    const roles: Role[] = ["DEPLOYMENT_LEAD", "QA_LEAD"];
    expect(canVote("voting", roles, REQUIRED, [])).toEqual({ ok: true, role: "DEPLOYMENT_LEAD" });
    expect(canVote("voting", roles, REQUIRED, ["DEPLOYMENT_LEAD"])).toEqual({ ok: true, role: "QA_LEAD" });
    expect(canVote("voting", roles, REQUIRED, ["DEPLOYMENT_LEAD", "QA_LEAD"])).toEqual({
      ok: false,
      code: "conflict",
      message: "Deployment Lead, QA Lead already voted",
    });
  });

  it("votes as a chosen role", () => {
    const roles: Role[] = ["DEPLOYMENT_LEAD", "QA_LEAD"];
    expect(canVote("voting", roles, REQUIRED, [], "QA_LEAD")).toEqual({ ok: true, role: "QA_LEAD" });
    expect(canVote("voting", roles, REQUIRED, ["QA_LEAD"], "QA_LEAD")).toEqual({
      ok: false,
      code: "conflict",
      message: "QA Lead has already voted",
    });
    expect(canVote("voting", roles, REQUIRED, [], "DATABASE_DBA")).toMatchObject({ ok: false, code: "forbidden" });
  });
});

describe("decisionSnapshot", () => {
  it("is plain JSON that reads back through its schema", () => {
    const gates = [checklistGate("Canary", [{ title: "Backup", critical: true, state: "done" }]), fail("errors")];
    const votes = [vote("DATABASE_DBA", "no_go", { userName: "Dana", comment: "Lag" }), vote("QA_LEAD", "go")];
    const snap = decisionSnapshot(gates, votes, new Date("2026-06-14T10:05:00Z"));
    const roundTrip: unknown = JSON.parse(JSON.stringify(snap));
    expect(roundTrip).toEqual(snap);
    expect(decisionSnapshotSchema.parse(roundTrip)).toEqual(snap);
    expect(snap.at).toBe("2026-06-14T10:05:00.000Z");
    expect(snap.votes[1].comment).toBeNull();
    expect(snap.gates).toEqual(gates);
  });

  it("copies rather than shares the caller's objects and drops extra fields", () => {
    const gate = { ...pass("g"), internal: new Date() } as Gate;
    const snap = decisionSnapshot([gate], [], "2026-06-14T10:05:00.000Z");
    gate.passed = false;
    expect(snap.gates[0]).toEqual({ id: "g", kind: "metric", label: "g ok", passed: true, detail: "fine" });
    expect(snap.at).toBe("2026-06-14T10:05:00.000Z");
  });
});
