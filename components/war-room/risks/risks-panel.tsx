"use client";
// The risk register, worst first (probability × impact), with inline status and add/edit for
// the roles that may edit risks.
import { useState, type ChangeEvent } from "react";
import { ACTIONS_COLUMN, DataTable } from "@/components/ui/data-table";
import { ErrorNote } from "@/components/ui/error-note";
import { RISK_LEVEL_LABELS, riskSeverity, sortRisksBySeverity, type RiskLevel } from "@/lib/domain/risk";
import { BUTTON_CLASS, INPUT_CLASS, roleLabel, useCommand } from "../shared/format";
import { Panel, PanelNote } from "../shared/parts";
import type { PanelProps, RunCommand } from "../shared/types";
import { STATUSES, STATUS_LABELS, isLevel, isStatus, type Risk, type RiskStatus } from "./risk-words";
import { RiskForm } from "./risk-form";

const SEVERITY_STYLE: Record<RiskLevel | "unknown", string> = {
  critical: "border-red-700 bg-red-50 font-semibold text-red-800 dark:bg-red-950 dark:text-red-200",
  high: "border-amber-600 bg-amber-50 font-semibold text-amber-900 dark:bg-amber-950 dark:text-amber-200",
  medium: "border-amber-400 text-amber-800 dark:text-amber-300",
  low: "border-neutral-300 text-neutral-600 dark:text-neutral-300",
  unknown: "border-neutral-300 text-muted",
};

const levelLabel = (v: string) => (isLevel(v) ? RISK_LEVEL_LABELS[v] : v);
const statusLabel = (v: string) => (isStatus(v) ? STATUS_LABELS[v] : v);

/** The full input of risk.save for an existing risk: the command replaces every field. */
function saveInput(cutoverId: string, r: Risk, change: Partial<{ status: RiskStatus }>) {
  return {
    cutoverId,
    id: r.id,
    title: r.title,
    probability: isLevel(r.probability) ? r.probability : "medium",
    impact: isLevel(r.impact) ? r.impact : "medium",
    mitigation: r.mitigation,
    ownerRole: r.ownerRole,
    status: change.status ?? (isStatus(r.status) ? r.status : "open"),
  } as const;
}

export function RisksPanel({ cutover, run, can }: PanelProps) {
  const canEdit = can("risk.edit");
  const risks = sortRisksBySeverity(cutover.risks);
  const [editing, setEditing] = useState<string | null>(null);

  return (
    <Panel
      id="risks"
      title={
        <>
          Risk register
          <span className="ml-2 text-xs font-normal text-muted">severity = probability × impact (1–16), worst first</span>
        </>
      }
    >
      {risks.length === 0 ? (
        <PanelNote>No risks recorded.{canEdit ? " Add what could go wrong, how likely it is and what limits the damage." : ""}</PanelNote>
      ) : (
        <DataTable
          caption="Risks ordered by severity, highest first"
          columns={["Risk", "Probability", "Impact", "Severity", "Mitigation", "Owner", "Status", canEdit && ACTIONS_COLUMN]}
        >
          {risks.map((r) =>
            editing === r.id ? (
              <tr key={r.id} data-testid="risk-edit">
                <td colSpan={8} className="px-3 py-2">
                  <RiskForm cutoverId={cutover.id} run={run} risk={r} onDone={() => setEditing(null)} />
                </td>
              </tr>
            ) : (
              <RiskRow key={r.id} risk={r} cutoverId={cutover.id} run={run} canEdit={canEdit} onEdit={() => setEditing(r.id)} />
            ),
          )}
        </DataTable>
      )}
      {canEdit && (
        <div className="border-t border-neutral-200 px-3 py-2 dark:border-neutral-800">
          <h3 className="mb-1 text-sm font-medium text-neutral-600 dark:text-neutral-300">Add a risk</h3>
          <RiskForm cutoverId={cutover.id} run={run} />
        </div>
      )}
    </Panel>
  );
}

function RiskRow({ risk: r, cutoverId, run, canEdit, onEdit }: { risk: Risk; cutoverId: string; run: RunCommand; canEdit: boolean; onEdit: () => void }) {
  const { pending, error, exec } = useCommand();
  const severity = riskSeverity(r);

  async function onStatus(e: ChangeEvent<HTMLSelectElement>) {
    const select = e.currentTarget;
    const status = select.value;
    if (!isStatus(status)) return;
    const ok = await exec(() => run("risk.save", saveInput(cutoverId, r, { status })));
    // On failure show the status that is actually stored again.
    if (!ok) select.value = r.status;
  }

  return (
    <tr data-testid="risk" data-risk-id={r.id} data-severity={severity.score} data-status={r.status}>
      <td className="px-3 py-1.5 align-top font-medium" data-testid="risk-title">
        {r.title}
        <ErrorNote message={error} testId="risk-error" />
      </td>
      <td className="px-2 py-1.5 align-top">{levelLabel(r.probability)}</td>
      <td className="px-2 py-1.5 align-top">{levelLabel(r.impact)}</td>
      <td className="px-2 py-1.5 align-top">
        <span className={`inline-block whitespace-nowrap rounded border px-1.5 text-xs ${SEVERITY_STYLE[severity.level]}`} data-testid="risk-severity">
          <span className="tabular">{severity.score}</span> {severity.level}
        </span>
      </td>
      <td className="max-w-md px-2 py-1.5 align-top text-neutral-700 dark:text-neutral-300">{r.mitigation ?? <span className="text-muted">—</span>}</td>
      <td className="px-2 py-1.5 align-top whitespace-nowrap">{roleLabel(r.ownerRole)}</td>
      <td className="px-2 py-1.5 align-top">
        {canEdit ? (
          // Uncontrolled, re-mounted when the stored status changes: shows the choice at once,
          // then whatever the server holds.
          <select key={r.status} defaultValue={r.status} disabled={pending} onChange={(e) => void onStatus(e)} aria-label={`Status of ${r.title}`} className={INPUT_CLASS}>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {STATUS_LABELS[s]}
              </option>
            ))}
          </select>
        ) : (
          <span data-testid="risk-status">{statusLabel(r.status)}</span>
        )}
      </td>
      {canEdit && (
        <td className="px-3 py-1.5 text-right align-top">
          <button type="button" onClick={onEdit} aria-label={`Edit risk ${r.title}`} className={BUTTON_CLASS}>
            Edit
          </button>
        </td>
      )}
    </tr>
  );
}
