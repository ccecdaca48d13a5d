"use client";
import { useState } from "react";
import { ErrorNote } from "@/components/ui/error-note";
import { Field, Select, SelectField, TextField } from "@/components/ui/field";
import type { MetricsData } from "@/lib/client/metric-samples";
import type { System } from "@/lib/domain/metrics";
import type { CutoverStateJson } from "@/lib/services/cutover-read";
import type { MetricsView } from "@/lib/services/metrics";
import { useCommand, useCommandForm } from "../shared/format";
import { CommandForm, MetricSelect, RemoveButton, SubSection, SubmitButton, SystemSelect } from "../shared/parts";
import type { RunCommand } from "../shared/types";

// Metric gates: a condition over a window, on a decision point or as a success criterion.
const OPS = ["<", "<=", ">", ">="] as const;
type Op = (typeof OPS)[number];
const OP_LABEL: Record<Op, string> = { "<": "<", "<=": "≤", ">": ">", ">=": "≥" };

export function GatesEditor({ cutover, data, run }: { cutover: CutoverStateJson; data: MetricsData; run: RunCommand }) {
  const [kind, setKind] = useState<"threshold" | "ratio">("threshold");
  const openDecisions = cutover.decisions.filter((d) => d.state !== "proceed" && d.state !== "abort");
  const decisionTitle = new Map(cutover.decisions.map((d) => [d.id, d.title]));

  const { pending, error, onSubmit } = useCommandForm(
    ({ text }, { exec, setError }) => {
      const metricId = text("metricId");
      const target = text("target");
      const windowSec = Number(text("windowSec"));
      const op = text("op") as Op;
      if (!metricId) return setError("Choose a metric");
      if (!Number.isInteger(windowSec) || windowSec < 10 || windowSec > 86_400) return setError("The window is 10 to 86,400 whole seconds");
      let condition: { kind: "threshold"; system: System; op: Op; value: number; windowSec: number } | { kind: "ratio"; op: Op; factor: number; windowSec: number };
      if (kind === "threshold") {
        const value = Number(text("value"));
        if (text("value") === "" || !Number.isFinite(value)) return setError("The threshold must be a number");
        condition = { kind: "threshold", system: text("system") === "old" ? "old" : "new", op, value, windowSec };
      } else {
        const factor = Number(text("factor"));
        if (!Number.isFinite(factor) || factor <= 0) return setError("The factor must be a positive number, e.g. 1.2");
        condition = { kind: "ratio", op, factor, windowSec };
      }
      return exec(() =>
        run("gate.add", { cutoverId: cutover.id, metricId, decisionId: target === "success" ? null : target, successCriterion: target === "success", condition }),
      );
    },
    { reset: true },
  );

  return (
    <SubSection title="Metric gates" testId="gates-editor" level={4}>
      {data.gates.length === 0 ? (
        <p className="text-muted">No metric gates yet. A gate holds a decision point (or the success criteria) to a metric over a window.</p>
      ) : (
        <ul className="mt-1 space-y-1">
          {data.gates.map((g) => (
            <GateRow key={g.id} gate={g} target={g.successCriterion ? "success criterion" : g.decisionId ? `decision “${decisionTitle.get(g.decisionId) ?? "unknown"}”` : "no decision"} cutoverId={cutover.id} run={run} />
          ))}
        </ul>
      )}
      {data.metrics.length > 0 && (
        <CommandForm label="Add a metric gate" onSubmit={onSubmit} error={error} errorTestId="gate-add-error" className="mt-2">
          <Field label="Metric">
            <MetricSelect metrics={data.metrics} />
          </Field>
          <SelectField label="Gate for" name="target" defaultValue="success" options={[{ value: "success", label: "Success criterion" }, ...openDecisions.map((d) => ({ value: d.id, label: `Decision: ${d.title}` }))]} />
          <fieldset className="flex items-center gap-2">
            <legend className="text-xs text-muted">Kind</legend>
            <label className="inline-flex items-center gap-1">
              <input type="radio" name="kind" value="threshold" checked={kind === "threshold"} onChange={() => setKind("threshold")} />
              threshold
            </label>
            <label className="inline-flex items-center gap-1">
              <input type="radio" name="kind" value="ratio" checked={kind === "ratio"} onChange={() => setKind("ratio")} />
              new vs old ratio
            </label>
          </fieldset>
          {kind === "threshold" && (
            <Field label="System">
              <SystemSelect />
            </Field>
          )}
          <Field label={kind === "threshold" ? "Must be" : "New must be"}>
            <Select name="op" defaultValue={kind === "threshold" ? "<" : "<="} options={OPS.map((o) => ({ value: o, label: OP_LABEL[o] }))} />
          </Field>
          {kind === "threshold" ? (
            <TextField label="Threshold" name="value" inputMode="decimal" required className="w-24 tabular" />
          ) : (
            <TextField label="× old" name="factor" inputMode="decimal" required defaultValue="1.2" className="w-20 tabular" />
          )}
          <TextField label="Over the last (s)" name="windowSec" type="number" min={10} max={86_400} step={1} required defaultValue={300} className="w-24 tabular" />
          <SubmitButton pending={pending} busyLabel="Adding…">
            Add gate
          </SubmitButton>
        </CommandForm>
      )}
    </SubSection>
  );
}

function GateRow({ gate, target, cutoverId, run }: { gate: MetricsView["gates"][number]; target: string; cutoverId: string; run: RunCommand }) {
  const { pending, error, exec } = useCommand();
  return (
    <li data-testid="metric-gate" className="flex flex-wrap items-center gap-2">
      <span>{gate.label}</span>
      <span className="text-xs text-muted">{target}</span>
      <RemoveButton label={`Remove gate: ${gate.label}`} pending={pending} className="ml-auto" onClick={() => void exec(() => run("gate.remove", { cutoverId, id: gate.id }))} />
      <ErrorNote message={error} testId="gate-remove-error" />
    </li>
  );
}
