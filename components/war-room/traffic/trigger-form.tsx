"use client";
import { ErrorNote } from "@/components/ui/error-note";
import { BUTTON_CLASS } from "../shared/format";
import { useMetricsView } from "../shared/use-metrics-view";
import { TriggerFormFields, type TriggerFormProps } from "./trigger-form-fields";

/** The form mounts once the metrics are known, so its metric select starts on the right one. */
export function TriggerForm(props: TriggerFormProps) {
  const { data: metricsView, error } = useMetricsView(props.cutoverId, 900);
  if (!metricsView) {
    return (
      <div className="mt-2">
        {error ? <ErrorNote message={`Could not load the metrics for the trigger form: ${error.message}`} testId="trigger-metrics-error" /> : <p className="text-muted">Loading metrics…</p>}
        <button type="button" className={`${BUTTON_CLASS} mt-1`} onClick={props.onDone}>
          Cancel
        </button>
      </div>
    );
  }
  return <TriggerFormFields {...props} metrics={metricsView.metrics} />;
}
