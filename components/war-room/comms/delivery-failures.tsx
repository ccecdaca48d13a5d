"use client";
// A failed delivery is visible in the room until someone retries or dismisses it: a banner above
// the tabs for everyone, with the message, the channel and why it failed. Those who may send
// announcements retry or dismiss it here; the Comms tab lists every delivery.
import type { DeliveryRow } from "@/lib/schemas/deliveries";
import { ErrorNote } from "@/components/ui/error-note";
import { useCommand } from "../shared/format";
import type { PanelProps } from "../shared/types";
import { useDeliveriesView } from "./use-deliveries-view";

const SHOWN = 3;
const BANNER_BUTTON = "rounded border border-red-800 bg-white px-2 py-0.5 text-sm font-medium text-red-900 hover:bg-red-100 focus-visible:outline focus-visible:outline-2 focus-visible:outline-red-900 disabled:opacity-60";

export function DeliveryFailures({ cutover, run, can }: Pick<PanelProps, "cutover" | "run" | "can">) {
  const { data } = useDeliveriesView(cutover.id);
  // On the wall screen `can` allows nothing: the banner informs, nobody acts from it.
  const canSend = can("announcement.send");
  const failures = data?.failures ?? [];
  if (failures.length === 0) return null;
  return (
    <div role="alert" className="mb-3 rounded border border-red-700 bg-red-50 px-4 py-2 text-red-900 dark:bg-red-950 dark:text-red-100" data-testid="delivery-failures">
      <p className="font-semibold">
        <span aria-hidden>✉ </span>
        {failures.length === 1 ? "An outgoing message was not delivered" : `${failures.length} outgoing messages were not delivered`}
      </p>
      <ul className="mt-1 space-y-1 text-sm">
        {failures.slice(0, SHOWN).map((d) => (
          <FailureLine key={d.id} d={d} cutoverId={cutover.id} run={run} canSend={canSend} />
        ))}
      </ul>
      {failures.length > SHOWN && <p className="mt-1 text-sm">…and {failures.length - SHOWN} more in Comms → Deliveries.</p>}
      {!canSend && <p className="mt-1 text-sm">The Comms Lead or the Deployment Lead can retry them from Comms → Deliveries.</p>}
    </div>
  );
}

function FailureLine({ d, cutoverId, run, canSend }: { d: DeliveryRow; cutoverId: string; run: PanelProps["run"]; canSend: boolean }) {
  const retry = useCommand();
  const dismiss = useCommand();
  return (
    <li className="flex flex-wrap items-center gap-2" data-testid="delivery-failure">
      <span className="min-w-0 break-words">
        <strong>{d.title}</strong> to {d.channel}
        {d.recipient ? ` (${d.recipient})` : ""}: {d.lastError ?? "failed"}
      </span>
      {canSend && (
        <span className="ml-auto flex gap-1">
          <button type="button" className={BANNER_BUTTON} disabled={retry.pending} aria-label={`Retry “${d.title}” to ${d.channel}`} onClick={() => void retry.exec(() => run("delivery.retry", { cutoverId, id: d.id }))}>
            Retry
          </button>
          <button type="button" className={BANNER_BUTTON} disabled={dismiss.pending} aria-label={`Dismiss the failure of “${d.title}” to ${d.channel}`} onClick={() => void dismiss.exec(() => run("delivery.dismiss", { cutoverId, id: d.id }))}>
            Dismiss
          </button>
        </span>
      )}
      <ErrorNote message={retry.error ?? dismiss.error} testId="delivery-failure-error" />
    </li>
  );
}
