import { describe, expect, it } from "vitest";
import { formatMetricValue, formatThreshold, formatterFor } from "./metric-format";

describe("formatMetricValue", () => {
  it("writes each unit as people read it", () => {
    expect(formatMetricValue(2.3456, "%")).toBe("2.35 %");
    expect(formatMetricValue(12.34, "%")).toBe("12.3 %");
    expect(formatMetricValue(84.6, "ms")).toBe("85 ms");
    expect(formatMetricValue(1.5e9, "bytes")).toBe("1.50 GB");
    expect(formatMetricValue(2048, "bytes")).toBe("2.0 kB");
    expect(formatMetricValue(512, "bytes")).toBe("512 B");
    expect(formatMetricValue(3.14159, "req/s")).toBe("3.14 req/s");
    expect(formatMetricValue(314.159, "req/s")).toBe("314 req/s");
    expect(formatMetricValue(12345, "count")).toBe("12,345");
    expect(formatMetricValue(1.5, "widgets")).toBe("1.50 widgets");
    expect(formatMetricValue(Number.NaN, "%")).toBe("—");
  });
});

describe("formatThreshold", () => {
  it("drops trailing zeros", () => {
    expect(formatThreshold(5, "%")).toBe("5 %");
    expect(formatThreshold(0.25, "%")).toBe("0.25 %");
    expect(formatThreshold(500, "ms")).toBe("500 ms");
    expect(formatThreshold(1.5e9, "bytes")).toBe("1.5 GB");
    expect(formatThreshold(10, "count")).toBe("10");
  });
});

describe("formatterFor", () => {
  it("gives the same function for the same unit (charts are memoised on it)", () => {
    expect(formatterFor("%")).toBe(formatterFor("%"));
    expect(formatterFor("%")(1)).toBe("1.00 %");
  });
});
