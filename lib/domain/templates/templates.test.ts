import { describe, expect, it } from "vitest";
import { importRunbook } from "@/lib/domain/runbook-import";
import { BUILTIN_TEMPLATES, builtinTemplate } from "./index";
import { templatePlanFromCutover, templatePlanSchema, toImportedPlan, type CutoverPlanRows } from "./plan";

function counts(markdown: string) {
  const plan = importRunbook(markdown);
  return {
    title: plan.title,
    phases: plan.phases.length,
    sections: plan.phases.reduce((n, p) => n + p.sections.length, 0),
    items: plan.phases.reduce((n, p) => p.sections.reduce((m, s) => m + s.items.length, n), 0),
    decisions: plan.phases.filter((p) => p.decision).map((p) => p.decision!.targetPercent),
  };
}

// Counted by hand from the markdown: phases are the h2s with checklist items and the numbered
// h3s of the "Day of Cutover" / "Canary Stages" / "Cutover Day" blocks; thresholds and rollback
// triggers carry no checklist item and make no phase.
const EXPECTED = {
  "builtin:blue-green": { title: "Blue-green cutover", phases: 5, sections: 9, items: 22, decisions: [50, 100] },
  "builtin:canary": { title: "Canary release over four days", phases: 5, sections: 10, items: 23, decisions: [25, 50, 100] },
  "builtin:database-migration": { title: "Database migration with a read-only fallback", phases: 4, sections: 7, items: 19, decisions: [100, null] },
};

describe("built-in templates", () => {
  it("are the three of the issue, each found by its key", () => {
    expect(BUILTIN_TEMPLATES.map((t) => t.key)).toEqual(Object.keys(EXPECTED));
    for (const t of BUILTIN_TEMPLATES) expect(builtinTemplate(t.key)).toBe(t);
    expect(builtinTemplate("builtin:nope")).toBeNull();
  });

  it.each(Object.entries(EXPECTED))("%s imports with the counts counted by hand", (key, expected) => {
    expect(counts(builtinTemplate(key)!.markdown)).toEqual(expected);
  });

  it("have the traffic ladders of the issue, each decision unlocking one of their steps", () => {
    expect(Object.fromEntries(BUILTIN_TEMPLATES.map((t) => [t.key, t.trafficSteps]))).toEqual({
      "builtin:blue-green": [0, 10, 50, 100],
      "builtin:canary": [0, 5, 25, 50, 100],
      "builtin:database-migration": [0, 100],
    });
    for (const t of BUILTIN_TEMPLATES) {
      for (const target of EXPECTED[t.key as keyof typeof EXPECTED].decisions) if (target !== null) expect(t.trafficSteps).toContain(target);
      // The runbook says the same ladder to the people reading it.
      expect(t.markdown).toContain(`Traffic steps: ${t.trafficSteps.join(" → ")} %.`);
    }
  });

  it("write thresholds as a Metric / Warning / Critical table and triggers as If … → ROLLBACK lines", () => {
    for (const t of BUILTIN_TEMPLATES) {
      expect(t.markdown).toContain("| Metric | Warning | Critical |");
      const triggers = t.markdown.split("## Rollback triggers\n")[1];
      expect(triggers, t.key).toBeDefined();
      const lines = triggers!.trim().split("\n");
      expect(lines.length).toBeGreaterThanOrEqual(2);
      for (const line of lines) expect(line).toMatch(/^- If [A-Za-z0-9 ]+ > \d+(?:%|ms) for \d+ minutes → ROLLBACK$/);
    }
  });

  it("read without a skipped checklist entry: only the thresholds and trigger blocks are left to the importer's other readers", () => {
    for (const t of BUILTIN_TEMPLATES) {
      const warnings = importRunbook(t.markdown).warnings;
      expect(warnings.filter((w) => !/Thresholds|Rollback triggers|metric \| warning \| critical/.test(w)), t.key).toEqual([]);
    }
  });
});

describe("a cutover's plan as a team template", () => {
  const tZero = new Date("2026-12-01T06:00:00Z");
  const rows: CutoverPlanRows = {
    tZero,
    phases: [
      {
        name: "Switch",
        position: 1,
        plannedAt: "T-0",
        sections: [{ name: "Router", position: 0, items: [{ title: "Shift 10 %", ownerRole: "DEPLOYMENT_LEAD", critical: true, position: 0, plannedTime: "T-0" }] }],
        decisions: [{ title: "Proceed to 50 %", targetPercent: 50 }],
      },
      {
        name: "Preparation",
        position: 0,
        plannedAt: "T-24h",
        sections: [
          { name: "Later", position: 1, items: [] },
          {
            name: "Checks",
            position: 0,
            items: [
              { title: "Backups verified", ownerRole: "DATABASE_DBA", critical: true, position: 1, plannedTime: null },
              { title: "Smoke tests", ownerRole: "QA_LEAD", critical: false, position: 0, plannedTime: "T-4h" },
            ],
          },
        ],
        decisions: [],
      },
    ],
    risks: [{ title: "Cache cold", probability: "medium", impact: "high", mitigation: null }],
    timeline: [
      { title: "Switch", details: "router\nwatch", position: 1, plannedStart: new Date(tZero.getTime()) },
      { title: "Freeze", details: null, position: 0, plannedStart: new Date(tZero.getTime() - 90 * 60_000) },
    ],
    trafficSteps: [
      { percent: 100, position: 2 },
      { percent: 0, position: 0 },
      { percent: 50, position: 1 },
    ],
  };

  it("keeps the order, owners, flags and times, with the schedule relative to T-0", () => {
    const plan = templatePlanFromCutover(rows);
    expect(templatePlanSchema.parse(plan)).toEqual(plan);
    expect(plan.phases.map((p) => p.name)).toEqual(["Preparation", "Switch"]);
    expect(plan.phases[0]!.sections.map((s) => [s.name, s.items.map((i) => i.title)])).toEqual([
      ["Checks", ["Smoke tests", "Backups verified"]],
      ["Later", []],
    ]);
    expect(plan.phases[1]!.decision).toEqual({ title: "Proceed to 50 %", targetPercent: 50 });
    expect(plan.timeline).toEqual([
      { time: "T-1:30", title: "Freeze", details: [] },
      { time: "T+0", title: "Switch", details: ["router", "watch"] },
    ]);
    expect(plan.trafficSteps).toEqual([0, 50, 100]);
    expect(plan.risks).toEqual([{ title: "Cache cold", probability: "medium", impact: "high", mitigation: "" }]);
  });

  it("becomes the plan an import gives, every item open, other kinds left as the importer's empty plan", () => {
    const empty = importRunbook("");
    const imported = toImportedPlan("Our cutover", templatePlanFromCutover(rows), empty);
    expect(imported.title).toBe("Our cutover");
    expect(imported.phases[0]!.sections[0]!.items[0]).toEqual({ title: "Smoke tests", ownerRole: "QA_LEAD", critical: false, plannedTime: "T-4h", checked: false });
    expect(imported.metrics).toEqual(empty.metrics);
    expect(imported.triggers).toEqual(empty.triggers);
    expect(imported.warnings).toEqual([]);
  });

  it("refuses a stored plan of another shape", () => {
    expect(templatePlanSchema.safeParse({}).success).toBe(false);
    expect(templatePlanSchema.safeParse({ ...templatePlanFromCutover(rows), version: 2 }).success).toBe(false);
  });
});
