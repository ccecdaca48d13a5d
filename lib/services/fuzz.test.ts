// Property-based fuzzing of the change pipeline against a real PostgreSQL: thousands of generated
// bad inputs, spread over every command of the table and every row of the REST route table, from
// callers of every kind. Each must be refused with a typed 4xx (never a 5xx, never an untyped
// error), and afterwards a digest of every row of every table must be what it was before.
//
// Five families of bad input:
//  - malformed: a valid input with a field made hostile (wrong type, huge, NUL, deep, missing…),
//    or no object at all; filtered to what the command's schema refuses: a 400 whoever asks;
//  - well-formed but wrong: every id the caller names is unknown or another cutover's, asked by the
//    cutover's lead (who may do everything), so the handlers run and must refuse (404, 400, 409);
//  - well-formed values only the handler can judge (times far from T-0, broken PromQL);
//  - valid but for a NUL character in one text field (PostgreSQL stores none), asked by the lead;
//  - hostile paths and query strings on the REST route table: undecodable or oversized segments,
//    unknown commands, bad query parameters.
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { ROLES } from "@/lib/domain/roles";
import { matchRoute, ROUTES, runRoute, type Method } from "@/lib/api/routes";
import { commandDef, COMMANDS, dispatch, type CommandName } from "./commands";
import { acceptLink } from "./users";
import type { Actor } from "./context";
import { createFixture, createTeam, digest, useFreshDatabase, type Fixture, type Team } from "@/lib/testing/fixtures";
import { testActionLink } from "@/lib/testing/action-links";

const NAMES = Object.keys(COMMANDS) as CommandName[];
const ID_FIELDS = ["id", "itemId", "phaseId", "sectionId", "decisionId", "entryId", "metricId", "triggerId", "userId", "templateId", "tokenId", "checkInId", "incidentId"];

/** Renaming, moving and removing a phase, section or item take the same inputs. */
function planNode<L extends "phase" | "section" | "item">(cutoverId: string, level: L, id: string) {
  const inputs: Record<string, Record<string, unknown>> = { rename: { cutoverId, id, name: "Renamed" }, move: { cutoverId, id, direction: "down" }, remove: { cutoverId, id } };
  return Object.fromEntries(Object.entries(inputs).map(([verb, input]) => [`${level}.${verb}`, input])) as Record<`${L}.${"rename" | "move" | "remove"}`, Record<string, unknown>>;
}

/** A valid input of each command in the fixture's cutover: the base the fuzzer breaks. */
function validInput(name: CommandName, f: Fixture, team: Team): Record<string, unknown> {
  const c = f.cutoverId;
  const table: Record<CommandName, Record<string, unknown>> = {
    "cutover.create": { name: "New", systemFrom: "a", systemTo: "b", tZero: "2030-01-01T00:00:00Z", exclude: ["kind:rules", "section:0.1"] },
    "cutover.preview": { runbook: "# R\n## P\n- [ ] a", exclude: ["phase:0"] },
    "cutover.clone": { cutoverId: c, name: "Clone", tZero: "2030-01-01T00:00:00Z" },
    "cutover.start": { cutoverId: c },
    "cutover.complete": { cutoverId: c, force: true, note: "accepted at this split" },
    "cutover.abort": { cutoverId: c, reason: "postponed" },
    "phase.add": { cutoverId: c, name: "Post" },
    ...planNode(c, "phase", f.phaseId),
    "section.add": { cutoverId: c, phaseId: f.phaseId, name: "More" },
    ...planNode(c, "section", f.sectionId),
    "item.add": { cutoverId: c, sectionId: f.sectionId, title: "New", ownerRole: "QA_LEAD", plannedTime: "T-4h" },
    "item.update": { cutoverId: c, id: f.qaItemId, critical: true },
    ...planNode(c, "item", f.qaItemId),
    "item.sign_off": { cutoverId: c, itemId: f.qaItemId, note: "checked" },
    "item.undo": { cutoverId: c, itemId: f.qaItemId, reason: "too early" },
    "item.not_applicable": { cutoverId: c, itemId: f.qaItemId, reason: "no suite" },
    "member.add": { cutoverId: c, email: "nobody-known@test.local", role: "OBSERVER" },
    "member.remove": { cutoverId: c, userId: team.OBSERVER.id, role: "OBSERVER" },
    "timeline.add": { cutoverId: c, title: "Step", plannedStart: "T+0:30", ownerRole: "QA_LEAD" },
    "timeline.progress": { cutoverId: c, entryId: f.entryId, step: "start" },
    "contact.add": { cutoverId: c, role: "QA_LEAD", name: "Quinn" },
    "contact.remove": { cutoverId: c, id: f.contactId },
    "links.set": { cutoverId: c, links: [{ label: "Bridge", url: "https://meet.example.com/x" }] },
    "escalation.set": { cutoverId: c, escalation: [{ level: "Team lead", who: "on duty", after: "0-15 min" }] },
    "risk.save": { cutoverId: c, title: "Cache stampede", probability: "medium", impact: "high" },
    "decision.create": { cutoverId: c, phaseId: f.phaseId, title: "Go", requiredRoles: ["QA_LEAD"] },
    "decision.open_vote": { cutoverId: c, decisionId: f.decisionId },
    "decision.vote": { cutoverId: c, decisionId: f.decisionId, choice: "go" },
    "decision.abort": { cutoverId: c, decisionId: f.decisionId, reason: "red" },
    "metric.save": { cutoverId: c, name: "Queue", unit: "count", queryNew: 'sum(queue_depth{service="new"})' },
    "metric.remove": { cutoverId: c, id: f.metricId },
    "metric.test": { cutoverId: c, query: "sum(up)" },
    "metrics.settings": { cutoverId: c, prometheusSource: "fuzz-prometheus", pollIntervalMs: 2000 },
    "gate.add": { cutoverId: c, metricId: f.metricId, decisionId: f.decisionId, condition: { kind: "threshold", system: "new", op: "<", value: 1, windowSec: 1800 } },
    "gate.remove": { cutoverId: c, id: f.metricId },
    "traffic.steps": { cutoverId: c, steps: [0, 10, 50, 100] },
    "traffic.shift": { cutoverId: c, toPercent: 10, override: true, note: "canary" },
    "rollback.execute": { cutoverId: c, reason: "p95" },
    "router.set": { cutoverId: c, integration: "fuzz-router" },
    "router.test": { cutoverId: c },
    "hook.add": { cutoverId: c, name: "Page", integration: "fuzz-hook" },
    "hook.remove": { cutoverId: c, id: f.metricId },
    "trigger.save": { cutoverId: c, metricId: f.metricId, comparison: ">", threshold: 5, forSeconds: 300, severity: "graceful", action: "shift", shiftToPercent: 10 },
    "trigger.remove": { cutoverId: c, id: f.metricId },
    "trigger.confirm": { cutoverId: c, triggerId: f.metricId },
    "user.create": { email: "fuzz-new@test.local", name: "New", password: "correct horse battery staple 42" },
    "user.invite": { email: "fuzz-invited@test.local", name: "Invited" },
    "user.disable": { userId: team.OBSERVER.id },
    "user.enable": { userId: team.OBSERVER.id },
    "user.reset_password": { userId: team.OBSERVER.id },
    "user.set_roles": { userId: team.OBSERVER.id, isPlanner: true },
    "integration.save": { name: "fuzz-new-prometheus", type: "prometheus", kind: "prometheus", config: { url: "https://prometheus.example.com" } },
    "integration.remove": { name: "fuzz-prometheus" },
    "outbound.allow": { host: "prometheus.example.com" },
    "outbound.disallow": { host: "prometheus.example.com" },
    "sso.set_mapping": { administratorGroups: ["war-room-admins"], plannerGroups: ["planners"] },
    "report.lessons": { cutoverId: c, wentWell: "Rollback was quick", actions: "Alert earlier", version: 0 },
    "template.save": { cutoverId: c, name: "Team plan", description: "Our usual cutover" },
    "template.remove": { templateId: "00000000-0000-4000-8000-000000000001" },
    // The observer's link: whoever else sends it (the lead here) is refused.
    "action_link.use": { cutoverId: c, token: testActionLink({ action: "decision.vote", choice: "GO", cutoverId: c, subjectId: f.decisionId, recipient: team.OBSERVER.id }) },
    "status.configure": { cutoverId: c, enabled: true, slug: "payments-cutover", title: "Payments maintenance" },
    "status.publish": { cutoverId: c, body: "We are moving payments", health: "maintenance", figures: [{ label: "Error rate", value: "0.2 %" }], nextUpdateAt: null },
    "status.retract": { cutoverId: c, id: f.metricId },
    "notify.channels": { cutoverId: c, channels: ["fuzz-channel"] },
    "announcement.interval": { cutoverId: c, minutes: 45 },
    "channel.test": { name: "fuzz-channel" },
    "delivery.retry": { cutoverId: c, id: f.metricId },
    "delivery.dismiss": { cutoverId: c, id: f.metricId },
    "announcement.save": { cutoverId: c, name: "Notice", kind: "custom", title: "{{cutover}}: notice", body: "Traffic {{traffic_new}}", bindingEvent: "rollback_started", bindingMode: "recommend" },
    "announcement.remove": { cutoverId: c, templateId: "00000000-0000-4000-8000-000000000002" },
    "announcement.send": { cutoverId: c, templateId: "00000000-0000-4000-8000-000000000002", title: "Edited", body: "Edited text" },
    "announcement.dismiss": { cutoverId: c, recommendationId: "00000000-0000-4000-8000-000000000003" },
    "announcement.preview": { cutoverId: c, title: "{{cutover}}", body: "{{phase}}" },
    "alerts.token_create": { cutoverId: c },
    "alerts.token_revoke": { cutoverId: c, tokenId: "00000000-0000-4000-8000-000000000002" },
    "checkin.configure": { cutoverId: c, cadence: "every 30 min for the first 2 h, hourly for the next 6 h", anchor: "start", role: "ON_CALL", grace: "5 min" },
    "checkin.acknowledge": { cutoverId: c, checkInId: f.metricId, note: "error rate flat" },
    "incident.acknowledge": { cutoverId: c, incidentId: f.metricId, note: "looking" },
  };
  return table[name];
}

// Values nobody should be able to hurt the server with.
const deep = (n: number): unknown => (n === 0 ? "bottom" : { a: deep(n - 1), b: [deep(0)] });
const hostile: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything({ maxDepth: 2, withBigInt: false, withObjectString: true, withNullPrototype: true, withBoxedValues: true, withSparseArray: true }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.double(),
  fc.integer({ min: -(2 ** 53), max: 2 ** 53 }),
  fc.constantFrom<unknown>(
    null,
    "",
    " ",
    "\u0000",
    "a\u0000b",
    "x".repeat(1_000_001),
    "y".repeat(70_000),
    -1,
    0,
    1e308,
    -1e308,
    "NaN",
    "Infinity",
    "2026-13-45T99:99:99Z",
    "-271821-04-19T00:00:00Z",
    "+275760-09-13T00:00:00Z",
    "0000-00-00",
    "00000000-0000-0000-0000-00000000000g",
    "' OR 1=1 --",
    "'; DROP TABLE audit_events; --",
    "../../../../etc/passwd",
    "javascript:alert(1)",
    "//evil.example.com",
    "/\\evil.example.com",
    "file:///etc/passwd",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::1]:22/",
    "{{7*7}}",
    "$(touch pwned)",
    "\ud800",
    "\u202e\u0645",
    [],
    Array.from({ length: 5000 }, (_, i) => i),
    {},
    { __proto__: { isAdmin: true } },
    JSON.parse('{"__proto__": {"isAdmin": true}, "constructor": {"prototype": {"x": 1}}}') as unknown,
    deep(60),
    true,
    false,
  ),
);

/** A valid input with one hostile change (or no object at all). */
function malformed(base: Record<string, unknown>): fc.Arbitrary<unknown> {
  const keys = Object.keys(base);
  return fc.oneof(
    { weight: 5, arbitrary: fc.tuple(fc.constantFrom(...keys), hostile).map(([k, v]) => ({ ...base, [k]: v })) },
    { weight: 2, arbitrary: fc.constantFrom(...keys).map((k) => Object.fromEntries(Object.entries(base).filter(([key]) => key !== k))) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...keys), fc.constantFrom(...keys), hostile, hostile).map(([a, b, va, vb]) => ({ ...base, [a]: va, [b]: vb })) },
    { weight: 1, arbitrary: hostile },
  );
}

let team: Team;
let outsiders: Actor[];
let f: Fixture;
/** Ids of another cutover, whose lead is also the lead here: they must never reach across. */
let foreign: Fixture;
/** A cutover the lead holds no role in. */
let strangerCutover: string;

beforeAll(async () => {
  await useFreshDatabase();
  team = await createTeam();
  await db().user.update({ where: { id: team.DEPLOYMENT_LEAD.id }, data: { isPlanner: true } });
  team.DEPLOYMENT_LEAD = { ...team.DEPLOYMENT_LEAD, isPlanner: true };
  const mk = (key: string, flags: object) => db().user.create({ data: { email: `${key}@fuzz.local`, name: key, passwordHash: "x", ...flags }, select: { id: true, name: true, isAdmin: true, isPlanner: true } });
  outsiders = [await mk("admin", { isAdmin: true }), await mk("planner", { isPlanner: true }), await mk("nobody", {})];
  f = await createFixture(team, { state: "in_progress" });
  foreign = await createFixture(team);
  const other = await createTeam();
  strangerCutover = (await createFixture(other)).cutoverId;
});

function expectRefusal(err: unknown, context: string) {
  if (!(err instanceof AppError)) throw new Error(`${context}: not a typed error: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
  if (err.status < 400 || err.status >= 500) throw new Error(`${context}: answered ${err.status} (${err.message})`);
}

const counts = new Map<string, number>();
const count = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
const short = (v: unknown) => {
  try {
    return JSON.stringify(v)?.slice(0, 300);
  } catch {
    return String(v).slice(0, 300);
  }
};

describe("fuzzing the change pipeline", () => {
  it("≥ 1,000 bad inputs over every command and route: each a typed 4xx, and the database unchanged", async () => {
    const everyone: Actor[] = [...ROLES.map((r) => team[r]), ...outsiders];
    const before = await digest();

    for (const name of NAMES) {
      const schema = commandDef(name).input;
      const base = validInput(name, f, team);
      // Malformed: whatever the command's schema refuses, from anyone, is a 400.
      const arb = fc.tuple(malformed(base).filter((x) => !schema.safeParse(x).success), fc.constantFrom(...everyone));
      await fc.assert(
        fc.asyncProperty(arb, async ([input, actor]) => {
          const err = await dispatch(actor, name, input).then(() => null, (e: unknown) => e);
          expect(err, `${name} accepted ${short(input)}`).not.toBeNull();
          expectRefusal(err, `${name} ${short(input)}`);
          expect((err as AppError).status, `${name} ${short(input)}: ${(err as AppError).message}`).toBe(400);
          count(name);
        }),
        { numRuns: 20 },
      );

      // Well-formed but wrong: unknown or foreign ids, asked by the lead, who may do everything here.
      const idKeys = Object.keys(base).filter((k) => ID_FIELDS.includes(k) && typeof base[k] === "string");
      const foreignIds = [foreign.qaItemId, foreign.phaseId, foreign.sectionId, foreign.decisionId, foreign.entryId, foreign.metricId, foreign.contactId];
      const wrongId = fc.oneof(fc.uuid(), fc.constantFrom(...foreignIds));
      const wrong: fc.Arbitrary<Record<string, unknown>> =
        name === "cutover.create" || name === "cutover.preview"
          ? fc.constant(base)
          : idKeys.length > 0 && name !== "member.remove"
            ? fc.tuple(...idKeys.map(() => wrongId)).map((ids) => ({ ...base, ...Object.fromEntries(idKeys.map((k, i) => [k, ids[i]])) }))
            : fc.oneof(fc.uuid(), fc.constant(strangerCutover), fc.constant(foreign.cutoverId)).map((cutoverId) =>
                name === "member.remove" ? { ...base, userId: cutoverId } : { ...base, cutoverId: cutoverId === foreign.cutoverId ? strangerCutover : cutoverId },
              );
      // Creating a cutover is refused only by rank: ask as those without it.
      const askers = name === "cutover.create" || name === "cutover.preview" ? fc.constantFrom(...ROLES.filter((r) => r !== "DEPLOYMENT_LEAD").map((r) => team[r]), outsiders[2]!) : fc.constant(team.DEPLOYMENT_LEAD);
      await fc.assert(
        fc.asyncProperty(fc.tuple(wrong, askers), async ([input, actor]) => {
          const err = await dispatch(actor, name, input).then(() => null, (e: unknown) => e);
          expect(err, `${name} accepted ${short(input)}`).not.toBeNull();
          expectRefusal(err, `${name} ${short(input)}`);
          count(name);
        }),
        { numRuns: 8 },
      );
    }

    // Well-formed values the schemas cannot judge alone: times far from T-0 or unreadable,
    // broken PromQL, incomplete rules. Asked by the lead, on the real cutover.
    const far = ["-271821-04-19T00:00:00Z", "+275760-09-13T00:00:00Z", "1969-12-31T23:59:59Z", "2200-01-01T00:00:01Z"];
    const farPlanned = ["T+99999999h", "T-99999999d", "T+99999999999d", "T+banana", "25:61", "T+1e400h", "T--1h", "tomorrow-ish"];
    const semantic: Partial<Record<CommandName, Record<string, unknown>[]>> = {
      "cutover.create": [
        ...far.map((tZero) => ({ ...validInput("cutover.create", f, team), tZero })),
        // Templates that do not exist, or a template and a runbook at once.
        ...["builtin:nope", "builtin:", "00000000-0000-4000-8000-000000000001", "../blue-green", "x".repeat(100)].map((template) => ({ ...validInput("cutover.create", f, team), template })),
        { ...validInput("cutover.create", f, team), template: "builtin:canary", runbook: "## Phase\n- [ ] item" },
      ],
      "cutover.clone": far.map((tZero) => ({ ...validInput("cutover.clone", f, team), tZero })),
      "item.add": farPlanned.map((plannedTime) => ({ ...validInput("item.add", f, team), plannedTime })),
      "item.update": farPlanned.map((plannedTime) => ({ ...validInput("item.update", f, team), plannedTime })),
      "timeline.add": [...farPlanned.map((plannedStart) => ({ ...validInput("timeline.add", f, team), plannedStart })), { ...validInput("timeline.add", f, team), plannedStart: "T+1h", plannedFinish: "T-1h" }],
      "metric.save": ["sum((((", "up{", "rate(x[5m]", "}{"].map((queryNew) => ({ ...validInput("metric.save", f, team), queryNew })),
      "metric.test": ["sum((((", "up{", "rate(x[5m]"].map((query) => ({ ...validInput("metric.test", f, team), query })),
      "trigger.save": [{ ...validInput("trigger.save", f, team), shiftToPercent: undefined }],
      // The lead's own links, but expired, altered, for another cutover's decision, or not a link at all.
      "action_link.use": [
        testActionLink({ action: "decision.vote", choice: "GO", cutoverId: f.cutoverId, subjectId: f.decisionId, recipient: team.DEPLOYMENT_LEAD.id }, { lifetimeMs: -1 }),
        testActionLink({ action: "decision.vote", choice: "GO", cutoverId: f.cutoverId, subjectId: f.decisionId, recipient: team.DEPLOYMENT_LEAD.id }).replace(/.$/, (c) => (c === "A" ? "B" : "A")),
        testActionLink({ action: "decision.vote", choice: "GO", cutoverId: foreign.cutoverId, subjectId: foreign.decisionId, recipient: team.DEPLOYMENT_LEAD.id }),
        testActionLink({ action: "trigger.confirm", cutoverId: f.cutoverId, subjectId: f.metricId, recipient: team.DEPLOYMENT_LEAD.id }),
        "not-a-link",
        "a.b",
      ].map((token) => ({ cutoverId: f.cutoverId, token })),
      // Group names the provider could never send back as one group: control characters, blank, oversized, too many.
      // Slugs that are no address, and next updates due in the past or too far ahead.
      "status.configure": ["ab", "-payments", "payments-", "Payments", "pay ments", "pay/ments", "p".repeat(61), "..", "pay%2fments"].map((slug) => ({ ...validInput("status.configure", f, team), slug })),
      "status.publish": ["2000-01-01T00:00:00Z", "2199-01-01T00:00:00Z", "1970-01-01T00:00:00Z"].map((nextUpdateAt) => ({ ...validInput("status.publish", f, team), nextUpdateAt })),
      // Variables the renderer does not know, or broken braces: refused when saved and when previewed.
      "announcement.save": ["{{colour}}", "{{metric:No such metric}}", "{{phase}", "{{ }}", "{{reason:x}}"].map((body) => ({ ...validInput("announcement.save", f, team), body })),
      "announcement.preview": ["{{colour}}", "{{metric:No such metric}}", "{{phase}"].map((body) => ({ ...validInput("announcement.preview", f, team), body })),
      // An update interval that is no whole number of minutes, or out of 5 min – 12 h.
      "announcement.interval": [0, 4, 721, 30.5, -30, Number.MAX_SAFE_INTEGER].map((minutes) => ({ cutoverId: f.cutoverId, minutes })),
      "sso.set_mapping": [["a\u0000b"], ["ops\nadmins"], ["   "], ["g".repeat(257)], Array.from({ length: 101 }, (_, i) => `g${i}`)].map((administratorGroups) => ({ administratorGroups, plannerGroups: [] })),
    };
    for (const [name, inputs] of Object.entries(semantic) as [CommandName, Record<string, unknown>[]][]) {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...inputs), async (input) => {
          const err = await dispatch(team.DEPLOYMENT_LEAD, name, input).then(() => null, (e: unknown) => e);
          expect(err, `${name} accepted ${short(input)}`).not.toBeNull();
          expectRefusal(err, `${name} ${short(input)}`);
          count(name);
        }),
        { numRuns: inputs.length * 2 },
      );
    }

    // NUL in any text field of an otherwise valid input, on the real cutover, by its lead:
    // PostgreSQL cannot store it, so the pipeline refuses it before any handler writes.
    for (const name of NAMES) {
      const base = validInput(name, f, team);
      const texts = Object.keys(base).filter((k) => typeof base[k] === "string" && !ID_FIELDS.includes(k) && k !== "cutoverId");
      if (texts.length === 0) continue;
      const withNul = fc.tuple(fc.constantFrom(...texts), fc.string({ maxLength: 10 }), fc.string({ maxLength: 10 })).map(([k, a, b]) => ({ ...base, [k]: `${a}\u0000${b}` }));
      await fc.assert(
        fc.asyncProperty(withNul, async (input) => {
          const err = await dispatch(team.DEPLOYMENT_LEAD, name, input).then(() => null, (e: unknown) => e);
          expect(err, `${name} accepted ${short(input)}`).not.toBeNull();
          expectRefusal(err, `${name} ${short(input)}`);
          count(name);
        }),
        { numRuns: 3 },
      );
    }

    // The route table: hostile path segments and query strings, on every row.
    const segment = fc.oneof(
      fc.uuid(),
      fc.constantFrom(f.cutoverId, f.qaItemId, strangerCutover, "%", "%E0%A4%A", "%00", "..", "%2e%2e", "%2F", "x".repeat(300), "cutover.delete", "item.sign_off", "__proto__", "constructor"),
      fc.string({ unit: "binary", maxLength: 30 }).map((s) => encodeURIComponent(s)),
      fc.string({ maxLength: 30 }).filter((s) => !/[/?#]/.test(s)),
    );
    const query = fc.dictionary(fc.constantFrom("rangeSec", "limit", "before", "what", "format", "action", "actor", "cutoverId"), fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom("-1", "0", "1e309", "NaN", "passwords", "xlsx", "plan", "markdown", "csv", "99999999999999999999")), { maxKeys: 4 });
    const routeCase = fc.tuple(fc.constantFrom(...ROUTES), fc.array(segment, { minLength: 2, maxLength: 2 }), query, hostile, fc.constantFrom(...everyone));
    await fc.assert(
      fc.asyncProperty(routeCase, async ([route, segs, q, body, actor]) => {
        let i = 0;
        const path = route.path.replace(/:(\w+)/g, () => segs[i++ % segs.length]!);
        const label = `${route.method} ${path} ${short(q)}`;
        let hit: ReturnType<typeof matchRoute>;
        try {
          hit = matchRoute(route.method as Method, path);
        } catch (e) {
          expectRefusal(e, label);
          count(`${route.method} ${route.path}`);
          return;
        }
        if (!hit) return;
        // GET rows only read, whatever they answer. POST rows get a hostile body; only the ones
        // the command's schema refuses are bad inputs (a path of real ids with a harmless body
        // would be a real request).
        const data = route.method === "GET" ? q : typeof body === "object" && body !== null && !Array.isArray(body) ? { ...(body as object) } : { body };
        if (route.method === "POST") {
          const { name, ...params } = hit.params;
          const command = route.command === ":name" ? name : route.command;
          if (command && NAMES.includes(command as CommandName)) fc.pre(!commandDef(command as CommandName).input.safeParse({ ...data, ...params }).success);
        }
        let err: unknown = null;
        try {
          await runRoute(hit.route, { actor: { email: "fuzz@test.local", ...actor }, params: hit.params, data, requestId: "fuzz" });
          if (route.method === "POST") err = new Error(`${label} was accepted`);
        } catch (e) {
          err = e;
        }
        if (err) expectRefusal(err, label);
        count(`${route.method} ${route.path}`);
      }),
      { numRuns: 300 },
    );

    // Accepting an invitation or reset link: the one write reached without a session (the link is
    // the credential). Unknown, malformed or hostile tokens and bodies: a typed 4xx, nothing written.
    const linkToken = fc.oneof(fc.stringMatching(/^[A-Za-z0-9_-]{43}$/), hostile);
    await fc.assert(
      fc.asyncProperty(fc.record({ token: linkToken, name: fc.oneof(fc.constant(undefined), hostile), password: fc.oneof(fc.constant("correct horse battery staple 42"), hostile) }), async (input) => {
        const err = await acceptLink(input as Parameters<typeof acceptLink>[0]).then(() => null, (e: unknown) => e);
        expect(err, `acceptLink accepted ${short(input)}`).not.toBeNull();
        expectRefusal(err, `acceptLink ${short(input)}`);
        count("acceptLink");
      }),
      { numRuns: 100 },
    );

    expect(await digest()).toEqual(before);
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    console.log(`fuzz: ${total} bad inputs over ${NAMES.length} commands and ${ROUTES.length} routes`);
    expect(total).toBeGreaterThanOrEqual(1000);
    for (const name of NAMES) expect(counts.get(name) ?? 0, name).toBeGreaterThanOrEqual(20);
    for (const r of ROUTES) expect(counts.get(`${r.method} ${r.path}`) ?? 0, `${r.method} ${r.path}`).toBeGreaterThan(0);
    expect(counts.get("acceptLink") ?? 0).toBeGreaterThanOrEqual(100);
  }, 120_000);
});
