import { describe, expect, it } from "vitest";
import { CHANGE_EVENT_TYPES, ITEM_EVENT_TYPES, parseRoomEvent, roomEventSchema, type Announcement } from "./events";

const cutoverId = "7b0b1f4e-3a43-4c55-9a8f-1b2c3d4e5f60";
const at = "2026-01-01T00:00:00.000Z";

describe("room events", () => {
  it("accepts each event with the data its type carries", () => {
    const good: unknown[] = [
      ...CHANGE_EVENT_TYPES.map((type) => ({ type, cutoverId, at, actor: "Ann", subject: "risk:1" })),
      ...ITEM_EVENT_TYPES.map((type) => ({ type, cutoverId, at, data: { itemId: "i", state: "done" } })),
      { type: "metrics.sampled", cutoverId, at, data: { samples: [{ m: "m", s: "new", t: 1, v: 2, st: "ok" }, { m: "m", s: "old", t: 1, v: null, st: "error", r: "refused" }] } },
      { type: "trigger.state", cutoverId, at, data: { triggerId: "t", state: "pending", outcome: "breach", firesAt: 5, fired: false, mode: "automatic", action: "rollback", notice: null, description: null, metric: "Errors", value: 7 } },
      { type: "traffic.shifted", cutoverId, at, data: { from: 0, to: 10, durationMs: 12 } },
      { type: "traffic.failed", cutoverId, at, data: { from: 0, to: 10, error: "router: refused" } },
      { type: "rollback.started", cutoverId, at, data: {} },
      { type: "rollback.started", cutoverId, at, data: { reason: "p95" } },
      { type: "rollback.failed", cutoverId, at, data: { error: "gone" } },
      { type: "rollback.hook_started", cutoverId, at, data: { name: "Page" } },
      { type: "rollback.hook_finished", cutoverId, at, data: { name: "Page", ok: true, status: "HTTP 200", durationMs: 3 } },
      { type: "rollback.completed", cutoverId, at, data: { ok: true, hooks: 1 } },
    ];
    for (const e of good) expect(roomEventSchema.safeParse(e).success, JSON.stringify(e)).toBe(true);
  });

  it("refuses an event whose data does not match its type, or an unknown type", () => {
    const bad: unknown[] = [
      { type: "risk.added", cutoverId, at, data: { anything: 1 } },
      { type: "traffic.shifted", cutoverId, at },
      { type: "traffic.shifted", cutoverId, at, data: { from: 0, to: 101, durationMs: 1 } },
      { type: "metrics.sampled", cutoverId, at, data: { samples: [{ m: "m", s: "both", t: 1, v: 1, st: "ok" }] } },
      { type: "trigger.state", cutoverId, at, data: { triggerId: "t", state: "armed" } },
      { type: "item.signed_off", cutoverId, at, data: { itemId: "i", state: "signed" } },
      { type: "item.changed", cutoverId, at },
      { type: "risk.added", cutoverId: "not-a-uuid", at },
      { type: "risk.added", cutoverId },
      null,
      "risk.added",
    ];
    for (const e of bad) expect(parseRoomEvent(e), JSON.stringify(e)).toBeNull();
  });

  it("types what a server may announce", () => {
    const ok: Announcement[] = [
      { type: "risk.added", cutoverId },
      { type: "traffic.shifted", cutoverId, data: { from: 0, to: 10, durationMs: 1 } },
    ];
    // @ts-expect-error: a change event carries no data
    const withData: Announcement = { type: "risk.added", cutoverId, data: { x: 1 } };
    // @ts-expect-error: a shift says where from, where to and how long it took
    const missing: Announcement = { type: "traffic.shifted", cutoverId, data: { from: 0 } };
    // @ts-expect-error: no such event
    const unknown: Announcement = { type: "item.changed", cutoverId };
    expect([...ok, withData, missing, unknown].map((e) => parseRoomEvent({ ...e, at }) !== null)).toEqual([true, true, false, false, false]);
  });
});
