// Announcements against a real PostgreSQL: the templates a cutover starts with, sending (one
// outbox row per channel, the audit row, the 409 without channels), the preview, and the bindings
// job following the audit log (automatic: sent exactly once, even run twice or by a second
// leader; recommend: a pending recommendation that one click sends).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { outgoingMessageSchema } from "@/lib/domain/notify/message";
import { CURSOR_NAME, runBindingsOnce } from "@/lib/jobs/announcement-bindings";
import { defineFileIntegrations } from "@/lib/testing/server-config";
import { startWebhookRouter } from "@/lib/testing/webhook-router";
import { createFixture, createTeam, digest, useFreshDatabase, type Team } from "@/lib/testing/fixtures";
import { backfillAnnouncementTemplates, getAnnouncementsView } from "./announcements";
import { dispatch } from "./commands";

let team: Team;
let router: Awaited<ReturnType<typeof startWebhookRouter>>;

beforeAll(async () => {
  await useFreshDatabase();
  team = await createTeam();
  await db().user.update({ where: { id: team.DEPLOYMENT_LEAD.id }, data: { isPlanner: true } });
  team.DEPLOYMENT_LEAD = { ...team.DEPLOYMENT_LEAD, isPlanner: true };
  router = await startWebhookRouter();
  defineFileIntegrations({ name: "ann-router", type: "router", kind: "webhook", config: { url: router.url, readUrl: router.url, secret: "0123456789abcdef" } });
});
afterAll(() => router?.close());

const RUNBOOK = `# Payments cutover

## Phase 1: Canary
- [ ] Shift 5 % of traffic

## Communication templates

### Success announcement
The payments service now runs on the new platform.

### Rollback announcement
We moved back to the old platform while we investigate.
`;

async function newCutover(runbook?: string) {
  const { cutoverId } = (await dispatch(team.DEPLOYMENT_LEAD, "cutover.create", { name: "Payments", systemFrom: "python", systemTo: "go", tZero: new Date(Date.now() + 3600_000), timeZone: "Europe/Berlin", ...(runbook ? { runbook } : {}) })) as { cutoverId: string };
  await db().cutoverMember.create({ data: { cutoverId, userId: team.COMMS_LEAD.id, role: "COMMS_LEAD" } });
  await db().cutoverMember.create({ data: { cutoverId, userId: team.OBSERVER.id, role: "OBSERVER" } });
  return cutoverId;
}
/** Berlin's offset from UTC at a moment, in ms (summer +2 h, winter +1 h). */
function berlinOffsetMs(at: number): number {
  const parts = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Berlin", timeZoneName: "longOffset" }).formatToParts(at);
  const [, sign, h, m] = /GMT([+-])(\d\d):(\d\d)/.exec(parts.find((p) => p.type === "timeZoneName")!.value)!;
  return (sign === "-" ? -1 : 1) * (Number(h) * 60 + Number(m)) * 60_000;
}
const templateOf = async (cutoverId: string, kind: "go_live" | "rollback" | "status_update" | "maintenance" | "custom") => db().announcementTemplate.findFirstOrThrow({ where: { cutoverId, kind }, orderBy: { position: "asc" } });

describe("the templates a cutover starts with", () => {
  it("a new cutover has the four defaults, then its runbook's with a guessed kind; a clone copies them", async () => {
    const c = await newCutover(RUNBOOK);
    const rows = await db().announcementTemplate.findMany({ where: { cutoverId: c }, orderBy: { position: "asc" } });
    expect(rows.map((r) => [r.name, r.kind])).toEqual([
      ["Go-live", "go_live"],
      ["Rollback", "rollback"],
      ["Status update", "status_update"],
      ["Maintenance notice", "maintenance"],
      ["Success announcement", "go_live"],
      ["Rollback announcement", "rollback"],
    ]);
    expect(rows.find((r) => r.name === "Success announcement")!.body).toContain("new platform");
    expect(rows.find((r) => r.name === "Rollback")).toMatchObject({ bindingEvent: "rollback_started", bindingMode: "recommend" });

    await dispatch(team.COMMS_LEAD, "announcement.save", { cutoverId: c, name: "Customer FAQ", kind: "custom", title: "FAQ", body: "{{room_url}}" });
    const { cutoverId: clone } = (await dispatch(team.DEPLOYMENT_LEAD, "cutover.clone", { cutoverId: c, name: "Payments again", tZero: new Date(Date.now() + 7200_000) })) as { cutoverId: string };
    const cloned = await db().announcementTemplate.findMany({ where: { cutoverId: clone }, orderBy: { position: "asc" } });
    expect(cloned.map((r) => r.name)).toEqual([...rows.map((r) => r.name), "Customer FAQ"]);
  });

  it("a cutover made before templates were rows gets them from the backfill, once", async () => {
    const f = await createFixture(team);
    await db().cutover.update({ where: { id: f.cutoverId }, data: { announcementTemplates: [{ name: "Maintenance window", body: "Tonight" }] } });
    expect(await db().announcementTemplate.count({ where: { cutoverId: f.cutoverId } })).toBe(0);
    expect(await backfillAnnouncementTemplates()).toBeGreaterThanOrEqual(1);
    const rows = await db().announcementTemplate.findMany({ where: { cutoverId: f.cutoverId }, orderBy: { position: "asc" } });
    expect(rows.map((r) => r.kind)).toEqual(["go_live", "rollback", "status_update", "maintenance", "maintenance"]);
    // The fixture has one metric ("Error rate"): the default lines naming a missing one are left out.
    expect(rows.find((r) => r.kind === "status_update")!.body).toContain("{{metric:Error rate}}");
    expect(rows.find((r) => r.kind === "status_update")!.body).not.toContain("Latency p99");
    expect(await backfillAnnouncementTemplates()).toBe(0);
    expect(await db().announcementTemplate.count({ where: { cutoverId: f.cutoverId } })).toBe(5);
  });
});

describe("editing, previewing and sending", () => {
  it("refuses an unknown variable at save and at preview, naming it; nothing is written", async () => {
    const c = await newCutover();
    const before = await digest();
    const save = dispatch(team.COMMS_LEAD, "announcement.save", { cutoverId: c, name: "Bad", kind: "custom", title: "Hi", body: "We are {{colour}}" });
    await expect(save).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/\{\{colour\}\}/) });
    await expect(dispatch(team.OBSERVER, "announcement.preview", { cutoverId: c, title: "Hi", body: "{{metric:Disk}}" })).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/Metrics of this cutover: Error rate/) });
    expect(await digest()).toEqual(before);
  });

  it("previews with live state and writes nothing", async () => {
    const c = await newCutover();
    await db().cutover.update({ where: { id: c }, data: { trafficPercent: 25, notifyChannels: ["ops-slack"] } });
    const rate = await db().metricDefinition.findFirstOrThrow({ where: { cutoverId: c, name: "Error rate" } });
    await db().metricSample.createMany({ data: [{ metricId: rate.id, system: "new", at: new Date(), value: 1.234, status: "ok" }, { metricId: rate.id, system: "old", at: new Date(), value: 0.5, status: "ok" }] });
    const template = await templateOf(c, "status_update");
    const before = await digest();
    const preview = (await dispatch(team.OBSERVER, "announcement.preview", { cutoverId: c, templateId: template.id })) as { title: string; text: string; channels: string[] };
    expect(await digest()).toEqual(before);
    expect(preview.title).toBe("Payments: status update");
    expect(preview.text).toContain("Traffic: 25 % new, 75 % old.");
    expect(preview.text).toContain("Error rate: new 1.23 %, old 0.50 %.\nLatency p99: no data.");
    expect(preview.channels).toEqual(["ops-slack"]);
  });

  it("sends one delivery per channel with the rendered text, in the command's transaction, and audits what was sent", async () => {
    const c = await newCutover();
    await db().cutover.update({ where: { id: c }, data: { notifyChannels: ["ops-slack", "status-webhook", "stakeholders-email"] } });
    const template = await templateOf(c, "maintenance");
    const out = (await dispatch(team.COMMS_LEAD, "announcement.send", { cutoverId: c, templateId: template.id, body: "Edited for this send: {{cutover}} at {{t_zero}}" })) as { deliveryIds: string[] };
    const rows = await db().delivery.findMany({ where: { cutoverId: c }, orderBy: { channel: "asc" } });
    expect(rows.map((r) => r.channel)).toEqual(["ops-slack", "stakeholders-email", "status-webhook"]);
    expect(new Set(out.deliveryIds)).toEqual(new Set(rows.map((r) => r.id)));
    for (const r of rows) {
      const message = outgoingMessageSchema.parse(r.message);
      expect(message.title).toBe(`Planned maintenance: Payments at ${message.title.split(" at ")[1]}`);
      expect(message.title).toMatch(/Europe\/Berlin$/);
      expect(message.text).toMatch(/^Edited for this send: Payments at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d Europe\/Berlin$/);
      expect(r).toMatchObject({ state: "queued", source: "announcement", subject: `announcement:${template.id}`, createdBy: team.COMMS_LEAD.name });
    }
    const audit = await db().auditEvent.findFirstOrThrow({ where: { cutoverId: c, action: "announcement.sent" } });
    expect(audit.after).toMatchObject({ template: "Maintenance notice", channels: ["ops-slack", "status-webhook", "stakeholders-email"], edited: true, text: expect.stringContaining("Edited for this send") });
    const view = await getAnnouncementsView(team.OBSERVER, { cutoverId: c });
    expect(view.canSend).toBe(false);
    expect(view.nextUpdateDue).not.toBeNull();
    expect(new Date(view.nextUpdateDue!).getTime() - new Date(view.lastSentAt!).getTime()).toBe(30 * 60_000);
  });

  it("the update interval: set by the Comms Lead, audited with before and after, followed by the next update due and {{next_update_due}}", async () => {
    const c = await newCutover();
    await db().cutover.update({ where: { id: c }, data: { notifyChannels: ["ops-slack"] } });
    const template = await templateOf(c, "status_update");
    await dispatch(team.COMMS_LEAD, "announcement.send", { cutoverId: c, templateId: template.id });
    await expect(dispatch(team.COMMS_LEAD, "announcement.interval", { cutoverId: c, minutes: 15 })).resolves.toEqual({ minutes: 15, changed: true });
    const view = await getAnnouncementsView(team.OBSERVER, { cutoverId: c });
    expect(view.updateIntervalMinutes).toBe(15);
    expect(new Date(view.nextUpdateDue!).getTime() - new Date(view.lastSentAt!).getTime()).toBe(15 * 60_000);
    const audit = await db().auditEvent.findMany({ where: { cutoverId: c, action: "announcement.interval_updated" } });
    expect(audit.map((a) => [a.before, a.after, a.actorName])).toEqual([[{ minutes: 30 }, { minutes: 15 }, team.COMMS_LEAD.name]]);
    const preview = (await dispatch(team.COMMS_LEAD, "announcement.preview", { cutoverId: c, title: "t", body: "{{next_update_due}}" })) as { text: string };
    // The preview renders "now + 15 min" in the cutover's zone, to the second.
    const shown = Date.parse(preview.text.replace(/ Europe\/Berlin$/, "").replace(" ", "T") + "Z");
    expect(Number.isNaN(shown)).toBe(false);
    expect(Math.abs(shown - (Date.now() + 15 * 60_000 + berlinOffsetMs(Date.now())))).toBeLessThan(60_000);
    // The same value again writes nothing; a value out of range is a 400 that writes nothing.
    const before = await digest();
    await expect(dispatch(team.COMMS_LEAD, "announcement.interval", { cutoverId: c, minutes: 15 })).resolves.toEqual({ minutes: 15, changed: false });
    for (const minutes of [4, 721, 7.5]) {
      await expect(dispatch(team.COMMS_LEAD, "announcement.interval", { cutoverId: c, minutes })).rejects.toMatchObject({ status: 400 });
    }
    await expect(dispatch(team.OBSERVER, "announcement.interval", { cutoverId: c, minutes: 20 })).rejects.toMatchObject({ status: 403 });
    expect(await digest()).toEqual(before);
  });

  it("a rehearsal's announcements say so in their title", async () => {
    const c = await newCutover();
    await db().cutover.update({ where: { id: c }, data: { mode: "rehearsal", notifyChannels: ["ops-slack"] } });
    await dispatch(team.COMMS_LEAD, "announcement.send", { cutoverId: c, templateId: (await templateOf(c, "status_update")).id });
    const d = await db().delivery.findFirstOrThrow({ where: { cutoverId: c } });
    expect(outgoingMessageSchema.parse(d.message).title).toBe("REHEARSAL: Payments: status update");
  });

  it("without channels: a 409 that says so, and nothing is written", async () => {
    const c = await newCutover();
    const template = await templateOf(c, "status_update");
    const before = await digest();
    const err = await dispatch(team.COMMS_LEAD, "announcement.send", { cutoverId: c, templateId: template.id }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ status: 409, message: expect.stringMatching(/no channels/) });
    expect(await digest()).toEqual(before);
  });

  it("an edit over someone else's newer version is a 409", async () => {
    const c = await newCutover();
    const t = await templateOf(c, "go_live");
    const base = { cutoverId: c, templateId: t.id, name: t.name, kind: t.kind, title: t.title, body: t.body, bindingEvent: "cutover_completed" as const, bindingMode: "automatic" as const };
    await expect(dispatch(team.COMMS_LEAD, "announcement.save", { ...base, version: 0 })).resolves.toMatchObject({ version: 1 });
    await expect(dispatch(team.DEPLOYMENT_LEAD, "announcement.save", { ...base, version: 0 })).rejects.toMatchObject({ status: 409 });
  });
});

describe("bindings", () => {
  it("a rollback with an automatic binding is announced exactly once, however often and by however many leaders the job runs", async () => {
    const c = await newCutover();
    await db().cutover.update({ where: { id: c }, data: { routerIntegration: "ann-router", state: "in_progress", trafficPercent: 0, notifyChannels: ["ops-slack", "stakeholders-email"] } });
    const rollback = await templateOf(c, "rollback");
    await dispatch(team.COMMS_LEAD, "announcement.save", { cutoverId: c, templateId: rollback.id, name: rollback.name, kind: "rollback", title: rollback.title, body: rollback.body, bindingEvent: "rollback_started", bindingMode: "automatic" });
    await dispatch(team.DEPLOYMENT_LEAD, "traffic.shift", { cutoverId: c, toPercent: 5, override: true, note: "canary" });
    await dispatch(team.DEPLOYMENT_LEAD, "rollback.execute", { cutoverId: c, reason: "error rate above 5 %" });
    await db().auditEvent.findFirstOrThrow({ where: { cutoverId: c, action: "rollback.split_verified" } });

    // Two leaders at once, then again: one firing, one delivery per channel.
    await Promise.all([runBindingsOnce(), runBindingsOnce()]);
    await runBindingsOnce();
    const deliveries = await db().delivery.findMany({ where: { cutoverId: c, source: "binding:rollback_started" } });
    expect(deliveries.map((d) => d.channel).sort()).toEqual(["ops-slack", "stakeholders-email"]);
    const text = outgoingMessageSchema.parse(deliveries[0]!.message).text;
    expect(text).toContain("Reason: error rate above 5 %.");
    expect(text).toContain("(100 %)");
    expect(await db().announcementFiring.findMany({ where: { cutoverId: c } })).toMatchObject([{ state: "sent", mode: "automatic", reason: "error rate above 5 %" }]);
    const sent = await db().auditEvent.findMany({ where: { cutoverId: c, action: "announcement.sent" } });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ actorName: "binding: Rollback", actorId: null });
  });

  it("a new leader continues from the cursor: what it passed is not read again, what came after is", async () => {
    const c = await newCutover();
    await db().cutover.update({ where: { id: c }, data: { notifyChannels: ["ops-slack"] } });
    const go = await templateOf(c, "go_live");
    await dispatch(team.COMMS_LEAD, "announcement.save", { cutoverId: c, templateId: go.id, name: go.name, kind: "go_live", title: go.title, body: go.body, bindingEvent: "cutover_started", bindingMode: "automatic" });
    await dispatch(team.DEPLOYMENT_LEAD, "cutover.start", { cutoverId: c });
    // Everything before now is settled: the cursor moves past the start.
    const first = await runBindingsOnce({ settleMs: 0 });
    const cursor = await db().jobCursor.findUniqueOrThrow({ where: { name: CURSOR_NAME } });
    expect(cursor.position).toBe(first.cursor);
    const started = await db().auditEvent.findFirstOrThrow({ where: { cutoverId: c, action: "cutover.started" } });
    expect(cursor.position >= started.id).toBe(true);
    expect(await db().delivery.count({ where: { cutoverId: c } })).toBe(1);
    // Were the event read again, its firing (gone now) would be made again: the cursor says it was passed.
    await db().announcementFiring.deleteMany({ where: { cutoverId: c } });
    await runBindingsOnce({ settleMs: 0 });
    expect(await db().announcementFiring.count({ where: { cutoverId: c } })).toBe(0);
    expect(await db().delivery.count({ where: { cutoverId: c } })).toBe(1);
    // A later event is read.
    await dispatch(team.DEPLOYMENT_LEAD, "announcement.save", { cutoverId: c, templateId: go.id, name: go.name, kind: "go_live", title: go.title, body: go.body, bindingEvent: "cutover_aborted", bindingMode: "automatic", version: 1 });
    await dispatch(team.DEPLOYMENT_LEAD, "cutover.abort", { cutoverId: c, reason: "database lag" });
    await runBindingsOnce({ settleMs: 0 });
    expect(await db().delivery.count({ where: { cutoverId: c } })).toBe(2);
  });

  it("recommend: a pending recommendation the room sees; one click sends it and closes it, a second click is a 409", async () => {
    const c = await newCutover();
    await db().cutover.update({ where: { id: c }, data: { notifyChannels: ["ops-slack"] } });
    await dispatch(team.DEPLOYMENT_LEAD, "cutover.start", { cutoverId: c });
    const status = await templateOf(c, "status_update");
    await dispatch(team.COMMS_LEAD, "announcement.save", { cutoverId: c, templateId: status.id, name: status.name, kind: status.kind, title: status.title, body: status.body, bindingEvent: "cutover_completed", bindingMode: "recommend" });
    await dispatch(team.DEPLOYMENT_LEAD, "cutover.complete", { cutoverId: c, force: true, note: "done" });
    await runBindingsOnce();
    await runBindingsOnce();
    expect(await db().delivery.count({ where: { cutoverId: c } })).toBe(0);
    const view = await getAnnouncementsView(team.COMMS_LEAD, { cutoverId: c });
    // The default go-live template is bound to the completion in recommend mode too.
    expect(view.recommendations.map((r) => [r.templateName, r.event]).sort()).toEqual([["Go-live", "cutover_completed"], ["Status update", "cutover_completed"]]);
    expect(await db().auditEvent.count({ where: { cutoverId: c, action: "announcement.recommended" } })).toBe(2);
    const [goLive, statusRec] = [view.recommendations.find((r) => r.templateName === "Go-live")!, view.recommendations.find((r) => r.templateName === "Status update")!];

    await dispatch(team.COMMS_LEAD, "announcement.send", { cutoverId: c, recommendationId: statusRec.id });
    const d = await db().delivery.findFirstOrThrow({ where: { cutoverId: c } });
    expect(d).toMatchObject({ source: "binding:cutover_completed", channel: "ops-slack" });
    await expect(dispatch(team.DEPLOYMENT_LEAD, "announcement.send", { cutoverId: c, recommendationId: statusRec.id })).rejects.toMatchObject({ status: 409 });
    await dispatch(team.COMMS_LEAD, "announcement.dismiss", { cutoverId: c, recommendationId: goLive.id });
    await expect(dispatch(team.COMMS_LEAD, "announcement.dismiss", { cutoverId: c, recommendationId: goLive.id })).rejects.toMatchObject({ status: 409 });
    expect((await getAnnouncementsView(team.OBSERVER, { cutoverId: c })).recommendations).toEqual([]);
    expect(await db().delivery.count({ where: { cutoverId: c } })).toBe(1);
  });

  it("an automatic binding that cannot be sent (no channels) is offered to the room instead", async () => {
    const c = await newCutover();
    const rollback = await templateOf(c, "rollback");
    await dispatch(team.COMMS_LEAD, "announcement.save", { cutoverId: c, templateId: rollback.id, name: rollback.name, kind: "rollback", title: rollback.title, body: rollback.body, bindingEvent: "cutover_started", bindingMode: "automatic" });
    await dispatch(team.DEPLOYMENT_LEAD, "cutover.start", { cutoverId: c });
    const lines: string[] = [];
    await runBindingsOnce({ log: (l) => lines.push(l) });
    expect(await db().announcementFiring.findMany({ where: { cutoverId: c } })).toMatchObject([{ state: "pending", mode: "automatic" }]);
    expect(lines.join("\n")).toMatch(/not sent automatically: .*no channels/);
  });
});
