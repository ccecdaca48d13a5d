"use client";
// The risk register, worst first (probability × impact), with inline status and add/edit for
// the roles that may edit risks.
import { useState, type ChangeEvent } from "react";
import { ACTIONS_COLUMN, DataTable } from "@/components/ui/data-table";
import { ErrorNote } from "@/components/ui/error-note";
import { Field } from "@/components/ui/field";
import { RISK_LEVEL_LABELS, RISK_LEVELS, riskSeverity, sortRisksBySeverity, type RiskLevel } from "@/lib/domain/risk";
import type { CutoverStateJson } from "@/lib/services/cutover-read";
import { BUTTON_CLASS, INPUT_CLASS, ROLE_OPTIONS, isRole, roleLabel, submitForm, useCommand } from "../shared/format";
import { Panel, PanelNote, SubmitButton } from "../shared/parts";
import type { PanelProps, RunCommand } from "../shared/types";

type Risk = CutoverStateJson["risks"][number];

const STATUSES = ["open", "mitigated", "accepted", "occurred", "closed"] as const;
type RiskStatus = (typeof STATUSES)[number];
const STATUS_LABELS: Record<RiskStatus, string> = { open: "Open", mitigated: "Mitigated", accepted: "Accepted", occurred: "Occurred", closed: "Closed" };

const SEVERITY_STYLE: Record<RiskLevel | "unknown", string> = {
  critical: "border-red-700 bg-red-50 font-semibold text-red-800 dark:bg-red-950 dark:text-red-200",
  high: "border-amber-600 bg-amber-50 font-semibold text-amber-900 dark:bg-amber-950 dark:text-amber-200",
  medium: "border-amber-400 text-amber-800 dark:text-amber-300",
  low: "border-neutral-300 text-neutral-600 dark:text-neutral-300",
  unknown: "border-neutral-300 text-neutral-500",
};

const isLevel = (v: string): v is RiskLevel => (RISK_LEVELS as readonly string[]).includes(v);
const isStatus = (v: string): v is RiskStatus => (STATUSES as readonly string[]).includes(v);
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
          <span className="ml-2 text-xs font-normal text-neutral-500">severity = probability × impact (1–16), worst first</span>
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
      <td className="max-w-md px-2 py-1.5 align-top text-neutral-700 dark:text-neutral-300">{r.mitigation ?? <span className="text-neutral-400">—</span>}</td>
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

/** Add a risk (no `risk`) or edit one; edit ends with `onDone` after a save or Cancel. */
function RiskForm({ cutoverId, run, risk, onDone }: { cutoverId: string; run: RunCommand; risk?: Risk; onDone?: () => void }) {
  const { pending, error, exec, setError } = useCommand();

  // Adding clears the form for the next risk; editing ends with onDone.
  const onSubmit = submitForm(
    async ({ text }) => {
      const [probability, impact, status, owner] = [text("probability"), text("impact"), text("status"), text("ownerRole")];
      if (!isLevel(probability) || !isLevel(impact)) return setError("Choose a probability and an impact");
      if (!isStatus(status)) return setError("Choose a status");
      const ok = await exec(() =>
        run("risk.save", {
          cutoverId,
          ...(risk && { id: risk.id }),
          title: text("title"),
          probability,
          impact,
          mitigation: text("mitigation") || null,
          ownerRole: isRole(owner) ? owner : null,
          status,
        }),
      );
      if (ok) onDone?.();
      return ok;
    },
    { reset: !onDone },
  );

  const select = (name: string, label: string, options: readonly { value: string; label: string }[], value: string) => (
    <Field label={label}>
      <select name={name} defaultValue={value} className={INPUT_CLASS}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </Field>
  );
  const levels = RISK_LEVELS.map((l) => ({ value: l, label: RISK_LEVEL_LABELS[l] }));

  return (
    <form onSubmit={onSubmit} aria-label={risk ? `Edit risk ${risk.title}` : "Add a risk"} className="text-sm">
      <div className="flex flex-wrap items-end gap-2">
        <Field label="Risk">
          <input name="title" required maxLength={500} defaultValue={risk?.title} className={`${INPUT_CLASS} w-64`} />
        </Field>
        {select("probability", "Probability", levels, risk?.probability ?? "medium")}
        {select("impact", "Impact", levels, risk?.impact ?? "medium")}
        <Field label="Mitigation">
          <input name="mitigation" maxLength={5000} defaultValue={risk?.mitigation ?? ""} className={`${INPUT_CLASS} w-64`} />
        </Field>
        {select("ownerRole", "Owner role", [{ value: "", label: "—" }, ...ROLE_OPTIONS], risk?.ownerRole ?? "")}
        {select(
          "status",
          "Status",
          STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] })),
          risk?.status ?? "open",
        )}
        <SubmitButton pending={pending} busyLabel="Saving…">
          {risk ? "Save risk" : "Add risk"}
        </SubmitButton>
        {onDone && (
          <button type="button" onClick={onDone} className={BUTTON_CLASS}>
            Cancel
          </button>
        )}
      </div>
      <ErrorNote message={error} testId="risk-error" />
    </form>
  );
}
