// Walks every command of the room × every role against a real PostgreSQL: an allowed call goes
// through, a denied one is a 403 that changes no row anywhere.
import { beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { ROLES, type Role } from "@/lib/domain/roles";
import { defineFileIntegrations } from "@/lib/config/test-server-config";
import { runCommand, type CommandName } from "./commands";
import { createFixture, createTeam, digest, useFreshDatabase, type Fixture, type Team } from "./test-support";

const ALL_BUT_OBSERVER: Role[] = ROLES.filter((r) => r !== "OBSERVER");
const LEAD: Role[] = ["DEPLOYMENT_LEAD"];

// Written out by hand, independently of lib/domain/permissions.ts: who may run each command.
const CASES: { name: CommandName; allowed: Role[]; input: (f: Fixture) => unknown; draft?: boolean }[] = [
  { name: "cutover.start", allowed: LEAD, input: (f) => ({ cutoverId: f.cutoverId }) },
  { name: "cutover.clone", allowed: LEAD, input: (f) => ({ cutoverId: f.cutoverId, name: "Clone", tZero: new Date() }) },
  { name: "phase.add", allowed: LEAD, input: (f) => ({ cutoverId: f.cutoverId, name: "Post" }) },
  { name: "phase.rename", allowed: LEAD, input: (f) => ({ cutoverId: f.cutoverId, id: f.phaseId, name: "Renamed" }) },
  { name: "phase.remove", allowed: LEAD, input: (f) => ({ cutoverId: f.cutoverId, id: f.phaseId }) },
  { name: "section.add", allowed: LEAD, input: (f) => ({ cutoverId: f.cutoverId, phaseId: f.phaseId, name: "More" }) },
  { name: "section.rename", allowed: LEAD, input: (f) => ({ cutoverId: f.cutoverId, id: f.sectionId, name: "Renamed" }) },
  { name: "item.add", allowed: LEAD, input: (f) => ({ cutoverId: f.cutoverId, sectionId: f.sectionId, title: "New", ownerRole: "QA_LEAD", plannedTime: "T-4h" }) },
  { name: "item.update", allowed: LEAD, input: (f) => ({ cutoverId: f.cutoverId, id: f.qaItemId, critical: true }) },
  { name: "item.move", allowed: LEAD, input: (f) => ({ cutoverId: f.cutoverId, id: f.qaItemId, direction: "down" }) },
  { name: "item.remove", allowed: LEAD, input: (f) => ({ cutoverId: f.cutoverId, id: f.qaItemId }) },
  // A QA item: its owner, or the lead as an override (with a note).
  { name: "item.sign_off", allowed: ["QA_LEAD", "DEPLOYMENT_LEAD"], input: (f) => ({ cutoverId: f.cutoverId, itemId: f.qaItemId, note: "checked" }) },
  { name: "item.not_applicable", allowed: ["QA_LEAD", "DEPLOYMENT_LEAD"], input: (f) => ({ cutoverId: f.cutoverId, itemId: f.qaItemId, reason: "no smoke suite" }) },
  { name: "member.add", allowed: LEAD, input: (f) => ({ cutoverId: f.cutoverId, email: "observer-extra@test.local", role: "OBSERVER" }) },
  { name: "timeline.add", allowed: LEAD, input: (f) => ({ cutoverId: f.cutoverId, title: "Step", plannedStart: "T+0:30", ownerRole: "QA_LEAD" }) },
  // A DBA step: the DBA or the lead.
  { name: "timeline.progress", allowed: ["DATABASE_DBA", "DEPLOYMENT_LEAD"], input: (f) => ({ cutoverId: f.cutoverId, entryId: f.entryId, step: "start" }) },
  { name: "contact.add", allowed: LEAD, input: (f) => ({ cutoverId: f.cutoverId, role: "QA_LEAD", name: "Quinn" }) },
  { name: "contact.remove", allowed: LEAD, input: (f) => ({ cutoverId: f.cutoverId, id: f.contactId }) },
  { name: "links.set", allowed: LEAD, input: (f) => ({ cutoverId: f.cutoverId, links: [{ label: "Bridge", url: "https://meet.example.com/x" }] }) },
  { name: "escalation.set", allowed: LEAD, input: (f) => ({ cutoverId: f.cutoverId, escalation: [{ level: "Team lead", who: "on duty", after: "0-15 min" }] }) },
  { name: "risk.save", allowed: ALL_BUT_OBSERVER, input: (f) => ({ cutoverId: f.cutoverId, title: "Cache stampede", probability: "medium", impact: "high" }) },
  { name: "decision.create", allowed: LEAD, input: (f) => ({ cutoverId: f.cutoverId, phaseId: f.phaseId, title: "Go to 100 %", requiredRoles: ["QA_LEAD"] }) },
  // Required voters are the lead and QA.
  { name: "decision.vote", allowed: ["DEPLOYMENT_LEAD", "QA_LEAD"], input: (f) => ({ cutoverId: f.cutoverId, decisionId: f.decisionId, choice: "go" }) },
  { name: "decision.abort", allowed: LEAD, input: (f) => ({ cutoverId: f.cutoverId, decisionId: f.decisionId, reason: "metrics red" }) },
  { name: "metric.save", allowed: LEAD, input: (f) => ({ cutoverId: f.cutoverId, name: "Queue depth", unit: "count", queryNew: 'sum(queue_depth{service="new"})' }) },
  { name: "metric.remove", allowed: LEAD, input: (f) => ({ cutoverId: f.cutoverId, id: f.metricId }) },
  { name: "metrics.settings", allowed: LEAD, input: (f) => ({ cutoverId: f.cutoverId, prometheusSource: "matrix-prometheus", pollIntervalMs: 2000 }) },
  { name: "gate.add", allowed: LEAD, input: (f) => ({ cutoverId: f.cutoverId, metricId: f.metricId, decisionId: f.decisionId, condition: { kind: "threshold", system: "new", op: "<", value: 1, windowSec: 1800 } }) },
  { name: "traffic.steps", allowed: LEAD, input: (f) => ({ cutoverId: f.cutoverId, steps: [0, 10, 50, 100] }) },
  { name: "router.set", allowed: LEAD, input: (f) => ({ cutoverId: f.cutoverId, integration: "matrix-router" }) },
  { name: "hook.add", allowed: LEAD, input: (f) => ({ cutoverId: f.cutoverId, name: "Read-only mode", integration: "matrix-hook" }) },
  { name: "trigger.save", allowed: LEAD, input: (f) => ({ cutoverId: f.cutoverId, metricId: f.metricId, comparison: ">", threshold: 5, forSeconds: 300, severity: "graceful", action: "shift", shiftToPercent: 10 }) },
];

let team: Team;
beforeAll(async () => {
  await useFreshDatabase();
  team = await createTeam();
  defineFileIntegrations(
    { name: "matrix-prometheus", type: "prometheus", kind: "prometheus", config: { url: "http://127.0.0.1:9090" } },
    { name: "matrix-router", type: "router", kind: "webhook", config: { url: "https://flags.example.com/hook", secret: "0123456789abcdef" } },
    { name: "matrix-hook", type: "hook", kind: "command", config: { argv: ["true"] } },
  );
});

describe("permission matrix: every command × every role", () => {
  it("covers every command of the room", async () => {
    const { COMMANDS } = await import("./commands");
    const untested = Object.keys(COMMANDS).filter((n) => !CASES.some((c) => c.name === n));
    // Covered elsewhere (need a prior state): undo (sign-off.test), open_vote (decisions.test),
    // moves/renames/removes of other levels share the item and phase paths; create needs no cutover.
    // Traffic, rollback, router and trigger confirmation need a real router: e2e/lever.spec.ts.
    // Global commands (accounts, the integrations catalog) are walked × every global role in
    // users.test.ts and integrations.test.ts.
    expect(untested.sort()).toEqual(
      ["user.create", "user.invite", "user.disable", "user.enable", "user.reset_password", "user.set_roles", "integration.save", "integration.remove", "outbound.allow", "outbound.disallow", "cutover.create", "decision.open_vote", "item.rename", "item.undo", "member.remove", "phase.move", "section.move", "section.remove", "metric.test", "gate.remove", "traffic.shift", "rollback.execute", "router.test", "hook.remove", "trigger.remove", "trigger.confirm"].sort(),
    );
  });

  for (const c of CASES) {
    for (const role of ROLES) {
      const allowed = c.allowed.includes(role);
      it(`${c.name} as ${role}: ${allowed ? "allowed" : "403, nothing changes"}`, async () => {
        const f = await createFixture(team);
        if (c.name === "member.add") await import("@/lib/db/client").then(({ db }) => db().user.upsert({ where: { email: "observer-extra@test.local" }, create: { email: "observer-extra@test.local", name: "Extra", passwordHash: "x" }, update: {} }));
        const before = await digest();
        const outcome = await runCommand(team[role], c.name, c.input(f) as never).then(
          () => "ok" as const,
          (err: unknown) => err,
        );
        if (allowed) {
          expect(outcome).toBe("ok");
          expect(await digest()).not.toEqual(before);
        } else {
          expect(outcome).toBeInstanceOf(AppError);
          expect((outcome as AppError).status).toBe(403);
          expect(await digest()).toEqual(before);
        }
      });
    }
  }

  it("a user who is no member of the cutover gets 404 and changes nothing", async () => {
    const f = await createFixture(team);
    const other = await createTeam();
    const stranger = other.QA_LEAD;
    const { db } = await import("@/lib/db/client");
    await db().cutoverMember.deleteMany({ where: { userId: stranger.id } });
    const before = await digest();
    await expect(runCommand(stranger, "item.sign_off", { cutoverId: f.cutoverId, itemId: f.qaItemId })).rejects.toMatchObject({ status: 404 });
    expect(await digest()).toEqual(before);
  });
});
