import Link from "next/link";
import { canGlobal } from "@/lib/domain/permissions";
import { SignOutButton } from "./sign-out-button";

export function AppHeader({ user, children }: { user: { name: string; isAdmin: boolean; isPlanner: boolean }; children?: React.ReactNode }) {
  return (
    <header className="flex flex-wrap items-center justify-between gap-x-4 gap-y-1 border-b border-neutral-200 bg-white px-4 py-2 dark:border-neutral-800 dark:bg-neutral-900">
      <Link href="/cutovers" className="font-semibold">
        Cutover War Room
      </Link>
      <div className="flex min-w-0 flex-wrap items-center gap-x-3 gap-y-1 text-sm">
        {children}
        {canGlobal(user, "users.manage") && (
          <Link href="/admin/users" className="text-neutral-600 hover:underline dark:text-neutral-300">
            Users
          </Link>
        )}
        {canGlobal(user, "integrations.manage") && (
          <Link href="/admin/integrations" className="text-neutral-600 hover:underline dark:text-neutral-300">
            Integrations
          </Link>
        )}
        {canGlobal(user, "sso.manage") && (
          <Link href="/admin/sso" className="text-neutral-600 hover:underline dark:text-neutral-300">
            Single sign-on
          </Link>
        )}
        <Link href="/settings/tokens" className="text-neutral-600 hover:underline dark:text-neutral-300">
          API tokens
        </Link>
        <span data-testid="signed-in-user">{user.name}</span>
        <SignOutButton />
      </div>
    </header>
  );
}
