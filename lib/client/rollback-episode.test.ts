import { describe, expect, it } from "vitest";
import type { LiveEvent } from "./live-event";
import { episodeAfterAnswer, newEpisode, phaseOf, reduceEpisode, type Episode } from "./rollback-episode";

const ev = (type: string, data: Record<string, unknown> = {}, subject = "rollback:r1"): LiveEvent => ({ type, cutoverId: "c1", at: "2026-11-29T10:00:00Z", actor: "Dana", subject, data }) as unknown as LiveEvent;
const HOOKS = ["flag", "page"];

function play(events: LiveEvent[], start: Episode | null = null): Episode | null {
  return events.reduce<Episode | null>((ep, e) => reduceEpisode(ep, e, HOOKS), start);
}

describe("reduceEpisode", () => {
  it("follows a rollback from the split to every hook to the outcome", () => {
    let ep = play([ev("rollback.started")]);
    expect(ep).toMatchObject({ subject: "rollback:r1", by: "Dana", split: "verifying", finished: null });
    expect(phaseOf(ep!)).toBe("verifying");
    ep = play([ev("traffic.shifted", { to: 0, durationMs: 84 }, "change:x")], ep);
    expect(ep).toMatchObject({ split: "done", durationMs: 84 });
    ep = play([ev("rollback.hook_started", { name: "flag" })], ep);
    expect(phaseOf(ep!)).toBe("running_hooks");
    expect(ep!.hooks.map((h) => h.state)).toEqual(["running", "waiting"]);
    ep = play([ev("rollback.hook_finished", { name: "flag", ok: true, durationMs: 5, status: "200" }), ev("rollback.hook_started", { name: "page" }), ev("rollback.hook_finished", { name: "page", ok: false, status: "HTTP 500" })], ep);
    expect(ep!.hooks).toEqual([
      { name: "flag", state: "ok", durationMs: 5, output: "200" },
      { name: "page", state: "failed", durationMs: null, output: "HTTP 500" },
    ]);
    ep = play([ev("rollback.completed", { ok: false })], ep);
    expect(phaseOf(ep!)).toBe("completed_with_errors");
  });

  it("adopts the episode my own click opened, and ignores another rollback's hooks", () => {
    const mine = newEpisode(null, "you", HOOKS);
    const ep = play([ev("rollback.started")], mine);
    expect(ep).toMatchObject({ subject: "rollback:r1", by: "you" });
    expect(play([ev("rollback.hook_started", { name: "flag" }, "rollback:other")], ep)).toBe(ep);
  });

  it("shows a failure even when it saw nothing before", () => {
    const ep = play([ev("rollback.failed", { error: "router unreachable" })]);
    expect(ep).toMatchObject({ split: "failed", finished: { ok: false }, error: "router unreachable" });
    expect(phaseOf(ep!)).toBe("failed");
    // A failed split while verifying.
    const failed = play([ev("rollback.started"), ev("traffic.failed", { to: 0, error: "timeout" }, "change:x")]);
    expect(failed).toMatchObject({ split: "failed", error: "timeout" });
    expect(phaseOf(failed!)).toBe("failed");
  });

  it("a rollback whose server process died ends as failed; a press waiting for its answer is not touched", () => {
    const watching = play([ev("rollback.started"), ev("rollback.abandoned", {})]);
    expect(watching).toMatchObject({ finished: { ok: false }, error: expect.stringMatching(/press Rollback again/) });
    expect(phaseOf(watching!)).toBe("failed");
    const pressing = newEpisode(null, "you", HOOKS);
    expect(play([ev("rollback.abandoned", {})], pressing)).toBe(pressing);
  });

  it("a shift elsewhere does not touch the episode", () => {
    const ep = play([ev("rollback.started")]);
    expect(play([ev("traffic.shifted", { to: 50 }, "change:y")], ep)).toBe(ep);
    expect(play([ev("metrics.sampled")], ep)).toBe(ep);
    expect(reduceEpisode(null, ev("rollback.completed", { ok: true }), HOOKS)).toBeNull();
  });
});

describe("episodeAfterAnswer", () => {
  const hooks = ["Page the team"];
  const mine = () => newEpisode(null, "you", hooks);

  it("my own rollback: the split is done, with its duration", () => {
    const ep = episodeAfterAnswer(mine(), { rollbackId: "r1", joined: false, durationMs: 42 }, hooks);
    expect(ep).toMatchObject({ subject: "rollback:r1", joined: false, split: "done", durationMs: 42, finished: null });
    expect(phaseOf(ep)).toBe("running_hooks");
  });

  it("joined one still running: it waits for that one's events", () => {
    const ep = episodeAfterAnswer(mine(), { rollbackId: "r1", joined: true }, hooks);
    expect(ep).toMatchObject({ subject: "rollback:r1", joined: true, split: "verifying", finished: null });
  });

  it("joined one already finished: done at once, with how it ended, no hooks left waiting", () => {
    const ok = episodeAfterAnswer(mine(), { rollbackId: "r1", joined: true, finished: { ok: true, durationMs: 66 } }, hooks);
    expect(ok).toMatchObject({ joined: true, split: "done", durationMs: 66, hooks: [], finished: { ok: true } });
    expect(phaseOf(ok)).toBe("completed");
    const withErrors = episodeAfterAnswer(null, { rollbackId: "r1", joined: true, finished: { ok: false, durationMs: null } }, hooks);
    expect(phaseOf(withErrors)).toBe("completed_with_errors");
  });

  it("keeps what the room already saw of that rollback", () => {
    const seen = play([ev("rollback.started"), ev("traffic.shifted", { to: 0, durationMs: 5 }), ev("rollback.hook_started", { name: "flag" }), ev("rollback.hook_finished", { name: "flag", ok: true }), ev("rollback.completed", { ok: true })])!;
    const ep = episodeAfterAnswer(seen, { rollbackId: "r1", joined: true, finished: { ok: true, durationMs: 5 } }, HOOKS);
    expect(ep).toEqual(seen);
  });
});
