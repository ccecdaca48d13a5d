import { describe, expect, it } from "vitest";
import type { TrafficView } from "@/lib/schemas/views";
import { failureFromEvent, failuresFromView, keysToDismiss, mergeFailures, shownFailures } from "./failures";
import type { LiveEvent } from "./live-event";

const AT = "2026-11-29T10:00:00.000Z";
const ev = (type: string, data: Record<string, unknown>, subject?: string): LiveEvent => ({ type, cutoverId: "c1", at: AT, actor: "Dana", subject, data }) as unknown as LiveEvent;

function view(over: Partial<Pick<TrafficView, "rollbacks" | "changes">>): TrafficView {
  return { rollbacks: [], changes: [], ...over } as unknown as TrafficView;
}

describe("failures", () => {
  it("reads the latest stored failures, and only failures", () => {
    expect(failuresFromView(undefined)).toEqual([]);
    const v = view({
      rollbacks: [{ id: "r1", state: "failed", reason: null, durationMs: null, hookResults: [{ name: "flag", ok: true, output: "" }, { name: "page", ok: false, output: "HTTP 500" }], triggerId: null, startedAt: AT, finishedAt: null }],
      changes: [{ id: "ch1", from: 50, to: 0, state: "failed", override: false, note: null, error: "router unreachable", durationMs: null, triggerId: null, requestedAt: AT, finishedAt: AT }],
    } as never);
    expect(failuresFromView(v)).toEqual([
      { key: "rollback:r1", kind: "rollback_failed", title: "ROLLBACK FAILED", message: "HTTP 500", at: AT, actor: null },
      { key: "change:ch1", kind: "traffic_failed", title: "Traffic was NOT moved from 50 % to 0 %", message: "router unreachable", at: AT, actor: null },
    ]);
    expect(failuresFromView(view({ changes: [{ id: "ch2", from: 0, to: 10, state: "verified" }] } as never))).toEqual([]);
  });

  it("reads failure events and nothing else", () => {
    expect(failureFromEvent(ev("traffic.failed", { from: 10, to: 25, error: "timeout" }))).toEqual({ key: `event:traffic:${AT}:25`, kind: "traffic_failed", title: "Traffic was NOT moved from 10 % to 25 %", message: "timeout", at: AT, actor: "Dana" });
    expect(failureFromEvent(ev("rollback.failed", {}, "rollback:r1"))).toMatchObject({ key: "event:rollback:rollback:r1", message: "no detail given" });
    expect(failureFromEvent(ev("traffic.shifted", { to: 25 }))).toBeNull();
  });

  it("shows each failure once, rollbacks first, until dismissed", () => {
    const seen = [failureFromEvent(ev("rollback.failed", { error: "router unreachable: connection refused" }, "rollback:r1"))!];
    const stored = [
      { key: "change:ch1", kind: "traffic_failed" as const, title: "Traffic was NOT moved from 50 % to 0 %", message: "router unreachable", at: AT, actor: null },
      { key: "rollback:r1", kind: "rollback_failed" as const, title: "ROLLBACK FAILED", message: "router unreachable: connection refused", at: AT, actor: null },
    ];
    const all = mergeFailures(seen, stored);
    // The stored rollback is the event already seen.
    expect(all.map((f) => f.key)).toEqual(["event:rollback:rollback:r1", "change:ch1"]);
    // The rollback's own failed split says nothing more.
    expect(shownFailures(all, new Set()).map((f) => f.key)).toEqual(["event:rollback:rollback:r1"]);
    const other = { key: "change:ch9", kind: "traffic_failed" as const, title: "Traffic was NOT moved from 10 % to 25 %", message: "timeout", at: AT, actor: null };
    expect(shownFailures([other, ...all], new Set()).map((f) => f.key)).toEqual(["event:rollback:rollback:r1", "change:ch9"]);
    const keys = keysToDismiss(seen[0]!, [...seen, ...stored]);
    expect(keys).toEqual(["event:rollback:rollback:r1", "event:rollback:rollback:r1", "rollback:r1"]);
    expect(shownFailures([other, ...all], new Set(keys)).map((f) => f.key)).toEqual(["change:ch9"]);
  });
});
