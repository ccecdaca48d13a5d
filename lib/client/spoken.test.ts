import { describe, expect, it } from "vitest";
import { addSpoken, expireSpoken, SPOKEN_MAX, SPOKEN_TTL_MS } from "./spoken";

describe("a live region's messages", () => {
  it("drops a repeat of a message still shown, and keeps the newest few", () => {
    let list = addSpoken([], "Trigger pending: error rate", 0, 1);
    list = addSpoken(list, "Trigger pending: error rate", 5, 2);
    expect(list.map((m) => m.id)).toEqual([1]);
    for (let i = 0; i < SPOKEN_MAX + 2; i++) list = addSpoken(list, `m${i}`, 10 + i, 10 + i);
    expect(list).toHaveLength(SPOKEN_MAX);
    expect(list.at(-1)!.text).toBe(`m${SPOKEN_MAX + 1}`);
    expect(addSpoken(list, "  ", 99, 99)).toEqual(list);
  });

  it("clears messages after their time, so the same change later is spoken again", () => {
    const list = addSpoken([], "Rollback started by Lee", 0, 1);
    expect(expireSpoken(list, SPOKEN_TTL_MS - 1)).toHaveLength(1);
    const cleared = expireSpoken(list, SPOKEN_TTL_MS);
    expect(cleared).toEqual([]);
    expect(addSpoken(cleared, "Rollback started by Lee", SPOKEN_TTL_MS, 2)).toHaveLength(1);
  });
});
