// "Send a test message": an administrator checks a channel right after defining it. Sent at once
// (not through the outbox: the answer is what the administrator waits for), through the same
// sender and guard as every delivery; the outcome is in the catalog's history (audit log).
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { DeliveryError, send } from "@/lib/adapters/notify/channel";
import { resolveChannel } from "@/lib/integrations/resolve";
import { shortReason } from "@/lib/integrations/schemas";
import { integrationName } from "@/lib/schemas/integrations";
import { recordChange } from "../audit";
import type { Actor } from "../context";

export const channelTestInput = z.object({ name: integrationName });

export async function testChannel(actor: Actor, input: z.output<typeof channelTestInput>, requestId?: string): Promise<{ ok: boolean; status: string }> {
  const channel = await resolveChannel(input.name);
  if ("missing" in channel) throw new AppError("bad_request", channel.missing);
  let result: { ok: boolean; status: string };
  try {
    await send(channel, { title: "Test message from the Cutover War Room", text: `${actor.name} sent this to check the channel "${input.name}".`, severity: "info" }, { deliveryId: `test-${randomUUID()}`, recipient: null });
    result = { ok: true, status: "delivered" };
  } catch (err) {
    result = { ok: false, status: err instanceof DeliveryError ? shortReason(err.message) : "the message could not be sent" };
  }
  await db().$transaction((tx) =>
    recordChange(tx, { cutoverId: null, actorId: actor.id, actorName: actor.name, role: "ADMINISTRATOR", action: "channel.tested", subject: `integration:${input.name}`, after: result, requestId, rehearsal: false }, null),
  );
  return result;
}
