// What an announcement template is (its kinds, the events it can be bound to), the four every
// cutover starts with, and how a runbook's imported template and a recorded audit event map onto
// them. Pure: the service (lib/services/announcements.ts) and the bindings job read it.
import { unknownVariables } from "./render";

export const KIND_LABELS = { go_live: "Go-live", rollback: "Rollback", status_update: "Status update", maintenance: "Maintenance notice", custom: "Custom" } as const;
export type AnnouncementKind = keyof typeof KIND_LABELS;
export const ANNOUNCEMENT_KINDS = Object.keys(KIND_LABELS) as [AnnouncementKind, ...AnnouncementKind[]];

export const BINDING_MODES = ["recommend", "automatic"] as const;
export type BindingMode = (typeof BINDING_MODES)[number];

/**
 * The room's events a template can be bound to, and the audit actions each is recorded as
 * (lib/services/traffic/*, triggers.ts, decisions.ts, plan.ts). A rollback has started once its
 * traffic is back on old (or the attempt failed): the moment the world should hear of it.
 */
export const BINDING_EVENTS = {
  rollback_started: { label: "Rollback started", actions: ["rollback.split_verified", "rollback.failed"] },
  rollback_completed: { label: "Rollback completed", actions: ["rollback.completed"] },
  trigger_fired: { label: "Rollback trigger fired", actions: ["trigger.fired"] },
  decision_closed: { label: "Go/no-go decision closed (PROCEED or ABORT)", actions: ["decision.proceed", "decision.abort"] },
  cutover_started: { label: "Cutover started", actions: ["cutover.started"] },
  cutover_completed: { label: "Cutover completed", actions: ["cutover.completed"] },
  cutover_aborted: { label: "Cutover aborted", actions: ["cutover.aborted"] },
} as const satisfies Record<string, { label: string; actions: readonly string[] }>;
export type BindingEvent = keyof typeof BINDING_EVENTS;
export const BINDING_EVENT_NAMES = Object.keys(BINDING_EVENTS) as BindingEvent[];

/** Every audit action some binding follows (the job reads only these). */
export const BOUND_AUDIT_ACTIONS: readonly string[] = [...new Set(Object.values(BINDING_EVENTS).flatMap((e) => e.actions))];

/** The binding event an audit action is, or null. */
export function bindingEventOf(action: string): BindingEvent | null {
  for (const name of BINDING_EVENT_NAMES) if ((BINDING_EVENTS[name].actions as readonly string[]).includes(action)) return name;
  return null;
}

export interface AuditLike {
  action: string;
  subject: string;
  after: unknown;
}

/** The reason an audit row gives ({{reason}} of a bound announcement): the rollback's, the trigger's, the decision's. */
export function reasonOf(event: AuditLike): string | null {
  const after = event.after && typeof event.after === "object" ? (event.after as Record<string, unknown>) : {};
  const pick = (k: string) => (typeof after[k] === "string" && (after[k] as string).trim() ? (after[k] as string).trim() : null);
  if (event.action === "rollback.failed") return pick("error");
  const reason = pick("reason") ?? pick("note");
  if (reason === null) return event.action.startsWith("decision.") ? (pick("state")?.toUpperCase() ?? null) : null;
  // The rollback's traffic change is recorded as "rollback: <why>"; a rollback without one as "rollback".
  if (event.action === "rollback.split_verified") return reason.replace(/^rollback(:\s*)?/i, "").trim() || null;
  return reason;
}

/** Which template a bound event wants: the templates bound to it that are enabled. */
export function templatesFor<T extends { bindingEvent: string | null; enabled: boolean }>(event: BindingEvent, templates: readonly T[]): T[] {
  return templates.filter((t) => t.enabled && t.bindingEvent === event);
}

/** The kind of a runbook's imported template, from its name ("Success announcement" → go_live). */
export function guessKind(name: string): AnnouncementKind {
  const n = name.toLowerCase();
  if (/roll\s*-?\s*back|revert|abort|fail/.test(n)) return "rollback";
  if (/success|go[\s-]*live|launch|complete|done|cut\s*over\s+finished/.test(n)) return "go_live";
  if (/maintenance|downtime|window|planned/.test(n)) return "maintenance";
  if (/status|update|progress|check[\s-]*in/.test(n)) return "status_update";
  return "custom";
}

export interface DefaultTemplate {
  name: string;
  kind: AnnouncementKind;
  title: string;
  body: string;
  bindingEvent: BindingEvent | null;
  bindingMode: BindingMode;
}

/**
 * The four every cutover starts with, worded after the runbooks' "notify stakeholders" steps.
 * Go-live and rollback are bound in recommend mode: the Comms Lead is offered them at the moment
 * and sends with one click; nothing goes out by itself until someone chooses "automatic".
 */
export const DEFAULT_TEMPLATES: readonly DefaultTemplate[] = [
  {
    name: "Go-live",
    kind: "go_live",
    title: "{{cutover}}: completed",
    body: [
      "{{cutover}} is complete: {{traffic_new}} of traffic is on the new system since {{now}}.",
      "Error rate: {{metric:Error rate}}.\nLatency p99: {{metric:Latency p99}}.",
      "The team stays on standby and keeps monitoring. Please report anything unusual in the war room: {{room_url}}",
    ].join("\n\n"),
    bindingEvent: "cutover_completed",
    bindingMode: "recommend",
  },
  {
    name: "Rollback",
    kind: "rollback",
    title: "{{cutover}}: rolled back to the old system",
    body: [
      "We rolled {{cutover}} back at {{now}}: traffic is on the old system again ({{traffic_old}}).",
      "Reason: {{reason}}.",
      "Service continues on the old system; no action is needed from you. Next update by {{next_update_due}}. War room: {{room_url}}",
    ].join("\n\n"),
    bindingEvent: "rollback_started",
    bindingMode: "recommend",
  },
  {
    name: "Status update",
    kind: "status_update",
    title: "{{cutover}}: status update",
    body: [
      "Phase: {{phase}}. Traffic: {{traffic_new}} new, {{traffic_old}} old.",
      "Error rate: {{metric:Error rate}}.\nLatency p99: {{metric:Latency p99}}.",
      "Next update by {{next_update_due}}. War room: {{room_url}}",
    ].join("\n\n"),
    bindingEvent: null,
    bindingMode: "recommend",
  },
  {
    name: "Maintenance notice",
    kind: "maintenance",
    title: "Planned maintenance: {{cutover}} at {{t_zero}}",
    body: [
      "We are moving production to a new system ({{cutover}}), starting at {{t_zero}}.",
      "We expect no downtime: traffic moves step by step and can be moved back at once if needed.",
      "Updates follow during the cutover. Questions: reply to this message.",
    ].join("\n\n"),
    bindingEvent: null,
    bindingMode: "recommend",
  },
];

/**
 * The rows a cutover's templates start as: the defaults, then those imported from its runbook
 * (each with the kind its name suggests), skipping names already taken.
 */
export function seedTemplates(imported: readonly { name: string; body: string }[], metricNames: readonly string[], taken: readonly string[] = []): DefaultTemplate[] {
  const names = new Set(taken.map((n) => n.toLowerCase()));
  const out: DefaultTemplate[] = [];
  const add = (t: DefaultTemplate) => {
    const key = t.name.trim().toLowerCase();
    if (!key || names.has(key)) return;
    names.add(key);
    out.push(t);
  };
  // A default line naming a metric this cutover lacks is left out rather than left unsendable.
  const fits = (line: string) => unknownVariables(line, metricNames).length === 0;
  for (const t of DEFAULT_TEMPLATES) add({ ...t, body: t.body.split("\n").filter(fits).join("\n").replace(/\n{3,}/g, "\n\n") });
  for (const t of imported) {
    // An imported text is kept as written: braces in it that are not our variables must not make it unsendable.
    add({ name: t.name.trim(), kind: guessKind(t.name), title: `{{cutover}}: ${t.name.trim()}`, body: escapeBraces(t.body), bindingEvent: null, bindingMode: "recommend" });
  }
  return out;
}

/** Runbook text that happens to hold "{{" is not a variable: the doubled braces become single ones. */
function escapeBraces(text: string): string {
  return text.replace(/\{\{/g, "{").replace(/\}\}/g, "}");
}
