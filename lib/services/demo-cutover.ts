// The demo cutover created at first start: the plan of the real runbooks in prisma/demo/, so the
// room is never empty. Uses the same runbook import as users do.
import { readFileSync } from "node:fs";
import path from "node:path";
import { db } from "@/lib/db/client";
import { importRunbook, type ImportedPlan } from "@/lib/domain/runbook-import";
import { ROLES, type Role } from "@/lib/domain/roles";
import { clockScheduleRelativeTo } from "@/lib/domain/relative-time";
import { createPlanFromImport } from "./plan-import";
import { recordChange } from "./audit";
import { seedAnnouncementTemplates } from "./announcements";
import { createDefaultMetrics } from "./metrics";

function readDemo(name: string): string {
  return readFileSync(path.resolve(process.cwd(), "prisma/demo", name), "utf8");
}

export async function createDemoCutover(userByRole: Record<Role, string>): Promise<string> {
  const checklist = importRunbook(readDemo("production-deployment-checklist.md"));
  const week12 = importRunbook(readDemo("go-migration-week12-cutover.md"));
  // The demo keeps its own lab trigger (attachDemoToLab) and ladder: the runbook's rules stay out.
  // The runbook's day schedule (06:00 AM …) is laid out around the demo's T-0, with the step that
  // sends the first traffic to the new system at T-0: whenever the demo starts, the room shows a
  // plausible morning with the next steps ahead, not a wall of steps already overdue.
  const anchor = week12.timeline.find((e) => /traffic/i.test(e.title)) ?? week12.timeline[0];
  const times = clockScheduleRelativeTo(week12.timeline.map((e) => e.time), anchor?.time ?? "");
  const timeline = week12.timeline.map((e, i) => ({ ...e, time: times[i] ?? e.time }));
  const plan: ImportedPlan = { ...checklist, timeline, risks: week12.risks, rules: [] };
  // T-0 two hours from the first start, on a whole quarter hour: the room opens mid-preparation.
  const tZero = new Date(Math.ceil((Date.now() + 2 * 3600_000) / 900_000) * 900_000);
  const timeZone = "UTC";
  return db().$transaction(
    async (tx) => {
      const cutover = await tx.cutover.create({
        data: {
          name: "Python → Go API cutover (demo)",
          systemFrom: "python-api",
          systemTo: "go-api",
          tZero,
          timeZone,
          state: "scheduled",
          links: [
            { label: "Bridge", url: "https://meet.example.com/war-room" },
            { label: "Chat channel", url: "https://chat.example.com/#cutover" },
            { label: "Dashboards", url: "http://localhost:9090/graph" },
          ],
          escalation: [
            { level: "Team lead", who: "role lead on duty", after: "0-15 min" },
            { level: "Engineering manager", who: "manager on call", after: "15-30 min" },
            { level: "Executive", who: "VP Engineering", after: "30+ min", criticalOnly: true },
          ],
        },
      });
      await tx.cutoverMember.createMany({ data: ROLES.map((role) => ({ cutoverId: cutover.id, userId: userByRole[role], role })) });
      await tx.trafficStep.createMany({ data: [0, 10, 50, 100].map((percent, position) => ({ cutoverId: cutover.id, percent, position })) });
      const users = await tx.user.findMany({ where: { id: { in: Object.values(userByRole) } }, select: { id: true, name: true, email: true } });
      await tx.contact.createMany({
        data: ROLES.filter((r) => r !== "OBSERVER").map((role, i) => {
          const u = users.find((x) => x.id === userByRole[role])!;
          return { cutoverId: cutover.id, role, name: u.name, email: u.email, phone: `+1 555 010${i}`, chatHandle: `@${u.email.split("@")[0]}`, escalationOrder: role === "ON_CALL" ? 0 : role === "DEPLOYMENT_LEAD" ? 1 : 2 };
        }),
      });
      await createDefaultMetrics(tx, cutover.id);
      await createPlanFromImport(tx, cutover.id, plan, { tZero, timeZone });
      await seedAnnouncementTemplates(tx, cutover.id);
      await recordChange(tx, { cutoverId: cutover.id, actorId: null, actorName: "system", role: null, action: "cutover.created", subject: `cutover:${cutover.id}`, after: { name: cutover.name, source: "demo runbooks" }, rehearsal: cutover.mode === "rehearsal" });
      return cutover.id;
    },
    { timeout: 30_000 },
  );
}

/**
 * With the lab running (WARROOM_LAB=1), the demo cutovers pick the lab's Prometheus and HAProxy
 * by name, and carry the runbook's first automatic rollback trigger as a recommendation.
 */
export async function attachDemoToLab(lab: { prometheusSource: string; routerIntegration: string }) {
  const demos = await db().cutover.findMany({ where: { name: { endsWith: "(demo)" } }, select: { id: true, metrics: { select: { id: true, name: true } }, triggers: { select: { id: true } } } });
  for (const c of demos) {
    await db().cutover.update({ where: { id: c.id }, data: { prometheusSource: lab.prometheusSource, routerIntegration: lab.routerIntegration, trafficPercent: 0, pollIntervalMs: 2000 } });
    const errorRate = c.metrics.find((m) => m.name === "Error rate");
    if (errorRate && c.triggers.length === 0) {
      await db().rollbackTrigger.create({
        data: { cutoverId: c.id, metricId: errorRate.id, system: "new", comparison: ">", threshold: 5, forSeconds: 30, severity: "immediate", action: "rollback", mode: "recommend", description: "Error rate (new) > 5 % for 30 s → roll back" },
      });
    }
  }
}
