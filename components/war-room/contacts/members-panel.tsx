"use client";
// Who holds which role in this cutover, and (for whoever may manage members) adding people by
// email and removing a role. Removing someone takes them out of the live room at once.
import { ErrorNote } from "@/components/ui/error-note";
import type { CutoverStateJson } from "@/lib/services/cutover-read";
import { roleLabel, useCommand } from "../shared/format";
import { Panel, PanelNote, RemoveButton } from "../shared/parts";
import type { PanelProps, RunCommand } from "../shared/types";
import { AddMemberForm } from "./add-member-form";

type Member = CutoverStateJson["members"][number];

export function MembersPanel({ cutover, run, can }: Pick<PanelProps, "cutover" | "run" | "can">) {
  const canManage = can("members.manage");
  return (
    <Panel id="members" title="Members">
      {cutover.members.length === 0 ? (
        <PanelNote>Nobody holds a role yet.</PanelNote>
      ) : (
        <ul className="divide-y divide-neutral-100 px-3 dark:divide-neutral-800">
          {cutover.members.map((m) => (
            <MemberRow key={m.id} member={m} cutoverId={cutover.id} run={run} canManage={canManage} />
          ))}
        </ul>
      )}
      {canManage && <AddMemberForm cutoverId={cutover.id} run={run} />}
    </Panel>
  );
}

function MemberRow({ member: m, cutoverId, run, canManage }: { member: Member; cutoverId: string; run: RunCommand; canManage: boolean }) {
  const { pending, error, exec } = useCommand();
  return (
    <li data-testid="member" data-email={m.user.email} className="flex flex-wrap items-baseline gap-x-3 py-1.5 text-sm">
      <span className="font-medium">{m.user.name}</span>
      <span className="text-muted">{m.user.email}</span>
      <span className="text-xs text-muted" data-testid="member-role">
        {roleLabel(m.role)}
      </span>
      {canManage && (
        <RemoveButton label={`Remove ${m.user.name} as ${roleLabel(m.role)}`} pending={pending} className="ml-auto" onClick={() => void exec(() => run("member.remove", { cutoverId, userId: m.userId, role: m.role }))} />
      )}
      <div className="w-full">
        <ErrorNote message={error} testId="member-error" />
      </div>
    </li>
  );
}
