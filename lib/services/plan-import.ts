// Writes an imported runbook (lib/domain/runbook-import) into a cutover's plan, inside the
// caller's transaction: phases, sections, items, decision points, risks and the schedule.
import type { Tx } from "@/lib/db/client";
import type { ImportedPlan } from "@/lib/domain/runbook-import";
import { parsePlannedTime } from "@/lib/domain/relative-time";

const LEVELS = ["low", "medium", "high", "critical"] as const;
function level(text: string): (typeof LEVELS)[number] {
  const t = text.toLowerCase();
  return LEVELS.find((l) => t.includes(l)) ?? "medium";
}

export async function createPlanFromImport(
  tx: Tx,
  cutoverId: string,
  plan: ImportedPlan,
  at: { tZero: Date; timeZone: string },
): Promise<void> {
  for (const [pi, phase] of plan.phases.entries()) {
    const created = await tx.phase.create({ data: { cutoverId, name: phase.name, position: pi, plannedAt: phase.plannedTime } });
    for (const [si, section] of phase.sections.entries()) {
      const s = await tx.section.create({ data: { phaseId: created.id, name: section.name, position: si } });
      await tx.item.createMany({
        data: section.items.map((item, ii) => {
          const planned = item.plannedTime ?? phase.plannedTime;
          const parsed = planned ? parsePlannedTime(planned, at) : null;
          return {
            sectionId: s.id,
            title: item.title,
            ownerRole: item.ownerRole,
            critical: item.critical,
            position: ii,
            plannedTime: planned,
            plannedAt: parsed && parsed.ok ? parsed.at : null,
          };
        }),
      });
    }
    if (phase.decision) {
      await tx.decisionPoint.create({
        data: {
          cutoverId,
          phaseId: created.id,
          title: phase.decision.title,
          targetPercent: phase.decision.targetPercent,
          requiredRoles: ["DEPLOYMENT_LEAD", "DATABASE_DBA", "BACKEND_LEAD", "QA_LEAD"],
        },
      });
    }
  }
  await tx.risk.createMany({
    data: plan.risks.map((r) => ({ cutoverId, title: r.title, probability: level(r.probability), impact: level(r.impact), mitigation: r.mitigation })),
  });
  let position = 0;
  for (const entry of plan.timeline) {
    const parsed = parsePlannedTime(entry.time, at);
    if (!parsed.ok) continue;
    await tx.timelineEntry.create({
      data: { cutoverId, title: entry.title, details: entry.details.join("\n") || null, ownerRole: "DEPLOYMENT_LEAD", position: position++, plannedStart: parsed.at },
    });
  }
}

