"use client";
// Go/no-go decision points: gates, who must vote and how they voted, why the decision stands
// where it does, and the buttons of whoever may act on it now. A closed decision shows what the
// room saw when it closed (the stored snapshot), never the live gates.
import { TONE, type Look } from "@/components/ui/tones";
import { GateList } from "../shared/gate-list";
import { useRef, useState } from "react";
import { ErrorNote } from "@/components/ui/error-note";
import { Field } from "@/components/ui/field";
import type { DecisionState, Gate, VoteChoice } from "@/lib/domain/decision";
import { can as rolesCan } from "@/lib/domain/permissions";
import { formatTOffset } from "@/lib/domain/relative-time";
import type { Role } from "@/lib/domain/roles";
import type { CutoverStateJson } from "@/lib/services/cutover-read";
import {
  BUTTON_CLASS,
  DANGER_BUTTON_CLASS,
  INPUT_CLASS,
  PRIMARY_BUTTON_CLASS,
  formatUtc,
  formatWallTime,
  roleLabel,
  useCommand,
} from "../shared/format";
import { Panel, PanelNote } from "../shared/parts";
import type { PanelProps, RunCommand } from "../shared/types";
import { CreateDecisionForm } from "./create-decision-form";
import { decisionStatusLine, openCriticalItems } from "@/lib/client/decision-status";
import { TEXT } from "@/lib/domain/limits";

type Decision = CutoverStateJson["decisions"][number];
type ShownVote = { role: Role; choice: VoteChoice; userName: string; comment: string | null; at: string };

const STATE: Record<DecisionState, Look> = {
  pending: { label: "Pending", style: "border-neutral-400 bg-neutral-100 text-neutral-700 dark:bg-neutral-800 dark:text-neutral-200" },
  voting: { label: "Voting", style: TONE.active },
  proceed: { label: "PROCEED", style: "border-green-700 bg-green-50 font-semibold text-green-800 dark:bg-green-950 dark:text-green-200" },
  abort: { label: "ABORT", style: TONE.bad },
};

const isClosed = (s: DecisionState) => s === "proceed" || s === "abort";

export function DecisionsPanel({ cutover, run, can }: PanelProps) {
  const phasePosition = new Map(cutover.phases.map((p) => [p.id, p.position]));
  // In plan order (phase position), then by title as the server sends them.
  const decisions = [...cutover.decisions].sort((a, b) => (phasePosition.get(a.phaseId) ?? Infinity) - (phasePosition.get(b.phaseId) ?? Infinity));
  const canEdit = can("cutover.edit_plan");

  return (
    <Panel id="decisions" title="Go / no-go decisions">
      {decisions.length === 0 ? (
        <PanelNote>No decision points yet.{canEdit ? " Add one below: each phase that needs a go/no-go gets one, with the roles that must vote." : ""}</PanelNote>
      ) : (
        <div className="divide-y divide-neutral-200 dark:divide-neutral-800">
          {decisions.map((d) => (
            <DecisionCard key={d.id} decision={d} cutover={cutover} run={run} can={can} />
          ))}
        </div>
      )}
      {canEdit && cutover.phases.length > 0 && <CreateDecisionForm cutover={cutover} run={run} />}
    </Panel>
  );
}

export function DecisionCard({ decision: d, cutover, run, can }: { decision: Decision; cutover: CutoverStateJson; run: RunCommand; can: PanelProps["can"] }) {
  const { pending, error, exec, setError } = useCommand();
  const [comment, setComment] = useState("");
  const [confirming, setConfirming] = useState(false);
  const [reason, setReason] = useState("");
  const abortButton = useRef<HTMLButtonElement>(null);

  const closed = isClosed(d.state);
  const snapshot = closed ? d.snapshot : null;
  const phaseName = cutover.phases.find((p) => p.id === d.phaseId)?.name ?? "Unknown phase";
  const gates: Gate[] = snapshot ? snapshot.gates : d.gates;
  const votes: ShownVote[] = snapshot
    ? snapshot.votes
    : d.votes.map((v) => ({ role: v.role, choice: v.choice, userName: v.user.name, comment: v.comment, at: v.createdAt }));
  // The first vote of each role counts (as in evaluateDecision).
  const voteOf = (role: Role) => votes.find((v) => v.role === role);
  const decidedAt = snapshot?.at ?? d.decidedAt;

  // Roles I hold that must vote here and still owe their vote; the first one votes next.
  const owing = d.state === "voting" ? d.requiredRoles.filter((r) => cutover.myRoles.includes(r) && rolesCan([r], "decision.vote") && !d.votes.some((v) => v.role === r)) : [];
  const votingAs = owing[0];
  const reasonText = closed ? (d.reason ?? d.evaluation.reason) : decisionStatusLine(d.state, d.evaluation);
  // The live checklist gate's open items, all of them, as a list (its detail names five).
  const openItems = snapshot ? [] : openCriticalItems(cutover.phases.find((p) => p.id === d.phaseId));
  const headingId = `decision-${d.id}`;

  async function vote(choice: VoteChoice) {
    if (!votingAs) return;
    const ok = await exec(() => run("decision.vote", { cutoverId: cutover.id, decisionId: d.id, choice, comment: comment.trim() || null, role: votingAs }));
    if (ok) setComment("");
  }

  function closeConfirm() {
    setConfirming(false);
    setReason("");
    abortButton.current?.focus();
  }

  async function confirmAbort() {
    if (!reason.trim()) return setError("A reason is required to abort");
    const ok = await exec(() => run("decision.abort", { cutoverId: cutover.id, decisionId: d.id, reason: reason.trim() }));
    if (ok) {
      setConfirming(false);
      setReason("");
    }
  }

  return (
    <article data-testid="decision" data-decision-id={d.id} data-state={d.state} aria-labelledby={headingId} className="px-3 py-3">
      <header className="flex flex-wrap items-baseline gap-2">
        <h3 id={headingId} className="font-semibold" data-testid="decision-title">
          {d.title}
        </h3>
        <span className="text-sm text-muted" data-testid="decision-phase">
          {phaseName}
          {d.targetPercent !== null && <span className="tabular"> · to {d.targetPercent} % new</span>}
        </span>
        <span className={`rounded border px-1.5 text-xs ${STATE[d.state].style}`} data-testid="decision-state">
          {STATE[d.state].label}
        </span>
        {closed && decidedAt && (
          <span className="text-xs text-muted" data-testid="decision-decided-at">
            decided at{" "}
            <time dateTime={decidedAt} title={formatUtc(decidedAt)} className="tabular">
              {formatWallTime(decidedAt, cutover.timeZone, cutover.tZero, true)}
            </time>{" "}
            <span className="tabular">({formatTOffset(Date.parse(decidedAt) - Date.parse(cutover.tZero))})</span>
          </span>
        )}
        {d.state === "voting" && d.openedAt && (
          <span className="text-xs text-muted">
            vote opened{" "}
            <time dateTime={d.openedAt} title={formatUtc(d.openedAt)} className="tabular">
              {formatWallTime(d.openedAt, cutover.timeZone, cutover.tZero)}
            </time>
          </span>
        )}
      </header>

      <div className="mt-2 grid gap-3 text-sm md:grid-cols-2">
        <div>
          <h4 className="text-xs font-medium uppercase text-muted">{snapshot ? "Gates when decided" : "Gates"}</h4>
          {gates.length === 0 ? (
            <p className="text-muted">No gates</p>
          ) : (
<GateList gates={gates} testId="gate" words={{ passed: "Passed: ", failed: "Failing: " }} />
          )}
          {openItems.length > 0 && (
            <details className="mt-1" data-testid="decision-open-items">
              <summary className="cursor-pointer text-xs font-medium">
                {openItems.length} open critical {openItems.length === 1 ? "item" : "items"}
              </summary>
              <ul className="mt-1 list-inside list-disc text-xs">
                {openItems.map((title, i) => (
                  <li key={`${i}-${title}`}>{title}</li>
                ))}
              </ul>
            </details>
          )}
        </div>
        <div>
          <h4 className="text-xs font-medium uppercase text-muted">{snapshot ? "Votes when decided" : "Votes"}</h4>
          <ul className="mt-1 space-y-1">
            {d.requiredRoles.map((role) => {
              const v = voteOf(role);
              const vote = v ? (v.choice === "go" ? "go" : "no_go") : "waiting";
              return (
                <li key={role} data-testid="required-role" data-role={role} data-vote={vote}>
                  <span className="font-medium">{roleLabel(role)}</span>{" "}
                  {v ? (
                    <>
                      <span
                        className={`rounded border px-1 text-xs font-semibold ${
                          v.choice === "go" ? "border-green-700 text-green-800 dark:text-green-300" : "border-red-700 text-red-800 dark:text-red-300"
                        }`}
                      >
                        {v.choice === "go" ? "GO" : "NO-GO"}
                      </span>{" "}
                      <span className="text-muted">by {v.userName}</span>
                      {v.comment && <span className="block text-xs text-neutral-600 dark:text-neutral-300">“{v.comment}”</span>}
                    </>
                  ) : (
                    <span className="text-muted">{closed ? "did not vote" : "waiting"}</span>
                  )}
                </li>
              );
            })}
          </ul>
        </div>
      </div>

      <p className="mt-2 text-sm" data-testid="decision-reason">
        <span className="text-muted">{closed ? "Result: " : "Status: "}</span>
        {reasonText}
      </p>

      <div className="mt-2 flex flex-wrap items-end gap-2">
        {d.state === "pending" && can("decision.open_vote") && (
          <button type="button" className={PRIMARY_BUTTON_CLASS} disabled={pending} onClick={() => void exec(() => run("decision.open_vote", { cutoverId: cutover.id, decisionId: d.id }))}>
            Open vote
          </button>
        )}
        {votingAs && (
          <>
            <Field label="Comment" className="text-sm">
              <input value={comment} onChange={(e) => setComment(e.target.value)} maxLength={TEXT.note} className={`${INPUT_CLASS} w-64`} placeholder="optional" />
            </Field>
            <button type="button" disabled={pending} onClick={() => void vote("go")} className="rounded bg-green-700 px-3 py-1 text-sm font-medium text-white hover:bg-green-800 disabled:opacity-60">
              Vote GO
            </button>
            <button type="button" disabled={pending} onClick={() => void vote("no_go")} className="rounded border border-red-700 px-3 py-1 text-sm font-medium text-red-800 hover:bg-red-50 disabled:opacity-60 dark:text-red-300 dark:hover:bg-red-950">
              Vote NO-GO
            </button>
            <span className="text-xs text-muted" data-testid="voting-as">
              as {roleLabel(votingAs)}
            </span>
          </>
        )}
        {!closed && can("decision.abort") && (
          <button
            ref={abortButton}
            type="button"
            aria-expanded={confirming}
            disabled={pending}
            onClick={() => (confirming ? closeConfirm() : setConfirming(true))}
            className="ml-auto rounded border border-red-700 px-3 py-1 text-sm text-red-800 hover:bg-red-50 disabled:opacity-60 dark:text-red-300 dark:hover:bg-red-950"
          >
            Abort decision
          </button>
        )}
      </div>

      {confirming && !closed && (
        <div
          role="group"
          aria-label={`Confirm abort of ${d.title}`}
          data-testid="abort-confirm"
          className="mt-2 rounded border border-red-300 bg-red-50 p-2 text-sm dark:border-red-800 dark:bg-red-950"
          onKeyDown={(e) => {
            if (e.key === "Escape") closeConfirm();
          }}
        >
          <p className="font-medium text-red-900 dark:text-red-200">
            Close “{d.title}” as ABORT now, with the gates and votes as they stand. This cannot be undone.
          </p>
          <label className="mt-1 flex flex-col">
            <span className="text-xs text-neutral-600 dark:text-neutral-300">Reason</span>
            <textarea value={reason} onChange={(e) => setReason(e.target.value)} required maxLength={TEXT.note} rows={2} className={`${INPUT_CLASS} bg-white dark:bg-neutral-900`} />
          </label>
          <div className="mt-2 flex gap-2">
            {/* The safe choice has the focus. */}
            <button type="button" autoFocus onClick={closeConfirm} className={BUTTON_CLASS}>
              Cancel
            </button>
            <button type="button" disabled={pending || !reason.trim()} onClick={() => void confirmAbort()} className={DANGER_BUTTON_CLASS}>
              Confirm abort
            </button>
            {!reason.trim() && <span className="self-center text-xs text-neutral-600 dark:text-neutral-300">A reason is required.</span>}
          </div>
        </div>
      )}

      <ErrorNote message={error} testId="decision-error" />
    </article>
  );
}
