"use client";
// The rollback triggers with their live state, and their editor for whoever may edit them.
import { useState } from "react";
import type { LiveTrigger } from "@/lib/client/live-triggers";
import type { CutoverStateJson } from "@/lib/services/cutover-read";
import { BUTTON_CLASS } from "../shared/format";
import { SubSection } from "../shared/parts";
import type { RunCommand } from "../shared/types";
import { TriggerForm } from "./trigger-form";
import { TriggerRow } from "./trigger-row";

export function TriggersSection({ cutover, triggers, run, now, canEdit, loading }: { cutover: CutoverStateJson; triggers: LiveTrigger[]; run: RunCommand; now: number; canEdit: boolean; loading: boolean }) {
  const [editing, setEditing] = useState<string | "new" | null>(null);
  const editingTrigger = editing && editing !== "new" ? triggers.find((t) => t.id === editing) : undefined;
  return (
    <SubSection title="Rollback triggers" testId="triggers">
      {!loading && triggers.length === 0 && (
        <p className="text-muted">No triggers.{canEdit ? " A trigger watches a metric and rolls back (or recommends it) when it stays bad, like a Prometheus alert rule." : ""}</p>
      )}
      <ul className="mt-1 divide-y divide-neutral-100 dark:divide-neutral-800">
        {triggers.map((t) => (
          <TriggerRow key={t.id} trigger={t} cutover={cutover} run={run} now={now} canEdit={canEdit} onEdit={() => setEditing(t.id)} />
        ))}
      </ul>
      {canEdit && editing === null && (
        <button type="button" className={`${BUTTON_CLASS} mt-2`} onClick={() => setEditing("new")}>
          Add trigger
        </button>
      )}
      {canEdit && editing !== null && (editing === "new" || editingTrigger) && (
        <TriggerForm key={editing} cutoverId={cutover.id} trigger={editingTrigger} run={run} onDone={() => setEditing(null)} />
      )}
    </SubSection>
  );
}
