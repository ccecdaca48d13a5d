import { describe, expect, it } from "vitest";
import { checkPromql, queryFor } from "./promql";

describe("PromQL syntax check", () => {
  it.each([
    "up",
    'sum(rate(demo_http_requests_total{service="new",code=~"5.."}[1m]))',
    "histogram_quantile(0.95, sum by (le) (rate(demo_http_request_duration_seconds_bucket[5m]))) * 1000",
    '100 * sum(rate(x{a="b"}[30s])) / clamp_min(sum(rate(x[30s])), 1e-9)',
  ])("accepts %s", (q) => {
    expect(checkPromql(q)).toEqual({ ok: true });
  });

  it.each([
    ["sum(rate(x[1m])", 15],
    ['up{job="a"', 10],
    ["rate(x[1m]) +", 13],
    ["100 ** 2", 5],
  ])("rejects %s with a position", (q, near) => {
    const r = checkPromql(q);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toMatch(/PromQL syntax error at character \d+/);
      expect(Math.abs(r.position - near)).toBeLessThanOrEqual(6);
    }
  });

  it("rejects empty and oversized queries", () => {
    expect(checkPromql("  ")).toMatchObject({ ok: false, error: "The query is empty" });
    expect(checkPromql("a".repeat(10_001))).toMatchObject({ ok: false });
  });

  it("fills the system into a template", () => {
    expect(queryFor('rate(x{service="$system"}[1m])', "new")).toBe('rate(x{service="new"}[1m])');
  });
});
