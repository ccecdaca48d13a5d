// The inputs of the delivery commands and what the room reads of a cutover's outgoing messages:
// channels by name and kind, deliveries with their state and a reason that never holds a secret
// or a URL path (the settings of a channel never leave the server).
import { z } from "zod";
import { id } from "./room";
import { integrationName } from "./integrations";
import { SEVERITIES } from "@/lib/domain/notify/message";

export const notifyChannelsInput = z.object({
  cutoverId: id,
  channels: z
    .array(integrationName)
    .max(10, "at most 10 channels")
    .refine((names) => new Set(names).size === names.length, "a channel is named twice"),
});
export const deliveryInput = z.object({ cutoverId: id, id });

export const DELIVERY_STATES = ["queued", "sending", "delivered", "failed"] as const;

export const deliveryRowSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  source: z.string(),
  subject: z.string(),
  channel: z.string(),
  recipient: z.string().nullable(),
  title: z.string(),
  severity: z.enum(SEVERITIES).nullable(),
  state: z.enum(DELIVERY_STATES),
  attempts: z.number().int(),
  nextAttemptAt: z.string().nullable(),
  lastError: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  dismissed: z.boolean(),
});
export type DeliveryRow = z.infer<typeof deliveryRowSchema>;

export const deliveriesViewSchema = z.object({
  /** The channels this cutover announces to, with their kind (null: no longer in the catalog). */
  channels: z.array(z.object({ name: z.string(), kind: z.string().nullable() })),
  /** Channels that may be picked (names and kinds only); null for those who may not edit them. */
  choices: z.array(z.object({ name: z.string(), kind: z.string(), source: z.enum(["file", "db"]) })).nullable(),
  deliveries: z.array(deliveryRowSchema),
  /** Failed deliveries nobody has retried or dismissed: the banner's count. */
  failures: z.array(deliveryRowSchema),
  canEdit: z.boolean(),
  canSend: z.boolean(),
});
export type DeliveriesView = z.infer<typeof deliveriesViewSchema>;
