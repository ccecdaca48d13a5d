import { describe, expect, it } from "vitest";
import { checkThresholds, parseOptionalNumber } from "./metric-thresholds";

describe("parseOptionalNumber", () => {
  it("blank is no value, a number is a value, anything else is refused", () => {
    expect(parseOptionalNumber("  ")).toEqual({ ok: true, value: null });
    expect(parseOptionalNumber(" 2.5 ")).toEqual({ ok: true, value: 2.5 });
    expect(parseOptionalNumber("five")).toEqual({ ok: false });
    expect(parseOptionalNumber("Infinity")).toEqual({ ok: false });
  });
});

describe("checkThresholds", () => {
  it("accepts blanks and thresholds in the direction's order", () => {
    expect(checkThresholds("", "", "above")).toEqual({ ok: true, warning: null, critical: null });
    expect(checkThresholds("1", "5", "above")).toEqual({ ok: true, warning: 1, critical: 5 });
    expect(checkThresholds("5", "5", "above")).toEqual({ ok: true, warning: 5, critical: 5 });
    expect(checkThresholds("90", "50", "below")).toEqual({ ok: true, warning: 90, critical: 50 });
    expect(checkThresholds("", "5", "below")).toEqual({ ok: true, warning: null, critical: 5 });
  });

  it("refuses what is not a number and thresholds in the wrong order", () => {
    expect(checkThresholds("x", "5", "above")).toEqual({ ok: false, error: "Warning must be a number (or blank)" });
    expect(checkThresholds("1", "x", "above")).toEqual({ ok: false, error: "Critical must be a number (or blank)" });
    expect(checkThresholds("6", "5", "above")).toEqual({ ok: false, error: "Higher is worse: the warning threshold must not be above the critical one" });
    expect(checkThresholds("40", "50", "below")).toEqual({ ok: false, error: "Lower is worse: the warning threshold must not be below the critical one" });
  });
});
