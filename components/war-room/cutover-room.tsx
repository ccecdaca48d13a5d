"use client";
import { useQuery } from "@tanstack/react-query";
import type { CutoverStateJson } from "@/lib/services/cutover-read";
import { ROLE_LABELS } from "@/lib/domain/roles";
import { LiveIndicator } from "./live-indicator";
import { cutoverQueryKey, useLiveCutover } from "./use-live-cutover";
import { PlanView } from "./plan-view";

async function fetchCutover(id: string): Promise<CutoverStateJson> {
  const res = await fetch(`/api/v1/cutovers/${id}`, { cache: "no-store" });
  if (!res.ok) throw new Error(((await res.json().catch(() => null)) as { message?: string } | null)?.message ?? `HTTP ${res.status}`);
  return (await res.json()) as CutoverStateJson;
}

export function CutoverRoom({ initial, me }: { initial: CutoverStateJson; me: { id: string; name: string } }) {
  const { data, error } = useQuery({ queryKey: cutoverQueryKey(initial.id), queryFn: () => fetchCutover(initial.id), initialData: initial });
  const status = useLiveCutover(initial.id);
  const c = data;
  return (
    <main className="mx-auto max-w-6xl p-4">
      <section className="mb-4 flex flex-wrap items-center justify-between gap-3 rounded border border-neutral-200 bg-white p-3 dark:border-neutral-800 dark:bg-neutral-900">
        <div>
          <h1 className="text-xl font-semibold" data-testid="cutover-name">
            {c.name}
            {c.mode === "rehearsal" && <span className="ml-2 rounded bg-purple-100 px-1.5 text-sm text-purple-800">REHEARSAL</span>}
          </h1>
          <p className="text-sm text-neutral-500">
            {c.systemFrom} → {c.systemTo} · <span data-testid="cutover-state">{c.state}</span> · new gets <span className="tabular">{c.trafficPercent}%</span>
          </p>
        </div>
        <div className="flex items-center gap-4 text-sm">
          <span data-testid="my-roles">
            {me.name}: {c.myRoles.length ? c.myRoles.map((r) => ROLE_LABELS[r]).join(", ") : "no role (administrator view)"}
          </span>
          <LiveIndicator status={status} />
        </div>
      </section>
      {error && (
        <p role="alert" className="mb-3 rounded border border-red-300 bg-red-50 p-2 text-sm text-red-800">
          Could not refresh: {error.message}
        </p>
      )}
      <PlanView phases={c.phases} />
    </main>
  );
}
