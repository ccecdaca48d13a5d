"use client";
// A PromQL query, checked as typed and tried against the cutover's Prometheus on demand.
import { useState } from "react";
import { ErrorNote } from "@/components/ui/error-note";
import { formatMetricValue } from "@/lib/domain/metric-format";
import type { Sample } from "@/lib/domain/metrics";
import type { checkPromql } from "@/lib/domain/promql";
import { BUTTON_CLASS, INPUT_CLASS, formatUtc, useCommand } from "../shared/format";
import type { RunCommand } from "../shared/types";
import { TEXT } from "@/lib/domain/limits";

export function QueryField({
  label,
  value,
  onChange,
  check,
  cutoverId,
  unit,
  run,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  check: ReturnType<typeof checkPromql> | null;
  cutoverId: string;
  unit: string;
  run: RunCommand;
}) {
  const id = `q-${label.replace(/\W+/g, "-").toLowerCase()}`;
  const invalid = check !== null && !check.ok && value.trim() !== "";
  const { pending, error, exec } = useCommand();
  const [result, setResult] = useState<{ query: string; sample: Sample } | null>(null);

  async function test() {
    setResult(null);
    const query = value.trim();
    await exec(async () => {
      const r = await run("metric.test", { cutoverId, query });
      if (r.ok) setResult({ query, sample: r.data as Sample });
      return r;
    });
  }

  return (
    <fieldset className="min-w-0" aria-label={label}>
      <label htmlFor={id} className="text-xs text-muted">
        {label}
      </label>
      <textarea
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        rows={3}
        spellCheck={false}
        maxLength={TEXT.query}
        aria-invalid={invalid}
        aria-describedby={`${id}-check`}
        className={`${INPUT_CLASS} block w-full font-mono text-xs ${invalid ? "border-red-600 dark:border-red-500" : ""}`}
        placeholder='sum(rate(http_requests_total{service="new"}[1m]))'
      />
      <p id={`${id}-check`} className={`mt-0.5 text-xs ${invalid ? "text-red-700 dark:text-red-400" : "text-muted"}`} data-testid="promql-check" data-valid={check?.ok ?? false}>
        {value.trim() === "" ? "Enter a PromQL query." : check?.ok ? "Valid PromQL." : check && !check.ok ? check.error : ""}
      </p>
      <div className="mt-1 flex flex-wrap items-center gap-2">
        <button type="button" className={BUTTON_CLASS} disabled={pending || !check?.ok} onClick={() => void test()}>
          {pending ? "Testing…" : "Test query"}
        </button>
        {result && result.query === value.trim() && <QueryResult sample={result.sample} unit={unit} />}
      </div>
      <ErrorNote message={error} testId="query-test-error" />
    </fieldset>
  );
}

function QueryResult({ sample, unit }: { sample: Sample; unit: string }) {
  if (sample.status === "ok") {
    return (
      <span data-testid="query-test-result" data-status="ok" className="text-xs">
        Current value: <span className="font-semibold tabular">{formatMetricValue(sample.value, unit)}</span>{" "}
        <span className="text-muted" title={formatUtc(sample.at)}>
          (now)
        </span>
      </span>
    );
  }
  return (
    <span data-testid="query-test-result" data-status={sample.status} className="text-xs text-amber-800 dark:text-amber-300">
      {sample.status === "error" ? "Error" : "No data"}: {sample.reason || "no reason given"}
    </span>
  );
}
