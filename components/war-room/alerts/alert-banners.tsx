"use client";
// Firing Alertmanager alerts, one banner per alert (its fingerprint), with their severity in words
// and shape, the summary and since when. A banner goes away as soon as Alertmanager says the
// alert resolved (the `alert.state` event refetches the list).
import { isCritical } from "@/lib/domain/alerts";
import { formatUtc, formatWallTime } from "../shared/format";
import type { PanelProps } from "../shared/types";
import { SeverityTag } from "./alert-severity";
import { useAlertsView } from "./use-alerts-view";

export function AlertBanners({ cutover, now }: PanelProps) {
  const { data } = useAlertsView(cutover.id);
  const firing = (data?.alerts ?? []).filter((a) => a.status === "firing");
  if (firing.length === 0) return null;
  return (
    <section aria-label="Firing alerts from Alertmanager" className="mb-3 space-y-2" data-testid="alert-banners">
      {firing.map((a) => {
        const critical = isCritical(a.severity);
        return (
          <div
            key={a.id}
            role={critical ? "alert" : "status"}
            data-testid="alert-banner"
            data-fingerprint={a.fingerprint}
            className={
              critical
                ? "flex flex-wrap items-baseline gap-x-3 gap-y-1 rounded border-2 border-red-900 bg-red-700 px-4 py-2 text-white"
                : "flex flex-wrap items-baseline gap-x-3 gap-y-1 rounded border-2 border-amber-600 bg-amber-50 px-4 py-2 text-amber-950 dark:bg-amber-950 dark:text-amber-100"
            }
          >
            <SeverityTag severity={a.severity} className={critical ? "border-white" : "border-amber-700"} />
            <p className="min-w-0 flex-1 break-words font-semibold">
              {a.alertname}
              {a.summary && <span className="font-normal">: {a.summary}</span>}
            </p>
            <p className="text-sm">
              Firing since{" "}
              <time dateTime={a.startsAt} title={formatUtc(a.startsAt)} className="tabular">
                {formatWallTime(a.startsAt, cutover.timeZone, now)}
              </time>
            </p>
          </div>
        );
      })}
    </section>
  );
}
