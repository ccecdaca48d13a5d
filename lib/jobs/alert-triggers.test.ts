import { describe, expect, it } from "vitest";
import { startAlertTriggers } from "./alert-triggers";

describe("the alert trigger job", () => {
  it("evaluates at once and then on its interval, never two rounds at a time, and stops", async () => {
    const ats: number[] = [];
    let active = 0;
    let maxActive = 0;
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const stop = startAlertTriggers({
      log: () => {},
      intervalMs: 5,
      evaluate: async (at) => {
        active++;
        maxActive = Math.max(maxActive, active);
        ats.push(at);
        if (ats.length === 1) await gate;
        active--;
      },
    });
    expect(ats).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 30));
    expect(ats).toHaveLength(1);
    release();
    while (ats.length < 3) await new Promise((r) => setTimeout(r, 5));
    await stop();
    const n = ats.length;
    await new Promise((r) => setTimeout(r, 30));
    expect(ats.length).toBe(n);
    expect(maxActive).toBe(1);
  });
});
