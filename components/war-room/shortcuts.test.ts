import { describe, expect, it } from "vitest";
import { initialShortcutState, pressKey, SEQUENCE_MS, type KeyPress, type ShortcutAction } from "./shortcuts";

function run(presses: KeyPress[]): (ShortcutAction | null)[] {
  let state = initialShortcutState;
  return presses.map((p) => {
    const r = pressKey(state, p);
    state = r.state;
    return r.action;
  });
}

describe("keyboard shortcuts", () => {
  it("g then a letter opens a tab", () => {
    expect(run([{ key: "g", at: 0 }, { key: "m", at: 300 }])).toEqual([null, { kind: "tab", tab: "Metrics" }]);
    expect(run([{ key: "g", at: 0 }, { key: "P", at: 300 }]).at(-1)).toEqual({ kind: "tab", tab: "Plan" });
    expect(run([{ key: "g", at: 0 }, { key: "a", at: 10 }]).at(-1)).toEqual({ kind: "tab", tab: "Audit" });
  });

  it("the second key too late, or an unknown one, does nothing and starts over", () => {
    expect(run([{ key: "g", at: 0 }, { key: "m", at: SEQUENCE_MS + 1 }])).toEqual([null, null]);
    expect(run([{ key: "g", at: 0 }, { key: "x", at: 10 }, { key: "m", at: 20 }])).toEqual([null, null, null]);
    expect(run([{ key: "m", at: 0 }])).toEqual([null]);
  });

  it("?, / and w act at once; Escape closes whatever the state", () => {
    expect(run([{ key: "?", at: 0 }])).toEqual([{ kind: "help" }]);
    expect(run([{ key: "/", at: 0 }])).toEqual([{ kind: "filter" }]);
    expect(run([{ key: "w", at: 0 }])).toEqual([{ kind: "wall" }]);
    expect(run([{ key: "g", at: 0 }, { key: "Escape", at: 5 }, { key: "m", at: 10 }])).toEqual([null, { kind: "close" }, null]);
  });

  it("typing in a field or holding a modifier is never a shortcut", () => {
    expect(run([{ key: "g", at: 0, typing: true }, { key: "m", at: 10, typing: true }])).toEqual([null, null]);
    expect(run([{ key: "g", at: 0 }, { key: "m", at: 10, ctrlKey: true }])).toEqual([null, null]);
    expect(run([{ key: "/", at: 0, metaKey: true }])).toEqual([null]);
    expect(run([{ key: "w", at: 0, typing: true }])).toEqual([null]);
  });
});
