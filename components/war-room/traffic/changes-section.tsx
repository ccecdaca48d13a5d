import { triggerLabel, type Trigger } from "@/lib/client/live-triggers";
import type { CutoverStateJson } from "@/lib/services/cutover-read";
import { DataTable } from "@/components/ui/data-table";
import { SubSection } from "../shared/parts";
import { Time } from "../shared/time";
import type { TrafficData } from "../shared/use-traffic-view";

type Change = TrafficData["changes"][number];

const CHANGE_LOOK: Record<string, string> = {
  requested: "border-blue-600 text-blue-800 dark:text-blue-200",
  applied: "border-blue-600 text-blue-800 dark:text-blue-200",
  verified: "border-green-700 text-green-800 dark:text-green-200",
  failed: "border-red-700 bg-red-50 font-semibold text-red-800 dark:bg-red-950 dark:text-red-200",
};

export function ChangesSection({ cutover, changes, triggers }: { cutover: CutoverStateJson; changes: Change[]; triggers: Trigger[] }) {
  return (
    <SubSection title="Recent traffic changes" testId="traffic-changes">
      {changes.length === 0 ? (
        <p className="text-muted">No traffic has moved yet.</p>
      ) : (
        <DataTable caption="Recent traffic changes, newest first" columns={["Requested", "Change", "By", "State", "Duration", { label: "Error", edge: true }]}>
          {changes.map((c) => (
            <tr key={c.id} data-testid="traffic-change" data-state={c.state} data-to={c.to}>
              <td className="px-3 py-1.5 align-top">
                <Time at={c.requestedAt} cutover={cutover} />
              </td>
              <td className="px-2 py-1.5 align-top font-medium tabular whitespace-nowrap">
                {c.from} % → {c.to} %
              </td>
              <td className="px-2 py-1.5 align-top">
                {triggerLabel(triggers, c.triggerId) ?? (c.to === 0 && c.from > 0 ? "rollback" : "manual")}
                {c.override && (
                  <span className="ml-1 rounded border border-amber-600 px-1 text-xs text-amber-900 dark:text-amber-200" title={c.note ?? undefined}>
                    override{c.note ? `: ${c.note}` : ""}
                  </span>
                )}
              </td>
              <td className="px-2 py-1.5 align-top">
                <span className={`rounded border px-1 text-xs ${CHANGE_LOOK[c.state] ?? ""}`}>{c.state}</span>
              </td>
              <td className="px-2 py-1.5 align-top tabular whitespace-nowrap">{c.durationMs !== null ? `${c.durationMs} ms` : "—"}</td>
              <td className="px-3 py-1.5 align-top text-red-800 dark:text-red-300">{c.error ?? ""}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </SubSection>
  );
}
