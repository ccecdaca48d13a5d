// The outbox end to end against real receivers on 127.0.0.1 and a real PostgreSQL: a signed JSON
// webhook that answers 500 once, one that hangs, a Slack-compatible webhook, a real SMTP server
// (up and down), a target the allow-list does not name, a channel that does not exist, a row a
// dead sender left. The worker's clock is moved instead of waited for.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { verifySignature } from "@/lib/adapters/signer";
import type { OutgoingMessage } from "@/lib/domain/notify/message";
import type { RetryPolicy } from "@/lib/domain/notify/retry";
import { forgetIntegrations } from "@/lib/integrations/resolve";
import { listen, type BusEvent, type BusListener } from "@/lib/realtime/bus";
import { deliveriesViewSchema } from "@/lib/schemas/deliveries";
import { SAMPLE_MESSAGE, startSmtpReceiver, startWebhookReceiver, type SmtpReceiver, type WebhookReceiver } from "@/lib/testing/notify-receivers";
import { createFixture, createOutsider, createTeam, useFreshDatabase, type Fixture, type Team } from "@/lib/testing/fixtures";
import { dispatch } from "../commands";
import type { Actor } from "../context";
import { getIntegrationsView } from "../integrations";
import { getDeliveriesView } from "./channels";
import { deliverDue } from "./deliver";
import { enqueueDelivery } from "./outbox";
import { startDeliveryWorker } from "@/lib/jobs/delivery-worker";

const SECRET = "a-signing-secret-of-32-characters";
const policy: RetryPolicy = { baseDelayMs: 2000, factor: 2, maxDelayMs: 60_000, maxAttempts: 3 };
const message: OutgoingMessage = { ...SAMPLE_MESSAGE, severity: "critical" };

let team: Team;
let admin: Actor;
let f: Fixture;
let bus: BusListener;
const events: BusEvent[] = [];
const receivers: { close(): Promise<void> }[] = [];
// The worker's clock: ahead of the database's, so rows queued "now" are due.
let clock = 0;
const deliver = () => deliverDue({ now: () => new Date(clock), policy, log: () => {} });

async function channel(name: string, kind: "webhook" | "slack" | "email", config: Record<string, unknown>) {
  await dispatch(admin, "integration.save", { name, type: "channel", kind, config });
}
async function queue(channelName: string, recipient?: string) {
  const { deliveryId } = await db().$transaction((tx) => enqueueDelivery(tx, { cutoverId: f.cutoverId, channel: channelName, source: "announcement", subject: "test", message, recipient, createdBy: "Dana" }));
  // Queued at the database's "now": the worker's clock never runs behind it.
  clock = Math.max(clock, Date.now() + 1000);
  return deliveryId;
}
const row = (id: string) => db().delivery.findUniqueOrThrow({ where: { id } });
async function webhook(opts: Parameters<typeof startWebhookReceiver>[0] = {}): Promise<WebhookReceiver> {
  const r = await startWebhookReceiver(opts);
  receivers.push(r);
  return r;
}
async function smtp(): Promise<SmtpReceiver> {
  const r = await startSmtpReceiver();
  receivers.push(r);
  return r;
}
async function until(pred: () => boolean, what: string) {
  const deadline = Date.now() + 10_000;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeAll(async () => {
  process.env.WARROOM_OUTBOUND_ALLOW = "127.0.0.1";
  const url = await useFreshDatabase();
  team = await createTeam();
  admin = await createOutsider("admin", { isAdmin: true });
  f = await createFixture(team, { state: "in_progress" });
  bus = listen(url, (e) => events.push(e));
  await until(() => bus.connected(), "the bus");
});
afterAll(async () => {
  await bus?.stop();
  await Promise.all(receivers.map((r) => r.close()));
});

describe("delivery worker", () => {
  it("retries a webhook that answered 500 once: two attempts, delivered, signed, audited, announced", async () => {
    const r = await webhook({ failFirst: 1 });
    await channel("ops-webhook", "webhook", { url: `${r.url}/hooks/warroom`, secret: SECRET });
    const id = await queue("ops-webhook");

    expect(await deliver()).toBe(1);
    const first = await row(id);
    expect(first).toMatchObject({ state: "queued", attempts: 1, lastError: `HTTP 500 from ${new URL(r.url).host}` });
    expect(first.nextAttemptAt.getTime()).toBe(clock + 2000);
    // Not due yet: nothing is sent before the backoff ends.
    expect(await deliver()).toBe(0);

    clock += 2000;
    expect(await deliver()).toBe(1);
    const done = await row(id);
    expect(done).toMatchObject({ state: "delivered", attempts: 2, lastError: null });
    expect(done.deliveredAt?.getTime()).toBe(clock);

    expect(r.received).toHaveLength(2);
    for (const req of r.received) {
      expect(verifySignature(req.body, String(req.headers["x-warroom-signature"]), SECRET)).toBe(true);
      expect(req.headers["x-warroom-delivery"]).toBe(id);
      expect(req.json).toMatchObject({ type: "warroom.message", deliveryId: id, message });
    }
    const audit = await db().auditEvent.findMany({ where: { subject: `delivery:${id}` }, orderBy: { at: "asc" } });
    expect(audit.map((a) => [a.action, a.actorName, a.actorId])).toEqual([
      ["delivery.retrying", "delivery", null],
      ["delivery.sent", "delivery", null],
    ]);
    // Queued, retrying, sent: the room heard each.
    await until(() => events.filter((e) => e.type === "delivery.state" && e.subject === `delivery:${id}`).length === 3, "three delivery.state events");
  });

  it("gives up on a target that hangs after the last attempt, each bounded by the timeout, with a visible reason", async () => {
    const r = await webhook({ hang: true });
    await channel("hanging", "webhook", { url: `${r.url}/slow`, timeoutMs: 300 });
    const id = await queue("hanging");
    for (const attempt of [1, 2, 3]) {
      expect(await deliver()).toBe(1);
      const d = await row(id);
      expect(d.attempts).toBe(attempt);
      clock += 10_000;
    }
    const d = await row(id);
    expect(d.state).toBe("failed");
    expect(d.lastError).toBe(`after 3 attempts: ${new URL(r.url).host} did not answer within 300 ms`);
    expect(r.received).toHaveLength(3);
    expect(await deliver()).toBe(0);
    const actions = (await db().auditEvent.findMany({ where: { subject: `delivery:${id}` }, orderBy: { at: "asc" } })).map((a) => a.action);
    expect(actions).toEqual(["delivery.retrying", "delivery.retrying", "delivery.failed"]);
  });

  it("posts Slack blocks with a plain-text fallback; the webhook URL is a secret nobody sees again", async () => {
    const r = await webhook({ failFirst: 1 });
    const path = "/services/T000/B000/XXXXSECRETPATH";
    await channel("team-slack", "slack", { url: `${r.url}${path}` });
    const id = await queue("team-slack");
    await deliver();
    // The failure names host:port, never the secret path.
    expect((await row(id)).lastError).toBe(`HTTP 500 from ${new URL(r.url).host}`);
    clock += 2000;
    await deliver();
    expect((await row(id)).state).toBe("delivered");
    const sent = r.received[1]!;
    expect(sent.path).toBe(path);
    const body = sent.json as { text: string; blocks: { type: string; text?: { text: string }; fields?: { text: string }[]; elements?: { url: string }[] }[] };
    expect(body.text).toContain("Go-live: orders moved to the new system");
    expect(body.text).toContain("Traffic split: old 0 % · new 100 %");
    expect(body.blocks.map((b) => b.type)).toEqual(["header", "section", "section", "actions"]);
    expect(body.blocks[0]!.text!.text).toBe("Critical: Go-live: orders moved to the new system");
    expect(body.blocks[2]!.fields!.map((x) => x.text)).toEqual(["*Traffic split*\nold 0 % · new 100 %", "*p95 latency*\n182 ms"]);
    expect(body.blocks[3]!.elements![0]!.url).toBe("https://warroom.example.com/cutovers/abc");

    const view = await getIntegrationsView(admin);
    const listed = view.integrations.find((i) => i.name === "team-slack")!;
    expect(listed.hasSecret).toBe(true);
    expect(JSON.stringify(view)).not.toContain("SECRETPATH");
    const stored = await db().integration.findUniqueOrThrow({ where: { name: "team-slack" } });
    expect(JSON.stringify(stored.config)).not.toContain("SECRETPATH");
    expect(stored.secret).not.toContain("SECRETPATH");
  });

  it("sends an email through a real SMTP server: subject, text, recipients", async () => {
    const s = await smtp();
    await channel("ops-mail", "email", { host: s.host, port: s.port, security: "none", from: "warroom@example.com", to: ["ops@example.com", "cto@example.com"], timeoutMs: 2000 });
    const toAll = await queue("ops-mail");
    const toOne = await queue("ops-mail", "dana@example.com");
    expect(await deliver()).toBe(2);
    expect((await row(toAll)).state).toBe("delivered");
    expect((await row(toOne)).state).toBe("delivered");
    expect(s.messages).toHaveLength(2);
    const all = s.messages.find((m) => m.to.length === 2)!;
    expect(all).toMatchObject({ from: "warroom@example.com", to: ["ops@example.com", "cto@example.com"], subject: "[CRITICAL] Go-live: orders moved to the new system" });
    expect(all.text).toContain("All traffic is on the new system.");
    expect(all.text).toContain("p95 latency: 182 ms");
    expect(all.text).toContain("Open the room: https://warroom.example.com/cutovers/abc");
    expect(all.html).toContain("<th align=\"left\">Traffic split</th><td>old 0 % · new 100 %</td>");
    expect(s.messages.find((m) => m.to.length === 1)!.to).toEqual(["dana@example.com"]);
  });

  it("SMTP down: retried, then failed with a clear reason", async () => {
    const s = await startSmtpReceiver();
    const port = s.port;
    await s.close();
    await channel("mail-down", "email", { host: "127.0.0.1", port, security: "none", from: "warroom@example.com", to: ["ops@example.com"], timeoutMs: 1000 });
    const id = await queue("mail-down");
    for (let i = 0; i < 3; i++) {
      await deliver();
      clock += 10_000;
    }
    const d = await row(id);
    expect(d).toMatchObject({ state: "failed", attempts: 3 });
    expect(d.lastError).toBe(`after 3 attempts: could not connect to the SMTP server 127.0.0.1:${port}`);
  });

  it("refuses a target the allow-list does not name: failed at once, never connected", async () => {
    const r = await webhook();
    const s = await smtp();
    await channel("not-allowed", "webhook", { url: `${r.url}/x` });
    await channel("mail-not-allowed", "email", { host: "127.0.0.1", port: s.port, security: "none", from: "warroom@example.com", to: ["ops@example.com"] });
    const hook = await queue("not-allowed");
    const mail = await queue("mail-not-allowed");
    const allow = process.env.WARROOM_OUTBOUND_ALLOW;
    process.env.WARROOM_OUTBOUND_ALLOW = "";
    try {
      await deliver();
    } finally {
      process.env.WARROOM_OUTBOUND_ALLOW = allow;
    }
    for (const id of [hook, mail]) {
      const d = await row(id);
      expect(d).toMatchObject({ state: "failed", attempts: 1 });
      expect(d.lastError).toBe("refused: 127.0.0.1 is a loopback address (ask an administrator to allow-list the host)");
    }
    expect(r.connections()).toBe(0);
    expect(s.messages).toHaveLength(0);
  });

  it("a delivery to a channel that does not exist fails with a clear reason", async () => {
    const id = await queue("nowhere");
    await deliver();
    expect(await row(id)).toMatchObject({ state: "failed", attempts: 1, lastError: 'no channel named "nowhere" (an administrator defines channels under Administration → Integrations)' });
  });

  it("sends again what a dead sender left `sending` once its lease has passed", async () => {
    const r = await webhook();
    await channel("after-crash", "webhook", { url: `${r.url}/x` });
    const id = await queue("after-crash");
    // Claimed by a sender that died before recording anything.
    await db().delivery.update({ where: { id }, data: { state: "sending", attempts: 1, nextAttemptAt: new Date(clock + 60_000) } });
    expect(await deliver()).toBe(0);
    clock += 60_000;
    expect(await deliver()).toBe(1);
    expect(await row(id)).toMatchObject({ state: "delivered", attempts: 2 });
    expect(r.received).toHaveLength(1);
  });

  it("the leader's worker sends what is queued on its own, and stops when asked", async () => {
    const r = await webhook();
    await channel("worker-hook", "webhook", { url: `${r.url}/x` });
    const stop = startDeliveryWorker({ log: () => {}, tickMs: 20 });
    try {
      const id = await queue("worker-hook");
      await until(() => r.received.length === 1, "the worker's request");
      for (let i = 0; i < 100 && (await row(id)).state !== "delivered"; i++) await new Promise((res) => setTimeout(res, 20));
      expect(await row(id)).toMatchObject({ state: "delivered", attempts: 1 });
    } finally {
      await stop();
    }
  });

  it("the room's view: channels, deliveries, failures; retry and dismiss; never a secret", async () => {
    const lead = team.DEPLOYMENT_LEAD;
    await dispatch(lead, "notify.channels", { cutoverId: f.cutoverId, channels: ["team-slack", "ops-mail"] });
    await expect(dispatch(lead, "notify.channels", { cutoverId: f.cutoverId, channels: ["no-such"] })).rejects.toMatchObject({ status: 400 });
    forgetIntegrations();
    const view = deliveriesViewSchema.parse(await getDeliveriesView(team.OBSERVER, { cutoverId: f.cutoverId }));
    expect(view.channels).toEqual([
      { name: "team-slack", kind: "slack" },
      { name: "ops-mail", kind: "email" },
    ]);
    expect(view.choices).toBeNull();
    expect(view.canSend).toBe(false);
    expect(view.failures.length).toBeGreaterThanOrEqual(4);
    expect(JSON.stringify(view)).not.toMatch(/SECRETPATH|a-signing-secret|\/hooks\/warroom/);

    const failed = view.failures.find((d) => d.channel === "nowhere")!;
    await expect(dispatch(team.OBSERVER, "delivery.retry", { cutoverId: f.cutoverId, id: failed.id })).rejects.toMatchObject({ status: 403 });
    await dispatch(team.COMMS_LEAD, "delivery.retry", { cutoverId: f.cutoverId, id: failed.id });
    expect(await row(failed.id)).toMatchObject({ state: "queued", attempts: 0, lastError: null });
    await expect(dispatch(team.COMMS_LEAD, "delivery.retry", { cutoverId: f.cutoverId, id: failed.id })).rejects.toMatchObject({ status: 409 });

    const other = view.failures.find((d) => d.channel === "mail-down")!;
    await dispatch(team.COMMS_LEAD, "delivery.dismiss", { cutoverId: f.cutoverId, id: other.id });
    await expect(dispatch(team.COMMS_LEAD, "delivery.dismiss", { cutoverId: f.cutoverId, id: other.id })).rejects.toMatchObject({ status: 409 });
    const after = deliveriesViewSchema.parse(await getDeliveriesView(team.COMMS_LEAD, { cutoverId: f.cutoverId }));
    expect(after.failures.map((d) => d.id)).not.toContain(other.id);
    expect(after.failures.map((d) => d.id)).not.toContain(failed.id);
    expect(after.deliveries.find((d) => d.id === other.id)).toMatchObject({ state: "failed", dismissed: true });
    expect(after.choices?.map((c) => c.name)).toContain("ops-webhook");
    expect(after.canEdit).toBe(true);
  });
});
