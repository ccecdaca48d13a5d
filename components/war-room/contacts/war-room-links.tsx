"use client";
import { isHttpUrl } from "@/lib/domain/request-input";
import { TextField } from "@/components/ui/field";
import type { CutoverStateJson } from "@/lib/services/cutover-read";
import { useCommandForm } from "../shared/format";
import { CopyButton } from "./copy-button";
import { CommandForm, Panel, PanelError, PanelNote, RemoveButton, SubmitButton } from "../shared/parts";
import type { RunCommand } from "../shared/types";
import { TEXT } from "@/lib/domain/limits";

type Link = CutoverStateJson["links"][number];

export function WarRoomLinks({ cutover, run, canEdit }: { cutover: CutoverStateJson; run: RunCommand; canEdit: boolean }) {
  const links = cutover.links ?? [];

  const { pending, error, exec, onSubmit } = useCommandForm(
    ({ text }, { setError }) => {
      const label = text("label");
      const url = text("url");
      if (!label || !url) return setError("Label and URL are required");
      if (!isHttpUrl(url)) return setError("Links must be absolute http:// or https:// URLs");
      return save([...links, { label, url }]);
    },
    { reset: true },
  );
  // The list is saved whole, like the escalation ladder.
  function save(next: Link[]) {
    return exec(() => run("links.set", { cutoverId: cutover.id, links: next }));
  }

  return (
    <Panel id="links" title="War-room links">
      {links.length === 0 ? (
        <PanelNote>No links yet: the bridge call, dashboards and the incident channel belong here.</PanelNote>
      ) : (
        <ul className="divide-y divide-neutral-100 px-3 dark:divide-neutral-800">
          {links.map((l, i) => {
            const safe = isHttpUrl(l.url);
            return (
              <li key={`${i}-${l.url}`} data-testid="war-room-link" className="flex flex-wrap items-baseline gap-2 py-1.5 text-sm">
                {safe ? (
                  <a href={l.url} rel="noreferrer" target="_blank" className="font-medium text-blue-700 hover:underline dark:text-blue-400">
                    {l.label}
                  </a>
                ) : (
                  <span className="font-medium">{l.label}</span>
                )}
                <span className="truncate text-xs text-muted">{l.url}</span>
                <CopyButton value={l.url} label={`Copy link ${l.label}`} />
                {canEdit && <RemoveButton label={`Remove link ${l.label}`} pending={pending} className="ml-auto" onClick={() => void save(links.filter((_, j) => j !== i))} />}
              </li>
            );
          })}
        </ul>
      )}
      {canEdit && (
        <CommandForm label="Add a war-room link" onSubmit={onSubmit}>
          <TextField label="Label" name="label" required maxLength={TEXT.short} className="w-40" />
          <TextField label="URL" name="url" required maxLength={TEXT.note} placeholder="https://…" className="w-72" />
          <SubmitButton pending={pending}>Add link</SubmitButton>
        </CommandForm>
      )}
      <PanelError message={error} testId="links-error" />
    </Panel>
  );
}
