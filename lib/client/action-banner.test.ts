import { describe, expect, it } from "vitest";
import type { LiveEvent } from "./live-event";
import { bannerAfterAnswer, bannerAfterEvent, bannerFinished, bannerText, type BannerAction, type BannerPhase } from "./action-banner";

const base = { cutoverId: "00000000-0000-4000-8000-000000000001", at: "2030-01-01T06:00:00.000Z" };
const ev = (e: Record<string, unknown>) => ({ ...base, ...e }) as LiveEvent;
const rollback: BannerAction = { action: "rollback", toPercent: 0 };
const shift: BannerAction = { action: "shift", toPercent: 50 };

describe("a firing trigger's banner follows what its button started", () => {
  it("rollback: Confirming… → Rolling back… → Rolled back in N ms, then finished", () => {
    let p: BannerPhase = { kind: "confirming" };
    expect(bannerText(p, rollback)).toBe("Confirming…");
    p = bannerAfterEvent(p, ev({ type: "rollback.started", actor: "Lee", data: { reason: null } }), rollback);
    expect(bannerText(p, rollback)).toBe("Rolling back…");
    p = bannerAfterEvent(p, ev({ type: "traffic.shifted", data: { from: 25, to: 0, durationMs: 403 } }), rollback);
    expect(bannerText(p, rollback)).toBe("Rolled back in 403 ms");
    // The command's answer arriving after the events changes nothing.
    p = bannerAfterAnswer(p, { ok: true });
    expect(bannerText(p, rollback)).toBe("Rolled back in 403 ms");
    expect(bannerFinished(p)).toBe(true);
  });

  it("rollback failure says why; a refused confirmation says why", () => {
    let p: BannerPhase = bannerAfterAnswer({ kind: "confirming" }, { ok: true });
    p = bannerAfterEvent(p, ev({ type: "rollback.failed", data: { error: "router unreachable" } }), rollback);
    expect(bannerText(p, rollback)).toBe("Failed: router unreachable");
    expect(bannerText(bannerAfterAnswer({ kind: "confirming" }, { ok: false, message: "This trigger is not firing any more" }), rollback)).toBe("Failed: This trigger is not firing any more");
  });

  it("shift: only the split it aimed at finishes it", () => {
    let p: BannerPhase = bannerAfterAnswer({ kind: "confirming" }, { ok: true });
    expect(bannerText(p, shift)).toBe("Shifting to 50 %…");
    p = bannerAfterEvent(p, ev({ type: "traffic.shifted", data: { from: 0, to: 25, durationMs: 9 } }), shift);
    expect(p.kind).toBe("running");
    p = bannerAfterEvent(p, ev({ type: "traffic.shifted", data: { from: 25, to: 50, durationMs: 12 } }), shift);
    expect(bannerText(p, shift)).toBe("Shifted to 50 % in 12 ms");
  });

  it("nothing pressed: events do not start a state", () => {
    expect(bannerAfterEvent({ kind: "idle" }, ev({ type: "rollback.started", data: { reason: null } }), rollback)).toEqual({ kind: "idle" });
    expect(bannerText({ kind: "idle" }, rollback)).toBeNull();
  });
});
