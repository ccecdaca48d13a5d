// For tests only: what to read of a cutover to compare its plan as structure (a template carried
// over, an export imported back), ordered so that two equal plans read the same.
export const PLAN_STRUCTURE_INCLUDE = {
  phases: { orderBy: { position: "asc" }, include: { sections: { orderBy: { position: "asc" }, include: { items: { orderBy: { position: "asc" } } } }, decisions: true } },
  risks: { orderBy: { title: "asc" } },
  timeline: { orderBy: { position: "asc" } },
} as const;
