import { requireGlobal } from "@/lib/auth/session";
import { getSsoView } from "@/lib/services/sso";
import { AppHeader } from "@/components/app-header";
import { SsoMapping } from "@/components/admin/sso-mapping";

export const dynamic = "force-dynamic";

// Not an administrator: the page does not exist for them (the service refuses as well).
export default async function SsoPage() {
  const user = await requireGlobal("sso.manage");
  return (
    <>
      <AppHeader user={user} />
      <main className="mx-auto max-w-5xl p-6">
        <h1 className="mb-2 text-2xl font-semibold">Single sign-on</h1>
        <p className="mb-4 text-sm text-neutral-500">
          People sign in through the company&apos;s OpenID Connect provider; their first sign-in creates their account. Which of the provider&apos;s groups make someone an
          administrator or a planner is chosen here, and applied at each sign-in. The provider itself is configured by the operator (OIDC_* variables).
        </p>
        <SsoMapping view={await getSsoView(user)} />
      </main>
    </>
  );
}
