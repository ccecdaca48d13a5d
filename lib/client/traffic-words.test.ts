import { describe, expect, it } from "vitest";
import { choiceLabel, describeRouter, hookResultsOf } from "./traffic-words";

describe("describeRouter", () => {
  it("names the router and its kind, never more", () => {
    expect(describeRouter(null)).toBe("no router configured");
    expect(describeRouter(undefined)).toBe("no router configured");
    expect(describeRouter({ name: "edge", kind: "haproxy" })).toBe("edge (HAProxy)");
    expect(describeRouter({ name: "gone", kind: null })).toBe("gone (no longer defined)");
  });
});

describe("choiceLabel", () => {
  it("says where an integration is defined", () => {
    expect(choiceLabel({ name: "lb", kind: "nginx", source: "file" } as Parameters<typeof choiceLabel>[0])).toBe("lb (nginx, server configuration)");
    expect(choiceLabel({ name: "flag", kind: "webhook", source: "db" } as Parameters<typeof choiceLabel>[0])).toBe("flag (webhook)");
  });
});

describe("hookResultsOf", () => {
  it("reads the stored results and skips malformed entries", () => {
    expect(hookResultsOf(null)).toEqual([]);
    expect(hookResultsOf({ name: "x" })).toEqual([]);
    expect(hookResultsOf([{ name: "flag", ok: true, output: "done", durationMs: 12 }, null, { ok: true }, { name: "page", ok: "yes", output: 3 }])).toEqual([
      { name: "flag", ok: true, output: "done", durationMs: 12 },
      { name: "page", ok: false, output: "", durationMs: null },
    ]);
  });
});
