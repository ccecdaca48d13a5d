// The Alertmanager endpoint against a real PostgreSQL: tokens, dedupe by fingerprint, status
// changes audited once, and alert triggers with the same pending/firing semantics as metric ones.
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { alertmanagerPayload } from "@/lib/testing/alertmanager";
import { createFixture, createTeam, digest, useFreshDatabase, type Fixture, type Team } from "@/lib/testing/fixtures";
import { dispatch } from "./commands";
import { BAD_TOKENS_PER_ADDRESS, listAlerts, receiveAlertmanager, resetAlertLimits } from "./alerts";
import { evaluateAlertTriggers } from "./triggers";

/** The lead of every cutover here; each test gets a fresh running cutover and its Alertmanager token. */
let team: Team;
let f: Fixture;
let token: string;

beforeAll(async () => void (team = (await useFreshDatabase(), await createTeam())));
beforeEach(async () => {
  resetAlertLimits();
  f = await createFixture(team, { state: "in_progress" });
  token = (await dispatch(team.DEPLOYMENT_LEAD, "alerts.token_create", { cutoverId: f.cutoverId })).token;
});

const post = (body: unknown, opts: { cutoverId?: string; auth?: string | null; address?: string } = {}) =>
  receiveAlertmanager({ authorization: opts.auth === undefined ? `Bearer ${token}` : opts.auth, cutoverId: opts.cutoverId ?? f.cutoverId, body, address: opts.address ?? "10.0.0.1", requestId: "t" });
const refusal = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as AppError);
const audit = (action: string) => db().auditEvent.findMany({ where: { cutoverId: f.cutoverId, action } });

describe("the Alertmanager endpoint", () => {
  it("stores one alert per fingerprint: repeats touch lastSeenAt only; each change of status is audited once", async () => {
    expect(await post(alertmanagerPayload([{ fingerprint: "aaa1" }, { fingerprint: "bbb2", severity: "warning", alertname: "SlowResponses" }]))).toEqual({ received: 2, changed: 2 });
    const first = await db().alert.findUniqueOrThrow({ where: { cutoverId_fingerprint: { cutoverId: f.cutoverId, fingerprint: "aaa1" } } });
    for (let i = 0; i < 3; i++) expect(await post(alertmanagerPayload([{ fingerprint: "aaa1" }]))).toEqual({ received: 1, changed: 0 });
    const again = await db().alert.findUniqueOrThrow({ where: { id: first.id } });
    expect(again.lastSeenAt.getTime()).toBeGreaterThan(first.lastSeenAt.getTime());
    expect(await db().alert.count({ where: { cutoverId: f.cutoverId } })).toBe(2);
    expect(await audit("alert.firing")).toHaveLength(2);
    expect((await audit("alert.firing"))[0]).toMatchObject({ actorName: "Alertmanager", actorId: null });

    await post(alertmanagerPayload([{ fingerprint: "aaa1", status: "resolved" }]));
    await post(alertmanagerPayload([{ fingerprint: "aaa1", status: "resolved" }]));
    expect(await audit("alert.resolved")).toHaveLength(1);
    await post(alertmanagerPayload([{ fingerprint: "aaa1" }]));
    expect(await audit("alert.firing")).toHaveLength(3);

    const view = await listAlerts(team.OBSERVER, { cutoverId: f.cutoverId });
    expect(view.alerts.map((a) => [a.fingerprint, a.status])).toEqual([["aaa1", "firing"], ["bbb2", "firing"]]);
    expect(view.tokens).toBeNull();
    expect((await listAlerts(team.DEPLOYMENT_LEAD, { cutoverId: f.cutoverId })).tokens).toHaveLength(1);
    // The internal links Alertmanager sends are never kept.
    expect(JSON.stringify(await db().alert.findMany({ where: { cutoverId: f.cutoverId } }))).not.toMatch(/internal/);
  });

  it("wrong, missing, revoked tokens are 401; a token of another cutover or an unknown cutover is 404; nothing is stored", async () => {
    const other = await createFixture(team, { state: "in_progress" });
    const body = alertmanagerPayload([{ fingerprint: "ccc3" }]);
    const before = await digest();
    expect((await refusal(post(body, { auth: null })))?.status).toBe(401);
    expect((await refusal(post(body, { auth: "Bearer wram_" + "x".repeat(43) })))?.status).toBe(401);
    expect((await refusal(post(body, { auth: token })))?.status).toBe(401);
    // Without a valid token nobody learns whether a cutover exists.
    expect((await refusal(post(body, { auth: null, cutoverId: "00000000-0000-4000-8000-000000000009" })))?.status).toBe(401);
    expect((await refusal(post(body, { cutoverId: "00000000-0000-4000-8000-000000000009" })))?.status).toBe(404);
    expect((await refusal(post(body, { cutoverId: other.cutoverId })))?.status).toBe(404);
    for (const bad of [{}, { ...body, version: "3" }, { ...body, alerts: [{ fingerprint: "x" }] }]) {
      const err = await refusal(post(bad));
      expect(err?.status).toBe(400);
      expect(err?.message).toMatch(/Alertmanager webhook payload/);
    }
    expect(await digest()).toEqual(before);

    const tokenId = (await listAlerts(team.DEPLOYMENT_LEAD, { cutoverId: f.cutoverId })).tokens![0]!.id;
    await dispatch(team.DEPLOYMENT_LEAD, "alerts.token_revoke", { cutoverId: f.cutoverId, tokenId });
    expect((await refusal(dispatch(team.DEPLOYMENT_LEAD, "alerts.token_revoke", { cutoverId: f.cutoverId, tokenId })))?.status).toBe(404);
    expect((await refusal(post(body)))?.status).toBe(401);
    expect(await db().alert.count({ where: { cutoverId: f.cutoverId } })).toBe(0);
    // The token is in no audit row.
    const rows = await db().auditEvent.findMany({ where: { cutoverId: f.cutoverId }, select: { before: true, after: true, subject: true } });
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it("too many wrong tokens from one address: 429, while other addresses still get in", async () => {
    const body = alertmanagerPayload([{ fingerprint: "ddd4" }]);
    for (let i = 0; i < BAD_TOKENS_PER_ADDRESS; i++) expect((await refusal(post(body, { auth: "Bearer nope", address: "10.9.9.9" })))?.status).toBe(401);
    expect((await refusal(post(body, { address: "10.9.9.9" })))?.status).toBe(429);
    expect(await post(body, { address: "10.0.0.2" })).toEqual({ received: 1, changed: 1 });
  });

  it("a critical alert that starts firing opens one incident (the escalation ladder's), which resolves with the alert; a warning opens none", async () => {
    await post(alertmanagerPayload([{ fingerprint: "eee5" }]));
    await post(alertmanagerPayload([{ fingerprint: "eee5" }]));
    await post(alertmanagerPayload([{ fingerprint: "fff6", severity: "warning" }]));
    const alert = await db().alert.findFirstOrThrow({ where: { fingerprint: "eee5" } });
    const open = await db().incident.findMany({ where: { subject: `alert:${alert.id}` } });
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ severity: "critical", resolvedAt: null });
    const warning = await db().alert.findFirstOrThrow({ where: { fingerprint: "fff6" } });
    expect(await db().incident.count({ where: { subject: `alert:${warning.id}` } })).toBe(0);
    await post(alertmanagerPayload([{ fingerprint: "eee5", status: "resolved" }]));
    expect((await db().incident.findFirstOrThrow({ where: { subject: `alert:${alert.id}` } })).resolvedAt).not.toBeNull();
  });
});

describe("a trigger on an alert", () => {
  async function alertTrigger(forSeconds: number, action: "alert" | "rollback" = "alert") {
    const { triggerId } = await dispatch(team.DEPLOYMENT_LEAD, "trigger.save", { cutoverId: f.cutoverId, conditionKind: "alert", alertName: "HighErrorRate", forSeconds, severity: "immediate", action, mode: "automatic" });
    return triggerId;
  }
  const state = async (id: string) => (await db().rollbackTrigger.findUniqueOrThrow({ where: { id } })).state;
  const fired = () => db().auditEvent.count({ where: { cutoverId: f.cutoverId, action: "trigger.fired" } });

  it("is refused without an alert name, and a metric trigger without its metric", async () => {
    for (const input of [{ conditionKind: "alert" }, { conditionKind: "alert", alertName: "bad name!" }, { conditionKind: "metric", comparison: ">", threshold: 1 }, { metricId: f.metricId, threshold: 1 }]) {
      const err = await refusal(dispatch(team.DEPLOYMENT_LEAD, "trigger.save", { cutoverId: f.cutoverId, forSeconds: 0, severity: "immediate", action: "alert", ...input }));
      expect(err?.status).toBe(400);
    }
  });

  it("pending while the alert fires, fires after `for` once, resets when it resolves", async () => {
    const id = await alertTrigger(10);
    const t0 = Date.now() + 1000;
    await evaluateAlertTriggers(t0, f.cutoverId);
    expect(await state(id)).toBe("inactive");
    await post(alertmanagerPayload([{ fingerprint: "fff6" }]));
    await evaluateAlertTriggers(t0 + 1000, f.cutoverId);
    expect(await state(id)).toBe("pending");
    await evaluateAlertTriggers(t0 + 11_000, f.cutoverId);
    expect(await state(id)).toBe("firing");
    await evaluateAlertTriggers(t0 + 12_000, f.cutoverId);
    await evaluateAlertTriggers(t0 + 12_000, f.cutoverId);
    expect(await fired()).toBe(1);
    await post(alertmanagerPayload([{ fingerprint: "fff6", status: "resolved" }]));
    await evaluateAlertTriggers(t0 + 13_000, f.cutoverId);
    expect(await state(id)).toBe("inactive");
    // Another alert's name is not this trigger's condition.
    await post(alertmanagerPayload([{ fingerprint: "ggg7", alertname: "Other" }]));
    await evaluateAlertTriggers(t0 + 14_000, f.cutoverId);
    expect(await state(id)).toBe("inactive");
  });

  it("with `for: 0` the endpoint itself moves it at once (no wait for the leader's tick)", async () => {
    const id = await alertTrigger(0);
    await post(alertmanagerPayload([{ fingerprint: "hhh8" }]));
    expect(await state(id)).toBe("firing");
    expect(await fired()).toBe(1);
    const at = Date.now() + 5000;
    await Promise.all([evaluateAlertTriggers(at, f.cutoverId), evaluateAlertTriggers(at, f.cutoverId)]);
    expect(await fired()).toBe(1);
  });
});
