"use client";
import { useState } from "react";
import type { CutoverStateJson } from "@/lib/services/cutover-read";
import { formatTOffset } from "@/lib/domain/relative-time";
import { cutoverDrift } from "@/lib/domain/drift";
import { ErrorNote } from "@/components/ui/error-note";
import type { PanelProps } from "./shared/types";

function wallTime(ms: number, timeZone: string) {
  return new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false }).format(ms);
}

/** Where are we: name, mode, state, the clock against T-0 and how far behind plan the schedule runs. */
export function RoomHeader({ cutover: c, now, run, can, children }: Omit<PanelProps, "cutover"> & { cutover: CutoverStateJson; children: React.ReactNode }) {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const tZero = new Date(c.tZero).getTime();
  const drift = cutoverDrift(
    c.timeline.map((e) => ({
      plannedStart: new Date(e.plannedStart),
      plannedFinish: e.plannedFinish ? new Date(e.plannedFinish) : null,
      actualStart: e.actualStart ? new Date(e.actualStart) : null,
      actualFinish: e.actualFinish ? new Date(e.actualFinish) : null,
    })),
    new Date(now),
  );
  const canStart = can("cutover.start") && (c.state === "draft" || c.state === "scheduled");

  async function start() {
    const r = await run("cutover.start", { cutoverId: c.id });
    setConfirming(false);
    setError(r.ok ? null : r.message);
  }

  return (
    <section className="mb-3 rounded border border-neutral-200 bg-white p-3 dark:border-neutral-800 dark:bg-neutral-900">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h1 className="text-xl font-semibold" data-testid="cutover-name">
            {c.name}
            <span className={`ml-2 rounded px-1.5 text-sm ${c.mode === "rehearsal" ? "bg-purple-100 text-purple-800" : "bg-neutral-100 text-neutral-700 dark:bg-neutral-800 dark:text-neutral-200"}`}>
              {c.mode === "rehearsal" ? "REHEARSAL" : "LIVE"}
            </span>
          </h1>
          <p className="text-sm text-neutral-500">
            {c.systemFrom} → {c.systemTo} · <span data-testid="cutover-state">{c.state.replace("_", " ")}</span> · new gets <span className="tabular">{c.trafficPercent}%</span>
          </p>
        </div>
        <div className="text-right">
          <div className="text-2xl font-semibold tabular" data-testid="t-clock" title={`T-0 = ${new Date(tZero).toISOString()}`}>
            {formatTOffset(now - tZero)}
          </div>
          <div className="text-sm text-neutral-500 tabular" title={`${new Date(now).toISOString().slice(11, 19)} UTC`}>
            <span data-testid="wall-clock">{wallTime(now, c.timeZone)}</span> {c.timeZone} ·{" "}
            <span data-testid="header-drift" className={drift.driftMinutes !== null && drift.driftMinutes > 0 ? "font-medium text-amber-700 dark:text-amber-400" : ""}>
              {drift.label}
            </span>
          </div>
        </div>
        <div className="flex flex-wrap items-center gap-3">
          {children}
          {canStart && !confirming && (
            <button onClick={() => setConfirming(true)} className="rounded bg-blue-700 px-3 py-1 text-sm font-medium text-white hover:bg-blue-800">
              Start cutover
            </button>
          )}
          {confirming && (
            <span className="flex items-center gap-2 text-sm">
              Start now? The plan&apos;s structure freezes.
              <button autoFocus onClick={() => setConfirming(false)} className="rounded border border-neutral-300 px-2 py-0.5">
                Cancel
              </button>
              <button onClick={() => void start()} className="rounded bg-blue-700 px-2 py-0.5 text-white">
                Confirm start
              </button>
            </span>
          )}
        </div>
      </div>
      <ErrorNote message={error} />
    </section>
  );
}
