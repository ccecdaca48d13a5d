import { describe, expect, it } from "vitest";
import { metricsSettingsInput, rollbackInput, signOffInput, triggerInput } from "@/lib/schemas/room";
import { POLL_INTERVAL_MS, TEXT, TRIGGER_SECONDS } from "./limits";

const ID = "00000000-0000-4000-8000-000000000000";

describe("limits", () => {
  it("the command schemas accept up to each limit and refuse one beyond", () => {
    expect(signOffInput.safeParse({ cutoverId: ID, itemId: ID, note: "n".repeat(TEXT.note) }).success).toBe(true);
    expect(signOffInput.safeParse({ cutoverId: ID, itemId: ID, note: "n".repeat(TEXT.note + 1) }).success).toBe(false);
    expect(rollbackInput.safeParse({ cutoverId: ID, reason: "r".repeat(TEXT.note + 1) }).success).toBe(false);
    expect(metricsSettingsInput.safeParse({ cutoverId: ID, prometheusSource: null, pollIntervalMs: POLL_INTERVAL_MS.min }).success).toBe(true);
    expect(metricsSettingsInput.safeParse({ cutoverId: ID, prometheusSource: null, pollIntervalMs: POLL_INTERVAL_MS.min - 1 }).success).toBe(false);
    expect(metricsSettingsInput.safeParse({ cutoverId: ID, prometheusSource: null, pollIntervalMs: POLL_INTERVAL_MS.max + 1 }).success).toBe(false);
    const trigger = { cutoverId: ID, metricId: ID, comparison: ">", threshold: 5, severity: "graceful", action: "alert" };
    expect(triggerInput.safeParse({ ...trigger, forSeconds: TRIGGER_SECONDS.max }).success).toBe(true);
    expect(triggerInput.safeParse({ ...trigger, forSeconds: TRIGGER_SECONDS.max + 1 }).success).toBe(false);
  });
});
