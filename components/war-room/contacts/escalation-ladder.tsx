"use client";
import { DataTable, ACTIONS_COLUMN } from "@/components/ui/data-table";
import { ErrorNote } from "@/components/ui/error-note";
import { Field } from "@/components/ui/field";
import type { CutoverStateJson } from "@/lib/services/cutover-read";
import { INPUT_CLASS, submitForm, useCommand } from "../shared/format";
import { Panel, PanelNote, RemoveButton, SubmitButton } from "../shared/parts";
import type { RunCommand } from "../shared/types";
import { TEXT } from "@/lib/domain/limits";

type Step = CutoverStateJson["escalation"][number];

export function EscalationLadder({ cutover, run, canEdit }: { cutover: CutoverStateJson; run: RunCommand; canEdit: boolean }) {
  const { pending, error, exec, setError } = useCommand();
  const ladder = cutover.escalation ?? [];

  // The ladder is saved whole; each change sends the full new list.
  const save = (escalation: Step[]) => exec(() => run("escalation.set", { cutoverId: cutover.id, escalation }));

  const onSubmit = submitForm(
    ({ data, text }) => {
      if (!text("level") || !text("who") || !text("after")) return setError("Level, who and after are required");
      return save([...ladder, { level: text("level"), who: text("who"), after: text("after"), criticalOnly: data.get("criticalOnly") === "on" }]);
    },
    { reset: true },
  );

  return (
    <Panel id="escalation" title="Escalation ladder">
      {ladder.length === 0 ? (
        <PanelNote>No escalation ladder yet.</PanelNote>
      ) : (
        <DataTable scroll={false} columns={["Level", "Who", "After", { label: "Scope", hidden: true }, canEdit && ACTIONS_COLUMN]}>
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
        <form onSubmit={onSubmit} aria-label="Add an escalation level" className="border-t border-neutral-200 px-3 py-2 text-sm dark:border-neutral-800">
          <div className="flex flex-wrap items-end gap-2">
            <Field label="Level">
              <input name="level" required maxLength={TEXT.short} placeholder="L2" className={`${INPUT_CLASS} w-24`} />
            </Field>
            <Field label="Who">
              <input name="who" required maxLength={TEXT.name} className={`${INPUT_CLASS} w-48`} />
            </Field>
            <Field label="After">
              <input name="after" required maxLength={TEXT.phone} placeholder="15 min" className={`${INPUT_CLASS} w-24`} />
            </Field>
            <label className="inline-flex items-center gap-1 pb-1">
              <input type="checkbox" name="criticalOnly" />
              Critical only
            </label>
            <SubmitButton pending={pending}>Add level</SubmitButton>
          </div>
        </form>
      )}
      <div className="px-3 pb-2">
        <ErrorNote message={error} testId="escalation-error" />
      </div>
    </Panel>
  );
}
