// Test support for service tests (imported only by *.test.ts): a private database per test file,
// cloned from the migrated one, and a small cutover with one member per role.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";
import { db } from "@/lib/db/client";
import { ROLES, type Role } from "@/lib/domain/roles";
import type { Actor } from "@/lib/services/context";

/**
 * Points the Prisma client of this test file at a fresh copy of the migrated test database, as the
 * app's runtime role (so a missing grant fails the test as it would fail the app). Returns that URL.
 */
export async function useFreshDatabase(): Promise<string> {
  const { runtimeUrl } = await createFreshDatabase();
  process.env.DATABASE_URL = runtimeUrl;
  return runtimeUrl;
}

/** A fresh copy of the migrated test database, reachable as its owner and as the runtime role. */
export async function createFreshDatabase(): Promise<{ ownerUrl: string; runtimeUrl: string; name: string }> {
  const owner = inject("ownerDatabaseUrl");
  const name = `t_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: owner.replace(/\/[^/]+$/, "/postgres") });
  await admin.connect();
  try {
    // The migrated database is the template; nobody else may be connected to it while copying.
    await admin.query(`CREATE DATABASE ${name} TEMPLATE warroom_template`);
  } finally {
    await admin.end();
  }
  return { name, ownerUrl: owner.replace(/\/[^/]+$/, `/${name}`), runtimeUrl: inject("databaseUrl").replace(/\/[^/]+$/, `/${name}`) };
}

export type Team = Record<Role, Actor>;

export async function createTeam(): Promise<Team> {
  const suffix = randomBytes(4).toString("hex");
  const entries = await Promise.all(
    ROLES.map(async (role) => {
      const u = await db().user.create({ data: { email: `${role.toLowerCase()}-${suffix}@test.local`, name: `${role} ${suffix}`, passwordHash: "x" }, select: { id: true, name: true, isAdmin: true, isPlanner: true } });
      return [role, u] as const;
    }),
  );
  return Object.fromEntries(entries) as Team;
}

/** A user who holds no role in any cutover: an administrator, a planner, or nobody in particular. */
export async function createOutsider(key: string, flags: { isAdmin?: boolean; isPlanner?: boolean } = {}): Promise<Actor> {
  const suffix = randomBytes(4).toString("hex");
  return db().user.create({ data: { email: `${key}-${suffix}@test.local`, name: key, passwordHash: "x", ...flags }, select: { id: true, name: true, isAdmin: true, isPlanner: true } });
}

export interface Fixture {
  cutoverId: string;
  phaseId: string;
  sectionId: string;
  qaItemId: string;
  criticalItemId: string;
  entryId: string;
  decisionId: string;
  contactId: string;
  riskId: string;
  metricId: string;
}

/** A cutover in which each team member holds exactly one role. */
export async function createFixture(team: Team, opts: { state?: "draft" | "in_progress"; decisionState?: "pending" | "voting" } = {}): Promise<Fixture> {
  const c = await db().cutover.create({ data: { name: "Fixture cutover", systemFrom: "old", systemTo: "new", tZero: new Date(Date.now() + 3600_000), timeZone: "UTC", state: opts.state ?? "draft" } });
  await db().cutoverMember.createMany({ data: ROLES.map((role) => ({ cutoverId: c.id, userId: team[role].id, role })) });
  const phase = await db().phase.create({ data: { cutoverId: c.id, name: "Canary", position: 0 } });
  const section = await db().section.create({ data: { phaseId: phase.id, name: "Checks", position: 0 } });
  const qa = await db().item.create({ data: { sectionId: section.id, title: "Smoke tests pass", ownerRole: "QA_LEAD", position: 0 } });
  const critical = await db().item.create({ data: { sectionId: section.id, title: "Backups verified", ownerRole: "DATABASE_DBA", position: 1, critical: true } });
  const entry = await db().timelineEntry.create({ data: { cutoverId: c.id, title: "Run migration", ownerRole: "DATABASE_DBA", position: 0, plannedStart: new Date() } });
  const decision = await db().decisionPoint.create({ data: { cutoverId: c.id, phaseId: phase.id, title: "Proceed to 50 %", requiredRoles: ["DEPLOYMENT_LEAD", "QA_LEAD"], state: opts.decisionState ?? "voting" } });
  const contact = await db().contact.create({ data: { cutoverId: c.id, role: "ON_CALL", name: "Pager", phone: "+1 555 0100" } });
  const risk = await db().risk.create({ data: { cutoverId: c.id, title: "Data loss", probability: "low", impact: "critical" } });
  const metric = await db().metricDefinition.create({ data: { cutoverId: c.id, name: "Error rate", unit: "%", queryOld: 'x{service="old"}', queryNew: 'x{service="new"}' } });
  return {
    metricId: metric.id, cutoverId: c.id, phaseId: phase.id, sectionId: section.id, qaItemId: qa.id, criticalItemId: critical.id, entryId: entry.id, decisionId: decision.id, contactId: contact.id, riskId: risk.id };
}

/**
 * A digest of every row of every table of the database (the migration history included): equal
 * digests mean nothing changed. One round trip; the table list is read from the catalog, so a
 * table added later is covered without touching this.
 */
export async function digest(): Promise<Record<string, string>> {
  const tables = await db().$queryRawUnsafe<{ t: string }[]>(
    "SELECT quote_ident(table_name) AS t FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name",
  );
  const parts = tables.map(({ t }) => `SELECT '${t.replace(/'/g, "''")}' AS t, md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS d FROM ${t} x`);
  const rows = await db().$queryRawUnsafe<{ t: string; d: string }[]>(parts.join(" UNION ALL "));
  return Object.fromEntries(rows.map((r) => [r.t, r.d]));
}
