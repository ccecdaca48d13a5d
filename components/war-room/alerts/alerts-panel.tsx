"use client";
// Alerts received from Alertmanager (firing first, then recently resolved), and for those who
// manage it the token Alertmanager posts with: made here and shown once, inside the receiver
// configuration to paste into alertmanager.yml, or revoked.
import { useState } from "react";
import { receiverConfig } from "@/lib/domain/alerts";
import { BUTTON_CLASS, formatUtc, formatWallTime, useCommand } from "../shared/format";
import { LoadError, Panel, PanelError, PanelNote, SubSection } from "../shared/parts";
import type { PanelProps } from "../shared/types";
import { SeverityTag } from "./alert-severity";
import { useAlertsView, type AlertRow } from "./use-alerts-view";

export function AlertsPanel({ cutover, run, now }: PanelProps) {
  const query = useAlertsView(cutover.id);
  const { pending, error, exec } = useCommand();
  const [created, setCreated] = useState<{ token: string; path: string } | null>(null);
  const view = query.data;

  async function createToken() {
    await exec(async () => {
      const result = await run("alerts.token_create", { cutoverId: cutover.id });
      if (result.ok) setCreated(result.data as { token: string; path: string });
      return result;
    });
  }
  async function revoke(tokenId: string) {
    await exec(() => run("alerts.token_revoke", { cutoverId: cutover.id, tokenId }));
  }
  const url = (path: string) => (typeof window === "undefined" ? path : `${window.location.origin}${path}`);
  const when = (at: string) => (
    <time dateTime={at} title={formatUtc(at)} className="tabular">
      {formatWallTime(at, cutover.timeZone, now)}
    </time>
  );

  return (
    <Panel id="alerts" title="Alerts from Alertmanager">
      {query.error && <LoadError message={(query.error as Error).message} testId="alerts-load-error" onRetry={() => void query.refetch()} />}
      {!view && !query.error && <PanelNote role="status">Loading alerts…</PanelNote>}
      {view && view.alerts.length === 0 && <PanelNote testId="alerts-empty">No alerts received yet.</PanelNote>}
      {view && view.alerts.length > 0 && (
        <ul className="divide-y divide-neutral-200 px-3 text-sm dark:divide-neutral-800" data-testid="alerts-list">
          {view.alerts.map((a: AlertRow) => (
            <li key={a.id} className="flex flex-wrap items-baseline gap-x-2 py-1.5" data-testid="alert-row" data-status={a.status}>
              <SeverityTag severity={a.severity} className="border-neutral-400" />
              <span className={a.status === "firing" ? "font-bold" : "text-neutral-600 dark:text-neutral-400"}>{a.status === "firing" ? "FIRING" : "resolved"}</span>
              <span className="font-medium">{a.alertname}</span>
              {a.summary && <span className="min-w-0 break-words">{a.summary}</span>}
              <span className="text-xs text-neutral-600 dark:text-neutral-400">
                since {when(a.startsAt)}
                {a.status === "resolved" && a.endsAt && <> · resolved {when(a.endsAt)}</>}
              </span>
            </li>
          ))}
        </ul>
      )}
      {view?.canManage && (
        <SubSection title="Alertmanager token" testId="alert-tokens">
          <p className="mt-1 text-neutral-600 dark:text-neutral-400">
            Alertmanager posts this cutover&apos;s alerts to <code className="break-all">{url(view.path)}</code> with a bearer token made for it.
          </p>
          {(view.tokens ?? []).length > 0 && (
            <ul className="mt-1 space-y-1">
              {view.tokens!.map((t) => (
                <li key={t.id} className="flex flex-wrap items-center gap-2">
                  <span>
                    Token made by {t.createdBy} {when(t.createdAt)}
                    {t.lastUsedAt ? <>, last used {when(t.lastUsedAt)}</> : ", not used yet"}
                  </span>
                  <button type="button" className={BUTTON_CLASS} disabled={pending} onClick={() => void revoke(t.id)}>
                    Revoke token made {formatWallTime(t.createdAt, cutover.timeZone, now)}
                  </button>
                </li>
              ))}
            </ul>
          )}
          <button type="button" className={`${BUTTON_CLASS} mt-2`} disabled={pending} onClick={() => void createToken()}>
            Make a new token
          </button>
          {created && (
            <div className="mt-2" data-testid="alert-token-created">
              <p className="font-medium" role="status">
                The token is shown this once: copy the receiver into alertmanager.yml now.
              </p>
              <label className="mt-1 block text-xs text-neutral-600 dark:text-neutral-400" htmlFor="alert-receiver-config">
                Receiver configuration
              </label>
              <textarea id="alert-receiver-config" readOnly rows={9} className="mt-0.5 w-full rounded border border-neutral-300 bg-neutral-50 p-2 font-mono text-xs dark:border-neutral-700 dark:bg-neutral-950" value={receiverConfig(url(created.path), created.token)} />
              <button type="button" className={`${BUTTON_CLASS} mt-1`} onClick={() => setCreated(null)}>
                Done, hide it
              </button>
            </div>
          )}
        </SubSection>
      )}
      <PanelError message={error} testId="alerts-error" />
    </Panel>
  );
}
