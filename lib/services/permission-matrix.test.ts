// Walks every command of the room × every role, plus an administrator, a planner and a plain user
// who hold no role in the cutover, against a real PostgreSQL (and a real router for the lever:
// a webhook router to a local HTTP listener). Three things must agree for every cell: the
// expectation written out by hand below, what the permission table (lib/domain/permissions.ts)
// and the command table (./commands.ts) say, and what the dispatcher does. An allowed call goes
// through (and changes the database, for the commands that write); a denied one is a 403 (or a
// 404 for a cutover the caller may not see) that changes no row of any table.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { canAcknowledgeCheckIn, canGlobal, canProgressTimelineEntry, canRemoveTemplate, canSignOffItem, can } from "@/lib/domain/permissions";
import { canVote } from "@/lib/domain/decision";
import { ROLES, type Role } from "@/lib/domain/roles";
import { defineFileIntegrations } from "@/lib/testing/server-config";
import { commandDef, COMMANDS, dispatch, type CommandName } from "./commands";
import { allows, type Actor } from "./context";
import { createFixture, createTeam, digest, useFreshDatabase, type Fixture, type Team } from "@/lib/testing/fixtures";
import { testActionLink } from "@/lib/testing/action-links";

/** A cutover role, or someone holding no role in the cutover. */
type Principal = Role | "ADMINISTRATOR" | "PLANNER" | "NOBODY";
const OUTSIDERS = ["ADMINISTRATOR", "PLANNER", "NOBODY"] as const;
const PRINCIPALS: Principal[] = [...ROLES, ...OUTSIDERS];

const ALL_BUT_OBSERVER: Principal[] = ROLES.filter((r) => r !== "OBSERVER");
const LEAD: Principal[] = ["DEPLOYMENT_LEAD"];
// Members are managed by the lead, and by any administrator (so no cutover is ever orphaned).
const MEMBERS: Principal[] = ["DEPLOYMENT_LEAD", "ADMINISTRATOR"];

interface Env {
  team: Team;
  outsiders: Record<(typeof OUTSIDERS)[number], Actor>;
  /** A local listener: webhook router, webhook hook and Prometheus API all in one. */
  listener: string;
}

interface Case {
  name: CommandName;
  /** Who may, written out by hand, independently of the tables. */
  allowed: Principal[];
  input: (f: Fixture, env: Env, p: Principal) => unknown;
  fixture?: Parameters<typeof createFixture>[1];
  /** State the command needs, made before the "before" digest. */
  setup?: (f: Fixture, env: Env) => Promise<void>;
  /** The rule the command asks the table when it depends on the data (see ./commands.ts). */
  dataRule?: (roles: Role[]) => boolean;
  /** The rule a command asks about the caller when it depends on the data (canRemoveTemplate). */
  actorRule?: (actor: Actor) => boolean;
  /** Commands that only read or ask (tests of a router or a query) change nothing even when allowed. */
  readsOnly?: boolean;
}

// The listener's router, hook and Prometheus, as the operator's file defines them (beforeAll).
async function withRouter(f: Fixture) {
  await db().cutover.update({ where: { id: f.cutoverId }, data: { routerIntegration: "matrix-router" } });
}

const ADMIN: Principal[] = ["ADMINISTRATOR"];
// What the world is told is the lead's and the Comms Lead's (announcement.*, status.publish).
const COMMS: Principal[] = ["DEPLOYMENT_LEAD", "COMMS_LEAD"];
const STATUS = COMMS;
/** The fixture's status page, turned on under a slug of its own. */
async function withStatusPage(f: Fixture) {
  await db().cutover.update({ where: { id: f.cutoverId }, data: { statusPageEnabled: true, statusSlug: `page-${f.cutoverId}` } });
}
let serial = 0;
const unique = (what: string) => `${what}-${Date.now()}-${serial++}`;
/** A user to act on, made in setup (before the digest). */
async function withUser(f: Fixture, data: { disabledAt?: Date } = {}) {
  const u = await db().user.create({ data: { email: `${unique("subject")}@test.local`, name: "Subject", passwordHash: "x", ...data } });
  (f as Fixture & { userId: string }).userId = u.id;
}
const userOf = (f: Fixture) => (f as Fixture & { userId: string }).userId;
/** A delivery that failed, made in setup (before the digest). */
async function withFailedDelivery(f: Fixture) {
  const d = await db().delivery.create({ data: { cutoverId: f.cutoverId, channel: "matrix-channel", source: "announcement", subject: "test", message: { title: "Hello", text: "" }, state: "failed", attempts: 5, lastError: "HTTP 500 from x:1", createdBy: "test" } });
  (f as Fixture & { deliveryId: string }).deliveryId = d.id;
}
const deliveryOf = (f: Fixture) => (f as Fixture & { deliveryId: string }).deliveryId;

const CASES: Case[] = [
  { name: "cutover.create", allowed: ["DEPLOYMENT_LEAD", "ADMINISTRATOR", "PLANNER"], input: () => ({ name: "New", systemFrom: "a", systemTo: "b", tZero: new Date() }) },
  { name: "cutover.preview", allowed: ["DEPLOYMENT_LEAD", "ADMINISTRATOR", "PLANNER"], readsOnly: true, input: () => ({ runbook: "# R\n## P\n- [ ] a" }) },
  { name: "cutover.clone", allowed: LEAD, input: (f) => ({ cutoverId: f.cutoverId, name: "Clone", tZero: new Date() }) },
  { name: "cutover.start", allowed: LEAD, input: (f) => ({ cutoverId: f.cutoverId }) },
  { name: "cutover.complete", allowed: LEAD, input: (f) => ({ cutoverId: f.cutoverId, force: true, note: "accepted at this split" }), fixture: { state: "in_progress" } },
  { name: "cutover.abort", allowed: LEAD, input: (f) => ({ cutoverId: f.cutoverId, reason: "postponed" }) },
  { name: "phase.add", allowed: LEAD, input: (f) => ({ cutoverId: f.cutoverId, name: "Post" }) },
  { name: "phase.rename", allowed: LEAD, input: (f) => ({ cutoverId: f.cutoverId, id: f.phaseId, name: "Renamed" }) },
  { name: "phase.move", allowed: LEAD, input: (f) => ({ cutoverId: f.cutoverId, id: f.phaseId, direction: "down" }), setup: async (f) => void (await db().phase.create({ data: { cutoverId: f.cutoverId, name: "Later", position: 1 } })) },
  { name: "phase.remove", allowed: LEAD, input: (f) => ({ cutoverId: f.cutoverId, id: f.phaseId }) },
  { name: "section.add", allowed: LEAD, input: (f) => ({ cutoverId: f.cutoverId, phaseId: f.phaseId, name: "More" }) },
  { name: "section.rename", allowed: LEAD, input: (f) => ({ cutoverId: f.cutoverId, id: f.sectionId, name: "Renamed" }) },
  { name: "section.move", allowed: LEAD, input: (f) => ({ cutoverId: f.cutoverId, id: f.sectionId, direction: "down" }), setup: async (f) => void (await db().section.create({ data: { phaseId: f.phaseId, name: "Later", position: 1 } })) },
  { name: "section.remove", allowed: LEAD, input: (f) => ({ cutoverId: f.cutoverId, id: f.sectionId }) },
  { name: "item.add", allowed: LEAD, input: (f) => ({ cutoverId: f.cutoverId, sectionId: f.sectionId, title: "New", ownerRole: "QA_LEAD", plannedTime: "T-4h" }) },
  { name: "item.update", allowed: LEAD, input: (f) => ({ cutoverId: f.cutoverId, id: f.qaItemId, critical: true }) },
  { name: "item.rename", allowed: LEAD, input: (f) => ({ cutoverId: f.cutoverId, id: f.qaItemId, name: "Renamed" }) },
  { name: "item.move", allowed: LEAD, input: (f) => ({ cutoverId: f.cutoverId, id: f.qaItemId, direction: "down" }) },
  { name: "item.remove", allowed: LEAD, input: (f) => ({ cutoverId: f.cutoverId, id: f.qaItemId }) },
  // A QA item: its owner, or whoever may override (with a note).
  { name: "item.sign_off", allowed: ["QA_LEAD", "DEPLOYMENT_LEAD"], input: (f) => ({ cutoverId: f.cutoverId, itemId: f.qaItemId, note: "checked" }), dataRule: (roles) => canSignOffItem(roles, "QA_LEAD", "item.sign_off").allowed },
  {
    name: "item.undo",
    allowed: ["QA_LEAD", "DEPLOYMENT_LEAD"],
    input: (f) => ({ cutoverId: f.cutoverId, itemId: f.qaItemId, reason: "signed too early" }),
    setup: async (f, env) => void (await dispatch(env.team.QA_LEAD, "item.sign_off", { cutoverId: f.cutoverId, itemId: f.qaItemId })),
    dataRule: (roles) => canSignOffItem(roles, "QA_LEAD", "item.undo").allowed,
  },
  { name: "item.not_applicable", allowed: ["QA_LEAD", "DEPLOYMENT_LEAD"], input: (f) => ({ cutoverId: f.cutoverId, itemId: f.qaItemId, reason: "no smoke suite" }), dataRule: (roles) => canSignOffItem(roles, "QA_LEAD", "item.not_applicable").allowed },
  {
    name: "member.add",
    allowed: MEMBERS,
    input: () => ({ cutoverId: "", email: "observer-extra@test.local", role: "OBSERVER" }),
    setup: async () => void (await db().user.upsert({ where: { email: "observer-extra@test.local" }, create: { email: "observer-extra@test.local", name: "Extra", passwordHash: "x" }, update: {} })),
  },
  { name: "member.remove", allowed: MEMBERS, input: (f, env) => ({ cutoverId: f.cutoverId, userId: env.team.OBSERVER.id, role: "OBSERVER" }) },
  { name: "timeline.add", allowed: LEAD, input: (f) => ({ cutoverId: f.cutoverId, title: "Step", plannedStart: "T+0:30", ownerRole: "QA_LEAD" }) },
  // A DBA step: the DBA, or the lead.
  { name: "timeline.progress", allowed: ["DATABASE_DBA", "DEPLOYMENT_LEAD"], input: (f) => ({ cutoverId: f.cutoverId, entryId: f.entryId, step: "start" }), dataRule: (roles) => canProgressTimelineEntry(roles, "DATABASE_DBA") },
  { name: "contact.add", allowed: LEAD, input: (f) => ({ cutoverId: f.cutoverId, role: "QA_LEAD", name: "Quinn" }) },
  { name: "contact.remove", allowed: LEAD, input: (f) => ({ cutoverId: f.cutoverId, id: f.contactId }) },
  { name: "links.set", allowed: LEAD, input: (f) => ({ cutoverId: f.cutoverId, links: [{ label: "Bridge", url: "https://meet.example.com/x" }] }) },
  { name: "escalation.set", allowed: LEAD, input: (f) => ({ cutoverId: f.cutoverId, escalation: [{ level: "Team lead", who: "on duty", after: "0-15 min" }] }) },
  { name: "risk.save", allowed: ALL_BUT_OBSERVER, input: (f) => ({ cutoverId: f.cutoverId, title: "Cache stampede", probability: "medium", impact: "high" }) },
  { name: "decision.create", allowed: LEAD, input: (f) => ({ cutoverId: f.cutoverId, phaseId: f.phaseId, title: "Go to 100 %", requiredRoles: ["QA_LEAD"] }) },
  { name: "decision.open_vote", allowed: LEAD, fixture: { decisionState: "pending" }, input: (f) => ({ cutoverId: f.cutoverId, decisionId: f.decisionId }) },
  // Required voters are the lead and QA.
  { name: "decision.vote", allowed: ["DEPLOYMENT_LEAD", "QA_LEAD"], input: (f) => ({ cutoverId: f.cutoverId, decisionId: f.decisionId, choice: "go" }), dataRule: (roles) => canVote("voting", roles, ["DEPLOYMENT_LEAD", "QA_LEAD"], []).ok },
  // A signed link to vote GO, made for whoever opens it: the vote's own rule decides.
  {
    name: "action_link.use",
    allowed: ["DEPLOYMENT_LEAD", "QA_LEAD"],
    input: (f, _env, p) => ({ cutoverId: f.cutoverId, token: testActionLink({ action: "decision.vote", choice: "GO", cutoverId: f.cutoverId, subjectId: f.decisionId, recipient: actorOf(p).id }) }),
    dataRule: (roles) => canVote("voting", roles, ["DEPLOYMENT_LEAD", "QA_LEAD"], []).ok,
  },
  { name: "decision.abort", allowed: LEAD, input: (f) => ({ cutoverId: f.cutoverId, decisionId: f.decisionId, reason: "metrics red" }) },
  { name: "metric.save", allowed: LEAD, input: (f) => ({ cutoverId: f.cutoverId, name: "Queue depth", unit: "count", queryNew: 'sum(queue_depth{service="new"})' }) },
  { name: "metric.remove", allowed: LEAD, input: (f) => ({ cutoverId: f.cutoverId, id: f.metricId }) },
  {
    name: "metric.test",
    allowed: LEAD,
    readsOnly: true,
    input: (f) => ({ cutoverId: f.cutoverId, query: 'sum(rate(http_requests_total{service="new"}[1m]))' }),
    setup: async (f) => void (await db().cutover.update({ where: { id: f.cutoverId }, data: { prometheusSource: "matrix-prometheus" } })),
  },
  { name: "metrics.settings", allowed: LEAD, input: (f) => ({ cutoverId: f.cutoverId, prometheusSource: "matrix-prometheus", pollIntervalMs: 2000 }) },
  { name: "gate.add", allowed: LEAD, input: (f) => ({ cutoverId: f.cutoverId, metricId: f.metricId, decisionId: f.decisionId, condition: { kind: "threshold", system: "new", op: "<", value: 1, windowSec: 1800 } }) },
  {
    name: "gate.remove",
    allowed: LEAD,
    input: (f) => ({ cutoverId: f.cutoverId, id: (f as Fixture & { gateId: string }).gateId }),
    setup: async (f) => {
      const g = await db().metricGate.create({ data: { cutoverId: f.cutoverId, metricId: f.metricId, successCriterion: true, condition: { kind: "threshold", system: "new", op: "<", value: 1, windowSec: 60 } } });
      (f as Fixture & { gateId: string }).gateId = g.id;
    },
  },
  { name: "traffic.steps", allowed: LEAD, input: (f) => ({ cutoverId: f.cutoverId, steps: [0, 10, 50, 100] }) },
  // 10 % is no planned step: traffic.shift and traffic.override, on a real (webhook) router.
  {
    name: "traffic.shift",
    allowed: LEAD,
    fixture: { state: "in_progress" },
    input: (f) => ({ cutoverId: f.cutoverId, toPercent: 10, override: true, note: "canary outside the plan" }),
    setup: withRouter,
    dataRule: (roles) => can(roles, "traffic.override"),
  },
  // On-call pulls the plug at 3 am without the lead.
  { name: "rollback.execute", allowed: ["DEPLOYMENT_LEAD", "ON_CALL"], fixture: { state: "in_progress" }, input: (f) => ({ cutoverId: f.cutoverId, reason: "p95 doubled" }), setup: withRouter },
  { name: "router.set", allowed: LEAD, input: (f) => ({ cutoverId: f.cutoverId, integration: "matrix-router" }) },
  { name: "router.test", allowed: LEAD, readsOnly: true, input: (f) => ({ cutoverId: f.cutoverId }), setup: withRouter },
  { name: "hook.add", allowed: LEAD, input: (f) => ({ cutoverId: f.cutoverId, name: "Page the team", integration: "matrix-hook" }) },
  {
    name: "hook.remove",
    allowed: LEAD,
    input: (f) => ({ cutoverId: f.cutoverId, id: (f as Fixture & { hookId: string }).hookId }),
    setup: async (f) => {
      const h = await db().rollbackHook.create({ data: { cutoverId: f.cutoverId, name: "Page", integration: "matrix-hook", position: 0 } });
      (f as Fixture & { hookId: string }).hookId = h.id;
    },
  },
  { name: "trigger.save", allowed: LEAD, input: (f) => ({ cutoverId: f.cutoverId, metricId: f.metricId, comparison: ">", threshold: 5, forSeconds: 300, severity: "graceful", action: "shift", shiftToPercent: 10 }) },
  {
    name: "trigger.remove",
    allowed: LEAD,
    input: (f) => ({ cutoverId: f.cutoverId, id: (f as Fixture & { triggerId: string }).triggerId }),
    setup: async (f) => {
      const t = await db().rollbackTrigger.create({ data: { cutoverId: f.cutoverId, metricId: f.metricId, system: "new", comparison: ">", threshold: 5, forSeconds: 30, severity: "graceful", action: "alert", mode: "recommend" } });
      (f as Fixture & { triggerId: string }).triggerId = t.id;
    },
  },
  // A firing recommendation to shift new to 10 %: confirming it moves the (real) router.
  {
    name: "trigger.confirm",
    allowed: ["DEPLOYMENT_LEAD", "ON_CALL"],
    fixture: { state: "in_progress" },
    input: (f) => ({ cutoverId: f.cutoverId, triggerId: (f as Fixture & { triggerId: string }).triggerId }),
    setup: async (f) => {
      await withRouter(f);
      const t = await db().rollbackTrigger.create({
        data: { cutoverId: f.cutoverId, metricId: f.metricId, system: "new", comparison: "<", threshold: 5, forSeconds: 30, severity: "graceful", action: "shift", shiftToPercent: 10, mode: "recommend", state: "firing", firedAt: new Date() },
      });
      (f as Fixture & { triggerId: string }).triggerId = t.id;
    },
  },
  // Outside any cutover: accounts and the integrations catalog are the administrators' alone.
  { name: "user.create", allowed: ADMIN, input: () => ({ email: `${unique("new")}@test.local`, name: "New", password: "correct horse battery staple 42" }) },
  { name: "user.invite", allowed: ADMIN, input: () => ({ email: `${unique("invited")}@test.local`, name: "Invited" }) },
  { name: "user.disable", allowed: ADMIN, input: (f) => ({ userId: userOf(f) }), setup: (f) => withUser(f) },
  { name: "user.enable", allowed: ADMIN, input: (f) => ({ userId: userOf(f) }), setup: (f) => withUser(f, { disabledAt: new Date() }) },
  { name: "user.reset_password", allowed: ADMIN, input: (f) => ({ userId: userOf(f) }), setup: (f) => withUser(f) },
  { name: "user.set_roles", allowed: ADMIN, input: (f) => ({ userId: userOf(f), isPlanner: true }), setup: (f) => withUser(f) },
  { name: "integration.save", allowed: ADMIN, input: () => ({ name: unique("prom"), type: "prometheus", kind: "prometheus", config: { url: "https://prometheus.example.com" } }) },
  {
    name: "integration.remove",
    allowed: ADMIN,
    input: (f) => ({ name: (f as Fixture & { integration: string }).integration }),
    setup: async (f) => {
      const i = await db().integration.create({ data: { name: unique("old-prom"), type: "prometheus", kind: "prometheus", config: { url: "https://prometheus.example.com" } } });
      (f as Fixture & { integration: string }).integration = i.name;
    },
  },
  { name: "outbound.allow", allowed: ADMIN, input: () => ({ host: `${unique("prom")}.example.com` }) },
  {
    name: "outbound.disallow",
    allowed: ADMIN,
    input: (f) => ({ host: (f as Fixture & { host: string }).host }),
    setup: async (f) => {
      const h = await db().outboundAllowedHost.create({ data: { host: `${unique("old")}.example.com` } });
      (f as Fixture & { host: string }).host = h.host;
    },
  },
  // Sent to the listener at once; the outcome is an audit row of the catalog.
  { name: "channel.test", allowed: ADMIN, input: () => ({ name: "matrix-channel" }) },
  { name: "sso.set_mapping", allowed: ADMIN, input: () => ({ administratorGroups: [unique("admins")], plannerGroups: [unique("planners")] }) },
  // The whole team writes the post-mortem's lessons; observers and outsiders read it.
  { name: "report.lessons", allowed: ALL_BUT_OBSERVER, input: (f) => ({ cutoverId: f.cutoverId, wentWell: "Rollback was quick" }), setup: async (f) => void (await db().cutover.update({ where: { id: f.cutoverId }, data: { state: "rolled_back" } })) },
  // The cutover's Alertmanager token: the lead makes and revokes it.
  { name: "alerts.token_create", allowed: LEAD, input: (f) => ({ cutoverId: f.cutoverId }) },
  {
    name: "alerts.token_revoke",
    allowed: LEAD,
    input: (f) => ({ cutoverId: f.cutoverId, tokenId: (f as Fixture & { alertTokenId: string }).alertTokenId }),
    setup: async (f) => {
      const t = await db().alertmanagerToken.create({ data: { cutoverId: f.cutoverId, tokenHash: unique("hash"), createdBy: "setup" } });
      (f as Fixture & { alertTokenId: string }).alertTokenId = t.id;
    },
  },
  // Saving the plan as a team template: those who hold the whole plan, the lead.
  { name: "template.save", allowed: LEAD, input: (f) => ({ cutoverId: f.cutoverId, name: unique("Team plan") }) },
  // Outgoing messages: the Deployment Lead and the Comms Lead pick the channels and retry or set
  // aside a failed delivery.
  { name: "notify.channels", allowed: COMMS, input: (f) => ({ cutoverId: f.cutoverId, channels: ["matrix-channel"] }) },
  // How often the room promises a status update: those who edit the announcements.
  { name: "announcement.interval", allowed: COMMS, input: (f, _env, p) => ({ cutoverId: f.cutoverId, minutes: 40 + PRINCIPALS.indexOf(p) }) },
  { name: "delivery.retry", allowed: COMMS, input: (f) => ({ cutoverId: f.cutoverId, id: deliveryOf(f) }), setup: (f) => withFailedDelivery(f) },
  { name: "delivery.dismiss", allowed: COMMS, input: (f) => ({ cutoverId: f.cutoverId, id: deliveryOf(f) }), setup: (f) => withFailedDelivery(f) },
  // A team template saved by the lead: the lead (who plans cutovers) or an administrator removes it.
  {
    name: "template.remove",
    allowed: ["DEPLOYMENT_LEAD", "ADMINISTRATOR"],
    input: (f) => ({ templateId: (f as Fixture & { templateId: string }).templateId }),
    setup: async (f, env) => {
      const t = await db().cutoverTemplate.create({ data: { name: unique("Saved plan"), plan: {}, createdById: env.team.DEPLOYMENT_LEAD.id } });
      (f as Fixture & { templateId: string }).templateId = t.id;
    },
    actorRule: (actor) => canRemoveTemplate(actor, env.team.DEPLOYMENT_LEAD.id),
  },
  // The public status page: what the world is told is the lead's and the Comms Lead's (status.publish).
  { name: "status.configure", allowed: STATUS, input: (f) => ({ cutoverId: f.cutoverId, enabled: true, slug: unique("status").toLowerCase() }) },
  { name: "status.publish", allowed: STATUS, input: (f) => ({ cutoverId: f.cutoverId, body: "Payments are moving to the new system", health: "maintenance" }), setup: withStatusPage },
  {
    name: "status.retract",
    allowed: STATUS,
    input: (f) => ({ cutoverId: f.cutoverId, id: (f as Fixture & { updateId: string }).updateId }),
    setup: async (f, env) => {
      await withStatusPage(f);
      const u = await db().statusUpdate.create({ data: { cutoverId: f.cutoverId, body: "Started", health: "maintenance", publishedById: env.team.COMMS_LEAD.id, publishedByName: "Comms" } });
      (f as Fixture & { updateId: string }).updateId = u.id;
    },
  },
  // Announcements: what the world is told is the Comms Lead's and the lead's; anyone who sees the room previews.
  { name: "announcement.save", allowed: COMMS, input: (f) => ({ cutoverId: f.cutoverId, name: unique("Notice"), kind: "custom", title: "{{cutover}}", body: "{{phase}}", bindingEvent: "rollback_started", bindingMode: "automatic" }) },
  { name: "announcement.remove", allowed: COMMS, input: (f) => ({ cutoverId: f.cutoverId, templateId: announcementOf(f) }), setup: withAnnouncement },
  { name: "announcement.send", allowed: COMMS, input: (f) => ({ cutoverId: f.cutoverId, templateId: announcementOf(f) }), setup: withAnnouncement },
  { name: "announcement.dismiss", allowed: COMMS, input: (f) => ({ cutoverId: f.cutoverId, recommendationId: (f as Fixture & { recommendationId: string }).recommendationId }), setup: withRecommendation },
  { name: "announcement.preview", allowed: [...ROLES, "ADMINISTRATOR"], readsOnly: true, input: (f) => ({ cutoverId: f.cutoverId, templateId: announcementOf(f) }), setup: withAnnouncement },
  { name: "checkin.configure", allowed: LEAD, input: (f) => ({ cutoverId: f.cutoverId, cadence: "every 30 min for the first 2 h", anchor: "start" }) },
  // An On-call check-in: On-call, or the lead.
  {
    name: "checkin.acknowledge",
    allowed: ["ON_CALL", "DEPLOYMENT_LEAD"],
    input: (f) => ({ cutoverId: f.cutoverId, checkInId: (f as Fixture & { checkInId: string }).checkInId, note: "error rate flat" }),
    setup: async (f) => {
      const c = await db().checkIn.create({ data: { cutoverId: f.cutoverId, dueAt: new Date(), overdueAt: new Date(Date.now() + 60_000), role: "ON_CALL" } });
      (f as Fixture & { checkInId: string }).checkInId = c.id;
    },
    dataRule: (roles) => canAcknowledgeCheckIn(roles, "ON_CALL"),
  },
  {
    name: "incident.acknowledge",
    allowed: ["ON_CALL", "DEPLOYMENT_LEAD"],
    input: (f) => ({ cutoverId: f.cutoverId, incidentId: (f as Fixture & { incidentId: string }).incidentId }),
    setup: async (f) => {
      const i = await db().incident.create({ data: { cutoverId: f.cutoverId, subject: "trigger:x", openSubject: "trigger:x", severity: "critical", title: "Critical trigger fired" } });
      (f as Fixture & { incidentId: string }).incidentId = i.id;
    },
  },
];

/** A template of the cutover, and a channel to send it to (A1's worker is not running: the row only waits). */
async function withAnnouncement(f: Fixture) {
  await db().cutover.update({ where: { id: f.cutoverId }, data: { notifyChannels: ["matrix-channel"] } });
  const t = await db().announcementTemplate.create({ data: { cutoverId: f.cutoverId, name: "Status", kind: "status_update", title: "{{cutover}}", body: "Traffic {{traffic_new}}" } });
  (f as Fixture & { announcementId: string }).announcementId = t.id;
}
const announcementOf = (f: Fixture) => (f as Fixture & { announcementId: string }).announcementId;
async function withRecommendation(f: Fixture) {
  await withAnnouncement(f);
  const r = await db().announcementFiring.create({ data: { cutoverId: f.cutoverId, templateId: announcementOf(f), auditEventId: BigInt(Date.now()), event: "rollback_started", mode: "recommend" } });
  (f as Fixture & { recommendationId: string }).recommendationId = r.id;
}

/** What the tables say about a principal and a command: "ok", or the status of the refusal. */
function fromTables(c: Case, actor: Actor, roles: Role[]): "ok" | 403 | 404 {
  const def = commandDef(c.name);
  if (def.scope === "global") return canGlobal(actor, def.permission as Parameters<typeof canGlobal>[1]) && (c.actorRule?.(actor) ?? true) ? "ok" : 403;
  if (roles.length === 0 && !actor.isAdmin) return 404;
  if (!allows(actor, roles, def.permission as Parameters<typeof allows>[2])) return 403;
  if (def.kind === "in_cutover" && def.requires && !canGlobal(actor, def.requires)) return 403;
  if (c.dataRule && !c.dataRule(roles)) return 403;
  return "ok";
}

let env: Env;
const received: string[] = [];
let listener: http.Server;

beforeAll(async () => {
  await useFreshDatabase();
  const team = await createTeam();
  // The lead of these cutovers also plans cutovers (a planner), like most leads.
  await db().user.update({ where: { id: team.DEPLOYMENT_LEAD.id }, data: { isPlanner: true } });
  team.DEPLOYMENT_LEAD = { ...team.DEPLOYMENT_LEAD, isPlanner: true };
  const outsider = async (key: string, flags: { isAdmin?: boolean; isPlanner?: boolean }) =>
    db().user.create({ data: { email: `${key}-${Date.now()}@test.local`, name: key, passwordHash: "x", ...flags }, select: { id: true, name: true, isAdmin: true, isPlanner: true } });
  listener = http.createServer((req, res) => {
    received.push(`${req.method} ${req.url}`);
    req.resume();
    req.on("end", () => {
      res.setHeader("content-type", "application/json");
      if (req.url?.startsWith("/prometheus/")) return res.end(JSON.stringify({ status: "success", data: { resultType: "vector", result: [{ metric: {}, value: [Date.now() / 1000, "0.5"] }] } }));
      if (req.url === "/router" && req.method === "GET") return res.end(JSON.stringify({ percent: lastPercent }));
      if (req.url === "/router" && req.method === "POST") return res.end("{}");
      res.end("{}");
    });
  });
  // The webhook router's receiver: remembers the split it was told, answers it when read.
  let lastPercent = 0;
  listener.prependListener("request", (req) => {
    if (req.url !== "/router" || req.method !== "POST") return;
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      try {
        lastPercent = (JSON.parse(body) as { to: number }).to;
      } catch {
        // Not a change: keep the last split.
      }
    });
  });
  await new Promise<void>((r) => listener.listen(0, "127.0.0.1", r));
  env = {
    team,
    outsiders: { ADMINISTRATOR: await outsider("admin", { isAdmin: true }), PLANNER: await outsider("planner", { isPlanner: true }), NOBODY: await outsider("nobody", {}) },
    listener: `http://127.0.0.1:${(listener.address() as AddressInfo).port}`,
  };
  defineFileIntegrations(
    { name: "matrix-router", type: "router", kind: "webhook", config: { url: `${env.listener}/router`, readUrl: `${env.listener}/router`, secret: "0123456789abcdef" } },
    { name: "matrix-hook", type: "hook", kind: "webhook", config: { url: `${env.listener}/hook` } },
    { name: "matrix-prometheus", type: "prometheus", kind: "prometheus", config: { url: `${env.listener}/prometheus` } },
    { name: "matrix-channel", type: "channel", kind: "webhook", config: { url: `${env.listener}/channel` } },
  );
});

afterAll(() => listener?.close());

const actorOf = (p: Principal): Actor => ((OUTSIDERS as readonly string[]).includes(p) ? env.outsiders[p as (typeof OUTSIDERS)[number]] : env.team[p as Role]);
const rolesOf = (p: Principal): Role[] => ((OUTSIDERS as readonly string[]).includes(p) ? [] : [p as Role]);

/** A rollback finishes its hooks after answering: wait for that before the next digest. */
async function settled(cutoverId: string) {
  for (;;) {
    const running = await db().rollback.count({ where: { cutoverId, state: "running" } });
    if (running === 0) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("permission matrix: every command × every role, administrator, planner and plain user", () => {
  it("covers every command of the table", () => {
    expect(CASES.map((c) => c.name).sort()).toEqual(Object.keys(COMMANDS).sort());
  });

  it("the expectations written here are what the permission and command tables say", () => {
    const disagreements: string[] = [];
    for (const c of CASES) {
      for (const p of PRINCIPALS) {
        const written = c.allowed.includes(p) ? "ok" : "refused";
        const table = fromTables(c, { ...actorOf(p) }, rolesOf(p));
        if ((table === "ok") !== (written === "ok")) disagreements.push(`${c.name} as ${p}: written ${written}, tables ${table}`);
      }
    }
    expect(disagreements).toEqual([]);
  });

  for (const c of CASES) {
    for (const p of PRINCIPALS) {
      const allowed = c.allowed.includes(p);
      it(`${c.name} as ${p}: ${allowed ? "allowed" : "refused, nothing changes"}`, async () => {
        const f = await createFixture(env.team, c.fixture);
        await c.setup?.(f, env);
        const input = c.input(f, env, p) as Record<string, unknown>;
        if (c.name === "member.add") input.cutoverId = f.cutoverId;
        const actor = actorOf(p);
        const before = await digest();
        const outcome = await dispatch(actor, c.name, input).then(
          () => "ok" as const,
          (err: unknown) => err,
        );
        await settled(f.cutoverId);
        if (allowed) {
          expect(outcome).toBe("ok");
          if (!c.readsOnly) expect(await digest()).not.toEqual(before);
        } else {
          expect(outcome).toBeInstanceOf(AppError);
          expect((outcome as AppError).status).toBe(fromTables(c, actor, rolesOf(p)));
          expect(await digest()).toEqual(before);
        }
      });
    }
  }

  it("a user who is no member of the cutover gets 404 and changes nothing", async () => {
    const f = await createFixture(env.team);
    const before = await digest();
    await expect(dispatch(env.outsiders.NOBODY, "item.sign_off", { cutoverId: f.cutoverId, itemId: f.qaItemId })).rejects.toMatchObject({ status: 404 });
    await expect(dispatch(env.outsiders.PLANNER, "rollback.execute", { cutoverId: f.cutoverId, reason: "x" })).rejects.toMatchObject({ status: 404 });
    expect(await digest()).toEqual(before);
  });

  it("an administrator with a role in the cutover has that role's rights and an administrator's", async () => {
    const f = await createFixture(env.team);
    const admin = env.outsiders.ADMINISTRATOR;
    await db().cutoverMember.create({ data: { cutoverId: f.cutoverId, userId: admin.id, role: "QA_LEAD" } });
    await expect(dispatch(admin, "item.sign_off", { cutoverId: f.cutoverId, itemId: f.qaItemId, note: "as QA" })).resolves.toMatchObject({ state: "done", override: false });
    await expect(dispatch(admin, "member.remove", { cutoverId: f.cutoverId, userId: env.team.OBSERVER.id, role: "OBSERVER" })).resolves.toBeTruthy();
    await expect(dispatch(admin, "item.sign_off", { cutoverId: f.cutoverId, itemId: f.criticalItemId })).rejects.toMatchObject({ status: 403 });
    const audit = await db().auditEvent.findFirst({ where: { cutoverId: f.cutoverId, action: "member.removed" } });
    expect(audit?.role).toBe("QA_LEAD");
  });

  it("an unknown command is a 404 and bad input a 400, before any permission is looked at", async () => {
    const f = await createFixture(env.team);
    await expect(dispatch(env.team.OBSERVER, "cutover.delete", { cutoverId: f.cutoverId })).rejects.toMatchObject({ status: 404 });
    await expect(dispatch(env.outsiders.NOBODY, "traffic.shift", { cutoverId: "not-an-id" })).rejects.toMatchObject({ status: 400 });
  });
});
