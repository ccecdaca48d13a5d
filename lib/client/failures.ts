// The failures nobody may miss: a traffic change or a rollback that failed, seen live as an event
// or, for a page opened afterwards, as the latest stored record; the same failure once.
import type { LiveEvent } from "./live-event";
import type { TrafficView } from "@/lib/schemas/views";
import { hookResultsOf } from "./traffic-words";

export interface Failure {
  key: string;
  kind: "traffic_failed" | "rollback_failed";
  title: string;
  message: string;
  at: string | null;
  actor: string | null;
}

/** The latest stored rollback and traffic change, when they failed. */
export function failuresFromView(view: TrafficView | undefined): Failure[] {
  if (!view) return [];
  const out: Failure[] = [];
  const rb = view.rollbacks[0];
  if (rb && rb.state === "failed") {
    const first = hookResultsOf(rb.hookResults).find((h) => !h.ok);
    out.push({ key: `rollback:${rb.id}`, kind: "rollback_failed", title: "ROLLBACK FAILED", message: first?.output ?? "the rollback did not complete", at: rb.finishedAt ?? rb.startedAt, actor: null });
  }
  const ch = view.changes[0];
  if (ch && ch.state === "failed") {
    out.push({ key: `change:${ch.id}`, kind: "traffic_failed", title: `Traffic was NOT moved from ${ch.from} % to ${ch.to} %`, message: ch.error ?? "the change failed", at: ch.finishedAt ?? ch.requestedAt, actor: null });
  }
  return out;
}

const head = (s: string) => s.slice(0, 80);
/** The same failure seen twice (the event, then the stored record): messages start alike. */
export function sameFailure(a: Failure, b: Failure): boolean {
  return a.kind === b.kind && (a.message.startsWith(head(b.message)) || b.message.startsWith(head(a.message)));
}

/** The failure an event announces, or null for any other event. */
export function failureFromEvent(e: LiveEvent): Failure | null {
  const d: Record<string, unknown> = e.data ?? {};
  const error = typeof d.error === "string" ? d.error : "no detail given";
  if (e.type === "traffic.failed") {
    return { key: `event:traffic:${e.at}:${String(d.to)}`, kind: "traffic_failed", title: `Traffic was NOT moved from ${String(d.from)} % to ${String(d.to)} %`, message: error, at: e.at, actor: e.actor ?? null };
  }
  if (e.type === "rollback.failed") {
    return { key: `event:rollback:${e.subject ?? e.at}`, kind: "rollback_failed", title: "ROLLBACK FAILED", message: error, at: e.at, actor: e.actor ?? null };
  }
  return null;
}

/** Events seen, then the stored failures no event already showed. */
export function mergeFailures(seen: readonly Failure[], stored: readonly Failure[]): Failure[] {
  return [...seen, ...stored.filter((s) => !seen.some((e) => sameFailure(e, s)))];
}

/** What the banners show: undismissed, rollbacks first; a failed rollback's own failed split is not repeated. */
export function shownFailures(all: readonly Failure[], dismissed: ReadonlySet<string>): Failure[] {
  const rollbackFailures = all.filter((f) => f.kind === "rollback_failed");
  return all
    .filter((f) => !(f.kind === "traffic_failed" && f.title.endsWith(" to 0 %") && rollbackFailures.some((r) => r.message.includes(head(f.message)))))
    .filter((f) => !dismissed.has(f.key))
    .sort((a, b) => (a.kind === b.kind ? 0 : a.kind === "rollback_failed" ? -1 : 1));
}

/** Dismissing a failure dismisses every sighting of it (the event and the stored record). */
export function keysToDismiss(f: Failure, all: readonly Failure[]): string[] {
  return [f.key, ...all.filter((other) => sameFailure(f, other)).map((other) => other.key)];
}
