// A rollback as the room watches it: the split being verified, then each hook, then the outcome,
// folded from the live events (mine, someone else's or a trigger's).
import type { LiveEvent } from "./live-event";

export type HookState = "waiting" | "running" | "ok" | "failed";
export interface EpisodeHook {
  name: string;
  state: HookState;
  durationMs: number | null;
  output: string;
}
export interface Episode {
  /** "rollback:<id>" once known (the events' subject). */
  subject: string | null;
  by: string | null;
  joined: boolean;
  split: "verifying" | "done" | "failed";
  durationMs: number | null;
  hooks: EpisodeHook[];
  finished: { ok: boolean } | null;
  error: string | null;
}

export function newEpisode(subject: string | null, by: string | null, hookNames: readonly string[]): Episode {
  return { subject, by, joined: false, split: "verifying", durationMs: null, hooks: hookNames.map((name) => ({ name, state: "waiting", durationMs: null, output: "" })), finished: null, error: null };
}

const str = (v: unknown) => (typeof v === "string" ? v : "");
const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : null);

/** The rollback episode after one live event (pure: easy to follow, easy to test). */
export function reduceEpisode(ep: Episode | null, e: LiveEvent, hookNames: readonly string[]): Episode | null {
  const d: Record<string, unknown> = e.data ?? {};
  const mine = (x: Episode) => !x.subject || !e.subject || x.subject === e.subject;
  switch (e.type) {
    case "rollback.started": {
      // My own click may have opened the episode already: adopt it.
      if (ep && !ep.finished && (ep.subject === null || ep.subject === e.subject)) return { ...ep, subject: e.subject ?? ep.subject, by: ep.by ?? e.actor ?? null };
      return newEpisode(e.subject ?? null, e.actor ?? null, hookNames);
    }
    case "traffic.shifted":
      if (ep && !ep.finished && ep.split === "verifying" && num(d.to) === 0) return { ...ep, split: "done", durationMs: num(d.durationMs) ?? ep.durationMs };
      return ep;
    case "traffic.failed":
      if (ep && !ep.finished && ep.split === "verifying" && num(d.to) === 0) return { ...ep, split: "failed", error: str(d.error) || ep.error };
      return ep;
    case "rollback.hook_started": {
      if (!ep || !mine(ep)) return ep;
      const name = str(d.name);
      const i = ep.hooks.findIndex((h) => h.name === name && h.state === "waiting");
      const hooks = i >= 0 ? ep.hooks.map((h, j) => (j === i ? { ...h, state: "running" as const } : h)) : [...ep.hooks, { name, state: "running" as const, durationMs: null, output: "" }];
      // Hooks run only once the split is back on old.
      return { ...ep, split: ep.split === "verifying" ? "done" : ep.split, hooks };
    }
    case "rollback.hook_finished": {
      if (!ep || !mine(ep)) return ep;
      const name = str(d.name);
      const result = { state: d.ok === true ? ("ok" as const) : ("failed" as const), durationMs: num(d.durationMs), output: str(d.status) };
      const i = ep.hooks.findIndex((h) => h.name === name && (h.state === "running" || h.state === "waiting"));
      const hooks = i >= 0 ? ep.hooks.map((h, j) => (j === i ? { ...h, ...result } : h)) : [...ep.hooks, { name, ...result }];
      return { ...ep, hooks };
    }
    case "rollback.completed":
      if (!ep || !mine(ep)) return ep;
      return { ...ep, split: ep.split === "verifying" ? "done" : ep.split, finished: { ok: d.ok === true } };
    case "rollback.abandoned":
      // Its server process died: nothing will finish it. Only the rollback it names (my own click
      // still waiting for its answer is another one: it takes over).
      if (!ep || ep.finished || ep.subject !== e.subject) return ep;
      return { ...ep, split: ep.split === "done" ? "done" : "failed", finished: { ok: false }, error: "Its server process ended before it finished: press Rollback again if traffic is not back on old" };
    case "rollback.failed":
      if (!ep || !mine(ep)) return newEpisodeFailed(e, hookNames);
      return { ...ep, split: ep.split === "done" ? "done" : "failed", finished: { ok: false }, error: str(d.error) || ep.error };
    default:
      return ep;
  }
}

function newEpisodeFailed(e: LiveEvent, hookNames: readonly string[]): Episode {
  return { ...newEpisode(e.subject ?? null, e.actor ?? null, hookNames), split: "failed", finished: { ok: false }, error: str((e.data as Record<string, unknown> | undefined)?.error) };
}

/** The server's answer to my press (rollback.execute). */
export interface RollbackAnswer {
  rollbackId: string;
  joined: boolean;
  durationMs?: number;
  /** Joined one that had already finished: how it ended. */
  finished?: { ok: boolean; durationMs: number | null };
}

/** My episode once the server answered my press. */
export function episodeAfterAnswer(ep: Episode | null, d: RollbackAnswer, hookNames: readonly string[]): Episode {
  const base = ep ?? newEpisode(null, "you", hookNames);
  const subject = base.subject ?? `rollback:${d.rollbackId}`;
  // Joined one that has already finished: its events were announced before this press, so the
  // answer says how it ended (its hooks are not known here; a clean one clears itself like any other).
  if (d.joined && d.finished) return base.finished ? { ...base, subject } : { ...base, subject, joined: true, split: "done", durationMs: d.finished.durationMs, hooks: [], finished: { ok: d.finished.ok } };
  if (d.joined) return { ...base, subject, joined: true };
  return { ...base, subject, split: "done", durationMs: d.durationMs ?? base.durationMs };
}

export function phaseOf(ep: Episode): "verifying" | "running_hooks" | "completed" | "completed_with_errors" | "failed" {
  if (ep.finished) return ep.split === "failed" ? "failed" : ep.finished.ok ? "completed" : "completed_with_errors";
  if (ep.split === "failed") return "failed";
  return ep.split === "verifying" ? "verifying" : "running_hooks";
}
