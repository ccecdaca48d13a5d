import { describe, expect, it } from "vitest";
import { formatMetricValue, formatThreshold, formatterFor } from "./metric-format";

const FORMATS = { formatMetricValue, formatThreshold };

describe("formatMetricValue and formatThreshold", () => {
  // Values: each unit as people read it. Thresholds: trailing zeros dropped.
  it.each<[keyof typeof FORMATS, number, string, string]>([
    ["formatMetricValue", 2.3456, "%", "2.35 %"],
    ["formatMetricValue", 12.34, "%", "12.3 %"],
    ["formatMetricValue", 84.6, "ms", "85 ms"],
    ["formatMetricValue", 1.5e9, "bytes", "1.50 GB"],
    ["formatMetricValue", 2048, "bytes", "2.0 kB"],
    ["formatMetricValue", 512, "bytes", "512 B"],
    ["formatMetricValue", 3.14159, "req/s", "3.14 req/s"],
    ["formatMetricValue", 314.159, "req/s", "314 req/s"],
    ["formatMetricValue", 12345, "count", "12,345"],
    ["formatMetricValue", 1.5, "widgets", "1.50 widgets"],
    ["formatMetricValue", Number.NaN, "%", "—"],
    ["formatThreshold", 5, "%", "5 %"],
    ["formatThreshold", 0.25, "%", "0.25 %"],
    ["formatThreshold", 500, "ms", "500 ms"],
    ["formatThreshold", 1.5e9, "bytes", "1.5 GB"],
    ["formatThreshold", 10, "count", "10"],
  ])("%s(%s, %j) is %j", (format, value, unit, shown) => {
    expect(FORMATS[format](value, unit)).toBe(shown);
  });
});

describe("formatterFor", () => {
  it("gives the same function for the same unit (charts are memoised on it)", () => {
    expect(formatterFor("%")).toBe(formatterFor("%"));
    expect(formatterFor("%")(1)).toBe("1.00 %");
  });
});
