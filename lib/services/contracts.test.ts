// What the server announces is what lib/realtime/events.ts says: every event the room hears
// while a cutover is planned, run, shifted, rolled back (with a hook), fails, polled and
// triggered is collected from the real bus and must parse with the one schema the browser uses.
// And what the room reads of that cutover is what lib/schemas/views.ts says, for an editor and
// for an observer.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { defineFileIntegrations } from "@/lib/testing/server-config";
import { startPoller } from "@/lib/jobs/poller";
import { listen, type BusEvent, type BusListener } from "@/lib/realtime/bus";
import { CHANGE_EVENT_TYPES, roomEventSchema, type RoomEventType } from "@/lib/realtime/events";
import { auditRowSchema, cutoverStateSchema, cutoverSummarySchema, metricsViewSchema, trafficViewSchema } from "@/lib/schemas/views";
import { listAudit } from "./audit-read";
import { getCutoverState, listCutovers } from "./cutover-read";
import { getMetricsView } from "./metrics";
import { getTrafficView } from "./traffic/get-traffic-view";
import { dispatch } from "./commands";
import { receiveAlertmanager } from "./alerts";
import { alertmanagerPayload } from "@/lib/testing/alertmanager";
import { evaluateTriggers } from "./triggers";
import { enqueueDelivery } from "./notify/outbox";
import { runBindingsOnce } from "@/lib/jobs/announcement-bindings";
import { tickCheckIns } from "./checkins";
import { tickEscalation } from "./incidents";
import { createFixture, createTeam, useFreshDatabase, type Team } from "@/lib/testing/fixtures";

let team: Team;
let receiver: http.Server;
let url = "";
let bus: BusListener;
const received: BusEvent[] = [];
/** The cutovers the first test ran through everything, for the second to read. */
const scenario: string[] = [];

beforeAll(async () => {
  // The stand-in Prometheus is local: allow-listed by the operator's variable.
  process.env.WARROOM_OUTBOUND_ALLOW = "127.0.0.1";
  const dbUrl = await useFreshDatabase();
  team = await createTeam();
  // A webhook router's (and hook's) receiver that acknowledges every request, and a stand-in
  // Prometheus that answers 42 to every query.
  receiver = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const u = new URL(req.url ?? "/", "http://x");
      if (!u.pathname.startsWith("/api/v1/query")) return res.end("{}");
      const time = Number(u.searchParams.get("time") ?? Date.now() / 1000);
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ status: "success", data: { resultType: "vector", result: [{ metric: {}, value: [time, "42"] }] } }));
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  bus = listen(dbUrl, (e) => received.push(e));
  await until(() => bus.connected());
});
afterAll(async () => {
  await bus?.stop();
  receiver?.close();
});

async function until(pred: () => boolean | Promise<boolean>, what = "condition") {
  const deadline = Date.now() + 15_000;
  while (!(await pred())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
const seen = (cutoverId: string, type: string) => received.some((e) => e.cutoverId === cutoverId && e.type === type);
const rollbackRunning = async (cutoverId: string) => (await db().rollback.count({ where: { cutoverId, state: "running" } })) > 0;

describe("realtime events", () => {
  it("every event the server announces matches its schema", async () => {
    defineFileIntegrations(
      { name: "ev-router", type: "router", kind: "webhook", config: { url: `${url}/router`, secret: "0123456789abcdef" } },
      { name: "ev-router-gone", type: "router", kind: "webhook", config: { url: "http://127.0.0.1:9/gone", secret: "0123456789abcdef", timeoutMs: 500 } },
      { name: "ev-hook", type: "hook", kind: "webhook", config: { url: `${url}/hook`, secret: "0123456789abcdef" } },
      { name: "ev-channel", type: "channel", kind: "webhook", config: { url: `${url}/channel` } },
      { name: "ev-prometheus", type: "prometheus", kind: "prometheus", config: { url } },
    );
    const lead = team.DEPLOYMENT_LEAD;

    // A draft: the plan can still be edited.
    const draft = await createFixture(team, { state: "draft", decisionState: "pending" });
    const c = draft.cutoverId;
    const post = (await dispatch(lead, "phase.add", { cutoverId: c, name: "Post" })) as { phaseId: string };
    await dispatch(lead, "phase.rename", { cutoverId: c, id: draft.phaseId, name: "Renamed" });
    await dispatch(lead, "phase.move", { cutoverId: c, id: draft.phaseId, direction: "down" });
    await dispatch(lead, "section.add", { cutoverId: c, phaseId: draft.phaseId, name: "More" });
    await dispatch(lead, "section.rename", { cutoverId: c, id: draft.sectionId, name: "Renamed" });
    await dispatch(lead, "section.move", { cutoverId: c, id: draft.sectionId, direction: "down" });
    await dispatch(lead, "item.add", { cutoverId: c, sectionId: draft.sectionId, title: "New", ownerRole: "QA_LEAD", plannedTime: "T-4h" });
    await dispatch(lead, "item.update", { cutoverId: c, id: draft.qaItemId, critical: true });
    await dispatch(lead, "item.rename", { cutoverId: c, id: draft.qaItemId, name: "Renamed" });
    await dispatch(lead, "item.move", { cutoverId: c, id: draft.qaItemId, direction: "down" });
    await dispatch(team.QA_LEAD, "item.sign_off", { cutoverId: c, itemId: draft.qaItemId, note: "checked" });
    await dispatch(team.QA_LEAD, "item.undo", { cutoverId: c, itemId: draft.qaItemId, reason: "too early" });
    await dispatch(team.QA_LEAD, "item.not_applicable", { cutoverId: c, itemId: draft.qaItemId, reason: "no suite" });
    const onCall = await db().user.findUniqueOrThrow({ where: { id: team.ON_CALL.id } });
    await dispatch(lead, "member.add", { cutoverId: c, email: onCall.email, role: "OBSERVER" });
    await dispatch(lead, "member.remove", { cutoverId: c, userId: team.ON_CALL.id, role: "OBSERVER" });
    await dispatch(lead, "timeline.add", { cutoverId: c, title: "Step", plannedStart: "T+0:30", ownerRole: "QA_LEAD" });
    await dispatch(lead, "timeline.progress", { cutoverId: c, entryId: draft.entryId, step: "start" });
    await dispatch(lead, "timeline.progress", { cutoverId: c, entryId: draft.entryId, step: "finish" });
    await dispatch(lead, "contact.add", { cutoverId: c, role: "QA_LEAD", name: "Quinn" });
    await dispatch(lead, "contact.remove", { cutoverId: c, id: draft.contactId });
    await dispatch(lead, "links.set", { cutoverId: c, links: [{ label: "Bridge", url: "https://meet.example.com/x" }] });
    await dispatch(lead, "escalation.set", { cutoverId: c, escalation: [{ level: "Team lead", who: "on duty", after: "0-15 min" }] });
    await dispatch(lead, "risk.save", { cutoverId: c, title: "Cache stampede", probability: "medium", impact: "high" });
    await dispatch(lead, "risk.save", { cutoverId: c, id: draft.riskId, title: "Data loss", probability: "high", impact: "critical" });
    const decision = { id: ((await dispatch(lead, "decision.create", { cutoverId: c, phaseId: post.phaseId, title: "Go", requiredRoles: ["QA_LEAD"] })) as { decisionId: string }).decisionId };
    await dispatch(lead, "decision.open_vote", { cutoverId: c, decisionId: decision.id });
    await dispatch(team.QA_LEAD, "decision.vote", { cutoverId: c, decisionId: decision.id, choice: "go" });
    await dispatch(lead, "decision.open_vote", { cutoverId: c, decisionId: draft.decisionId });
    await dispatch(lead, "decision.abort", { cutoverId: c, decisionId: draft.decisionId, reason: "red" });
    await dispatch(lead, "metric.save", { cutoverId: c, name: "Queue", unit: "count", queryNew: 'sum(queue_depth{service="new"})' });
    await dispatch(lead, "metrics.settings", { cutoverId: c, prometheusSource: "ev-prometheus", pollIntervalMs: 1000 });
    await dispatch(lead, "traffic.steps", { cutoverId: c, steps: [0, 10, 50, 100] });
    await dispatch(lead, "router.set", { cutoverId: c, integration: "ev-router" });
    await dispatch(lead, "hook.add", { cutoverId: c, name: "Page", integration: "ev-hook" });
    await dispatch(lead, "trigger.save", { cutoverId: c, metricId: draft.metricId, comparison: ">", threshold: 5, forSeconds: 0, severity: "immediate", action: "alert", mode: "recommend" });
    // The public status page: turned on, an update published and retracted.
    await dispatch(lead, "status.configure", { cutoverId: c, enabled: true });
    const update = (await dispatch(team.COMMS_LEAD, "status.publish", { cutoverId: c, body: "Maintenance starts", health: "maintenance" })) as { id: string };
    await dispatch(team.COMMS_LEAD, "status.retract", { cutoverId: c, id: update.id });
    await dispatch(lead, "cutover.start", { cutoverId: c });

    // Running: traffic moves, a rollback runs its hook, a gone router fails.
    await dispatch(lead, "traffic.shift", { cutoverId: c, toPercent: 10, override: true, note: "canary" });
    await dispatch(team.ON_CALL, "rollback.execute", { cutoverId: c, reason: "drill" });
    await until(() => seen(c, "rollback.completed"), "the rollback to complete");
    await until(async () => !(await rollbackRunning(c)), "the rollback to end");
    await db().cutover.update({ where: { id: c }, data: { state: "in_progress", routerIntegration: "ev-router-gone" } });
    await expect(dispatch(lead, "traffic.shift", { cutoverId: c, toPercent: 10, override: true, note: "again" })).rejects.toMatchObject({ status: 502 });
    await db().cutover.update({ where: { id: c }, data: { trafficPercent: 10 } });
    await expect(dispatch(team.ON_CALL, "rollback.execute", { cutoverId: c, reason: "gone" })).rejects.toMatchObject({ status: 502 });

    // A trigger on its own, and the poller's samples.
    await evaluateTriggers(c, [{ metricId: draft.metricId, system: "new", sample: { at: Date.now(), status: "ok", value: 50 } }], Date.now());
    const trigger = await db().rollbackTrigger.findFirstOrThrow({ where: { cutoverId: c } });
    await dispatch(lead, "trigger.confirm", { cutoverId: c, triggerId: trigger.id });
    // Alertmanager: a token, an alert firing then resolved, the token revoked.
    const am = await dispatch(lead, "alerts.token_create", { cutoverId: c });
    for (const status of ["firing", "resolved"] as const) {
      await receiveAlertmanager({ authorization: `Bearer ${am.token}`, cutoverId: c, body: alertmanagerPayload([{ fingerprint: "contract1", status }]), address: "127.0.0.1" });
    }
    await dispatch(lead, "alerts.token_revoke", { cutoverId: c, tokenId: am.tokenId });
    // The critical trigger opened an incident: the ladder pages its first level, On-call
    // acknowledges, and it resolves when the rule stops firing. Check-ins on a clock held here.
    await tickEscalation(Date.now(), { cutoverId: c });
    const incident = await db().incident.findFirstOrThrow({ where: { cutoverId: c } });
    await dispatch(team.ON_CALL, "incident.acknowledge", { cutoverId: c, incidentId: incident.id, note: "looking" });
    await evaluateTriggers(c, [{ metricId: draft.metricId, system: "new", sample: { at: Date.now() + 1, status: "ok", value: 0 } }], Date.now() + 1);
    await dispatch(lead, "checkin.configure", { cutoverId: c, cadence: "every 1 s for 10 s", anchor: "start", grace: "1 s" });
    const configuredAt = ((await db().cutover.findUniqueOrThrow({ where: { id: c } })).checkinCadence as { configuredAt: number }).configuredAt;
    await db().cutover.update({ where: { id: c }, data: { state: "in_progress", startedAt: new Date(configuredAt) } });
    await tickCheckIns(configuredAt + 3_000, { cutoverId: c });
    const checkIn = await db().checkIn.findFirstOrThrow({ where: { cutoverId: c }, orderBy: { dueAt: "desc" } });
    await dispatch(team.ON_CALL, "checkin.acknowledge", { cutoverId: c, checkInId: checkIn.id, note: "all green" });
    const stopPoller = startPoller({ log: () => {}, tickMs: 50 });
    try {
      await until(() => seen(c, "metrics.sampled"), "samples");
    } finally {
      await stopPoller();
    }
    // Ended: the team writes the post-mortem's lessons.
    await db().cutover.update({ where: { id: c }, data: { state: "in_progress" } });
    await dispatch(lead, "cutover.complete", { cutoverId: c, force: true, note: "done at 10 %" });
    await dispatch(lead, "report.lessons", { cutoverId: c, wentWell: "The rollback was quick", version: 0 });

    // Removals, in a second draft (the started plan is frozen).
    const other = await createFixture(team, { state: "draft" });
    const o = other.cutoverId;
    await dispatch(lead, "gate.add", { cutoverId: o, metricId: other.metricId, decisionId: other.decisionId, condition: { kind: "threshold", system: "new", op: "<", value: 1, windowSec: 1800 } });
    const gate = await db().metricGate.findFirstOrThrow({ where: { cutoverId: o } });
    await dispatch(lead, "gate.remove", { cutoverId: o, id: gate.id });
    await dispatch(lead, "trigger.save", { cutoverId: o, metricId: other.metricId, comparison: ">", threshold: 5, forSeconds: 300, severity: "graceful", action: "shift", shiftToPercent: 10 });
    const t = await db().rollbackTrigger.findFirstOrThrow({ where: { cutoverId: o } });
    await dispatch(lead, "trigger.save", { cutoverId: o, id: t.id, metricId: other.metricId, comparison: ">", threshold: 6, forSeconds: 300, severity: "graceful", action: "shift", shiftToPercent: 10 });
    await dispatch(lead, "trigger.remove", { cutoverId: o, id: t.id });
    await dispatch(lead, "metric.save", { cutoverId: o, id: other.metricId, name: "Errors", unit: "%", queryNew: "sum(up)" });
    await dispatch(lead, "metric.remove", { cutoverId: o, id: other.metricId });
    await dispatch(lead, "router.set", { cutoverId: o, integration: "ev-router" });
    await dispatch(lead, "hook.add", { cutoverId: o, name: "Page", integration: "ev-hook" });
    const hook = await db().rollbackHook.findFirstOrThrow({ where: { cutoverId: o } });
    await dispatch(lead, "hook.remove", { cutoverId: o, id: hook.id });
    await dispatch(lead, "item.remove", { cutoverId: o, id: other.qaItemId });
    await dispatch(lead, "section.remove", { cutoverId: o, id: other.sectionId });
    await dispatch(lead, "template.save", { cutoverId: o, name: "Contract template" });
    // Outgoing messages: the channels, a queued delivery, a failed one retried, another dismissed.
    await dispatch(lead, "notify.channels", { cutoverId: o, channels: ["ev-channel"] });
    await db().$transaction((tx) => enqueueDelivery(tx, { cutoverId: o, channel: "ev-channel", source: "announcement", subject: "contract", message: { title: "Contract", text: "Hello" }, createdBy: lead.name }));
    for (const command of ["delivery.retry", "delivery.dismiss"] as const) {
      const failed = await db().delivery.create({ data: { cutoverId: o, channel: "ev-channel", source: "announcement", subject: "contract", message: { title: "Contract", text: "" }, state: "failed", lastError: "HTTP 500 from x:1", createdBy: lead.name } });
      await dispatch(lead, command, { cutoverId: o, id: failed.id });
    }
    await dispatch(lead, "phase.remove", { cutoverId: o, id: other.phaseId });
    const planner = { ...lead, isPlanner: true };
    await db().user.update({ where: { id: lead.id }, data: { isPlanner: true } });
    const created = { id: ((await dispatch(planner, "cutover.create", { name: "New", systemFrom: "a", systemTo: "b", tZero: "2030-01-01T00:00:00Z" })) as { cutoverId: string }).cutoverId };
    const clone = { id: ((await dispatch(planner, "cutover.clone", { cutoverId: o, name: "Clone", tZero: "2030-01-01T00:00:00Z" })) as { cutoverId: string }).cutoverId };
    // Announcements: edited, sent, recommended by a binding when the cutover is aborted, dismissed, removed.
    await db().cutover.update({ where: { id: o }, data: { notifyChannels: ["contract-channel"] } });
    const notice = (await dispatch(lead, "announcement.save", { cutoverId: o, name: "Contract notice", kind: "custom", title: "{{cutover}}", body: "{{phase}}" })) as { templateId: string };
    await dispatch(lead, "announcement.save", { cutoverId: o, templateId: notice.templateId, name: "Contract notice", kind: "custom", title: "{{cutover}}", body: "{{reason}}", bindingEvent: "cutover_aborted", bindingMode: "recommend", version: 0 });
    await dispatch(lead, "announcement.send", { cutoverId: o, templateId: notice.templateId });
    await dispatch(lead, "cutover.abort", { cutoverId: o, reason: "postponed" });
    await runBindingsOnce();
    const recommended = await db().announcementFiring.findFirstOrThrow({ where: { cutoverId: o, state: "pending" } });
    await dispatch(lead, "announcement.dismiss", { cutoverId: o, recommendationId: recommended.id });
    await dispatch(lead, "announcement.interval", { cutoverId: o, minutes: 15 });
    await dispatch(lead, "announcement.remove", { cutoverId: o, templateId: notice.templateId });
    await until(() => seen(o, "announcement.removed") && seen(o, "cutover.aborted") && seen(c, "cutover.completed") && seen(o, "phase.removed") && seen(created.id, "cutover.created") && seen(clone.id, "cutover.created"), "the last events");

    scenario.push(c, o, created.id, clone.id);
    const ours = new Set(scenario);
    const events = received.filter((e) => ours.has(e.cutoverId));
    const invalid = events.flatMap((e) => {
      const parsed = roomEventSchema.safeParse(e);
      return parsed.success ? [] : [`${e.type}: ${parsed.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ")}`];
    });
    expect(invalid).toEqual([]);

    // Every event that carries data was heard, and nearly every change.
    const types = new Set(events.map((e) => e.type));
    const withData: RoomEventType[] = ["item.signed_off", "item.undone", "item.not_applicable", "metrics.sampled", "trigger.state", "traffic.shifted", "traffic.failed", "rollback.started", "rollback.failed", "rollback.hook_started", "rollback.hook_finished", "rollback.completed"];
    expect(withData.filter((t) => !types.has(t))).toEqual([]);
    // Announced by the socket server itself, never on the bus.
    // Closing what a dead process left needs a process to die: heard in lib/services/traffic/lease.test.ts.
    const notHere = new Set(["access.rechecked", "rollback.abandoned", "traffic.change_abandoned"]);
    expect(CHANGE_EVENT_TYPES.filter((t) => !notHere.has(t) && !types.has(t))).toEqual([]);
  }, 60_000);

  it("every view the room reads matches its schema, for an editor and an observer", async () => {
    expect(scenario.length).toBeGreaterThan(0);
    const problems = (what: string, r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
      r.success ? [] : r.error!.issues.map((i) => `${what}: ${i.path.map(String).join(".")} ${i.message}`);
    const found: string[] = [];
    for (const who of [team.DEPLOYMENT_LEAD, team.OBSERVER]) {
      const list = await listCutovers({ id: who.id, isAdmin: false });
      found.push(...problems("list", cutoverSummarySchema.array().safeParse(list)));
      for (const id of scenario) {
        const state = await getCutoverState(who, id);
        if (state) found.push(...problems(`state ${id}`, cutoverStateSchema.safeParse(state)));
        if (!list.some((c) => c.id === id)) continue;
        found.push(...problems(`traffic ${id}`, trafficViewSchema.safeParse(await getTrafficView(who, { cutoverId: id }))));
        found.push(...problems(`metrics ${id}`, metricsViewSchema.safeParse(await getMetricsView(who, { cutoverId: id }))));
      }
    }
    for (const id of scenario) found.push(...problems(`audit ${id}`, auditRowSchema.array().min(1).safeParse(await listAudit(team.DEPLOYMENT_LEAD, { cutoverId: id }))));
    expect(found).toEqual([]);
    // The scenario's views hold what the schemas describe: a closed decision, a hook's result, samples.
    const lead = team.DEPLOYMENT_LEAD;
    const state = cutoverStateSchema.parse(await getCutoverState(lead, scenario[0]!));
    expect(state.decisions.some((d) => d.snapshot !== null)).toBe(true);
    const traffic = trafficViewSchema.parse(await getTrafficView(lead, { cutoverId: scenario[0]! }));
    expect(traffic.rollbacks.some((r) => r.hookResults.length > 0)).toBe(true);
    const metrics = metricsViewSchema.parse(await getMetricsView(lead, { cutoverId: scenario[0]! }));
    expect(metrics.metrics.some((m) => (m.new?.samples.length ?? 0) > 0)).toBe(true);
  }, 60_000);
});
