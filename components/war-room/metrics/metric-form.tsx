"use client";
// One metric: name, unit, system, the queries (checked as typed), direction and thresholds.
import { useState, type FormEvent } from "react";
import { ErrorNote } from "@/components/ui/error-note";
import { SelectField, TextField } from "@/components/ui/field";
import { checkThresholds } from "@/lib/client/metric-thresholds";
import { METRIC_UNITS, type Direction, type MetricUnit } from "@/lib/domain/metrics";
import { checkPromql } from "@/lib/domain/promql";
import { BUTTON_CLASS, useCommand } from "../shared/format";
import { SubmitButton } from "../shared/parts";
import type { RunCommand } from "../shared/types";
import type { MetricSeries } from "./metric-tile";
import { QueryField } from "./query-field";
import { TEXT } from "@/lib/domain/limits";

const UNIT_OPTIONS = METRIC_UNITS.map((u) => ({ value: u, label: u }));
const SYSTEM_OPTIONS = [{ value: "both", label: "old and new" }, { value: "old", label: "old only" }, { value: "new", label: "new only" }];
const DIRECTION_OPTIONS = [{ value: "above", label: "higher is worse" }, { value: "below", label: "lower is worse" }];

export function MetricForm({
  cutoverId,
  metric,
  run,
  onDone,
  headingRef,
}: {
  cutoverId: string;
  metric: MetricSeries | undefined;
  run: RunCommand;
  onDone: () => void;
  headingRef: React.RefObject<HTMLHeadingElement | null>;
}) {
  const { pending, error, exec } = useCommand();
  const [name, setName] = useState(metric?.name ?? "");
  const [unit, setUnit] = useState<MetricUnit>(((METRIC_UNITS as readonly string[]).includes(metric?.unit ?? "") ? metric!.unit : "%") as MetricUnit);
  const [system, setSystem] = useState<"both" | "old" | "new">((metric?.system as "both" | "old" | "new" | undefined) ?? "both");
  const [queryOld, setQueryOld] = useState(metric?.queryOld ?? "");
  const [queryNew, setQueryNew] = useState(metric?.queryNew ?? "");
  const [direction, setDirection] = useState<Direction>((metric?.direction as Direction | undefined) ?? "above");
  const [warning, setWarning] = useState(metric?.warningThreshold?.toString() ?? "");
  const [critical, setCritical] = useState(metric?.criticalThreshold?.toString() ?? "");

  const needsOld = system !== "new";
  const needsNew = system !== "old";
  const oldCheck = needsOld ? checkPromql(queryOld) : null;
  const newCheck = needsNew ? checkPromql(queryNew) : null;
  const thresholds = checkThresholds(warning, critical, direction);
  const thresholdError = thresholds.ok ? null : thresholds.error;
  const problems = [
    !name.trim() ? "a name" : null,
    oldCheck && !oldCheck.ok ? "a valid query for old" : null,
    newCheck && !newCheck.ok ? "a valid query for new" : null,
    thresholdError ? "valid thresholds" : null,
  ].filter((p): p is string => p !== null);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (problems.length > 0 || !thresholds.ok) return;
    const ok = await exec(() =>
      run("metric.save", {
        cutoverId,
        ...(metric && { id: metric.id }),
        name: name.trim(),
        unit,
        system,
        queryOld: needsOld ? queryOld.trim() : null,
        queryNew: needsNew ? queryNew.trim() : null,
        direction,
        warningThreshold: thresholds.warning,
        criticalThreshold: thresholds.critical,
      }),
    );
    if (ok) onDone();
  }

  const formId = metric ? `metric-form-${metric.id}` : "metric-form-new";
  return (
    <form onSubmit={onSubmit} aria-labelledby={`${formId}-heading`} className="border-t border-neutral-200 px-3 py-2 text-sm dark:border-neutral-800" data-testid="metric-form">
      <h4 id={`${formId}-heading`} ref={headingRef} tabIndex={-1} className="text-xs font-medium uppercase text-muted">
        {metric ? `Edit metric “${metric.name}”` : "Add a metric"}
      </h4>
      <div className="mt-1 flex flex-wrap items-end gap-2">
        <TextField label="Metric name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={TEXT.short} className="w-48" />
        <SelectField label="Unit" value={unit} onChange={(e) => setUnit(e.target.value as MetricUnit)} options={UNIT_OPTIONS} />
        <SelectField label="System" value={system} onChange={(e) => setSystem(e.target.value as "both" | "old" | "new")} options={SYSTEM_OPTIONS} />
        <SelectField label="Direction" value={direction} onChange={(e) => setDirection(e.target.value as Direction)} options={DIRECTION_OPTIONS} />
        <TextField label="Warning" value={warning} onChange={(e) => setWarning(e.target.value)} inputMode="decimal" placeholder="none" className="w-24 tabular" />
        <TextField label="Critical" value={critical} onChange={(e) => setCritical(e.target.value)} inputMode="decimal" placeholder="none" className="w-24 tabular" />
      </div>
      {thresholdError && (
        <p className="mt-1 text-xs text-red-700 dark:text-red-400" data-testid="threshold-error">
          {thresholdError}
        </p>
      )}
      <div className="mt-2 grid gap-2 lg:grid-cols-2">
        {needsOld && <QueryField label="Query (old)" value={queryOld} onChange={setQueryOld} check={oldCheck} cutoverId={cutoverId} unit={unit} run={run} />}
        {needsNew && <QueryField label="Query (new)" value={queryNew} onChange={setQueryNew} check={newCheck} cutoverId={cutoverId} unit={unit} run={run} />}
      </div>
      <div className="mt-2 flex flex-wrap items-center gap-2">
        <SubmitButton pending={pending} busyLabel="Saving…" disabled={problems.length > 0}>
          Save metric
        </SubmitButton>
        <button type="button" onClick={onDone} className={BUTTON_CLASS}>
          Cancel
        </button>
        {problems.length > 0 && <span className="text-xs text-muted">Needs {problems.join(", ")}.</span>}
      </div>
      <ErrorNote message={error} testId="metric-save-error" />
    </form>
  );
}
