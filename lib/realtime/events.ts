// Every event the room hears, described once: the server announces them (typed: an event that
// does not match its description does not compile) and the browser parses what it receives with
// the same schemas before a panel reads `data`. The wire format is the bus envelope of ./bus.ts
// ({ type, cutoverId, at, actor?, subject?, data? }); this module only says what `data` holds.
// An event too large for a NOTIFY payload is relayed with `data: { truncated: true }`
// (./bus.ts): it matches no schema here, so the room refetches and no panel reads it.
// Pure: no I/O, safe to import from client components.
import { z } from "zod";

const envelope = {
  cutoverId: z.string().uuid(),
  at: z.string(),
  actor: z.string().max(200).optional(),
  /** The actor's role(s) in the cutover as the audit row records them ("DEPLOYMENT_LEAD,ON_CALL", "ADMINISTRATOR"). */
  role: z.string().max(200).optional(),
  subject: z.string().max(200).optional(),
};

/**
 * The envelope every process relays and every page first checks: received events are checked
 * only this far before they are forwarded, so a process never drops an event that a newer
 * version announced; `data` is read only through roomEventSchema.
 */
export const eventEnvelopeSchema = z.object({ ...envelope, type: z.string().min(1).max(100), data: z.record(z.string(), z.unknown()).optional() });
export type EventEnvelope = z.infer<typeof eventEnvelopeSchema>;

/**
 * Changes that carry no data: the room refetches the cutover. The audit action names of the
 * commands (lib/services), announced as they are recorded.
 */
export const CHANGE_EVENT_TYPES = [
  "cutover.created",
  "cutover.started",
  "cutover.completed",
  "cutover.aborted",
  "access.rechecked",
  "phase.added",
  "phase.renamed",
  "phase.moved",
  "phase.removed",
  "section.added",
  "section.renamed",
  "section.moved",
  "section.removed",
  "item.added",
  "item.updated",
  "item.renamed",
  "item.moved",
  "item.removed",
  "decision.created",
  "decision.vote_opened",
  "decision.voted",
  "decision.proceed",
  "decision.abort",
  "metric.added",
  "metric.updated",
  "metric.removed",
  "metrics.settings_updated",
  "gate.added",
  "gate.removed",
  "member.added",
  "member.removed",
  "timeline.added",
  "timeline.started",
  "timeline.finished",
  "contact.added",
  "contact.removed",
  "links.updated",
  "escalation.updated",
  "risk.added",
  "risk.updated",
  "trigger.added",
  "trigger.updated",
  "trigger.removed",
  "trigger.confirmed",
  "traffic.steps_updated",
  "router.updated",
  "rollback_hook.added",
  "rollback_hook.removed",
  // The plan was saved as a team template (lib/services/templates.ts).
  "template.saved",
  // What a process that died left running or requested, closed by the next press or at start
  // (lib/services/traffic/reconcile.ts), with the split the router was read back at.
  "rollback.abandoned",
  "traffic.change_abandoned",
  // The lessons-learned section of an ended cutover's report (lib/services/report.ts).
  "report.lessons_saved",
  // The public status page: turned on/off or readdressed, an update published or retracted (lib/services/status-page.ts).
  "status.configured",
  "status.published",
  "status.retracted",
  // Outgoing messages (lib/services/notify): a delivery was queued, sent, retried or failed; the
  // channels the cutover announces to; a failed delivery queued again or set aside.
  "delivery.state",
  "notify.channels_updated",
  "delivery.retried",
  "delivery.dismissed",
  // Announcements (lib/services/announcements.ts): templates edited, sent, and the bindings'
  // recommendations offered to the room or dismissed; how often the room promises an update.
  "announcement.added",
  "announcement.updated",
  "announcement.removed",
  "announcement.sent",
  "announcement.recommended",
  "announcement.dismissed",
  "announcement.interval_updated",
  // Alerts from Alertmanager (lib/services/alerts.ts): an alert started firing or resolved (its
  // audit row says alert.firing / alert.resolved); the cutover's Alertmanager token was made or revoked.
  "alert.state",
  "alerts.token_created",
  "alerts.token_revoked",
  // Check-ins (lib/services/checkins.ts): the cadence set, one come due or overdue (the leader's
  // check-in job), one acknowledged.
  "checkin.configured",
  "checkin.due",
  "checkin.overdue",
  "checkin.acknowledged",
  // Incidents (lib/services/incidents.ts): opened by a critical trigger or alert, a level of the
  // escalation ladder paged, acknowledged, resolved when what fired stopped.
  "incident.opened",
  "incident.acknowledged",
  "incident.resolved",
  "escalation.level_reached",
] as const;
export type ChangeEventType = (typeof CHANGE_EVENT_TYPES)[number];

/** An item's sign-off state changed (the batched sign-off path). */
export const ITEM_EVENT_TYPES = ["item.signed_off", "item.undone", "item.not_applicable"] as const;
export type ItemEventType = (typeof ITEM_EVENT_TYPES)[number];

const percent = z.number().int().min(0).max(100);
const short = (max: number) => z.string().max(max);

/** One polled value, abbreviated because samples arrive in NOTIFY payloads of at most 8000 bytes. */
export const sampledPointSchema = z.object({
  /** metric id */
  m: z.string(),
  /** system */
  s: z.enum(["old", "new"]),
  /** when (ms, server clock) */
  t: z.number(),
  /** value (null unless ok) */
  v: z.number().nullable(),
  /** status */
  st: z.enum(["ok", "no_data", "error"]),
  /** reason (not ok) */
  r: z.string().max(120).optional(),
});
export type SampledPoint = z.infer<typeof sampledPointSchema>;

export const triggerStateDataSchema = z.object({
  triggerId: z.string(),
  state: z.enum(["inactive", "pending", "firing"]),
  outcome: z.enum(["ok", "breach", "no_data", "error"]),
  /** When a pending rule fires if the condition keeps holding (ms, server clock). */
  firesAt: z.number().nullable(),
  fired: z.boolean(),
  mode: z.enum(["recommend", "automatic"]),
  action: z.enum(["rollback", "shift", "alert"]),
  notice: z.string().nullable(),
  description: z.string().nullable(),
  metric: z.string(),
  value: z.number().nullable(),
});

export const roomEventSchema = z.discriminatedUnion("type", [
  z.object({ ...envelope, type: z.enum(CHANGE_EVENT_TYPES), data: z.undefined().optional() }),
  z.object({ ...envelope, type: z.enum(ITEM_EVENT_TYPES), data: z.object({ itemId: z.string(), state: z.enum(["open", "done", "not_applicable"]) }) }),
  z.object({ ...envelope, type: z.literal("metrics.sampled"), data: z.object({ samples: z.array(sampledPointSchema) }) }),
  z.object({ ...envelope, type: z.literal("trigger.state"), data: triggerStateDataSchema }),
  z.object({ ...envelope, type: z.literal("traffic.shifted"), data: z.object({ from: percent, to: percent, durationMs: z.number() }) }),
  z.object({ ...envelope, type: z.literal("traffic.failed"), data: z.object({ from: percent, to: percent, error: short(500) }) }),
  z.object({ ...envelope, type: z.literal("rollback.started"), data: z.object({ reason: z.string().nullish() }) }),
  z.object({ ...envelope, type: z.literal("rollback.failed"), data: z.object({ error: short(500) }) }),
  z.object({ ...envelope, type: z.literal("rollback.hook_started"), data: z.object({ name: z.string() }) }),
  z.object({ ...envelope, type: z.literal("rollback.hook_finished"), data: z.object({ name: z.string(), ok: z.boolean(), status: z.string(), durationMs: z.number() }) }),
  z.object({ ...envelope, type: z.literal("rollback.completed"), data: z.object({ ok: z.boolean(), hooks: z.number().int() }) }),
]);
export type RoomEvent = z.infer<typeof roomEventSchema>;
export type RoomEventType = RoomEvent["type"];
/** The event of one type. */
export type RoomEventOf<T extends RoomEventType> = Extract<RoomEvent, { type: T }>;

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** What a server announces: an event whose time is stamped when it is sent, unless given. */
export type Announcement = DistributiveOmit<RoomEvent, "at"> & { at?: string };

/** A received event as its schema describes it, or null (malformed, or a type this page does not know). */
export function parseRoomEvent(value: unknown): RoomEvent | null {
  const parsed = roomEventSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/**
 * Not a cutover's event: sent by the socket server to every open page when this process's bus
 * connection came back after PostgreSQL went away (lib/realtime/bus.ts). Changes committed
 * meanwhile were announced to nobody here, so every page refetches what it shows.
 */
export const RESYNC_EVENT = "room.resync";
export const resyncSchema = z.object({ type: z.literal(RESYNC_EVENT), at: z.string(), reason: z.enum(["database_reconnected"]) });
export type Resync = z.infer<typeof resyncSchema>;
