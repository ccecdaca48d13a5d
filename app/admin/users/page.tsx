import { notFound } from "next/navigation";
import { requireUser } from "@/lib/auth/session";
import { canGlobal } from "@/lib/domain/permissions";
import { listAccounts } from "@/lib/services/users";
import { AppHeader } from "@/components/app-header";
import { UsersPanel } from "@/components/admin/users-panel";

export const dynamic = "force-dynamic";
export const metadata = { title: "Users · Cutover War Room" };

export default async function UsersPage() {
  const user = await requireUser();
  // The page does not exist for those who may not manage users; the commands refuse them anyway.
  if (!canGlobal(user, "users.manage")) notFound();
  const { users, links } = await listAccounts(user);
  return (
    <>
      <AppHeader user={user} />
      <main className="mx-auto max-w-6xl p-6">
        <h1 className="mb-2 text-2xl font-semibold">Users</h1>
        <p className="mb-4 text-sm text-muted">
          Invite people with a one-time link, or create them with an initial password. Planners may create cutovers; administrators manage users and integrations. Roles inside a cutover are given in
          its Contacts tab.
        </p>
        <UsersPanel
          me={user.id}
          users={users.map((u) => ({ id: u.id, email: u.email, name: u.name, isAdmin: u.isAdmin, isPlanner: u.isPlanner, disabledAt: u.disabledAt?.toISOString() ?? null }))}
          links={links.map((l) => ({ id: l.id, email: l.email, name: l.name, kind: l.kind, expiresAt: l.expiresAt.toISOString() }))}
        />
      </main>
    </>
  );
}
