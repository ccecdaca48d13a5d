// The room's side of outgoing messages: which channels a cutover announces to (notify.channels),
// a failed delivery queued again (delivery.retry) or set aside (delivery.dismiss), and the view
// the Comms tab and the failure banner read. Channel settings never leave the server: the view
// carries names and kinds, and reasons already cut to host:port by the worker.
import type { z } from "zod";
import { AppError } from "@/lib/errors";
import { outgoingMessageSchema } from "@/lib/domain/notify/message";
import { integrationChoices, requireIntegration, resolveIntegration } from "@/lib/integrations/resolve";
import { cutoverOnly } from "@/lib/schemas/room";
import type { deliveryInput, DeliveriesView, DeliveryRow, notifyChannelsInput } from "@/lib/schemas/deliveries";
import { requireFound, withCutover, type Actor, type CutoverContext } from "../context";

export async function setNotifyChannels(ctx: CutoverContext, input: z.output<typeof notifyChannelsInput>) {
  for (const name of input.channels) await requireIntegration(name, "channel");
  const before = await ctx.tx.cutover.findUniqueOrThrow({ where: { id: ctx.cutover.id }, select: { notifyChannels: true } });
  await ctx.tx.cutover.update({ where: { id: ctx.cutover.id }, data: { notifyChannels: input.channels } });
  await ctx.record("notify.channels_updated", `cutover:${ctx.cutover.id}`, { before: { channels: before.notifyChannels }, after: { channels: input.channels } });
  return { channels: input.channels };
}

async function failedDelivery(ctx: CutoverContext, id: string) {
  const d = requireFound(await ctx.tx.delivery.findFirst({ where: { id, cutoverId: ctx.cutover.id } }), "Delivery");
  if (d.state !== "failed") throw new AppError("conflict", `This delivery is ${d.state}, not failed`);
  return d;
}

export async function retryDelivery(ctx: CutoverContext, input: z.output<typeof deliveryInput>) {
  const d = await failedDelivery(ctx, input.id);
  // The guard on the state makes two presses one retry.
  const updated = await ctx.tx.delivery.updateMany({ where: { id: d.id, state: "failed" }, data: { state: "queued", attempts: 0, nextAttemptAt: new Date(), lastError: null, dismissedAt: null } });
  if (updated.count === 0) throw new AppError("conflict", "This delivery was already queued again");
  await ctx.record("delivery.retried", `delivery:${d.id}`, { before: { state: d.state, attempts: d.attempts, error: d.lastError }, after: { state: "queued", channel: d.channel } });
  return { id: d.id, state: "queued" as const };
}

export async function dismissDelivery(ctx: CutoverContext, input: z.output<typeof deliveryInput>) {
  const d = await failedDelivery(ctx, input.id);
  if (d.dismissedAt) throw new AppError("conflict", "This failure was already dismissed");
  await ctx.tx.delivery.update({ where: { id: d.id }, data: { dismissedAt: new Date() } });
  await ctx.record("delivery.dismissed", `delivery:${d.id}`, { before: { state: d.state, error: d.lastError }, after: { dismissed: true, channel: d.channel } });
  return { id: d.id };
}

type StoredDelivery = { id: string; createdAt: Date; source: string; subject: string; channel: string; recipient: string | null; message: unknown; state: DeliveryRow["state"]; attempts: number; nextAttemptAt: Date; lastError: string | null; deliveredAt: Date | null; dismissedAt: Date | null };

function row(d: StoredDelivery): DeliveryRow {
  const message = outgoingMessageSchema.safeParse(d.message);
  return {
    id: d.id,
    createdAt: d.createdAt.toISOString(),
    source: d.source,
    subject: d.subject,
    channel: d.channel,
    recipient: d.recipient,
    title: message.success ? message.data.title : "(malformed message)",
    severity: message.success ? (message.data.severity ?? null) : null,
    state: d.state,
    attempts: d.attempts,
    nextAttemptAt: d.state === "queued" ? d.nextAttemptAt.toISOString() : null,
    lastError: d.lastError,
    deliveredAt: d.deliveredAt?.toISOString() ?? null,
    dismissed: d.dismissedAt !== null,
  };
}

/** The Comms tab's deliveries and the failure banner: for every member of the cutover. */
export async function getDeliveriesView(actor: Actor, raw: z.input<typeof cutoverOnly>): Promise<DeliveriesView> {
  const input = cutoverOnly.parse(raw);
  const read = await withCutover(actor, input.cutoverId, "cutover.view", async (ctx) => {
    const c = await ctx.tx.cutover.findUniqueOrThrow({ where: { id: input.cutoverId }, select: { notifyChannels: true } });
    const deliveries = await ctx.tx.delivery.findMany({ where: { cutoverId: input.cutoverId }, orderBy: { createdAt: "desc" }, take: 100 });
    const failures = await ctx.tx.delivery.findMany({ where: { cutoverId: input.cutoverId, state: "failed", dismissedAt: null }, orderBy: { createdAt: "desc" }, take: 20 });
    return { channels: c.notifyChannels, deliveries, failures, canEdit: ctx.can("announcement.edit"), canSend: ctx.can("announcement.send") };
  });
  // The catalog is read after the transaction: it may be the operator's file or a cached row.
  const channels = await Promise.all(
    read.channels.map(async (name) => {
      const found = await resolveIntegration(name);
      return { name, kind: found?.type === "channel" ? found.kind : null };
    }),
  );
  return {
    channels,
    choices: read.canEdit ? await integrationChoices("channel") : null,
    deliveries: read.deliveries.map(row),
    failures: read.failures.map(row),
    canEdit: read.canEdit,
    canSend: read.canSend,
  };
}
