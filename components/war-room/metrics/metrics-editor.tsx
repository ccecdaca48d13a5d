"use client";
// The metric settings for whoever may edit metrics: the Prometheus source and polling, the
// metric definitions and the metric gates.
import { useRef, useState } from "react";
import type { MetricsData } from "@/lib/client/metric-samples";
import type { CutoverStateJson } from "@/lib/services/cutover-read";
import { BUTTON_CLASS } from "../shared/format";
import type { RunCommand } from "../shared/types";
import { GatesEditor } from "./gates-editor";
import { MetricForm } from "./metric-form";
import { MetricRow } from "./metric-row";
import { PrometheusSettingsForm } from "./prometheus-settings-form";

export function MetricsEditor({ cutover, data, run }: { cutover: CutoverStateJson; data: MetricsData; run: RunCommand }) {
  const [editing, setEditing] = useState<string | "new" | null>(null);
  const editingMetric = editing && editing !== "new" ? data.metrics.find((m) => m.id === editing) : undefined;
  const formHeading = useRef<HTMLHeadingElement>(null);
  // Kept here: the settings form remounts with the saved values, and the "Saved." must survive it.
  const [settingsSaved, setSettingsSaved] = useState(false);

  return (
    <div className="border-t border-neutral-200 dark:border-neutral-800" data-testid="metrics-editor">
      <h3 className="px-3 pt-2 text-sm font-semibold">Metric settings</h3>
      <PrometheusSettingsForm key={JSON.stringify(data.settings)} cutoverId={cutover.id} settings={data.settings} run={run} saved={settingsSaved} onSaved={setSettingsSaved} />

      <div className="px-3 py-2">
        <h4 className="text-xs font-medium uppercase text-muted">Metrics</h4>
        <ul className="mt-1 divide-y divide-neutral-100 text-sm dark:divide-neutral-800">
          {data.metrics.map((m) => (
            <MetricRow
              key={m.id}
              metric={m}
              cutoverId={cutover.id}
              run={run}
              onEdit={() => {
                setEditing(m.id);
                requestAnimationFrame(() => formHeading.current?.focus());
              }}
            />
          ))}
        </ul>
        {editing === null && (
          <button type="button" className={`${BUTTON_CLASS} mt-2`} onClick={() => setEditing("new")}>
            Add metric
          </button>
        )}
      </div>

      {editing !== null && (editing === "new" || editingMetric) && (
        <MetricForm
          key={editing}
          headingRef={formHeading}
          cutoverId={cutover.id}
          metric={editingMetric}
          run={run}
          onDone={() => setEditing(null)}
        />
      )}

      <GatesEditor cutover={cutover} data={data} run={run} />
    </div>
  );
}
