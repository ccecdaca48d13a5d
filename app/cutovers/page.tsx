import Link from "next/link";
import { requireUser } from "@/lib/auth/session";
import { listCutovers } from "@/lib/services/cutover-read";
import { canGlobal } from "@/lib/domain/permissions";
import { AppHeader } from "@/components/app-header";

export const dynamic = "force-dynamic";

export default async function CutoversPage() {
  const user = await requireUser();
  const cutovers = await listCutovers(user);
  // Only planners and administrators create cutovers (the command refuses everyone else too).
  const mayCreate = canGlobal(user, "cutover.create");
  return (
    <>
      <AppHeader user={user} />
      <main className="mx-auto max-w-5xl p-6">
        <div className="mb-4 flex items-center justify-between">
          <h1 className="text-2xl font-semibold">Cutovers</h1>
          {mayCreate && (
            <Link href="/cutovers/new" className="rounded bg-blue-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-blue-800">
              New cutover
            </Link>
          )}
        </div>
        {cutovers.length === 0 ? (
          <p className="text-muted">{mayCreate ? "No cutover yet. Import a runbook or start from a template." : "You are in no cutover yet: its Deployment Lead adds you."}</p>
        ) : (
          <ul className="divide-y divide-neutral-200 rounded border border-neutral-200 bg-white dark:divide-neutral-800 dark:border-neutral-800 dark:bg-neutral-900">
            {cutovers.map((c) => (
              <li key={c.id}>
                <Link href={`/cutovers/${c.id}`} className="flex flex-wrap items-center justify-between gap-x-3 gap-y-1 px-4 py-3 hover:bg-neutral-50 dark:hover:bg-neutral-800">
                  {/* On a phone the state and T-0 go under the name; a long name breaks rather than widen the page. */}
                  <span className="min-w-0 [overflow-wrap:anywhere]">
                    <span className="font-medium">{c.name}</span>
                    <span className="ml-2 text-sm text-muted">
                      {c.systemFrom} → {c.systemTo}
                    </span>
                  </span>
                  <span className="min-w-0 text-sm text-muted tabular">
                    {c.mode === "rehearsal" && <span className="mr-2 rounded bg-purple-100 px-1.5 text-purple-800">REHEARSAL</span>}
                    {c.state} · T-0 {new Date(c.tZero).toISOString().replace("T", " ").slice(0, 16)} UTC
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </main>
    </>
  );
}
