import { triggerLabel, type Trigger } from "@/lib/client/live-triggers";
import type { CutoverStateJson } from "@/lib/services/cutover-read";
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
        <div className="overflow-x-auto">
          <table className="mt-1 w-full text-sm">
            <caption className="sr-only">Recent traffic changes, newest first</caption>
            <thead className="text-left text-xs text-muted">
              <tr>
                <th scope="col" className="py-1 pr-2 font-medium">Requested</th>
                <th scope="col" className="py-1 pr-2 font-medium">Change</th>
                <th scope="col" className="py-1 pr-2 font-medium">By</th>
                <th scope="col" className="py-1 pr-2 font-medium">State</th>
                <th scope="col" className="py-1 pr-2 font-medium">Duration</th>
                <th scope="col" className="py-1 font-medium">Error</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-neutral-100 dark:divide-neutral-800">
              {changes.map((c) => (
                <tr key={c.id} data-testid="traffic-change" data-state={c.state} data-to={c.to}>
                  <td className="py-1 pr-2 align-top">
                    <Time at={c.requestedAt} cutover={cutover} />
                  </td>
                  <td className="py-1 pr-2 align-top font-medium tabular whitespace-nowrap">
                    {c.from} % → {c.to} %
                  </td>
                  <td className="py-1 pr-2 align-top">
                    {triggerLabel(triggers, c.triggerId) ?? (c.to === 0 && c.from > 0 ? "rollback" : "manual")}
                    {c.override && (
                      <span className="ml-1 rounded border border-amber-600 px-1 text-xs text-amber-900 dark:text-amber-200" title={c.note ?? undefined}>
                        override{c.note ? `: ${c.note}` : ""}
                      </span>
                    )}
                  </td>
                  <td className="py-1 pr-2 align-top">
                    <span className={`rounded border px-1 text-xs ${CHANGE_LOOK[c.state] ?? ""}`}>{c.state}</span>
                  </td>
                  <td className="py-1 pr-2 align-top tabular whitespace-nowrap">{c.durationMs !== null ? `${c.durationMs} ms` : "—"}</td>
                  <td className="py-1 align-top text-red-800 dark:text-red-300">{c.error ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </SubSection>
  );
}
