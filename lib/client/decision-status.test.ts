import { describe, expect, it } from "vitest";
import { checklistGate, evaluateDecision } from "@/lib/domain/decision";
import { decisionStatusLine, openCriticalItems } from "./decision-status";

const items = Array.from({ length: 9 }, (_, i) => ({ title: `Criterion ${i + 1} holds for the whole rehearsal window`, critical: true, state: i < 1 ? "done" : "open" }) as const);

describe("a decision's status line", () => {
  it("counts failing gates instead of repeating every open item", () => {
    const gates = [checklistGate("Go live", items), { id: "m", kind: "metric" as const, label: "Error rate < 1 %", passed: false, detail: "2.3 % now" }];
    const evaluation = evaluateDecision({ state: "pending", gates, requiredRoles: ["QA_LEAD", "DEPLOYMENT_LEAD"], votes: [] });
    expect(evaluation.reason).toContain("Criterion 2");
    const line = decisionStatusLine("pending", evaluation);
    expect(line).toBe("Voting has not been opened. Waiting for votes from QA Lead, Deployment Lead. 2 gates failing (see Gates)");
    expect(line).not.toContain("Criterion");
  });

  it("keeps the evaluation's words once decided or when every gate passes", () => {
    const evaluation = evaluateDecision({ state: "voting", gates: [], requiredRoles: ["QA_LEAD"], votes: [{ role: "QA_LEAD", choice: "go", userName: "Q", at: "x" }] });
    expect(decisionStatusLine("voting", evaluation)).toBe("All gates pass and every required role voted GO");
    expect(decisionStatusLine("abort", evaluateDecision({ state: "abort", gates: [], requiredRoles: [], votes: [] }))).toBe("Decision closed: abort");
  });

  it("lists every open critical item of the phase, not only the first five", () => {
    const open = openCriticalItems({ sections: [{ items: [...items, { title: "Optional", critical: false, state: "open" }] }] });
    expect(open).toHaveLength(8);
    expect(open[0]).toBe("Criterion 2 holds for the whole rehearsal window");
    expect(openCriticalItems(undefined)).toEqual([]);
  });
});
