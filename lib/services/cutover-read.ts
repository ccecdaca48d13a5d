// Read side of the room: which cutovers a user may see, and one cutover's whole state as JSON.
// Pages, REST routes and the socket handshake all call these.
import { db } from "@/lib/db/client";
import type { Role } from "@/lib/domain/roles";
import { checklistGate, evaluateDecision, type DecisionState, type Gate } from "@/lib/domain/decision";
import type { ItemState } from "@/lib/domain/item-state";
import type { CutoverStateJson, CutoverSummary } from "@/lib/schemas/views";
import { evaluateMetricGates } from "./metrics";

export async function rolesIn(userId: string, cutoverId: string): Promise<Role[]> {
  const rows = await db().cutoverMember.findMany({ where: { userId, cutoverId }, select: { role: true } });
  return rows.map((r) => r.role as Role);
}

export async function canViewCutover(userId: string, cutoverId: string): Promise<boolean> {
  const [user, member] = await Promise.all([
    db().user.findUnique({ where: { id: userId }, select: { isAdmin: true } }),
    db().cutoverMember.findFirst({ where: { userId, cutoverId }, select: { id: true } }),
  ]);
  if (!user) return false;
  if (member) return true;
  return user.isAdmin && (await db().cutover.count({ where: { id: cutoverId } })) > 0;
}

export async function listCutovers(user: { id: string; isAdmin: boolean }): Promise<CutoverSummary[]> {
  const cutovers = await db().cutover.findMany({
    where: user.isAdmin ? {} : { members: { some: { userId: user.id } } },
    orderBy: { tZero: "asc" },
    select: { id: true, name: true, systemFrom: true, systemTo: true, tZero: true, timeZone: true, state: true, mode: true, trafficPercent: true },
  });
  return cutovers.map((c) => ({ ...c, tZero: c.tZero.toISOString() }));
}

export type { CutoverSummary };

/** The whole state of one cutover, or null when it does not exist or the user may not see it. */
export async function getCutoverState(user: { id: string }, cutoverId: string): Promise<CutoverStateJson | null> {
  if (!(await canViewCutover(user.id, cutoverId))) return null;
  const c = await db().cutover.findUnique({
    where: { id: cutoverId },
    include: {
      members: { include: { user: { select: { id: true, name: true, email: true } } }, orderBy: { role: "asc" } },
      phases: {
        orderBy: { position: "asc" },
        include: {
          sections: {
            orderBy: { position: "asc" },
            include: {
              items: {
                orderBy: { position: "asc" },
                include: { signOffs: { orderBy: { createdAt: "desc" }, take: 1, include: { user: { select: { name: true } } } } },
              },
            },
          },
        },
      },
      timeline: { orderBy: { position: "asc" } },
      contacts: { orderBy: [{ escalationOrder: "asc" }, { name: "asc" }] },
      risks: true,
      decisions: { orderBy: { title: "asc" }, include: { votes: { orderBy: { createdAt: "asc" }, include: { user: { select: { name: true } } } } } },
      trafficSteps: { orderBy: { position: "asc" } },
    },
  });
  if (!c) return null;
  const { fence, ...rest } = c;
  const myRoles = c.members.filter((m) => m.userId === user.id).map((m) => m.role as Role);
  // Gates as they stand now, evaluated with the same functions that close a decision.
  const metricGates = await evaluateMetricGates(db(), cutoverId, { decisionIds: c.decisions.map((d) => d.id) });
  const decisions = c.decisions.map((d) => {
    const phase = c.phases.find((p) => p.id === d.phaseId);
    const items = (phase?.sections ?? []).flatMap((s) => s.items.map((i) => ({ title: i.title, critical: i.critical, state: i.state as ItemState })));
    const gates: Gate[] = [checklistGate(phase?.name ?? "phase", items), ...(metricGates.get(d.id) ?? [])];
    const votes = d.votes.map((v) => ({ role: v.role as Role, choice: v.choice, userName: v.user.name, comment: v.comment, at: v.createdAt.toISOString() }));
    const evaluation = evaluateDecision({ state: d.state as DecisionState, gates, requiredRoles: d.requiredRoles as Role[], votes });
    return { ...d, gates, evaluation };
  });
  return JSON.parse(
    JSON.stringify({ ...rest, decisions, fence: fence.toString(), myRoles }, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)),
  ) as CutoverStateJson;
}

export type { CutoverStateJson };
