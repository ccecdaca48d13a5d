import { requireGlobal } from "@/lib/auth/session";
import { getSsoView } from "@/lib/services/sso";
import { AppPage } from "@/components/app-page";
import { SsoMapping } from "@/components/admin/sso-mapping";

export const dynamic = "force-dynamic";

// Not an administrator: the page does not exist for them (the service refuses as well).
export default async function SsoPage() {
  const user = await requireGlobal("sso.manage");
  return (
    <AppPage
      user={user}
      title="Single sign-on"
      width="max-w-5xl"
      intro={
        <>
          People sign in through the company&apos;s OpenID Connect provider; their first sign-in creates their account. Which of the provider&apos;s groups make someone an
          administrator or a planner is chosen here, and applied at each sign-in. The provider itself is configured by the operator (OIDC_* variables).
        </>
      }
    >
      <SsoMapping view={await getSsoView(user)} />
    </AppPage>
  );
}
