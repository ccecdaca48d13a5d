// What an import would create, per kind, and the user's choice of what to leave out. Pure: the
// preview (POST /api/v1/cutovers?dryRun=1) and the create use the same two functions, so what the
// user unticked in the preview is exactly what the create leaves out.
import type { ImportedPlan } from "../runbook-import";

/** The kinds a user can leave out as a whole. */
export const IMPORT_KINDS = ["items", "thresholds", "rules", "gates", "contacts", "escalation", "links", "templates", "risks", "timeline"] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/**
 * What to leave out: "kind:<kind>" (a whole kind), "phase:<n>" (the n-th phase, from 0, with
 * its sections, items, decision and gates) or "section:<p>.<s>" (one section of phase p).
 */
export const EXCLUDE_PATTERN = /^(?:kind:(?:items|thresholds|rules|gates|contacts|escalation|links|templates|risks|timeline)|phase:\d{1,4}|section:\d{1,4}\.\d{1,4})$/;

export function applyExclusions(plan: ImportedPlan, exclude: readonly string[]): ImportedPlan {
  if (exclude.length === 0) return plan;
  const ex = new Set(exclude);
  const kind = (k: ImportKind) => ex.has(`kind:${k}`);
  const droppedPhases = new Set<string>();
  const phases = plan.phases
    .map((p, pi) => {
      if (ex.has(`phase:${pi}`)) {
        droppedPhases.add(p.name);
        return null;
      }
      const sections = p.sections
        .filter((_, si) => !ex.has(`section:${pi}.${si}`))
        .map((s) => (kind("items") ? { ...s, items: [] } : s))
        .filter((s) => s.items.length > 0);
      if (sections.length === 0 && !p.decision) {
        droppedPhases.add(p.name);
        return null;
      }
      return { ...p, sections };
    })
    .filter((p): p is NonNullable<typeof p> => p !== null);
  return {
    ...plan,
    phases,
    thresholds: kind("thresholds") ? [] : plan.thresholds,
    rules: kind("rules") ? [] : plan.rules,
    // A gate of a phase that is not created has no decision to sit on.
    gates: kind("gates") ? [] : plan.gates.filter((g) => g.phase === null || !droppedPhases.has(g.phase)),
    contacts: kind("contacts") ? [] : plan.contacts,
    escalation: kind("escalation") ? [] : plan.escalation,
    links: kind("links") ? [] : plan.links,
    templates: kind("templates") ? [] : plan.templates,
    risks: kind("risks") ? [] : plan.risks,
    timeline: kind("timeline") ? [] : plan.timeline,
  };
}

export interface ImportCounts {
  phases: number;
  sections: number;
  items: number;
  decisions: number;
  thresholds: number;
  newMetrics: number;
  rules: number;
  gates: number;
  contacts: number;
  escalation: number;
  links: number;
  templates: number;
  risks: number;
  timeline: number;
  skipped: number;
}

export function countPlan(plan: ImportedPlan): ImportCounts {
  // A rule on an alert watches no metric: it makes none.
  const measured = [...plan.thresholds, ...plan.rules.filter((r) => r.alertName === undefined), ...plan.gates];
  const newMetrics = new Set(measured.filter((m) => m.metric === null).map((m) => m.name.toLowerCase()));
  return {
    phases: plan.phases.length,
    sections: plan.phases.reduce((n, p) => n + p.sections.length, 0),
    items: plan.phases.reduce((n, p) => p.sections.reduce((m, s) => m + s.items.length, n), 0),
    decisions: plan.phases.filter((p) => p.decision).length,
    thresholds: plan.thresholds.length,
    newMetrics: newMetrics.size,
    rules: plan.rules.length,
    gates: plan.gates.length,
    contacts: plan.contacts.length,
    escalation: plan.escalation.length,
    links: plan.links.length,
    templates: plan.templates.length,
    risks: plan.risks.length,
    timeline: plan.timeline.length,
    skipped: plan.skipped.length,
  };
}
