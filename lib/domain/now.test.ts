import { describe, expect, it } from "vitest";
import { currentPhase, metricsThatMatter, myOpenItems, nextDecision, scheduleAroundNow } from "./now";
import type { Role } from "./roles";

const item = (id: string, ownerRole: Role, state: "open" | "done" | "not_applicable" = "open") => ({ id, ownerRole, state });
const phases = [
  { id: "p2", name: "Cutover", position: 2, sections: [{ items: [item("c1", "QA_LEAD"), item("c2", "DATABASE_DBA")] }] },
  { id: "p1", name: "Preparation", position: 1, sections: [{ items: [item("a1", "QA_LEAD", "done"), item("a2", "BACKEND_LEAD", "not_applicable")] }, { items: [item("a3", "QA_LEAD")] }] },
  { id: "p3", name: "After", position: 3, sections: [{ items: [item("z1", "QA_LEAD", "done")] }] },
];

describe("currentPhase", () => {
  it("is the first phase in plan order with an open item", () => {
    expect(currentPhase(phases)?.id).toBe("p1");
    const prepDone = phases.map((p) => (p.id === "p1" ? { ...p, sections: [{ items: [item("a3", "QA_LEAD", "done")] }] } : p));
    expect(currentPhase(prepDone)?.id).toBe("p2");
  });

  it("is the last phase once every item is closed, and null for an empty plan", () => {
    const allDone = [phases[2]!, { ...phases[1]!, sections: [{ items: [item("a1", "QA_LEAD", "done")] }] }];
    expect(currentPhase(allDone)?.id).toBe("p3");
    expect(currentPhase([])).toBeNull();
  });
});

describe("nextDecision", () => {
  const order = [
    { id: "p1", position: 1 },
    { id: "p2", position: 2 },
  ];
  it("is the decision being voted on, before any pending one earlier in the plan", () => {
    const d = nextDecision([{ id: "a", phaseId: "p1", state: "pending" as const }, { id: "b", phaseId: "p2", state: "voting" as const }], order);
    expect(d?.id).toBe("b");
  });

  it("is otherwise the first pending decision in plan order, and null when all are closed", () => {
    const d = nextDecision([{ id: "b", phaseId: "p2", state: "pending" as const }, { id: "a", phaseId: "p1", state: "proceed" as const }, { id: "c", phaseId: "p1", state: "pending" as const }], order);
    expect(d?.id).toBe("c");
    expect(nextDecision([{ id: "a", phaseId: "p1", state: "abort" as const }], order)).toBeNull();
  });
});

describe("myOpenItems", () => {
  it("lists the open items of my roles in plan order, cut to the limit, with the total", () => {
    const mine = myOpenItems(phases, ["QA_LEAD"], 1);
    expect(mine.total).toBe(2);
    expect(mine.shown.map((m) => [m.item.id, m.phase.id])).toEqual([["a3", "p1"]]);
    expect(myOpenItems(phases, ["QA_LEAD", "DATABASE_DBA"], 10).shown.map((m) => m.item.id)).toEqual(["a3", "c1", "c2"]);
  });

  it("gives an observer nothing to do", () => {
    expect(myOpenItems(phases, ["OBSERVER"], 10)).toEqual({ shown: [], total: 0 });
  });
});

describe("scheduleAroundNow", () => {
  const now = Date.parse("2026-05-01T10:00:00Z");
  const step = (plannedStart: string, actualStart: string | null = null, actualFinish: string | null = null) => ({ plannedStart, actualStart, actualFinish });
  const timeline = [
    step("2026-05-01T11:00:00Z"),
    step("2026-05-01T09:00:00Z", "2026-05-01T09:01:00Z", "2026-05-01T09:20:00Z"),
    step("2026-05-01T09:30:00Z", "2026-05-01T09:35:00Z"),
    step("2026-05-01T09:45:00Z"),
    step("2026-05-01T10:30:00Z"),
    step("2026-05-01T12:00:00Z"),
  ];

  it("splits the schedule into running, late and the next steps ahead", () => {
    const s = scheduleAroundNow(timeline, now, 2);
    expect(s.running.map((x) => x.plannedStart)).toEqual(["2026-05-01T09:30:00Z"]);
    expect(s.late.map((x) => x.plannedStart)).toEqual(["2026-05-01T09:45:00Z"]);
    expect(s.next.map((x) => x.plannedStart)).toEqual(["2026-05-01T10:30:00Z", "2026-05-01T11:00:00Z"]);
  });
});

describe("metricsThatMatter", () => {
  const m = (id: string, level: "ok" | "warning" | "critical" | "stale" | "no_data" | "error") => ({ id, level });
  it("puts metrics in trouble first, then the watched ones, then the rest, cut to the limit", () => {
    const list = [m("a", "ok"), m("b", "ok"), m("c", "warning"), m("d", "no_data"), m("e", "critical"), m("f", "ok")];
    expect(metricsThatMatter(list, new Set(["f", "d"]), 4).map((x) => x.id)).toEqual(["e", "c", "d", "f"]);
    expect(metricsThatMatter(list, new Set(), 10).map((x) => x.id)).toEqual(["e", "c", "a", "b", "d", "f"]);
  });
});
