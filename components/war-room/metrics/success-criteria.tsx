import type { MetricsView } from "@/lib/services/metrics";
import { GateList } from "../shared/gate-list";
import { SubSection } from "../shared/parts";

export function SuccessCriteria({ criteria }: { criteria: MetricsView["successCriteria"] }) {
  return (
    <SubSection title="Success criteria" testId="success-criteria">
      {criteria.length === 0 ? (
        <p className="text-sm text-muted">None yet: a success criterion is a metric gate that says the new system is healthy (e.g. error rate (new) &lt; 1 % over 30 min).</p>
      ) : (
        <GateList gates={criteria} testId="success-criterion" words={{ passed: "Met: ", failed: "Not met: " }} className="mt-1 space-y-1 text-sm" />
      )}
    </SubSection>
  );
}
