"use client";
import type { CutoverStateJson } from "@/lib/services/cutover-read";
import { SubSection } from "../shared/parts";
import type { RunCommand } from "../shared/types";
import { StepsForm } from "./steps-form";

export function StepsSection({ cutover, steps, percent, run, canEdit }: { cutover: CutoverStateJson; steps: number[]; percent: number; run: RunCommand; canEdit: boolean }) {
  return (
    <SubSection title="Planned steps (% to new)" testId="traffic-steps">
      {steps.length === 0 ? (
        <p className="text-muted">No steps yet.{canEdit ? " Plan them below, e.g. 10, 25, 50, 100." : ""}</p>
      ) : (
        <ol className="mt-1 flex flex-wrap items-center gap-1 tabular">
          {steps.map((s, i) => {
            const state = s === percent ? "current" : s < percent ? "done" : "next";
            return (
              <li key={s} data-testid="traffic-step" data-state={state} className="flex items-center gap-1">
                {i > 0 && <span aria-hidden className="text-neutral-400">→</span>}
                <span
                  className={`rounded border px-1.5 ${
                    state === "current" ? "border-blue-700 bg-blue-700 font-semibold text-white" : state === "done" ? "border-green-700 text-green-800 dark:text-green-300" : "border-neutral-300 text-neutral-600 dark:border-neutral-700 dark:text-neutral-300"
                  }`}
                >
                  {state === "done" && <span aria-hidden>✓ </span>}
                  {s} %{state === "current" && <span className="sr-only"> (current)</span>}
                </span>
              </li>
            );
          })}
        </ol>
      )}
      {canEdit && <StepsForm key={steps.join(",")} cutoverId={cutover.id} initial={steps} run={run} />}
    </SubSection>
  );
}
