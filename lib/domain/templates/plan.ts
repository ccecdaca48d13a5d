// A team template saved from a cutover: its plan as data, with times written relative to T-0 so
// that a new cutover on another day gets the same schedule. Starting from it goes through the
// runbook import's writer (lib/services/plan-import.ts): toImportedPlan turns it into the plan the
// importer would have read. Pure, no I/O.
import { z } from "zod";
import { PLAN_LIMITS, type ImportedPlan } from "@/lib/domain/runbook-import";
import { roleSchema, type Role } from "@/lib/domain/roles";
import { formatRelativeLabel } from "@/lib/domain/relative-time";

// The plan's texts come from the cutover's rows, which hold what the importer and the commands
// accepted (an imported title may be as long as a runbook line): their shape is checked, not
// limits of their own that a saved plan could fail when read back.
const text = z.string();
const time = text.nullable();

export const templatePlanSchema = z.object({
  version: z.literal(1),
  phases: z
    .array(
      z.object({
        name: text,
        plannedTime: time,
        sections: z.array(
          z.object({
            name: text,
            items: z.array(z.object({ title: text, ownerRole: roleSchema, critical: z.boolean(), plannedTime: time })),
          }),
        ),
        decision: z.object({ title: text, targetPercent: z.number().int().min(0).max(100).nullable() }).nullable(),
      }),
    )
    .max(PLAN_LIMITS.phases),
  risks: z.array(z.object({ title: text, probability: text, impact: text, mitigation: text })).max(PLAN_LIMITS.risks),
  timeline: z.array(z.object({ time: text, title: text, details: z.array(text) })).max(PLAN_LIMITS.timeline),
  trafficSteps: z.array(z.number().int().min(0).max(100)).min(1).max(20),
});
export type TemplatePlan = z.infer<typeof templatePlanSchema>;

/** What a cutover holds that a template keeps (the rows as the service reads them). */
export interface CutoverPlanRows {
  tZero: Date;
  phases: {
    name: string;
    position: number;
    plannedAt: string | null;
    sections: { name: string; position: number; items: { title: string; ownerRole: Role; critical: boolean; position: number; plannedTime: string | null }[] }[];
    decisions: { title: string; targetPercent: number | null }[];
  }[];
  risks: { title: string; probability: string; impact: string; mitigation: string | null }[];
  timeline: { title: string; details: string | null; position: number; plannedStart: Date }[];
  trafficSteps: { percent: number; position: number }[];
}

const byPosition = <T extends { position: number }>(rows: readonly T[]) => [...rows].sort((a, b) => a.position - b.position);

/**
 * The plan of a cutover as a template: structure, owners, critical flags and planned times as
 * written; the schedule relative to T-0. Sign-offs, votes and traffic history are the cutover's
 * own and stay behind. A phase keeps its first decision point (the importer's plan has one).
 */
export function templatePlanFromCutover(c: CutoverPlanRows): TemplatePlan {
  return {
    version: 1,
    phases: byPosition(c.phases).map((p) => ({
      name: p.name,
      plannedTime: p.plannedAt,
      sections: byPosition(p.sections).map((s) => ({
        name: s.name,
        items: byPosition(s.items).map((i) => ({ title: i.title, ownerRole: i.ownerRole, critical: i.critical, plannedTime: i.plannedTime })),
      })),
      decision: p.decisions[0] ? { title: p.decisions[0].title, targetPercent: p.decisions[0].targetPercent } : null,
    })),
    risks: c.risks.map((r) => ({ title: r.title, probability: r.probability, impact: r.impact, mitigation: r.mitigation ?? "" })),
    timeline: byPosition(c.timeline).map((t) => ({
      time: formatRelativeLabel(Math.round((t.plannedStart.getTime() - c.tZero.getTime()) / 60_000)),
      title: t.title,
      details: t.details ? t.details.split("\n") : [],
    })),
    trafficSteps: c.trafficSteps.length ? byPosition(c.trafficSteps).map((s) => s.percent) : [0, 100],
  };
}

/**
 * The template as the plan a runbook import gives. `empty` is the importer's empty plan, so that
 * kinds the importer knows and a saved plan does not carry (thresholds, triggers…) stay empty.
 */
export function toImportedPlan(name: string, plan: TemplatePlan, empty: ImportedPlan): ImportedPlan {
  return {
    ...empty,
    title: name,
    phases: plan.phases.map((p) => ({
      name: p.name,
      plannedTime: p.plannedTime,
      sections: p.sections.map((s) => ({ name: s.name, items: s.items.map((i) => ({ ...i, checked: false })) })),
      decision: p.decision,
    })),
    risks: plan.risks,
    timeline: plan.timeline,
    warnings: [],
  };
}
