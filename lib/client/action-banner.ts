// A firing trigger's banner follows the action its "Confirm" button started, from the click to
// the outcome: confirming → rolling back (or shifting) → done in N ms, or failed with the reason,
// then it clears itself. Folded from the command's answer and the room's live events (pure).
import type { LiveEvent } from "./live-event";

export type BannerPhase =
  | { kind: "idle" }
  | { kind: "confirming" }
  | { kind: "running" }
  | { kind: "done"; durationMs: number | null }
  | { kind: "failed"; reason: string };

export interface BannerAction {
  action: "rollback" | "shift";
  /** The split a shift aims at (% new); a rollback aims at 0. */
  toPercent: number;
}

const finished = (p: BannerPhase) => p.kind === "done" || p.kind === "failed";

/** After the confirmation's answer: refused → failed; accepted → running (unless events finished it already). */
export function bannerAfterAnswer(phase: BannerPhase, answer: { ok: true; durationMs?: number | null } | { ok: false; message: string }): BannerPhase {
  if (finished(phase)) return phase;
  if (!answer.ok) return { kind: "failed", reason: answer.message };
  // A rollback answers once the split is verified (its duration with it); hooks may follow.
  return phase.kind === "confirming" || phase.kind === "idle" ? { kind: "running" } : phase;
}

/** After a live event of the room, once the button was pressed. */
export function bannerAfterEvent(phase: BannerPhase, e: LiveEvent, a: BannerAction): BannerPhase {
  if (phase.kind === "idle" || finished(phase)) return phase;
  if (a.action === "rollback") {
    switch (e.type) {
      case "rollback.started":
        return { kind: "running" };
      case "rollback.completed":
        return { kind: "done", durationMs: null };
      case "rollback.failed":
        return { kind: "failed", reason: e.data.error };
      case "traffic.shifted":
        // The split is back on old: that is the rollback done as far as traffic goes.
        return e.data.to === 0 ? { kind: "done", durationMs: e.data.durationMs } : phase;
      default:
        return phase;
    }
  }
  if (e.type === "traffic.shifted" && e.data.to === a.toPercent) return { kind: "done", durationMs: e.data.durationMs };
  if (e.type === "traffic.failed" && e.data.to === a.toPercent) return { kind: "failed", reason: e.data.error };
  return phase;
}

/** The words of the banner's state line, or null while nothing was pressed. */
export function bannerText(phase: BannerPhase, a: BannerAction): string | null {
  const verb = a.action === "rollback" ? "Rolling back" : `Shifting to ${a.toPercent} %`;
  switch (phase.kind) {
    case "idle":
      return null;
    case "confirming":
      return "Confirming…";
    case "running":
      return `${verb}…`;
    case "done": {
      const done = a.action === "rollback" ? "Rolled back" : `Shifted to ${a.toPercent} %`;
      return phase.durationMs !== null ? `${done} in ${phase.durationMs} ms` : done;
    }
    case "failed":
      return `Failed: ${phase.reason}`;
  }
}

/** Done or failed: the banner clears itself after this long (ms). */
export const BANNER_CLEARS_AFTER_MS = 8_000;
export const bannerFinished = finished;
