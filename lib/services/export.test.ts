import { parse } from "csv-parse/sync";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
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

  it("bad input is a 400, a stranger gets a 404, and nothing changes", async () => {
    const f = await createFixture(team);
    const stranger = { ...team.OBSERVER, id: "00000000-0000-4000-8000-0000000000aa", name: "stranger" };
    const before = await digest();
    await expect(exportCutover(team.DEPLOYMENT_LEAD, { cutoverId: f.cutoverId, what: "passwords" })).rejects.toMatchObject({ name: "ZodError" });
    await expect(exportCutover(team.DEPLOYMENT_LEAD, { cutoverId: f.cutoverId, what: "audit", format: "xlsx" })).rejects.toMatchObject({ name: "ZodError" });
    await expect(exportCutover(team.DEPLOYMENT_LEAD, { cutoverId: "not-an-id", what: "audit" })).rejects.toMatchObject({ name: "ZodError" });
    await expect(exportCutover(stranger, { cutoverId: f.cutoverId, what: "audit" })).rejects.toMatchObject({ status: 404 });
    expect(await digest()).toEqual(before);
  });
});
