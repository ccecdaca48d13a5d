"use client";
// Above the tabs: a binding recommended an announcement (a rollback started, the cutover
// completed…). Those who may send see it wherever they are in the room, with Send (confirmed with
// the rendered text) and Dismiss; everyone else sees nothing here.
import { useState } from "react";
import { ErrorNote } from "@/components/ui/error-note";
import { BUTTON_CLASS } from "../shared/format";
import type { PanelProps } from "../shared/types";
import { RecommendationList, useAnnouncements } from "./announcements-panel";

export function RecommendedAnnouncements({ cutover, run, can, onOpenComms }: PanelProps & { onOpenComms?: () => void }) {
  // Only those who may send are asked for them (and the view says canSend too).
  const mayAct = can("announcement.send");
  const query = useAnnouncements(cutover.id);
  const [error, setError] = useState<string | null>(null);
  const data = query.data;
  if (!mayAct || !data || !data.canSend || data.recommendations.length === 0) return null;
  return (
    <section aria-label="Recommended announcements" className="rounded border border-amber-600 px-3 py-2" data-testid="recommended-announcements">
      <div className="mb-1 flex items-center gap-2 text-sm">
        <h2 className="grow font-semibold">
          {data.recommendations.length === 1 ? "An announcement is recommended" : `${data.recommendations.length} announcements are recommended`}
        </h2>
        {onOpenComms && (
          <button type="button" className={BUTTON_CLASS} onClick={onOpenComms}>
            Open Comms
          </button>
        )}
      </div>
      <RecommendationList cutoverId={cutover.id} run={run} data={data} onError={setError} />
      <ErrorNote message={error} testId="recommended-announcements-error" />
    </section>
  );
}
