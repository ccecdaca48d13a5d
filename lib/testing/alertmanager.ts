// Alertmanager webhook payloads (version 4) as Alertmanager sends them, for tests.
export interface TestAlert {
  fingerprint: string;
  status?: "firing" | "resolved";
  alertname?: string;
  severity?: string;
  summary?: string;
}

export function alertmanagerPayload(alerts: TestAlert[], over: Record<string, unknown> = {}) {
  const status = alerts.some((a) => (a.status ?? "firing") === "firing") ? "firing" : "resolved";
  return {
    receiver: "war-room",
    status,
    alerts: alerts.map((a) => ({
      status: a.status ?? "firing",
      labels: { alertname: a.alertname ?? "HighErrorRate", severity: a.severity ?? "critical", instance: "new-api:9100", job: "demo" },
      annotations: { summary: a.summary ?? "Error rate above 5 %", description: "The new system answers 7 % errors." },
      startsAt: "2026-11-29T12:00:00.123456789Z",
      endsAt: a.status === "resolved" ? "2026-11-29T12:05:00Z" : "0001-01-01T00:00:00Z",
      generatorURL: "http://prometheus.internal:9090/graph?g0.expr=errors",
      fingerprint: a.fingerprint,
    })),
    groupLabels: { alertname: alerts[0]?.alertname ?? "HighErrorRate" },
    commonLabels: { job: "demo" },
    commonAnnotations: {},
    externalURL: "http://alertmanager.internal:9093",
    version: "4",
    groupKey: '{}:{alertname="HighErrorRate"}',
    truncatedAlerts: 0,
    ...over,
  };
}
