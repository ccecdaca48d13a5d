"use client";
import { useState } from "react";
import { ErrorNote } from "@/components/ui/error-note";
import { describeRouter, type IntegrationChoice as Choice } from "@/lib/client/traffic-words";
import type { CutoverStateJson } from "@/lib/services/cutover-read";
import { BUTTON_CLASS, useCommand } from "../shared/format";
import { SubSection } from "../shared/parts";
import type { RunCommand } from "../shared/types";
import type { TrafficData } from "../shared/use-traffic-view";
import { RouterPicker } from "./router-picker";

export function RouterSection({ cutover, router, choices, recorded, run, canEdit }: { cutover: CutoverStateJson; router: TrafficData["router"]; choices: Choice[] | null; recorded: number; run: RunCommand; canEdit: boolean }) {
  const test = useCommand();
  const [read, setRead] = useState<{ percent: number } | null>(null);
  return (
    <SubSection title="Router" testId="router-section">
      <p className="mt-1">
        {router ? (
          <span className="font-medium">{describeRouter(router)}</span>
        ) : (
          <span className="text-muted">No router picked: traffic cannot move until one is{canEdit ? " picked below" : " picked by the Deployment Lead"}.</span>
        )}
      </p>
      {canEdit && router && (
        <div className="mt-1 flex flex-wrap items-center gap-2">
          <button
            type="button"
            className={BUTTON_CLASS}
            disabled={test.pending}
            onClick={() => {
              setRead(null);
              void test.exec(async () => {
                const r = await run("router.test", { cutoverId: cutover.id });
                if (r.ok) setRead(r.data as { percent: number });
                return r;
              });
            }}
          >
            {test.pending ? "Testing…" : "Test connection"}
          </button>
          {read && (
            <span role="status" data-testid="router-test-result" data-percent={read.percent} className="tabular">
              Connected: the router holds old {100 - read.percent} | new {read.percent}
              {read.percent !== recorded && (
                <span className="ml-1 font-semibold text-amber-800 dark:text-amber-300">— differs from the recorded split (new {recorded} %)</span>
              )}
            </span>
          )}
        </div>
      )}
      <ErrorNote message={test.error} testId="router-test-error" />
      {canEdit && choices && <RouterPicker key={router?.name ?? ""} cutoverId={cutover.id} current={router?.name ?? null} choices={choices} run={run} />}
    </SubSection>
  );
}
