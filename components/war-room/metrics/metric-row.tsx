"use client";
import { ErrorNote } from "@/components/ui/error-note";
import { BUTTON_CLASS, useCommand } from "../shared/format";
import { ConfirmRemove } from "../shared/parts";
import type { RunCommand } from "../shared/types";
import type { MetricSeries } from "./metric-tile";

export function MetricRow({ metric: m, cutoverId, run, onEdit }: { metric: MetricSeries; cutoverId: string; run: RunCommand; onEdit: () => void }) {
  const { pending, error, exec } = useCommand();
  return (
    <li className="py-1.5" data-testid="metric-definition" data-metric={m.name}>
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-medium">{m.name}</span>
        <span className="text-xs text-muted">
          {m.unit} · {m.system === "both" ? "old and new" : `${m.system} only`} · {m.direction === "above" ? "higher is worse" : "lower is worse"}
        </span>
        <span className="ml-auto flex gap-1">
          <button type="button" className={BUTTON_CLASS} onClick={onEdit} aria-label={`Edit metric ${m.name}`}>
            Edit
          </button>
          <ConfirmRemove label={`Remove metric ${m.name}`} confirmLabel={`Remove ${m.name}`} pending={pending} onRemove={() => exec(() => run("metric.remove", { cutoverId, id: m.id }))} />
        </span>
      </div>
      <ErrorNote message={error} testId="metric-remove-error" />
    </li>
  );
}
