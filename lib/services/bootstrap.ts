// First-start accounts. With the embedded database (or WARROOM_DEMO=1) a demo team, one user per
// role, and a demo cutover; against a real DATABASE_URL never a demo user: the first administrator
// comes from WARROOM_ADMIN_EMAIL / WARROOM_ADMIN_PASSWORD or from the one-time /setup page.
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { hashPassword } from "@/lib/auth/passwords";
import { checkPassword } from "@/lib/domain/password-policy";
import { recordChange } from "./audit";
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

/**
 * The first administrator, only while there is none. The password obeys the policy (the demo team
 * alone keeps its published password, and never against a real database unless asked for).
 */
export async function createAdmin(input: { email: string; name: string; password: string }) {
  const problem = checkPassword(input.password, { email: input.email });
  if (problem) throw new AppError("bad_request", problem);
  const passwordHash = await hashPassword(input.password);
  return db().$transaction(async (tx) => {
    // Serialise concurrent setups: only the first administrator is created this way.
    await tx.$executeRawUnsafe("SELECT pg_advisory_xact_lock(7001)");
    if ((await tx.user.count({ where: { isAdmin: true } })) > 0) return null;
    const user = await tx.user.create({ data: { email: input.email.toLowerCase(), name: input.name, passwordHash, isAdmin: true }, select: { id: true, email: true } });
    await recordChange(tx, { cutoverId: null, actorId: user.id, actorName: input.name, role: "ADMINISTRATOR", action: "user.first_administrator", subject: `user:${user.id}`, after: { email: user.email }, rehearsal: false });
    return user;
  });
}

export async function bootstrapUsers({ demo, log }: { demo: boolean; log: (line: string) => void }) {
  const email = process.env.WARROOM_ADMIN_EMAIL;
  const password = process.env.WARROOM_ADMIN_PASSWORD;
  if (email && password && !(await adminExists())) {
    const problem = checkPassword(password, { email });
    // Refusing to start beats starting without the administrator the operator asked for (and
    // leaving /setup open to whoever reaches it first).
    if (problem) throw new AppError("bad_request", `WARROOM_ADMIN_PASSWORD is not accepted: ${problem}`);
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
