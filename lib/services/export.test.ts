import { parse } from "csv-parse/sync";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { cutoverDocument } from "@/lib/schemas/export";
import { importRunbook } from "@/lib/domain/runbook-import";
import { exportCutover } from "./export";

import { createFixture, createTeam, digest, useFreshDatabase, type Team } from "@/lib/testing/fixtures";
import { dispatch } from "./commands";

let team: Team;
beforeAll(async () => {
  await useFreshDatabase();
  team = await createTeam();
});

const csvRows = (body: string) => parse(body, { columns: true }) as Record<string, string>[];

describe("exports", () => {
  it("the audit log, oldest first, every event across pages, for anyone who may read it", async () => {
    const f = await createFixture(team);
    await dispatch(team.QA_LEAD, "item.sign_off", { cutoverId: f.cutoverId, itemId: f.qaItemId, note: "=cmd|' /C calc'!A0" });
    // More than one page of events (the service reads 5,000 at a time).
    await db().auditEvent.createMany({ data: Array.from({ length: 5_100 }, (_, i) => ({ cutoverId: f.cutoverId, actorName: "load", action: "test.event", subject: `event ${i}` })) });
    const file = await exportCutover(team.OBSERVER, { cutoverId: f.cutoverId, what: "audit" });
    expect(file.filename).toMatch(/^fixture-cutover-audit-\d{8}-\d{4}\.csv$/);
    const rows = csvRows(file.body);
    expect(rows).toHaveLength(5_101);
    expect(rows[0]).toMatchObject({ action: "item.signed_off", actor: team.QA_LEAD.name, mode: "LIVE" });
    // The note a person typed is data, never a formula.
    expect(rows[0]!.after).toContain("=cmd");
    expect(rows[0]!.after.startsWith("=")).toBe(false);
    expect(rows.at(-1)).toMatchObject({ subject: "event 5099" });
    const ids = rows.map((r) => Number(r.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  it("the timeline with drift, as JSON", async () => {
    const f = await createFixture(team);
    const body = JSON.parse((await exportCutover(team.COMMS_LEAD, { cutoverId: f.cutoverId, what: "timeline", format: "json" })).body);
    expect(body.cutover).toMatchObject({ id: f.cutoverId, mode: "live" });
    expect(body.entries).toEqual([expect.objectContaining({ title: "Run migration", ownerRole: "DATABASE_DBA", actualStart: null })]);
  });

  it("a rehearsal says REHEARSAL in the file name, the JSON and every CSV row", async () => {
    const f = await createFixture(team);
    await db().cutover.update({ where: { id: f.cutoverId }, data: { mode: "rehearsal" } });
    const csv = await exportCutover(team.DEPLOYMENT_LEAD, { cutoverId: f.cutoverId, what: "timeline" });
    expect(csv.filename.startsWith("REHEARSAL-")).toBe(true);
    expect(csvRows(csv.body).map((r) => r.mode)).toEqual(["REHEARSAL"]);
    const json = await exportCutover(team.DEPLOYMENT_LEAD, { cutoverId: f.cutoverId, what: "audit", format: "json" });
    expect(JSON.parse(json.body).label).toBe("REHEARSAL");
  });

  it("the plan as markdown by default: a runbook the import reads, for anyone who may see the cutover", async () => {
    const f = await createFixture(team);
    const file = await exportCutover(team.OBSERVER, { cutoverId: f.cutoverId });
    expect(file.filename).toMatch(/^fixture-cutover-plan-\d{8}-\d{4}\.md$/);
    expect(file.contentType).toBe("text/markdown; charset=utf-8");
    expect(file.body).toContain("**Decision point**: Proceed to 50 %");
    expect(file.body).toContain("| Pager | On-call | +1 555 0100 |");
    const plan = importRunbook(file.body);
    expect(plan.phases.map((p) => [p.name, p.sections.flatMap((s) => s.items.map((i) => [i.title, i.ownerRole]))])).toEqual([
      ["Canary", [["Smoke tests pass", "QA_LEAD"], ["Backups verified", "DATABASE_DBA"]]],
    ]);
  });

  it("a trigger on an alert goes out in the markdown and comes back as one when a new cutover is made from it", async () => {
    const f = await createFixture(team);
    await dispatch(team.DEPLOYMENT_LEAD, "trigger.save", { cutoverId: f.cutoverId, conditionKind: "alert", alertName: "Checkout_5xx:high", forSeconds: 120, severity: "graceful", action: "shift", shiftToPercent: 10 });
    const file = await exportCutover(team.OBSERVER, { cutoverId: f.cutoverId });
    expect(file.body).toContain("- If alert Checkout\\_5xx:high is firing for 2 minutes → SHIFT TO 10%");
    const planner = { ...team.DEPLOYMENT_LEAD, isPlanner: true };
    await db().user.update({ where: { id: planner.id }, data: { isPlanner: true } });
    const { cutoverId } = (await dispatch(planner, "cutover.create", { name: "From the export", systemFrom: "a", systemTo: "b", tZero: "2030-01-01T00:00:00Z", runbook: file.body })) as { cutoverId: string };
    const triggers = await db().rollbackTrigger.findMany({ where: { cutoverId } });
    expect(triggers.map((t) => [t.conditionKind, t.alertName, t.metricId, t.forSeconds, t.severity, t.action, t.shiftToPercent, t.mode])).toEqual([["alert", "Checkout_5xx:high", null, 120, "graceful", "shift", 10, "recommend"]]);
    expect(triggers[0]!.description).toMatch(/^Imported, confirm: alert Checkout_5xx:high firing for 120 s → shift new to 10 %/);
    // No metric was made for it.
    expect(await db().metricDefinition.count({ where: { cutoverId, name: { contains: "Checkout" } } })).toBe(0);
  });

  it("the plan as JSON: the whole state, schema-valid, integrations by name only, no secret, no member email", async () => {
    const f = await createFixture(team);
    const admin = await db().user.create({ data: { email: `admin-${Date.now()}@test.local`, name: "Admin", passwordHash: "x", isAdmin: true }, select: { id: true, name: true, isAdmin: true, isPlanner: true } });
    const SECRET = "router-secret-5f2a9c0e7b";
    await dispatch(admin, "integration.save", { name: "export-router", type: "router", kind: "webhook", config: { url: "https://flags.example.com/hook", secret: SECRET } });
    await dispatch(admin, "integration.save", { name: "export-hook", type: "hook", kind: "webhook", config: { url: "https://hooks.example.com/rollback", secret: `${SECRET}-hook` } });
    await db().cutover.update({ where: { id: f.cutoverId }, data: { routerIntegration: "export-router" } });
    await dispatch(team.DEPLOYMENT_LEAD, "hook.add", { cutoverId: f.cutoverId, name: "Notify the flag service", integration: "export-hook" });
    await dispatch(team.DEPLOYMENT_LEAD, "trigger.save", { cutoverId: f.cutoverId, metricId: f.metricId, comparison: ">", threshold: 5, forSeconds: 300, severity: "immediate", action: "rollback" });
    await dispatch(team.DEPLOYMENT_LEAD, "trigger.save", { cutoverId: f.cutoverId, conditionKind: "alert", alertName: "PaymentsDown", forSeconds: 60, severity: "immediate", action: "rollback", mode: "automatic" });
    await dispatch(team.DEPLOYMENT_LEAD, "gate.add", { cutoverId: f.cutoverId, metricId: f.metricId, decisionId: f.decisionId, condition: { kind: "threshold", system: "new", op: "<", value: 1, windowSec: 1800 } });
    await dispatch(team.QA_LEAD, "item.sign_off", { cutoverId: f.cutoverId, itemId: f.qaItemId, note: "green" });

    const file = await exportCutover(team.OBSERVER, { cutoverId: f.cutoverId, format: "json" });
    expect(file.filename).toMatch(/^fixture-cutover-plan-\d{8}-\d{4}\.json$/);
    const doc = cutoverDocument.parse(JSON.parse(file.body));
    expect(doc.cutover).toMatchObject({ id: f.cutoverId, routerIntegration: "export-router" });
    expect(doc.rollbackHooks).toEqual([{ name: "Notify the flag service", integration: "export-hook" }]);
    expect(doc.triggers).toEqual([expect.objectContaining({ metric: "Error rate", comparison: ">", threshold: 5, forSeconds: 300, mode: "recommend" })]);
    expect(doc.alertTriggers).toEqual([expect.objectContaining({ alertName: "PaymentsDown", forSeconds: 60, severity: "immediate", action: "rollback", mode: "automatic" })]);
    expect(doc.phases[0]!.decisions[0]!.gates).toEqual([{ metric: "Error rate", unit: "%", successCriterion: false, condition: { kind: "threshold", system: "new", op: "<", value: 1, windowSec: 1800 } }]);
    expect(doc.phases[0]!.sections[0]!.items[0]).toMatchObject({ title: "Smoke tests pass", state: "done", lastSignOff: { by: team.QA_LEAD.name, role: "QA_LEAD", kind: "sign_off", note: "green" } });
    expect(doc.members).toContainEqual({ name: team.DATABASE_DBA.name, role: "DATABASE_DBA" });
    expect(file.body).not.toContain(SECRET);
    expect(file.body).not.toContain("flags.example.com");
    expect(file.body).not.toContain("@test.local");
  });

  it("bad input is a 400, a stranger gets a 404, and nothing changes", async () => {
    const f = await createFixture(team);
    const stranger = { ...team.OBSERVER, id: "00000000-0000-4000-8000-0000000000aa", name: "stranger" };
    const before = await digest();
    await expect(exportCutover(team.DEPLOYMENT_LEAD, { cutoverId: f.cutoverId, what: "passwords" })).rejects.toMatchObject({ name: "ZodError" });
    await expect(exportCutover(team.DEPLOYMENT_LEAD, { cutoverId: f.cutoverId, what: "audit", format: "xlsx" })).rejects.toMatchObject({ name: "ZodError" });
    await expect(exportCutover(team.DEPLOYMENT_LEAD, { cutoverId: "not-an-id", what: "audit" })).rejects.toMatchObject({ name: "ZodError" });
    await expect(exportCutover(team.DEPLOYMENT_LEAD, { cutoverId: f.cutoverId, format: "csv" })).rejects.toMatchObject({ name: "ZodError" });
    await expect(exportCutover(team.DEPLOYMENT_LEAD, { cutoverId: f.cutoverId, what: "timeline", format: "markdown" })).rejects.toMatchObject({ name: "ZodError" });
    await expect(exportCutover(stranger, { cutoverId: f.cutoverId })).rejects.toMatchObject({ status: 404 });
    await expect(exportCutover(stranger, { cutoverId: f.cutoverId, what: "audit" })).rejects.toMatchObject({ status: 404 });
    expect(await digest()).toEqual(before);
  });
});
