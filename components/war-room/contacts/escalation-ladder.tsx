"use client";
import { DataTable, ACTIONS_COLUMN } from "@/components/ui/data-table";
import { CheckField, TextField } from "@/components/ui/field";
import type { CutoverStateJson } from "@/lib/services/cutover-read";
import { useCommandForm } from "../shared/format";
import { CommandForm, Panel, PanelError, PanelNote, RemoveButton, SubmitButton } from "../shared/parts";
import type { RunCommand } from "../shared/types";
import { TEXT } from "@/lib/domain/limits";

type Step = CutoverStateJson["escalation"][number];

export function EscalationLadder({ cutover, run, canEdit }: { cutover: CutoverStateJson; run: RunCommand; canEdit: boolean }) {
  const ladder = cutover.escalation ?? [];

  // The ladder is saved whole; each change sends the full new list.
  const { pending, error, exec, onSubmit } = useCommandForm(
    ({ data, text }, { setError }) => {
      if (!text("level") || !text("who") || !text("after")) return setError("Level, who and after are required");
      return save([...ladder, { level: text("level"), who: text("who"), after: text("after"), criticalOnly: data.get("criticalOnly") === "on" }]);
    },
    { reset: true },
  );
  function save(escalation: Step[]) {
    return exec(() => run("escalation.set", { cutoverId: cutover.id, escalation }));
  }

  return (
    <Panel id="escalation" title="Escalation ladder">
      {ladder.length === 0 ? (
        <PanelNote>No escalation ladder yet.</PanelNote>
      ) : (
        <DataTable columns={["Level", "Who", "After", { label: "Scope", hidden: true }, canEdit && ACTIONS_COLUMN]}>
          {ladder.map((s, i) => (
            <tr key={`${i}-${s.level}`} data-testid="escalation-step">
              <td className="px-3 py-1.5 font-medium">{s.level}</td>
              <td className="px-2 py-1.5">{s.who}</td>
              <td className="px-2 py-1.5 tabular">{s.after}</td>
              <td className="px-2 py-1.5">
                {s.criticalOnly && <span className="rounded border border-red-700 px-1 text-xs text-red-800 dark:text-red-300">critical only</span>}
              </td>
              {canEdit && (
                <td className="px-3 py-1.5 text-right">
                  <RemoveButton label={`Remove escalation level ${s.level}`} pending={pending} onClick={() => void save(ladder.filter((_, j) => j !== i))} />
                </td>
              )}
            </tr>
          ))}
        </DataTable>
      )}
      {canEdit && (
        <CommandForm label="Add an escalation level" onSubmit={onSubmit}>
          <TextField label="Level" name="level" required maxLength={TEXT.short} placeholder="L2" className="w-24" />
          <TextField label="Who" name="who" required maxLength={TEXT.name} className="w-48" />
          <TextField label="After" name="after" required maxLength={TEXT.phone} placeholder="15 min" className="w-24" />
          <CheckField label="Critical only" name="criticalOnly" className="inline-flex items-center gap-1 pb-1" />
          <SubmitButton pending={pending}>Add level</SubmitButton>
        </CommandForm>
      )}
      <PanelError message={error} testId="escalation-error" />
    </Panel>
  );
}
