"use client";
import { ErrorNote } from "@/components/ui/error-note";
import { INTEGRATION_KIND_LABEL, type IntegrationChoice as Choice } from "@/lib/client/traffic-words";
import { useCommand } from "../shared/format";
import { RemoveButton, SubSection } from "../shared/parts";
import type { RunCommand } from "../shared/types";
import type { TrafficData } from "../shared/use-traffic-view";
import { AddHookForm } from "./add-hook-form";

type Hook = TrafficData["hooks"][number];

export function HooksSection({ cutoverId, hooks, choices, run, canEdit }: { cutoverId: string; hooks: Hook[]; choices: Choice[] | null; run: RunCommand; canEdit: boolean }) {
  return (
    <SubSection title="Rollback hooks (run in order after the split is back on old)" testId="rollback-hooks">
      {hooks.length === 0 ? (
        <p className="text-muted">No hooks: a rollback only moves traffic.{canEdit ? " Add one from the hooks an administrator defined (e.g. revert a feature flag, page the team)." : ""}</p>
      ) : (
        <ol className="mt-1 space-y-1">
          {hooks.map((h, i) => (
            <HookRow key={h.id} hook={h} index={i} cutoverId={cutoverId} run={run} canEdit={canEdit} />
          ))}
        </ol>
      )}
      {canEdit && choices && <AddHookForm cutoverId={cutoverId} choices={choices} run={run} />}
    </SubSection>
  );
}

function HookRow({ hook: h, index, cutoverId, run, canEdit }: { hook: Hook; index: number; cutoverId: string; run: RunCommand; canEdit: boolean }) {
  const { pending, error, exec } = useCommand();
  return (
    <li data-testid="rollback-hook" data-hook-name={h.name} className="flex flex-wrap items-center gap-2">
      <span className="text-muted tabular">{index + 1}.</span>
      <span className="font-medium">{h.name}</span>
      <span className="text-xs text-muted">
        {h.integration} ({h.kind ? (INTEGRATION_KIND_LABEL[h.kind] ?? h.kind) : <span className="text-red-700 dark:text-red-300">no longer defined</span>})
      </span>
      {canEdit && (
        <RemoveButton label={`Remove hook ${h.name}`} pending={pending} className="ml-auto" onClick={() => void exec(() => run("hook.remove", { cutoverId, id: h.id }))} />
      )}
      <ErrorNote message={error} testId="hook-remove-error" />
    </li>
  );
}
