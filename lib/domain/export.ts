// Exports of a cutover: its plan as a markdown runbook (to read, to edit, to import again) or as
// JSON (the whole state, for a script), and its record for the post-mortem, the change board and
// the auditors: the audit log and the timeline (planned vs actual, drift), as CSV or JSON.
// A rehearsal says so everywhere an export can be read: the file name starts with REHEARSAL, every
// CSV row carries it, and the JSON says it at the top. No I/O here.
import { stringify } from "csv-stringify/sync";
import { z } from "zod";
import { cutoverDocument, type CutoverDocument } from "@/lib/schemas/export";
import { entryDrift, type TimelineTimes } from "./drift";
import { EXPORT_FORMATS, EXPORT_KINDS } from "./export-formats";
import { renderRunbook } from "./runbook-export";


/**
 * What to export and how: the plan (the default) as markdown or JSON, the audit log or the
 * timeline as CSV or JSON. The format defaults to the first of those.
 */
export const exportQuery = z
  .object({
    what: z.enum(EXPORT_KINDS, { error: `what must be ${EXPORT_KINDS.join(", ")}` }).default("plan"),
    format: z.enum(["markdown", "csv", "json"], { error: "format must be markdown, csv or json" }).optional(),
  })
  .superRefine((q, ctx) => {
    const formats: readonly string[] = EXPORT_FORMATS[q.what];
    if (q.format !== undefined && !formats.includes(q.format)) ctx.addIssue({ code: "custom", path: ["format"], message: `the ${q.what} exports as ${formats.join(" or ")}` });
  })
  .transform((q) => (q.what === "plan" ? { what: q.what, format: (q.format ?? EXPORT_FORMATS.plan[0]) as "markdown" | "json" } : { what: q.what, format: (q.format ?? EXPORT_FORMATS[q.what][0]) as RecordFormat }));
export type ExportQuery = z.output<typeof exportQuery>;
/** The formats of the audit log and the timeline. */
export type RecordFormat = "csv" | "json";

export interface ExportCutover {
  id: string;
  name: string;
  mode: string;
}

export interface ExportAuditEvent {
  id: string;
  at: Date;
  actorName: string;
  role: string | null;
  action: string;
  subject: string;
  before: unknown;
  after: unknown;
  requestId: string | null;
  rehearsal: boolean;
}

export interface ExportTimelineEntry extends TimelineTimes {
  position: number;
  title: string;
  ownerRole: string;
  details: string | null;
}

export interface ExportFile {
  filename: string;
  contentType: string;
  body: string;
}

const REHEARSAL = "REHEARSAL";

/** `REHEARSAL-` for a rehearsal, then the cutover's name as a slug, what, and the date. */
export function exportFilename(cutover: ExportCutover, what: ExportQuery["what"] | "post-mortem", format: ExportQuery["format"], at: Date): string {
  const extension = format === "markdown" ? "md" : format;
  const slug =
    cutover.name
      .normalize("NFKD")
      .replace(/[^\w\s-]/g, "")
      .trim()
      .toLowerCase()
      .replace(/[\s_-]+/g, "-")
      .slice(0, 60) || "cutover";
  const iso = at.toISOString();
  const stamp = `${iso.slice(0, 10).replace(/-/g, "")}-${iso.slice(11, 16).replace(":", "")}`;
  return `${cutover.mode === "rehearsal" ? `${REHEARSAL}-` : ""}${slug}-${what}-${stamp}.${extension}`;
}

/**
 * A text cell that a spreadsheet would run as a formula (`=HYPERLINK(…)`, `+`, `-`, `@`, a tab or
 * a carriage return first) is written with a leading apostrophe: people type names and notes, and
 * opening an export must never execute them (OWASP "CSV injection").
 */
export function neutraliseFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** Cells from people (names, titles, notes) go through `neutraliseFormula`; the export's own words do not. */
function csvFile(filename: string, header: string[], rows: unknown[][]): ExportFile {
  const body = stringify([header, ...rows], {
    record_delimiter: "\r\n",
    cast: {
      date: (value) => value.toISOString(),
      boolean: (value) => (value ? "true" : "false"),
    },
  });
  return { filename, contentType: "text/csv; charset=utf-8", body };
}

/** A before/after value in one CSV cell: text as it is, anything else as JSON. */
const jsonCell = (value: unknown) => (value === null || value === undefined ? "" : neutraliseFormula(typeof value === "string" ? value : JSON.stringify(value)));

/** A JSON export: REHEARSAL on top for a rehearsal, the cutover, when, then the rows. */
function jsonFile(filename: string, cutover: ExportCutover, now: Date, rows: Record<string, unknown>): ExportFile {
  const body = {
    ...(cutover.mode === "rehearsal" && { label: REHEARSAL }),
    cutover: { id: cutover.id, name: cutover.name, mode: cutover.mode },
    exportedAt: now.toISOString(),
    ...rows,
  };
  return { filename, contentType: "application/json; charset=utf-8", body: JSON.stringify(body, null, 2) };
}

const json = (value: unknown) => (value === undefined ? null : value);

export function exportAudit(cutover: ExportCutover, events: readonly ExportAuditEvent[], format: RecordFormat, now: Date): ExportFile {
  const filename = exportFilename(cutover, "audit", format, now);
  if (format === "json") {
    return jsonFile(filename, cutover, now, { events: events.map((e) => ({ ...e, at: e.at.toISOString(), before: json(e.before), after: json(e.after) })) });
  }
  const rows = events.map((e) => [e.id, e.at, e.rehearsal || cutover.mode === "rehearsal" ? REHEARSAL : "LIVE", neutraliseFormula(e.actorName), e.role ?? "", e.action, neutraliseFormula(e.subject), jsonCell(e.before), jsonCell(e.after), neutraliseFormula(e.requestId ?? "")]);
  return csvFile(filename, ["id", "at", "mode", "actor", "role", "action", "subject", "before", "after", "request_id"], rows);
}

export function exportTimeline(cutover: ExportCutover, entries: readonly ExportTimelineEntry[], format: RecordFormat, now: Date): ExportFile {
  const filename = exportFilename(cutover, "timeline", format, now);
  const ordered = [...entries].sort((a, b) => a.position - b.position);
  const withDrift = ordered.map((e) => ({ entry: e, drift: entryDrift(e, now) }));
  if (format === "json") {
    return jsonFile(filename, cutover, now, {
      entries: withDrift.map(({ entry: e, drift }) => ({
        position: e.position,
        title: e.title,
        ownerRole: e.ownerRole,
        details: e.details,
        plannedStart: e.plannedStart.toISOString(),
        plannedFinish: e.plannedFinish?.toISOString() ?? null,
        actualStart: e.actualStart?.toISOString() ?? null,
        actualFinish: e.actualFinish?.toISOString() ?? null,
        status: drift.status,
        driftMinutes: drift.driftMinutes,
        drift: drift.label,
      })),
    });
  }
  const mode = cutover.mode === "rehearsal" ? REHEARSAL : "LIVE";
  const rows = withDrift.map(({ entry: e, drift }) => [
    e.position + 1,
    mode,
    neutraliseFormula(e.title),
    e.ownerRole,
    e.plannedStart,
    e.plannedFinish ?? "",
    e.actualStart ?? "",
    e.actualFinish ?? "",
    drift.status,
    drift.driftMinutes ?? "",
    drift.label,
    neutraliseFormula(e.details ?? ""),
  ]);
  return csvFile(filename, ["step", "mode", "title", "owner_role", "planned_start", "planned_finish", "actual_start", "actual_finish", "status", "drift_minutes", "drift", "details"], rows);
}

/**
 * The plan: a markdown runbook the import reads back, or the whole state as JSON. The document is
 * parsed with its strict schema first, so nothing outside it (emails, secrets) can be written.
 */
export function exportPlan(document: CutoverDocument, format: "markdown" | "json"): ExportFile {
  const doc = cutoverDocument.parse(document);
  const filename = exportFilename(doc.cutover, "plan", format, new Date(doc.exportedAt));
  if (format === "json") return { filename, contentType: "application/json; charset=utf-8", body: JSON.stringify(doc, null, 2) };
  return { filename, contentType: "text/markdown; charset=utf-8", body: renderRunbook(doc) };
}
