import { describe, expect, it } from "vitest";
import { startTicker } from "./ticker";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("startTicker", () => {
  it("runs rounds one after the other (never two at once), logs a repeated failure once, and stop waits for the round", async () => {
    const log: string[] = [];
    let active = 0;
    let maxActive = 0;
    let rounds = 0;
    const stop = startTicker({
      name: "job",
      everyMs: 1,
      log: (l) => log.push(l),
      round: async () => {
        active++;
        maxActive = Math.max(maxActive, active);
        rounds++;
        await sleep(5);
        active--;
        if (rounds <= 3) throw new Error("database away");
      },
    });
    while (rounds < 6) await sleep(5);
    await stop();
    expect(active).toBe(0);
    expect(maxActive).toBe(1);
    expect(log).toEqual(["job: database away"]);
    const after = rounds;
    await sleep(20);
    expect(rounds).toBe(after);
  });

  it("runs `before` once, first, and goes on when it fails; immediately=false waits one interval", async () => {
    const order: string[] = [];
    const log: string[] = [];
    const stop = startTicker({ name: "job", everyMs: 30, immediately: false, log: (l) => log.push(l), before: async () => {
        order.push("before");
        throw new Error("backfill failed");
      }, round: async () => void order.push("round") });
    await sleep(10);
    expect(order).toEqual(["before"]);
    while (order.length < 2) await sleep(5);
    await stop();
    expect(order.slice(0, 2)).toEqual(["before", "round"]);
    expect(log).toEqual(["job: backfill failed"]);
  });
});
