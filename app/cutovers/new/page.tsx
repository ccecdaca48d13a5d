import { requireGlobal } from "@/lib/auth/session";
import { listCutovers } from "@/lib/services/cutover-read";
import { listTemplates } from "@/lib/services/templates";
import { AppPage } from "@/components/app-page";
import { NewCutoverForm } from "@/components/new-cutover-form";

export const dynamic = "force-dynamic";

export default async function NewCutoverPage() {
  const user = await requireGlobal("cutover.create");
  const cutovers = await listCutovers(user);
  const templates = (await listTemplates(user)).map(({ key, name, description, builtin, savedBy, removable }) => ({ key, name, description, builtin, savedBy, removable }));
  return (
    <AppPage user={user} title="New cutover" width="max-w-3xl">
      <NewCutoverForm earlier={cutovers.map((c) => ({ id: c.id, name: c.name }))} templates={templates} />
    </AppPage>
  );
}
