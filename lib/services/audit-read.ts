// The audit log of a cutover, newest first, filterable by action and actor, paged by id.
import { z } from "zod";
import { auditQuery } from "@/lib/schemas/room";
import type { AuditRow } from "@/lib/schemas/views";
import { withCutover, type Actor } from "./context";

export async function listAudit(actor: Actor, raw: z.input<typeof auditQuery>): Promise<AuditRow[]> {
  const q = auditQuery.parse(raw);
  return withCutover(actor, q.cutoverId, "audit.view", async (ctx) => {
    const rows = await ctx.tx.auditEvent.findMany({
      where: {
        cutoverId: q.cutoverId,
        ...(q.action && { action: { contains: q.action, mode: "insensitive" as const } }),
        ...(q.actor && { actorName: { contains: q.actor, mode: "insensitive" as const } }),
        ...(q.before && { id: { lt: BigInt(q.before) } }),
      },
      orderBy: { id: "desc" },
      take: q.limit,
    });
    return rows.map((r) => ({ ...r, id: r.id.toString(), at: r.at.toISOString() }));
  });
}
export type { AuditRow };
