// First-start accounts. With the embedded database (or WARROOM_DEMO=1) a demo team, one user per
// role, and a demo cutover; against a real DATABASE_URL never a demo user: the first administrator
// comes from WARROOM_ADMIN_EMAIL / WARROOM_ADMIN_PASSWORD or from the one-time /setup page.
import { db } from "@/lib/db/client";
import { hashPassword } from "@/lib/auth/passwords";
import { ROLES, ROLE_LABELS, type Role } from "@/lib/domain/roles";
import { createDemoCutover } from "./demo-cutover";

export const DEMO_PASSWORD = "warroom-demo";
export const DEMO_EMAIL: Record<Role, string> = {
  DEPLOYMENT_LEAD: "lead@demo.warroom",
  DATABASE_DBA: "dba@demo.warroom",
  BACKEND_LEAD: "backend@demo.warroom",
  QA_LEAD: "qa@demo.warroom",
  ON_CALL: "oncall@demo.warroom",
  COMMS_LEAD: "comms@demo.warroom",
  OBSERVER: "observer@demo.warroom",
};
const DEMO_NAMES: Record<Role, string> = {
  DEPLOYMENT_LEAD: "Dana Lead",
  DATABASE_DBA: "Dmitri DBA",
  BACKEND_LEAD: "Bea Backend",
  QA_LEAD: "Quinn QA",
  ON_CALL: "Oscar On-call",
  COMMS_LEAD: "Cora Comms",
  OBSERVER: "Olive Observer",
};

export async function adminExists(): Promise<boolean> {
  return (await db().user.count({ where: { isAdmin: true } })) > 0;
}

export async function createAdmin(input: { email: string; name: string; password: string }) {
  const passwordHash = await hashPassword(input.password);
  return db().$transaction(async (tx) => {
    // Serialise concurrent setups: only the first administrator is created this way.
    await tx.$executeRawUnsafe("SELECT pg_advisory_xact_lock(7001)");
    if ((await tx.user.count({ where: { isAdmin: true } })) > 0) return null;
    return tx.user.create({ data: { email: input.email.toLowerCase(), name: input.name, passwordHash, isAdmin: true }, select: { id: true, email: true } });
  });
}

export async function bootstrapUsers({ demo, log }: { demo: boolean; log: (line: string) => void }) {
  const email = process.env.WARROOM_ADMIN_EMAIL;
  const password = process.env.WARROOM_ADMIN_PASSWORD;
  if (email && password && !(await adminExists())) {
    await createAdmin({ email, name: process.env.WARROOM_ADMIN_NAME ?? "Administrator", password });
    log(`created administrator ${email} from WARROOM_ADMIN_EMAIL`);
  }
  if (!demo) {
    if (!(await adminExists())) log("no administrator yet: open /setup to create the first one (or set WARROOM_ADMIN_EMAIL and WARROOM_ADMIN_PASSWORD)");
    return;
  }
  if ((await db().user.count({ where: { email: { endsWith: "@demo.warroom" } } })) === 0) {
    const passwordHash = await hashPassword(DEMO_PASSWORD);
    const users = await db().$transaction(
      ROLES.map((role) =>
        db().user.create({ data: { email: DEMO_EMAIL[role], name: DEMO_NAMES[role], passwordHash, isAdmin: role === "DEPLOYMENT_LEAD" }, select: { id: true } }),
      ),
    );
    const byRole = Object.fromEntries(ROLES.map((role, i) => [role, users[i]!.id])) as Record<Role, string>;
    await createDemoCutover(byRole);
    log("created the demo team and a demo cutover");
  }
  log(`demo sign-ins (password "${DEMO_PASSWORD}"):`);
  for (const role of ROLES) log(`  ${ROLE_LABELS[role].padEnd(16)} ${DEMO_EMAIL[role]}`);
}
