import { describe, expect, it } from "vitest";
import { alertmanagerPayload } from "@/lib/testing/alertmanager";
import { ALERT_CONDITION, ALERT_LIMITS, alertChange, alertmanagerPayloadSchema, alertSample, alertTokenOf, parseAlertTime, plainText, receivedAlert, receiverConfig, severityWord, sortAlerts } from "./alerts";
import { INITIAL_RUNTIME, stepTrigger, type TriggerRule } from "./triggers";

const valid = () => alertmanagerPayload([{ fingerprint: "a1b2c3d4e5f60718" }]);

describe("the Alertmanager payload (version 4)", () => {
  it("accepts what Alertmanager sends", () => {
    expect(alertmanagerPayloadSchema.safeParse(valid()).success).toBe(true);
    expect(alertmanagerPayloadSchema.safeParse({ ...valid(), truncatedAlerts: undefined }).success).toBe(true);
  });

  it("refuses malformed payloads", () => {
    const base = valid();
    const alert = base.alerts[0]!;
    const bad: unknown[] = [
      null,
      [],
      "text",
      {},
      { ...base, version: "3" },
      { ...base, version: 4 },
      { ...base, status: "pending" },
      { ...base, alerts: "x" },
      { ...base, alerts: [{ ...alert, status: "unknown" }] },
      { ...base, alerts: [{ ...alert, fingerprint: "" }] },
      { ...base, alerts: [{ ...alert, fingerprint: "../etc" }] },
      { ...base, alerts: [{ ...alert, fingerprint: undefined }] },
      { ...base, alerts: [{ ...alert, startsAt: "yesterday" }] },
      { ...base, alerts: [{ ...alert, labels: { alertname: 5 } }] },
      { ...base, alerts: [{ ...alert, labels: Object.fromEntries(Array.from({ length: ALERT_LIMITS.labels + 1 }, (_, i) => [`l${i}`, "v"])) }] },
      { ...base, alerts: [{ ...alert, annotations: { summary: "x".repeat(ALERT_LIMITS.sentText + 1) } }] },
      { ...base, alerts: Array.from({ length: ALERT_LIMITS.alerts + 1 }, () => alert) },
      { ...base, groupLabels: undefined },
      { ...base, externalURL: 42 },
    ];
    for (const b of bad) expect(alertmanagerPayloadSchema.safeParse(b).success, JSON.stringify(b)?.slice(0, 200)).toBe(false);
  });
});

describe("what a cutover keeps of an alert", () => {
  const now = new Date("2026-11-29T12:10:00Z");
  it("names, severity, annotations as plain text; no links; times read as Go prints them", () => {
    const a = receivedAlert(alertmanagerPayloadSchema.parse(valid()).alerts[0]!, now);
    expect(a).toMatchObject({ fingerprint: "a1b2c3d4e5f60718", alertname: "HighErrorRate", severity: "critical", status: "firing", summary: "Error rate above 5 %", endsAt: null });
    expect(a.startsAt.toISOString()).toBe("2026-11-29T12:00:00.123Z");
    expect(JSON.stringify(a)).not.toMatch(/internal|generatorURL|http/);
  });

  it("caps lengths and labels, strips control characters", () => {
    const p = valid();
    p.alerts[0]!.annotations.summary = `a\u0000b\u0007c${"x".repeat(1000)}`;
    p.alerts[0]!.labels = { ...p.alerts[0]!.labels, ...Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`l${i}`, "v".repeat(500)])) };
    const a = receivedAlert(alertmanagerPayloadSchema.parse(p).alerts[0]!, now);
    expect(a.summary!.length).toBe(ALERT_LIMITS.summary);
    expect(a.summary!.startsWith("abc")).toBe(true);
    expect(Object.keys(a.labels).length).toBe(ALERT_LIMITS.storedLabels);
    expect(Math.max(...Object.values(a.labels).map((v) => v.length))).toBeLessThanOrEqual(ALERT_LIMITS.storedLabelValue);
    expect(plainText("   ", 10)).toBeNull();
  });

  it("reads RFC 3339 times; Go's zero time is no time", () => {
    expect(parseAlertTime("0001-01-01T00:00:00Z")).toBeNull();
    expect(parseAlertTime("2026-11-29T13:00:00+01:00")!.toISOString()).toBe("2026-11-29T12:00:00.000Z");
    expect(parseAlertTime("nonsense")).toBeNull();
  });

  it("the same fingerprint is one alert: a repeat changes nothing, a new status is a change", () => {
    expect(alertChange(null, "firing")).toBe("new");
    expect(alertChange("firing", "firing")).toBe("repeat");
    expect(alertChange("firing", "resolved")).toBe("changed");
    expect(alertChange("resolved", "firing")).toBe("changed");
  });

  it("severity in words, firing first", () => {
    expect([severityWord("critical"), severityWord("warning"), severityWord(null), severityWord("sev9")]).toEqual(["CRITICAL", "WARNING", "ALERT", "SEV9"]);
    const t = (status: "firing" | "resolved", severity: string, startsAt: string, changedAt: string) => ({ status, severity, startsAt, changedAt });
    const sorted = sortAlerts([t("resolved", "critical", "2026-01-01", "2026-01-02"), t("firing", "warning", "2026-01-01", "2026-01-01"), t("resolved", "warning", "2026-01-01", "2026-01-03"), t("firing", "critical", "2026-01-02", "2026-01-02")]);
    expect(sorted.map((a) => `${a.status}:${a.severity}`)).toEqual(["firing:critical", "firing:warning", "resolved:warning", "resolved:critical"]);
  });

  it("tokens: only the shape of an Alertmanager token in a Bearer header", () => {
    const token = `wram_${"A".repeat(43)}`;
    expect(alertTokenOf(`Bearer ${token}`)).toBe(token);
    for (const h of [null, "", token, `Basic ${token}`, "Bearer wr_abc", `Bearer ${token}x`]) expect(alertTokenOf(h)).toBeNull();
    expect(receiverConfig("http://w/api/v1/alertmanager/c", token)).toContain(`credentials: "${token}"`);
  });
});

describe("an alert as a trigger's condition (the same pending/firing semantics)", () => {
  const rule: TriggerRule = { ...ALERT_CONDITION, forSec: 10, keepFiringForSec: 0, errorRollbackAfter: null };
  it("pending while firing, fires after `for`, once; resolved resets", () => {
    let rt = INITIAL_RUNTIME;
    const steps: string[] = [];
    let fires = 0;
    for (const [t, count] of [[0, 0], [1, 1], [5, 1], [11, 1], [12, 1], [13, 0], [14, 1]] as const) {
      const s = stepTrigger(rule, rt, alertSample(count, t * 1000), t * 1000);
      rt = s.next;
      if (s.fire) fires++;
      steps.push(`${s.outcome}:${rt.state}`);
    }
    expect(steps).toEqual(["ok:inactive", "breach:pending", "breach:pending", "breach:firing", "breach:firing", "ok:inactive", "breach:pending"]);
    expect(fires).toBe(1);
  });
});
