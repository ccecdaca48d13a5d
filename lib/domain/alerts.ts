// Alerts from Alertmanager: the webhook payload (version 4) as Alertmanager sends it, what of it a
// cutover keeps, and how an alert makes a trigger's sample. Pure: no I/O, imported by the
// endpoint's service, the trigger evaluation and the room's banner alike.
//
// What is kept is plain text with bounded lengths: the alert's name, its `severity` label, the
// `summary` and `description` annotations and a capped copy of its labels. generatorURL and
// externalURL are accepted (Alertmanager always sends them) and dropped: they name internal hosts
// the room was never allowed to link to.
import { z } from "zod";
import type { Sample } from "./metrics";

export const ALERT_LIMITS = {
  /** Alerts in one notification (Alertmanager's max_alerts is unlimited by default). */
  alerts: 1000,
  /** Labels or annotations on one alert. */
  labels: 100,
  /** Characters of a label name or value, an annotation, a group key as sent. */
  sentText: 10_000,
  /** What is stored and shown. */
  alertname: 200,
  severity: 32,
  summary: 500,
  description: 2000,
  storedLabels: 32,
  storedLabelValue: 200,
} as const;

const sentText = z.string().max(ALERT_LIMITS.sentText);
const labelSet = z
  .record(z.string().min(1).max(200), sentText)
  .refine((r) => Object.keys(r).length <= ALERT_LIMITS.labels, `at most ${ALERT_LIMITS.labels} entries`);

// RFC 3339 as Go prints it: fractions up to nanoseconds, Z or an offset.
const TIME = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(\.\d{1,9})?(Z|[+-]\d\d:\d\d)$/;
const amTime = z.string().max(40).regex(TIME, "must be an RFC 3339 time");

export const alertSchema = z.object({
  status: z.enum(["firing", "resolved"]),
  labels: labelSet,
  annotations: labelSet.default({}),
  startsAt: amTime,
  endsAt: amTime.optional(),
  generatorURL: sentText.optional(),
  fingerprint: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, "must be Alertmanager's fingerprint (letters, digits, _ or -)"),
});

export const alertmanagerPayloadSchema = z.object({
  version: z.literal("4", "only version 4 of the Alertmanager webhook payload is understood"),
  groupKey: sentText,
  truncatedAlerts: z.number().int().min(0).optional(),
  status: z.enum(["firing", "resolved"]),
  receiver: sentText,
  groupLabels: labelSet,
  commonLabels: labelSet,
  commonAnnotations: labelSet,
  externalURL: sentText,
  alerts: z.array(alertSchema).max(ALERT_LIMITS.alerts, `at most ${ALERT_LIMITS.alerts} alerts in one notification`),
});
export type AlertmanagerPayload = z.infer<typeof alertmanagerPayloadSchema>;

export type AlertStatus = "firing" | "resolved";

/** One alert as a cutover keeps it. */
export interface ReceivedAlert {
  fingerprint: string;
  alertname: string;
  severity: string | null;
  status: AlertStatus;
  summary: string | null;
  description: string | null;
  labels: Record<string, string>;
  startsAt: Date;
  endsAt: Date | null;
}

/** Text safe to store and show as text: no control characters (NUL cannot be stored), trimmed, capped. */
export function plainText(value: string | undefined, max: number): string | null {
  if (value === undefined) return null;
  // eslint-disable-next-line no-control-regex
  const clean = value.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, "").trim();
  if (!clean) return null;
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

/** An Alertmanager time; Go's zero time (year 1: "no end yet") and unreadable ones are null. */
export function parseAlertTime(value: string | undefined): Date | null {
  if (!value) return null;
  const m = TIME.exec(value);
  if (!m || Number(m[1]) < 1970) return null;
  const fraction = (m[7] ?? "").slice(0, 4);
  const ms = Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${fraction}${m[8]}`);
  return Number.isFinite(ms) ? new Date(ms) : null;
}

/** What a cutover keeps of one alert of a payload (labels capped, links dropped). */
export function receivedAlert(a: z.output<typeof alertSchema>, now: Date): ReceivedAlert {
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(a.labels).sort(([x], [y]) => x.localeCompare(y)).slice(0, ALERT_LIMITS.storedLabels)) {
    labels[plainText(k, 100) ?? "?"] = plainText(v, ALERT_LIMITS.storedLabelValue) ?? "";
  }
  const endsAt = parseAlertTime(a.endsAt);
  return {
    fingerprint: a.fingerprint,
    alertname: plainText(a.labels.alertname, ALERT_LIMITS.alertname) ?? "(unnamed alert)",
    severity: plainText(a.labels.severity?.toLowerCase(), ALERT_LIMITS.severity),
    status: a.status,
    summary: plainText(a.annotations.summary, ALERT_LIMITS.summary),
    description: plainText(a.annotations.description, ALERT_LIMITS.description),
    labels,
    startsAt: parseAlertTime(a.startsAt) ?? now,
    // A firing alert's endsAt is Alertmanager's resolve timeout, not an end.
    endsAt: a.status === "resolved" ? (endsAt ?? now) : null,
  };
}

/**
 * What a notification means for the alert already stored under its fingerprint: a new alert, a
 * change of status (recorded in the audit log and announced), or a repeat (lastSeenAt only).
 */
export function alertChange(stored: AlertStatus | null, incoming: AlertStatus): "new" | "changed" | "repeat" {
  if (stored === null) return "new";
  return stored === incoming ? "repeat" : "changed";
}

/** The audit action of an alert reaching a status. */
export const alertAuditAction = (status: AlertStatus) => (status === "firing" ? "alert.firing" : "alert.resolved");

/**
 * An alert condition as a trigger sample: the number of firing alerts of that name, compared with
 * ALERT_CONDITION. So the pure stepTrigger (lib/domain/triggers.ts) gives alert triggers the same
 * pending/firing semantics as metric ones: firing is a breach, resolved or absent is ok.
 */
export function alertSample(firingCount: number, at: number): Sample {
  return { at, status: "ok", value: firingCount };
}
export const ALERT_CONDITION = { comparison: ">" as const, threshold: 0 };

/** An Alertmanager alertname as a trigger names it. */
export const ALERT_NAME = /^[A-Za-z_:][A-Za-z0-9_:.-]{0,199}$/;

/** The severity as the room reads it (words, not colour): "CRITICAL", "WARNING", else "INFO" or the label as sent. */
export function severityWord(severity: string | null): string {
  if (!severity) return "ALERT";
  if (["critical", "crit", "page", "p1", "error"].includes(severity)) return "CRITICAL";
  if (["warning", "warn", "p2"].includes(severity)) return "WARNING";
  if (["info", "informational", "none"].includes(severity)) return "INFO";
  return severity.toUpperCase().slice(0, ALERT_LIMITS.severity);
}

export const isCritical = (severity: string | null) => severityWord(severity) === "CRITICAL";

/** The room's list: firing first (critical first, oldest first), then resolved, most recently changed first. */
export function sortAlerts<T extends { status: AlertStatus; severity: string | null; startsAt: Date | string; changedAt: Date | string }>(alerts: readonly T[]): T[] {
  const ms = (d: Date | string) => (typeof d === "string" ? Date.parse(d) : d.getTime());
  const rank = (a: T) => (a.status === "firing" ? (isCritical(a.severity) ? 0 : 1) : 2);
  return [...alerts].sort((a, b) => rank(a) - rank(b) || (a.status === "firing" ? ms(a.startsAt) - ms(b.startsAt) : ms(b.changedAt) - ms(a.changedAt)));
}

/** The bearer token's shape: anything else is refused before any lookup. */
export const ALERT_TOKEN_PREFIX = "wram_";
export const ALERT_TOKEN_PATTERN = /^wram_[A-Za-z0-9_-]{43}$/;

/** The token of an `Authorization: Bearer …` header when it has the shape of an Alertmanager token. */
export function alertTokenOf(header: string | null | undefined): string | null {
  const m = /^Bearer\s+(\S{1,200})$/i.exec((header ?? "").trim());
  return m && ALERT_TOKEN_PATTERN.test(m[1]!) ? m[1]! : null;
}

/** The receiver of alertmanager.yml that sends a cutover's alerts to the room. */
export function receiverConfig(url: string, token: string): string {
  return [
    "receivers:",
    "  - name: war-room",
    "    webhook_configs:",
    `      - url: ${JSON.stringify(url)}`,
    "        send_resolved: true",
    "        http_config:",
    "          authorization:",
    "            type: Bearer",
    `            credentials: ${JSON.stringify(token)}`,
  ].join("\n");
}
