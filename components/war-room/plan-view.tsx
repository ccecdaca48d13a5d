import type { CutoverStateJson } from "@/lib/services/cutover-read";
import { ROLE_LABELS } from "@/lib/domain/roles";

const STATE_LABEL = { open: "Open", done: "Done", not_applicable: "N/A" } as const;
const STATE_STYLE = {
  open: "border-neutral-300 text-neutral-600",
  done: "border-green-700 bg-green-50 text-green-800 dark:bg-green-950 dark:text-green-200",
  not_applicable: "border-neutral-400 bg-neutral-100 text-neutral-600 dark:bg-neutral-800",
} as const;

export function PlanView({ phases }: { phases: CutoverStateJson["phases"] }) {
  if (phases.length === 0) return <p className="text-neutral-500">This plan is empty: import a runbook or start from a template.</p>;
  return (
    <div className="space-y-6">
      {phases.map((phase) => (
        <section key={phase.id} aria-labelledby={`phase-${phase.id}`} className="rounded border border-neutral-200 bg-white dark:border-neutral-800 dark:bg-neutral-900">
          <h2 id={`phase-${phase.id}`} className="border-b border-neutral-200 px-3 py-2 font-semibold dark:border-neutral-800">
            {phase.name}
            {phase.plannedAt && <span className="ml-2 text-sm font-normal text-neutral-500 tabular">{phase.plannedAt}</span>}
          </h2>
          {phase.sections.map((section) => (
            <div key={section.id} className="px-3 py-2">
              <h3 className="mb-1 text-sm font-medium text-neutral-600 dark:text-neutral-300">{section.name}</h3>
              <ul className="divide-y divide-neutral-100 dark:divide-neutral-800">
                {section.items.map((item) => (
                  <li key={item.id} data-testid="checklist-item" data-item-id={item.id} data-state={item.state} className="flex items-center justify-between gap-3 py-1.5 text-sm">
                    <span>
                      {item.critical && <span className="mr-1 rounded bg-red-100 px-1 text-xs font-semibold text-red-800" title="Critical item">CRIT</span>}
                      <span data-testid="item-title">{item.title}</span>
                    </span>
                    <span className="flex shrink-0 items-center gap-2">
                      <span className="text-xs text-neutral-500" data-testid="item-owner">{ROLE_LABELS[item.ownerRole]}</span>
                      <span className={`rounded border px-1.5 text-xs ${STATE_STYLE[item.state]}`} data-testid="item-state">
                        {STATE_LABEL[item.state]}
                      </span>
                    </span>
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </section>
      ))}
    </div>
  );
}
