// Downloads of a cutover's record: the audit log (oldest first, as a post-mortem reads it) and the
// timeline with its drift, as CSV or JSON. The shaping is lib/domain/export.ts; this reads rows
// under the same access rule as everything else (audit.view / cutover.view).
import { exportAudit, exportQuery, exportTimeline, type ExportAuditEvent, type ExportFile } from "@/lib/domain/export";
import { AppError } from "@/lib/errors";
import { id } from "@/lib/schemas/room";
import { withCutover, type Actor } from "./context";

export const exportInput = exportQuery.extend({ cutoverId: id });

/** Far more than a cutover writes (a whole demo day is a few thousand events); past it, page the audit API. */
export const EXPORT_MAX_EVENTS = 200_000;
const PAGE = 5_000;

export async function exportCutover(actor: Actor, raw: unknown, now: Date = new Date()): Promise<ExportFile> {
  const q = exportInput.parse(raw);
  if (q.what === "timeline") {
    return withCutover(actor, q.cutoverId, "cutover.view", async (ctx) => {
      const entries = await ctx.tx.timelineEntry.findMany({ where: { cutoverId: q.cutoverId }, orderBy: { position: "asc" } });
      return exportTimeline(ctx.cutover, entries, q.format, now);
    });
  }
  return withCutover(actor, q.cutoverId, "audit.view", async (ctx) => {
    const events: ExportAuditEvent[] = [];
    let after: bigint | undefined;
    for (;;) {
      const page = await ctx.tx.auditEvent.findMany({
        where: { cutoverId: q.cutoverId, ...(after !== undefined && { id: { gt: after } }) },
        orderBy: { id: "asc" },
        take: PAGE,
        select: { id: true, at: true, actorName: true, role: true, action: true, subject: true, before: true, after: true, requestId: true, rehearsal: true },
      });
      for (const e of page) events.push({ ...e, id: e.id.toString() });
      if (events.length > EXPORT_MAX_EVENTS) throw new AppError("bad_request", `The audit log has more than ${EXPORT_MAX_EVENTS} events: page through GET /api/v1/cutovers/{id}/audit instead`);
      if (page.length < PAGE) break;
      after = page.at(-1)!.id;
    }
    return exportAudit(ctx.cutover, events, q.format, now);
  });
}
