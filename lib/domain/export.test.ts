import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { exportAudit, exportFilename, exportPlan, exportQuery, exportTimeline, neutraliseFormula, type ExportAuditEvent, type ExportTimelineEntry } from "./export";
import { cutoverDocument } from "@/lib/schemas/export";
import { DOCUMENT } from "@/lib/testing/export-document";

const live = { id: "c1", name: "Payments: Python → Go", mode: "live" as const };
const rehearsal = { ...live, mode: "rehearsal" as const };
const now = new Date("2026-03-14T10:30:00Z");

const events: ExportAuditEvent[] = [
  { id: "7", at: new Date("2026-03-14T09:00:00Z"), actorName: "Dana, DBA", role: "DATABASE_DBA", action: "item.signed_off", subject: "Backup verified", before: { state: "open" }, after: { state: "done", note: 'said "ok"\nnext line' }, requestId: "r-1", rehearsal: false },
  { id: "8", at: new Date("2026-03-14T09:01:00Z"), actorName: "=HYPERLINK(\"http://evil\")", role: null, action: "risk.created", subject: "+1 risky", before: null, after: "-5", requestId: null, rehearsal: false },
];

const t = (iso: string) => new Date(`2026-03-14T${iso}:00Z`);
const entries: ExportTimelineEntry[] = [
  { position: 1, title: "Shift 5 %", ownerRole: "DEPLOYMENT_LEAD", details: null, plannedStart: t("10:00"), plannedFinish: t("10:10"), actualStart: t("10:12"), actualFinish: null },
  { position: 0, title: "Freeze writes", ownerRole: "DATABASE_DBA", details: "@all read-only", plannedStart: t("09:00"), plannedFinish: t("09:15"), actualStart: t("09:00"), actualFinish: t("09:20") },
];

const rows = (body: string) => parse(body, { columns: true }) as Record<string, string>[];

describe("export query", () => {
  it("defaults to CSV and refuses what it does not know", () => {
    expect(exportQuery.parse({ what: "audit" })).toEqual({ what: "audit", format: "csv" });
    expect(exportQuery.safeParse({ what: "users" }).success).toBe(false);
    expect(exportQuery.safeParse({ what: "audit", format: "xlsx" }).success).toBe(false);
  });

  it("the plan by default, as markdown unless JSON is asked; each kind only in its own formats", () => {
    expect(exportQuery.parse({})).toEqual({ what: "plan", format: "markdown" });
    expect(exportQuery.parse({ format: "json" })).toEqual({ what: "plan", format: "json" });
    expect(exportQuery.safeParse({ format: "csv" }).error?.issues[0]?.message).toBe("the plan exports as markdown or json");
    expect(exportQuery.safeParse({ what: "timeline", format: "markdown" }).success).toBe(false);
  });
});

describe("file names", () => {
  it("slug, what, minute; REHEARSAL first for a rehearsal", () => {
    expect(exportFilename(live, "audit", "csv", now)).toBe("payments-python-go-audit-20260314-1030.csv");
    expect(exportFilename(rehearsal, "timeline", "json", now)).toBe("REHEARSAL-payments-python-go-timeline-20260314-1030.json");
    expect(exportFilename({ ...live, name: "→→" }, "audit", "csv", now)).toBe("cutover-audit-20260314-1030.csv");
    expect(exportFilename(live, "plan", "markdown", now)).toBe("payments-python-go-plan-20260314-1030.md");
  });
});

describe("formula cells", () => {
  it("a leading = + - @ tab or CR is neutralised, anything else kept", () => {
    for (const s of ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"]) expect(neutraliseFormula(s)).toBe(`'${s}`);
    expect(neutraliseFormula("Dana")).toBe("Dana");
    expect(neutraliseFormula("")).toBe("");
  });
});

describe("audit export", () => {
  it("CSV: one row per event, quoting and newlines survive a real CSV parser, formulas neutralised", () => {
    const file = exportAudit(live, events, "csv", now);
    expect(file.contentType).toMatch(/^text\/csv/);
    const parsed = rows(file.body);
    expect(parsed).toHaveLength(2);
    expect(parsed[0]).toMatchObject({ id: "7", at: "2026-03-14T09:00:00.000Z", mode: "LIVE", actor: "Dana, DBA", role: "DATABASE_DBA", action: "item.signed_off", request_id: "r-1" });
    expect(JSON.parse(parsed[0]!.after!)).toEqual({ state: "done", note: 'said "ok"\nnext line' });
    expect(parsed[1]).toMatchObject({ actor: "'=HYPERLINK(\"http://evil\")", subject: "'+1 risky", before: "", after: "'-5", role: "" });
  });

  it("JSON: the events as they are, and REHEARSAL on top for a rehearsal", () => {
    const liveJson = JSON.parse(exportAudit(live, events, "json", now).body);
    expect(liveJson.label).toBeUndefined();
    expect(liveJson.events[1]).toMatchObject({ actorName: '=HYPERLINK("http://evil")', before: null, after: "-5" });
    const file = exportAudit(rehearsal, events, "json", now);
    const body = JSON.parse(file.body);
    expect(body).toMatchObject({ label: "REHEARSAL", cutover: { mode: "rehearsal" }, exportedAt: now.toISOString() });
    expect(file.filename.startsWith("REHEARSAL-")).toBe(true);
  });

  it("CSV of a rehearsal says REHEARSAL on every row", () => {
    expect(rows(exportAudit(rehearsal, events, "csv", now).body).map((r) => r.mode)).toEqual(["REHEARSAL", "REHEARSAL"]);
  });

  it("no events: a header and nothing else", () => {
    expect(exportAudit(live, [], "csv", now).body.trim()).toBe("id,at,mode,actor,role,action,subject,before,after,request_id");
  });
});

describe("timeline export", () => {
  it("in plan order, with status and drift against planned times", () => {
    const parsed = rows(exportTimeline(live, entries, "csv", now).body);
    expect(parsed.map((r) => r.title)).toEqual(["Freeze writes", "Shift 5 %"]);
    expect(parsed[0]).toMatchObject({ step: "1", status: "done", drift_minutes: "5", planned_start: "2026-03-14T09:00:00.000Z", actual_finish: "2026-03-14T09:20:00.000Z", details: "'@all read-only" });
    // Started 12 min late and still running 20 min past its planned finish: 20 min behind.
    expect(parsed[1]).toMatchObject({ step: "2", status: "in_progress", drift_minutes: "20", actual_finish: "", drift: "+20 min behind plan" });
  });

  it("JSON carries the same figures", () => {
    const body = JSON.parse(exportTimeline(rehearsal, entries, "json", now).body);
    expect(body.label).toBe("REHEARSAL");
    expect(body.entries[1]).toMatchObject({ title: "Shift 5 %", status: "in_progress", driftMinutes: 20, actualFinish: null });
  });
});

describe("plan export", () => {
  it("markdown: a runbook file named after the cutover", () => {
    const file = exportPlan(DOCUMENT, "markdown");
    expect(file).toMatchObject({ filename: "payments-python-go-plan-20260314-1030.md", contentType: "text/markdown; charset=utf-8" });
    expect(file.body.startsWith("# Payments: Python → Go\n")).toBe(true);
  });

  it("JSON: the document as it is, valid against its schema", () => {
    const file = exportPlan(DOCUMENT, "json");
    expect(file.filename).toBe("payments-python-go-plan-20260314-1030.json");
    expect(cutoverDocument.parse(JSON.parse(file.body))).toEqual(DOCUMENT);
  });

  it("refuses a document carrying anything its schema does not list (an email, a secret)", () => {
    const leaky = { ...DOCUMENT, members: [{ name: "Dana", role: "DATABASE_DBA", email: "dana@example.com" }] } as unknown as typeof DOCUMENT;
    expect(() => exportPlan(leaky, "json")).toThrow();
    const secret = { ...DOCUMENT, cutover: { ...DOCUMENT.cutover, routerSecret: "s3cret" } } as unknown as typeof DOCUMENT;
    expect(() => exportPlan(secret, "markdown")).toThrow();
  });
});
