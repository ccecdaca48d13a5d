import { requireUser } from "@/lib/auth/session";
import { listCutovers } from "@/lib/services/cutover-read";
import { notFound } from "next/navigation";
import { canGlobal } from "@/lib/domain/permissions";
import { AppHeader } from "@/components/app-header";
import { NewCutoverForm } from "@/components/new-cutover-form";

export const dynamic = "force-dynamic";

export default async function NewCutoverPage() {
  const user = await requireUser();
  if (!canGlobal(user, "cutover.create")) notFound();
  const cutovers = await listCutovers(user);
  return (
    <>
      <AppHeader user={user} />
      <main className="mx-auto max-w-3xl p-6">
        <h1 className="mb-4 text-2xl font-semibold">New cutover</h1>
        <NewCutoverForm earlier={cutovers.map((c) => ({ id: c.id, name: c.name }))} />
      </main>
    </>
  );
}
