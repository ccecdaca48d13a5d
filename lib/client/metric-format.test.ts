import { describe, expect, it } from "vitest";
import { formatMetricValue, formatThreshold, formatterFor } from "./metric-format";

describe("formatMetricValue", () => {
  // Each unit as people read it.
  it.each<[number, string, string]>([
    [2.3456, "%", "2.35 %"],
    [12.34, "%", "12.3 %"],
    [84.6, "ms", "85 ms"],
    [1.5e9, "bytes", "1.50 GB"],
    [2048, "bytes", "2.0 kB"],
    [512, "bytes", "512 B"],
    [3.14159, "req/s", "3.14 req/s"],
    [314.159, "req/s", "314 req/s"],
    [12345, "count", "12,345"],
    [1.5, "widgets", "1.50 widgets"],
    [Number.NaN, "%", "—"],
  ])("writes %s %s as %s", (value, unit, shown) => {
    expect(formatMetricValue(value, unit)).toBe(shown);
  });
});

describe("formatThreshold", () => {
  // Trailing zeros dropped.
  it.each<[number, string, string]>([
    [5, "%", "5 %"],
    [0.25, "%", "0.25 %"],
    [500, "ms", "500 ms"],
    [1.5e9, "bytes", "1.5 GB"],
    [10, "count", "10"],
  ])("writes %s %s as %s", (value, unit, shown) => {
    expect(formatThreshold(value, unit)).toBe(shown);
  });
});

describe("formatterFor", () => {
  it("gives the same function for the same unit (charts are memoised on it)", () => {
    expect(formatterFor("%")).toBe(formatterFor("%"));
    expect(formatterFor("%")(1)).toBe("1.00 %");
  });
});
