import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { BUILTIN_TEMPLATES } from "@/lib/domain/templates";
import { routeOf, runRoute } from "@/lib/api/routes";
import { dispatch } from "./commands";
import { runbookReader } from "./plan-import";
import { listTemplates } from "./templates";
import type { Actor } from "./context";
import { createFixture, createOutsider, createTeam, digest, useFreshDatabase, type Team } from "@/lib/testing/fixtures";
import { PLAN_STRUCTURE_INCLUDE } from "@/lib/testing/plan-structure";

// The cutover team, and three people with no role in its cutovers: two planners and an administrator.
let team: Team;
let planner: Actor, otherPlanner: Actor, admin: Actor;

beforeAll(async () => {
  await useFreshDatabase();
  team = await createTeam();
  [planner, otherPlanner, admin] = await Promise.all([createOutsider("planner", { isPlanner: true }), createOutsider("other-planner", { isPlanner: true }), createOutsider("admin", { isAdmin: true })]);
});
// A machine shared with other work may take longer than the production budget.
beforeEach(() => {
  runbookReader.budgetMs = 60_000;
});
afterAll(async () => {
  await runbookReader.close();
});

const create = (actor: Actor, extra: Record<string, unknown>, tZero = "2026-12-01T06:00:00Z") =>
  dispatch(actor, "cutover.create", { name: "From a template", systemFrom: "old", systemTo: "new", tZero, timeZone: "UTC", ...extra });

/** The plan of a cutover as structure: what a template must carry over. */
async function structure(cutoverId: string) {
  const c = await db().cutover.findUniqueOrThrow({
    where: { id: cutoverId },
    include: {
      ...PLAN_STRUCTURE_INCLUDE,
      trafficSteps: { orderBy: { position: "asc" } },
    },
  });
  const offset = (d: Date | null) => (d ? Math.round((d.getTime() - c.tZero.getTime()) / 60_000) : null);
  return {
    phases: c.phases.map((p) => ({
      name: p.name,
      plannedAt: p.plannedAt,
      sections: p.sections.map((s) => ({ name: s.name, items: s.items.map((i) => ({ title: i.title, ownerRole: i.ownerRole, critical: i.critical, plannedTime: i.plannedTime, plannedAt: offset(i.plannedAt), state: i.state })) })),
      decisions: p.decisions.map((d) => ({ title: d.title, targetPercent: d.targetPercent, state: d.state })),
    })),
    risks: c.risks.map((r) => ({ title: r.title, probability: r.probability, impact: r.impact, mitigation: r.mitigation })),
    timeline: c.timeline.map((t) => ({ title: t.title, details: t.details, start: offset(t.plannedStart) })),
    trafficSteps: c.trafficSteps.map((s) => s.percent),
  };
}

function counts(s: Awaited<ReturnType<typeof structure>>) {
  return {
    phases: s.phases.length,
    sections: s.phases.reduce((n, p) => n + p.sections.length, 0),
    items: s.phases.reduce((n, p) => p.sections.reduce((m, x) => m + x.items.length, n), 0),
    decisions: s.phases.flatMap((p) => p.decisions.map((d) => d.targetPercent)),
    trafficSteps: s.trafficSteps,
  };
}

describe("starting a cutover from a built-in template", () => {
  const EXPECTED = {
    "builtin:blue-green": { phases: 5, sections: 9, items: 22, decisions: [50, 100], trafficSteps: [0, 10, 50, 100] },
    "builtin:canary": { phases: 5, sections: 10, items: 23, decisions: [25, 50, 100], trafficSteps: [0, 5, 25, 50, 100] },
    "builtin:database-migration": { phases: 4, sections: 7, items: 19, decisions: [100, null], trafficSteps: [0, 100] },
  };
  it.each(Object.entries(EXPECTED))("%s gives its phases, sections, items, decisions and traffic ladder", async (template, expected) => {
    const r = await create(planner, { template });
    expect(r.imported?.phases).toBe(expected.phases);
    expect(counts(await structure(r.cutoverId))).toEqual(expected);
    const lead = await db().cutoverMember.findMany({ where: { cutoverId: r.cutoverId }, select: { userId: true, role: true } });
    expect(lead).toEqual([{ userId: planner.id, role: "DEPLOYMENT_LEAD" }]);
  });

  it("refuses an unknown template (404) and a template with a runbook (400), creating nothing", async () => {
    const before = await digest();
    await expect(create(planner, { template: "builtin:nope" })).rejects.toMatchObject({ status: 404, message: "Unknown template" });
    await expect(create(planner, { template: "00000000-0000-4000-8000-000000000009" })).rejects.toMatchObject({ status: 404 });
    await expect(create(planner, { template: "builtin:canary", runbook: "## Phase\n- [ ] item" })).rejects.toMatchObject({ status: 400, message: "Start from a runbook or from a template, not both" });
    await expect(create(team.QA_LEAD, { template: "builtin:canary" })).rejects.toMatchObject({ status: 403 });
    expect(await digest()).toEqual(before);
  });
});

describe("saving a cutover as a team template", () => {
  it("then starting from it gives the same plan, on another day", async () => {
    const source = await create(planner, { template: "builtin:blue-green" });
    // What the UI adds beyond the runbook: a risk, a schedule entry, an item, a second decision.
    await dispatch(planner, "risk.save", { cutoverId: source.cutoverId, title: "Cache cold after the switch", probability: "medium", impact: "high", mitigation: "Warm it first" });
    await dispatch(planner, "timeline.add", { cutoverId: source.cutoverId, title: "Freeze deploys", plannedStart: "T-1:30", ownerRole: "BACKEND_LEAD" });
    const firstSection = (await db().section.findFirstOrThrow({ where: { phase: { cutoverId: source.cutoverId, position: 0 } }, orderBy: { position: "asc" } })).id;
    await dispatch(planner, "item.add", { cutoverId: source.cutoverId, sectionId: firstSection, title: "Feature flags reviewed", ownerRole: "BACKEND_LEAD", plannedTime: "T-2h" });
    const saved = await dispatch(planner, "template.save", { cutoverId: source.cutoverId, name: "Our blue-green", description: "With the cache warm-up" });
    expect(saved).toMatchObject({ phases: 5, sections: 9, items: 23 });

    const fromTemplate = await create(otherPlanner, { template: saved.templateId }, "2027-03-14T22:00:00Z");
    const a = await structure(source.cutoverId);
    const b = await structure(fromTemplate.cutoverId);
    expect(b).toEqual(a);
    expect(counts(b)).toEqual({ phases: 5, sections: 9, items: 23, decisions: [50, 100], trafficSteps: [0, 10, 50, 100] });
    expect(b.timeline).toEqual([{ title: "Freeze deploys", details: null, start: -90 }]);

    const audit = await db().auditEvent.findFirstOrThrow({ where: { cutoverId: source.cutoverId, action: "template.saved" } });
    expect(audit).toMatchObject({ actorId: planner.id, role: "DEPLOYMENT_LEAD", subject: `template:${saved.templateId}`, after: { name: "Our blue-green", phases: 5, sections: 9, items: 23 } });
  });

  it("keeps an imported item as long as a runbook line", async () => {
    const source = await create(planner, { runbook: `# Long\n## Phase\n- [ ] ${"Verify ".repeat(250)}` });
    const saved = await dispatch(planner, "template.save", { cutoverId: source.cutoverId, name: "Long titles" });
    const again = await create(planner, { template: saved.templateId });
    expect(await structure(again.cutoverId)).toEqual(await structure(source.cutoverId));
    expect((await structure(again.cutoverId)).phases[0]!.sections[0]!.items[0]!.title.length).toBeGreaterThan(1_000);
  });

    it("keeps nothing of the run: signed-off items and decided votes start open and pending", async () => {
    const f = await createFixture(team, { decisionState: "voting" });
    await dispatch(team.QA_LEAD, "item.sign_off", { cutoverId: f.cutoverId, itemId: f.qaItemId });
    const saved = await dispatch(team.DEPLOYMENT_LEAD, "template.save", { cutoverId: f.cutoverId, name: "From the fixture" });
    const created = await create(planner, { template: saved.templateId });
    const s = await structure(created.cutoverId);
    expect(s.phases.flatMap((p) => p.sections.flatMap((x) => x.items.map((i) => i.state)))).toEqual(["open", "open"]);
    expect(s.phases.flatMap((p) => p.decisions.map((d) => d.state))).toEqual(["pending"]);
  });

  it("is the lead's: other roles are refused and nothing changes; a taken name is a 409", async () => {
    const f = await createFixture(team);
    const before = await digest();
    for (const role of ["QA_LEAD", "DATABASE_DBA", "ON_CALL", "OBSERVER"] as const) {
      await expect(dispatch(team[role], "template.save", { cutoverId: f.cutoverId, name: `By ${role}` })).rejects.toMatchObject({ status: 403, message: expect.stringContaining("save the plan as a team template") });
    }
    await expect(dispatch(admin, "template.save", { cutoverId: f.cutoverId, name: "By an administrator" })).rejects.toMatchObject({ status: 403 });
    await expect(dispatch(planner, "template.save", { cutoverId: f.cutoverId, name: "By a stranger" })).rejects.toMatchObject({ status: 404 });
    await expect(dispatch(team.DEPLOYMENT_LEAD, "template.save", { cutoverId: f.cutoverId, name: "  " })).rejects.toMatchObject({ status: 400 });
    await expect(dispatch(team.DEPLOYMENT_LEAD, "template.save", { cutoverId: f.cutoverId, name: "Our blue-green" })).rejects.toMatchObject({ status: 409, message: 'A template named "Our blue-green" already exists: choose another name' });
    expect(await digest()).toEqual(before);
  });
});

describe("the list of templates and removing one", () => {
  it("lists the built-in ones then the team's to those who may create cutovers, saying who may remove what", async () => {
    const f = await createFixture(team);
    await db().user.update({ where: { id: team.DEPLOYMENT_LEAD.id }, data: { isPlanner: true } });
    const lead = { ...team.DEPLOYMENT_LEAD, isPlanner: true };
    const saved = await dispatch(lead, "template.save", { cutoverId: f.cutoverId, name: "Listed plan" });
    const list = await listTemplates(planner);
    expect(list.slice(0, 3).map((t) => t.key)).toEqual(BUILTIN_TEMPLATES.map((t) => t.key));
    expect(list.find((t) => t.key === saved.templateId)).toMatchObject({ name: "Listed plan", builtin: false, savedBy: lead.name, removable: false });
    expect((await listTemplates(lead)).find((t) => t.key === saved.templateId)?.removable).toBe(true);
    expect((await listTemplates(admin)).find((t) => t.key === saved.templateId)?.removable).toBe(true);
    await expect(listTemplates(team.QA_LEAD)).rejects.toMatchObject({ status: 403 });
  });

  it("GET /api/v1/templates answers the same list, and 403 to those who may not create cutovers", async () => {
    const route = routeOf("GET", "/api/v1/templates");
    const call = (actor: Actor) => runRoute(route, { actor: { email: "x@test.local", ...actor }, params: {}, data: {}, requestId: "t" });
    expect(await call(planner)).toEqual({ templates: await listTemplates(planner) });
    await expect(call(team.OBSERVER)).rejects.toMatchObject({ status: 403 });
  });

  it("is removed by the one who saved it or an administrator, not by another planner; recorded", async () => {
    const f = await createFixture(team);
    const lead = { ...team.DEPLOYMENT_LEAD, isPlanner: true };
    await db().user.update({ where: { id: lead.id }, data: { isPlanner: true } });
    const one = await dispatch(lead, "template.save", { cutoverId: f.cutoverId, name: "To remove 1" });
    const two = await dispatch(lead, "template.save", { cutoverId: f.cutoverId, name: "To remove 2" });
    const before = await digest();
    await expect(dispatch(otherPlanner, "template.remove", { templateId: one.templateId })).rejects.toMatchObject({ status: 403 });
    await expect(dispatch(team.QA_LEAD, "template.remove", { templateId: one.templateId })).rejects.toMatchObject({ status: 403 });
    await expect(dispatch(lead, "template.remove", { templateId: "00000000-0000-4000-8000-000000000009" })).rejects.toMatchObject({ status: 404 });
    expect(await digest()).toEqual(before);
    await dispatch(lead, "template.remove", { templateId: one.templateId });
    await dispatch(admin, "template.remove", { templateId: two.templateId });
    expect(await db().cutoverTemplate.count({ where: { id: { in: [one.templateId, two.templateId] } } })).toBe(0);
    const audit = await db().auditEvent.findMany({ where: { action: "template.removed" }, orderBy: { id: "asc" }, select: { cutoverId: true, actorId: true, subject: true, before: true } });
    expect(audit).toEqual([
      { cutoverId: null, actorId: lead.id, subject: `template:${one.templateId}`, before: { name: "To remove 1" } },
      { cutoverId: null, actorId: admin.id, subject: `template:${two.templateId}`, before: { name: "To remove 2" } },
    ]);
    await expect(create(planner, { template: one.templateId })).rejects.toMatchObject({ status: 404 });
  });
});
