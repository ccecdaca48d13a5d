// A decision's status line, short enough to read at a glance: who still owes a vote and how many
// gates fail, never the gates' own details (they are listed under Gates, the open items of a
// checklist gate as a list of their own). Pure.
import { ROLE_LABELS, type Role } from "@/lib/domain/roles";
import type { DecisionEvaluation, DecisionState } from "@/lib/domain/decision";

export function decisionStatusLine(state: DecisionState, evaluation: Pick<DecisionEvaluation, "outcome" | "reason" | "missingRoles" | "failingGates">): string {
  // Closed, a no-go, or every gate passing: the evaluation's own words are short.
  if (state === "proceed" || state === "abort" || evaluation.outcome !== "waiting") return evaluation.reason;
  const parts: string[] = [];
  if (state === "pending") parts.push("Voting has not been opened");
  if (evaluation.missingRoles.length > 0) parts.push(`Waiting for votes from ${evaluation.missingRoles.map((r: Role) => ROLE_LABELS[r]).join(", ")}`);
  const failing = evaluation.failingGates.length;
  if (failing > 0) parts.push(`${failing} ${failing === 1 ? "gate" : "gates"} failing (see Gates)`);
  return parts.join(". ");
}

/** The open critical items a phase's checklist gate waits for, in plan order. */
export function openCriticalItems(phase: { sections: readonly { items: readonly { title: string; critical: boolean; state: string }[] }[] } | undefined): string[] {
  if (!phase) return [];
  return phase.sections.flatMap((s) => s.items.filter((i) => i.critical && i.state === "open").map((i) => i.title));
}
