"use client";
import { useState } from "react";
import { ErrorNote } from "@/components/ui/error-note";
import { Field } from "@/components/ui/field";
import type { MetricsData } from "@/lib/client/metric-samples";
import type { System } from "@/lib/domain/metrics";
import type { CutoverStateJson } from "@/lib/services/cutover-read";
import type { MetricsView } from "@/lib/services/metrics";
import { INPUT_CLASS, submitForm, useCommand } from "../shared/format";
import { MetricSelect, RemoveButton, SubSection, SubmitButton, SystemSelect } from "../shared/parts";
import type { RunCommand } from "../shared/types";

// Metric gates: a condition over a window, on a decision point or as a success criterion.
const OPS = ["<", "<=", ">", ">="] as const;
type Op = (typeof OPS)[number];
const OP_LABEL: Record<Op, string> = { "<": "<", "<=": "≤", ">": ">", ">=": "≥" };

export function GatesEditor({ cutover, data, run }: { cutover: CutoverStateJson; data: MetricsData; run: RunCommand }) {
  const { pending, error, exec, setError } = useCommand();
  const [kind, setKind] = useState<"threshold" | "ratio">("threshold");
  const openDecisions = cutover.decisions.filter((d) => d.state !== "proceed" && d.state !== "abort");
  const decisionTitle = new Map(cutover.decisions.map((d) => [d.id, d.title]));

  const onSubmit = submitForm(
    ({ text }) => {
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
        <p className="text-neutral-500">No metric gates yet. A gate holds a decision point (or the success criteria) to a metric over a window.</p>
      ) : (
        <ul className="mt-1 space-y-1">
          {data.gates.map((g) => (
            <GateRow key={g.id} gate={g} target={g.successCriterion ? "success criterion" : g.decisionId ? `decision “${decisionTitle.get(g.decisionId) ?? "unknown"}”` : "no decision"} cutoverId={cutover.id} run={run} />
          ))}
        </ul>
      )}
      {data.metrics.length > 0 && (
        <form onSubmit={onSubmit} aria-label="Add a metric gate" className="mt-2">
          <div className="flex flex-wrap items-end gap-2">
            <Field label="Metric">
              <MetricSelect metrics={data.metrics} />
            </Field>
            <Field label="Gate for">
              <select name="target" className={INPUT_CLASS} defaultValue="success">
                <option value="success">Success criterion</option>
                {openDecisions.map((d) => (
                  <option key={d.id} value={d.id}>
                    Decision: {d.title}
                  </option>
                ))}
              </select>
            </Field>
            <fieldset className="flex items-center gap-2">
              <legend className="text-xs text-neutral-500">Kind</legend>
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
              <select name="op" className={INPUT_CLASS} defaultValue={kind === "threshold" ? "<" : "<="}>
                {OPS.map((o) => (
                  <option key={o} value={o}>
                    {OP_LABEL[o]}
                  </option>
                ))}
              </select>
            </Field>
            {kind === "threshold" ? (
              <Field label="Threshold">
                <input name="value" inputMode="decimal" required className={`${INPUT_CLASS} w-24 tabular`} />
              </Field>
            ) : (
              <Field label="× old">
                <input name="factor" inputMode="decimal" required defaultValue="1.2" className={`${INPUT_CLASS} w-20 tabular`} />
              </Field>
            )}
            <Field label="Over the last (s)">
              <input name="windowSec" type="number" min={10} max={86_400} step={1} required defaultValue={300} className={`${INPUT_CLASS} w-24 tabular`} />
            </Field>
            <SubmitButton pending={pending} busyLabel="Adding…">
              Add gate
            </SubmitButton>
          </div>
          <ErrorNote message={error} testId="gate-add-error" />
        </form>
      )}
    </SubSection>
  );
}

function GateRow({ gate, target, cutoverId, run }: { gate: MetricsView["gates"][number]; target: string; cutoverId: string; run: RunCommand }) {
  const { pending, error, exec } = useCommand();
  return (
    <li data-testid="metric-gate" className="flex flex-wrap items-center gap-2">
      <span>{gate.label}</span>
      <span className="text-xs text-neutral-500">{target}</span>
      <RemoveButton label={`Remove gate: ${gate.label}`} pending={pending} className="ml-auto" onClick={() => void exec(() => run("gate.remove", { cutoverId, id: gate.id }))} />
      <ErrorNote message={error} testId="gate-remove-error" />
    </li>
  );
}
