"use client";
// Every outgoing message of this cutover with its delivery state; the channels it announces to.
// Those who edit announcements pick the channels; those who send them retry a failed delivery.
import { CheckField } from "@/components/ui/field";
import { DataTable, ACTIONS_COLUMN } from "@/components/ui/data-table";
import type { DeliveriesView, DeliveryRow } from "@/lib/schemas/deliveries";
import { BUTTON_CLASS, useCommand, useCommandForm } from "../shared/format";
import { PanelError, PanelNote, SubmitButton, SubSection, ViewPanel } from "../shared/parts";
import { Time } from "../shared/time";
import type { PanelProps } from "../shared/types";
import { deliveryLook, useDeliveriesView } from "./use-deliveries-view";

export function DeliveriesPanel({ cutover, run, can }: PanelProps) {
  const query = useDeliveriesView(cutover.id);
  return (
    <ViewPanel id="deliveries" title="Deliveries" query={query} what="the deliveries">
      {(view) => (
          <>
            <SubSection title="Channels this cutover announces to" testId="notify-channels">
              <ChannelList view={view} />
              {can("announcement.edit") && view.choices && <ChannelPicker cutoverId={cutover.id} view={view} run={run} />}
            </SubSection>
            <DeliveryTable rows={view.deliveries} cutover={cutover} run={run} canSend={can("announcement.send")} />
          </>
      )}
    </ViewPanel>
  );
}

function ChannelList({ view }: { view: DeliveriesView }) {
  if (view.channels.length === 0) return <p className="mt-1 text-muted">No channel yet: announcements of this cutover go nowhere.</p>;
  return (
    <ul className="mt-1 flex flex-wrap gap-2" aria-label="Channels">
      {view.channels.map((c) => (
        <li key={c.name} className="rounded border border-neutral-300 px-2 py-0.5 dark:border-neutral-700" data-testid="notify-channel">
          <span className="font-medium">{c.name}</span> <span className="text-muted">· {c.kind ?? "no longer defined: pick another"}</span>
        </li>
      ))}
    </ul>
  );
}

function ChannelPicker({ cutoverId, view, run }: { cutoverId: string; view: DeliveriesView; run: PanelProps["run"] }) {
  const chosen = new Set(view.channels.map((c) => c.name));
  const { pending, error, onSubmit } = useCommandForm(async ({ data }, { exec }) => {
    const channels = data.getAll("channel").map(String);
    return exec(() => run("notify.channels", { cutoverId, channels }));
  });
  const choices = view.choices ?? [];
  return (
    <form onSubmit={onSubmit} aria-label="Pick the channels" className="mt-2" data-testid="notify-channels-form">
      {choices.length === 0 ? (
        <p className="text-xs text-muted">No channel is defined yet: an administrator adds Slack, webhook or email channels under Administration → Integrations.</p>
      ) : (
        <fieldset className="flex flex-wrap items-center gap-3">
          <legend className="sr-only">Channels</legend>
          {choices.map((c) => (
            <CheckField key={c.name} name="channel" value={c.name} defaultChecked={chosen.has(c.name)} label={`${c.name} (${c.kind})`} />
          ))}
          <SubmitButton pending={pending} busyLabel="Saving…">
            Save channels
          </SubmitButton>
        </fieldset>
      )}
      <PanelError message={error} testId="notify-channels-error" />
    </form>
  );
}

function DeliveryTable({ rows, cutover, run, canSend }: { rows: DeliveryRow[]; cutover: PanelProps["cutover"]; run: PanelProps["run"]; canSend: boolean }) {
  if (rows.length === 0) return <PanelNote testId="deliveries-empty">No message has been sent yet. Announcements, escalations and check-in reminders appear here with their delivery state.</PanelNote>;
  return (
    <DataTable caption="Outgoing messages" columns={["When", "Message", "Channel", "Recipient", "State", "Attempts", "Last error", canSend && ACTIONS_COLUMN]}>
      {rows.map((d) => (
        <DeliveryRowView key={d.id} d={d} cutover={cutover} run={run} canSend={canSend} />
      ))}
    </DataTable>
  );
}

function DeliveryRowView({ d, cutover, run, canSend }: { d: DeliveryRow; cutover: PanelProps["cutover"]; run: PanelProps["run"]; canSend: boolean }) {
  const retry = useCommand();
  const look = deliveryLook(d);
  return (
    <tr className="align-top" data-testid="delivery" data-state={d.state} data-channel={d.channel}>
      <td className="px-3 py-1.5">
        <Time at={d.createdAt} cutover={cutover} />
      </td>
      <td className="px-2 py-1.5">
        <span className="font-medium">{d.title}</span>
        <span className="block text-xs text-muted">{d.source}</span>
      </td>
      <td className="px-2 py-1.5">{d.channel}</td>
      <td className="px-2 py-1.5">{d.recipient ?? <span className="text-muted">channel default</span>}</td>
      <td className="px-2 py-1.5">
        <span className={`rounded border px-1.5 py-0.5 text-xs ${look.style}`}>{look.label}</span>
        {d.dismissed && <span className="ml-1 text-xs text-muted">(dismissed)</span>}
        {d.deliveredAt && (
          <span className="block text-xs text-muted">
            at <Time at={d.deliveredAt} cutover={cutover} />
          </span>
        )}
      </td>
      <td className="px-2 py-1.5 tabular">{d.attempts}</td>
      <td className="max-w-xs break-words px-2 py-1.5 text-xs" data-testid="delivery-error">
        {d.lastError ?? <span className="text-muted">—</span>}
        <PanelError message={retry.error} testId="delivery-retry-error" />
      </td>
      {canSend && (
        <td className="px-3 py-1.5">
          {d.state === "failed" && (
            <button type="button" className={BUTTON_CLASS} disabled={retry.pending} aria-label={`Retry “${d.title}” to ${d.channel}`} onClick={() => void retry.exec(() => run("delivery.retry", { cutoverId: cutover.id, id: d.id }))}>
              Retry
            </button>
          )}
        </td>
      )}
    </tr>
  );
}
