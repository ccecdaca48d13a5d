import { requireGlobal } from "@/lib/auth/session";
import { getIntegrationsView } from "@/lib/services/integrations";
import { AppPage } from "@/components/app-page";
import { IntegrationsAdmin } from "@/components/admin/integrations-admin";

export const dynamic = "force-dynamic";

export default async function IntegrationsPage() {
  const user = await requireGlobal("integrations.manage");
  const view = await getIntegrationsView(user);
  return (
    <AppPage
      user={user}
      title="Integrations"
      width="max-w-5xl"
      intro={
        <>
          Routers, rollback hooks and Prometheus sources, each with a name that a cutover&apos;s lead picks. Secrets are write-only: they are stored encrypted and never shown
          again. Anything that runs a program or names a file on the server (command routers and hooks, nginx, HAProxy over a unix socket) is defined only in the server
          configuration file.
        </>
      }
    >
      <IntegrationsAdmin view={JSON.parse(JSON.stringify(view))} />
    </AppPage>
  );
}
