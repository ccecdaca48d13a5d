import { describe, expect, it } from "vitest";
import { ITEM_STATES, ITEM_TRANSITIONS, itemStateSchema, progress, transitionItem, type ItemState, type ItemTransition } from "./item-state";

const plain = { override: false };

describe("transitionItem: allowed moves", () => {
  it("signs off an open item", () => {
    expect(transitionItem("open", "sign_off", plain)).toEqual({ ok: true, next: "done" });
  });

  it("marks an open item not applicable with a reason", () => {
    expect(transitionItem("open", "not_applicable", { reason: "No cache in this region", override: false })).toEqual({
      ok: true,
      next: "not_applicable",
    });
  });

  it("undoes a done or not applicable item with a reason", () => {
    expect(transitionItem("done", "undo", { reason: "Signed off by mistake", override: false })).toEqual({ ok: true, next: "open" });
    expect(transitionItem("not_applicable", "undo", { reason: "It does apply", override: false })).toEqual({ ok: true, next: "open" });
  });

  it("accepts an override with a note", () => {
    expect(transitionItem("open", "sign_off", { override: true, note: "DBA unreachable, verified myself" })).toEqual({
      ok: true,
      next: "done",
    });
    expect(transitionItem("done", "undo", { override: true, reason: "Check failed", note: "Re-running" })).toEqual({
      ok: true,
      next: "open",
    });
  });
});

describe("transitionItem: the full state × transition table", () => {
  // With all inputs present, only the state decides.
  const full = { reason: "r", note: "n", override: true };
  const expected: Record<ItemState, Record<ItemTransition, ItemState | string>> = {
    open: { sign_off: "done", not_applicable: "not_applicable", undo: "Item is already open" },
    done: { sign_off: "Already signed off", not_applicable: "Already signed off; undo it first", undo: "open" },
    not_applicable: {
      sign_off: "Item is marked not applicable; undo it first",
      not_applicable: "Already marked not applicable",
      undo: "open",
    },
  };
  const cases = ITEM_STATES.flatMap((s) => ITEM_TRANSITIONS.map((k) => [s, k, expected[s][k]] as const));
  it.each(cases)("%s + %s → %s", (state, kind, outcome) => {
    const r = transitionItem(state, kind, full);
    if ((ITEM_STATES as readonly string[]).includes(outcome)) {
      expect(r).toEqual({ ok: true, next: outcome });
    } else {
      expect(r).toEqual({ ok: false, code: "conflict", message: outcome });
    }
  });
});

describe("transitionItem: invalid input", () => {
  it("requires a reason for not applicable", () => {
    for (const reason of [undefined, null, "", "   "]) {
      expect(transitionItem("open", "not_applicable", { reason, override: false })).toEqual({
        ok: false,
        code: "invalid",
        message: "Give a reason why the item does not apply",
      });
    }
  });

  it("requires a reason for undo", () => {
    expect(transitionItem("done", "undo", { override: false })).toEqual({
      ok: false,
      code: "invalid",
      message: "Give a reason for the undo",
    });
    expect(transitionItem("not_applicable", "undo", { reason: " \n ", override: false }).ok).toBe(false);
  });

  it("requires a note for an override", () => {
    for (const note of [undefined, null, "", "  "]) {
      expect(transitionItem("open", "sign_off", { note, override: true })).toEqual({
        ok: false,
        code: "invalid",
        message: "An override needs a note",
      });
    }
    // The reason does not stand in for the override note.
    expect(transitionItem("done", "undo", { reason: "wrong", override: true })).toMatchObject({ ok: false, code: "invalid" });
  });

  it("reports a conflict before missing input, so a concurrent sign-off reads as such", () => {
    expect(transitionItem("done", "sign_off", { override: true })).toEqual({
      ok: false,
      code: "conflict",
      message: "Already signed off",
    });
    expect(transitionItem("open", "undo", { override: false })).toMatchObject({ code: "conflict" });
  });

  it("does not need a reason to sign off", () => {
    expect(transitionItem("open", "sign_off", { override: false, note: "" }).ok).toBe(true);
  });
});

describe("itemStateSchema", () => {
  it("accepts the three states only", () => {
    expect(itemStateSchema.safeParse("done").success).toBe(true);
    expect(itemStateSchema.safeParse("skipped").success).toBe(false);
  });
});

describe("progress", () => {
  it("counts done and not applicable as done", () => {
    expect(
      progress([
        { state: "done", critical: true },
        { state: "not_applicable", critical: false },
        { state: "open", critical: false },
        { state: "open", critical: true },
      ]),
    ).toEqual({ done: 2, total: 4, criticalOpen: 1, percent: 50 });
  });

  it("rounds the percent down so 100 % means nothing is left", () => {
    const items = Array.from({ length: 300 }, (_, i) => ({ state: (i === 0 ? "open" : "done") as ItemState, critical: false }));
    expect(progress(items)).toEqual({ done: 299, total: 300, criticalOpen: 0, percent: 99 });
    expect(progress([{ state: "done", critical: false }, { state: "open", critical: false }, { state: "open", critical: false }]).percent).toBe(33);
  });

  it("is complete when everything is done", () => {
    expect(progress([{ state: "done", critical: true }, { state: "not_applicable", critical: true }])).toEqual({
      done: 2,
      total: 2,
      criticalOpen: 0,
      percent: 100,
    });
  });

  it("counts only open critical items as critical open", () => {
    expect(
      progress([
        { state: "open", critical: true },
        { state: "open", critical: true },
        { state: "done", critical: true },
        { state: "open", critical: false },
      ]).criticalOpen,
    ).toBe(2);
  });

  it("treats an empty list as complete", () => {
    expect(progress([])).toEqual({ done: 0, total: 0, criticalOpen: 0, percent: 100 });
  });
});
