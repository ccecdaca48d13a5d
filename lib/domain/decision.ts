import { z } from "zod";
import type { ItemState } from "./item-state";
import { can } from "./permissions";
import { ROLE_LABELS, roleSchema, type Role } from "./roles";

export const DECISION_STATES = ["pending", "voting", "proceed", "abort"] as const;
export type DecisionState = (typeof DECISION_STATES)[number];

export type Gate = { id: string; kind: "checklist" | "metric"; label: string; passed: boolean; detail: string };

export type VoteChoice = "go" | "no_go";
export type Vote = { role: Role; choice: VoteChoice; userName: string; comment?: string | null; at: string };

export type DecisionOutcome = "proceed" | "abort" | "waiting";
export type DecisionEvaluation = {
  outcome: DecisionOutcome;
  missingRoles: Role[];
  failingGates: Gate[];
  noGoVotes: Vote[];
  reason: string;
};

// Long lists of titles make the room unreadable; the gate detail names the first few.
const LISTED_ITEMS = 5;

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "") || "phase";
}

/** Passes iff every critical item of the phase is done or not applicable. */
export function checklistGate(
  phaseName: string,
  items: readonly { title: string; critical: boolean; state: ItemState }[],
): Gate {
  const critical = items.filter((i) => i.critical);
  const open = critical.filter((i) => i.state === "open");
  let detail: string;
  if (open.length > 0) {
    const names = open.slice(0, LISTED_ITEMS).map((i) => i.title).join(", ");
    const more = open.length > LISTED_ITEMS ? ` and ${open.length - LISTED_ITEMS} more` : "";
    detail = `${open.length} critical ${open.length === 1 ? "item" : "items"} open: ${names}${more}`;
  } else {
    detail = critical.length === 0 ? "No critical items" : `All ${critical.length} critical items done`;
  }
  return {
    id: `checklist:${slug(phaseName)}`,
    kind: "checklist",
    label: `Critical items of ${phaseName} done`,
    passed: open.length === 0,
    detail,
  };
}

function roleList(roles: readonly Role[]): string {
  return roles.map((r) => ROLE_LABELS[r]).join(", ");
}

function describeNoGo(v: Vote): string {
  const who = `${ROLE_LABELS[v.role]} (${v.userName})`;
  return v.comment && v.comment.trim() ? `${who}: "${v.comment.trim()}"` : who;
}

/**
 * Reads a decision: which required roles still owe a vote, which gates fail, who said no-go, and
 * what that means. A closed decision keeps its stored outcome: results are never re-decided
 * because a gate changed later. Only the first vote per required role counts (the store allows
 * one; this guards against a duplicate slipping through). Votes from roles that are not required
 * are ignored.
 */
export function evaluateDecision(input: {
  state: DecisionState;
  gates: readonly Gate[];
  requiredRoles: readonly Role[];
  votes: readonly Vote[];
}): DecisionEvaluation {
  const byRole = new Map<Role, Vote>();
  for (const vote of input.votes) {
    if (input.requiredRoles.includes(vote.role) && !byRole.has(vote.role)) byRole.set(vote.role, vote);
  }
  const required = [...new Set(input.requiredRoles)];
  const missingRoles = required.filter((r) => !byRole.has(r));
  const failingGates = input.gates.filter((g) => !g.passed);
  const noGoVotes = required.flatMap((r) => {
    const v = byRole.get(r);
    return v && v.choice === "no_go" ? [v] : [];
  });
  const base = { missingRoles, failingGates, noGoVotes };

  const noGoReason = () => `No-go from ${noGoVotes.map(describeNoGo).join("; ")}`;

  if (input.state === "abort") {
    return { ...base, outcome: "abort", reason: noGoVotes.length ? noGoReason() : "Decision closed: abort" };
  }
  if (input.state === "proceed") {
    return { ...base, outcome: "proceed", reason: "Decision closed: proceed" };
  }
  // One no-go is enough: waiting for the other votes would only delay the rollback conversation.
  if (input.state === "voting" && noGoVotes.length > 0) {
    return { ...base, outcome: "abort", reason: noGoReason() };
  }
  if (input.state === "voting" && missingRoles.length === 0 && failingGates.length === 0) {
    return { ...base, outcome: "proceed", reason: "All gates pass and every required role voted GO" };
  }

  const parts: string[] = [];
  if (input.state === "pending") parts.push("Voting has not been opened");
  if (missingRoles.length > 0) parts.push(`Waiting for votes from ${roleList(missingRoles)}`);
  if (failingGates.length > 0) {
    parts.push(`Failing gates: ${failingGates.map((g) => `${g.label} (${g.detail})`).join("; ")}`);
  }
  return { ...base, outcome: "waiting", reason: parts.join(". ") };
}

export type CanVoteResult = { ok: true; role: Role } | { ok: false; code: "conflict" | "forbidden"; message: string };

/**
 * Whether a member may cast a vote now and for which role. A member holding several required
 * roles votes once per role; without `asRole` the first role still owing a vote (in required
 * order) is used.
 */
export function canVote(
  state: DecisionState,
  roles: readonly Role[],
  requiredRoles: readonly Role[],
  alreadyVotedRoles: readonly Role[],
  asRole?: Role,
): CanVoteResult {
  if (state === "proceed" || state === "abort") {
    return { ok: false, code: "conflict", message: `Decision is closed: ${state}` };
  }
  if (state === "pending") {
    return { ok: false, code: "conflict", message: "Voting has not been opened yet" };
  }
  // Observers may be listed by mistake; the permission table has the last word.
  const eligible = requiredRoles.filter((r) => roles.includes(r) && can([r], "decision.vote"));
  if (asRole !== undefined) {
    if (!eligible.includes(asRole)) {
      return { ok: false, code: "forbidden", message: `You cannot vote as ${ROLE_LABELS[asRole]} on this decision` };
    }
    if (alreadyVotedRoles.includes(asRole)) {
      return { ok: false, code: "conflict", message: `${ROLE_LABELS[asRole]} has already voted` };
    }
    return { ok: true, role: asRole };
  }
  if (eligible.length === 0) {
    return { ok: false, code: "forbidden", message: "None of your roles votes on this decision" };
  }
  const role = eligible.find((r) => !alreadyVotedRoles.includes(r));
  if (!role) {
    return { ok: false, code: "conflict", message: `${roleList(eligible)} already voted` };
  }
  return { ok: true, role };
}

export const gateSchema = z.object({
  id: z.string(),
  kind: z.enum(["checklist", "metric"]),
  label: z.string(),
  passed: z.boolean(),
  detail: z.string(),
});

export const voteSchema = z.object({
  role: roleSchema,
  choice: z.enum(["go", "no_go"]),
  userName: z.string(),
  comment: z.string().nullable(),
  at: z.string(),
});

/** Stored with a closed decision; reading it back goes through this schema. */
export const decisionSnapshotSchema = z.object({
  at: z.string(),
  gates: z.array(gateSchema),
  votes: z.array(voteSchema),
});
export type DecisionSnapshot = z.infer<typeof decisionSnapshotSchema>;

/**
 * What the room saw when the decision closed. Copies every field explicitly so that no Date,
 * class instance or extra property from the caller leaks into the stored JSON.
 */
export function decisionSnapshot(gates: readonly Gate[], votes: readonly Vote[], at: Date | string): DecisionSnapshot {
  return {
    at: typeof at === "string" ? at : at.toISOString(),
    gates: gates.map((g) => ({ id: g.id, kind: g.kind, label: g.label, passed: g.passed, detail: g.detail })),
    votes: votes.map((v) => ({ role: v.role, choice: v.choice, userName: v.userName, comment: v.comment ?? null, at: v.at })),
  };
}
