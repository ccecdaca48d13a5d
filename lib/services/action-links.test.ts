// Approval links against a real PostgreSQL: who gets which message when a vote opens or a trigger
// recommends a rollback, and what using a link does (and refuses), through the one dispatcher.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { verifyActionLink } from "@/lib/domain/action-links";
import type { OutgoingMessage } from "@/lib/domain/notify/message";
import type { PolledSample } from "@/lib/domain/metrics";
import { ensureTestSecret, testActionLink } from "@/lib/testing/action-links";
import { defineFileIntegrations } from "@/lib/testing/server-config";
import { createFixture, createTeam, digest, useFreshDatabase, type Fixture, type Team } from "@/lib/testing/fixtures";
import { actionLinkKey } from "./action-links";
import { previewActionLink } from "./action-links-use";
import { dispatch } from "./commands";
import { evaluateTriggers } from "./triggers";

const BASE = "https://warroom.example.com";
let team: Team;
let listener: http.Server;

beforeAll(async () => {
  await useFreshDatabase();
  ensureTestSecret();
  process.env.NEXTAUTH_URL = BASE;
  team = await createTeam();
  listener = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => res.end("{}"));
  });
  await new Promise<void>((r) => listener.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
  defineFileIntegrations({ name: "links-router", type: "router", kind: "webhook", config: { url: `${url}/router`, secret: "0123456789abcdef" } });
  // Channels by kind only: what the approval messages need to know of them.
  await db().integration.createMany({
    data: [
      { name: "links-mail", type: "channel", kind: "email", config: {} },
      { name: "links-slack", type: "channel", kind: "slack", config: {} },
    ],
  });
});
afterAll(() => listener?.close());

async function cutoverWithChannels(opts: Parameters<typeof createFixture>[1] = {}, channels = ["links-mail", "links-slack"]): Promise<Fixture> {
  const f = await createFixture(team, opts);
  await db().cutover.update({ where: { id: f.cutoverId }, data: { notifyChannels: channels, routerIntegration: "links-router" } });
  return f;
}

const approvals = (cutoverId: string) => db().delivery.findMany({ where: { cutoverId, source: "approval" }, orderBy: { createdAt: "asc" } });
const messageOf = (row: { message: unknown }) => row.message as OutgoingMessage;
/** The token of the link labelled `label` in a delivery's message. */
function tokenOf(row: { message: unknown }, label: string): string {
  const link = messageOf(row).links?.find((l) => l.label === label);
  if (!link) throw new Error(`no "${label}" link in ${JSON.stringify(row.message)}`);
  expect(link.url.startsWith(`${BASE}/act/`)).toBe(true);
  return link.url.slice(`${BASE}/act/`.length);
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

async function openVote() {
  const f = await cutoverWithChannels({ decisionState: "pending" });
  await dispatch(team.DEPLOYMENT_LEAD, "decision.open_vote", { cutoverId: f.cutoverId, decisionId: f.decisionId });
  const rows = await approvals(f.cutoverId);
  const mailTo = (who: keyof Team) => rows.find((r) => r.channel === "links-mail" && r.recipient === emailOf(who))!;
  return { f, rows, mailTo };
}
const emails = new Map<string, string>();
function emailOf(who: keyof Team): string {
  return emails.get(team[who].id)!;
}
beforeAll(async () => {
  for (const u of await db().user.findMany({ where: { id: { in: Object.values(team).map((a) => a.id) } }, select: { id: true, email: true } })) emails.set(u.id, u.email);
});

describe("links go out when a vote opens", () => {
  it("each voter gets an email of their own with their own links; observers and non-voters none; Slack one message without personal links", async () => {
    const { f, rows, mailTo } = await openVote();
    const mail = rows.filter((r) => r.channel === "links-mail");
    // The decision's voters are the lead and QA: the table lets both vote.
    expect(mail.map((r) => r.recipient).sort()).toEqual([emailOf("DEPLOYMENT_LEAD"), emailOf("QA_LEAD")].sort());
    for (const who of ["DEPLOYMENT_LEAD", "QA_LEAD"] as const) {
      const row = mailTo(who);
      expect(row.state).toBe("queued");
      expect(messageOf(row).links?.map((l) => l.label)).toEqual(["Vote GO", "Vote NO-GO", "Open in the room"]);
      expect(messageOf(row).links?.at(-1)?.url).toBe(`${BASE}/cutovers/${f.cutoverId}`);
      for (const [label, choice] of [["Vote GO", "GO"], ["Vote NO-GO", "NO_GO"]] as const) {
        const verdict = verifyActionLink(tokenOf(row, label), actionLinkKey()!, Date.now());
        expect(verdict).toMatchObject({ ok: true, claims: { action: "decision.vote", choice, cutoverId: f.cutoverId, subjectId: f.decisionId, recipient: team[who].id } });
      }
    }
    const slack = rows.filter((r) => r.channel === "links-slack");
    expect(slack).toHaveLength(1);
    expect(slack[0]!.recipient).toBeNull();
    expect(messageOf(slack[0]!).links).toEqual([{ label: "Open in the room", url: `${BASE}/cutovers/${f.cutoverId}` }]);
    expect(JSON.stringify(slack[0]!.message)).not.toContain("/act/");
    expect(rows).toHaveLength(3);
  });

  it("no channels, no messages; a vote that could not open queues nothing", async () => {
    const f = await cutoverWithChannels({ decisionState: "pending" }, []);
    await dispatch(team.DEPLOYMENT_LEAD, "decision.open_vote", { cutoverId: f.cutoverId, decisionId: f.decisionId });
    expect(await approvals(f.cutoverId)).toHaveLength(0);
    const g = await cutoverWithChannels({ decisionState: "voting" });
    await refusal(dispatch(team.DEPLOYMENT_LEAD, "decision.open_vote", { cutoverId: g.cutoverId, decisionId: g.decisionId }));
    expect(await approvals(g.cutoverId)).toHaveLength(0);
  });

  it("without a public base URL no personal links are made, and the message says to open the room", async () => {
    const saved = process.env.NEXTAUTH_URL;
    delete process.env.NEXTAUTH_URL;
    try {
      const { rows } = await openVote();
      expect(rows).toHaveLength(3);
      for (const r of rows) {
        expect(messageOf(r).links).toBeUndefined();
        expect(messageOf(r).text).toContain("Open the war room");
      }
    } finally {
      process.env.NEXTAUTH_URL = saved;
    }
  });
});

describe("using a link", () => {
  it("votes as its recipient through the pipeline, with an audit row that says it came from a link; the page's view says what it does", async () => {
    const { f, mailTo } = await openVote();
    const token = tokenOf(mailTo("QA_LEAD"), "Vote NO-GO");
    const view = await previewActionLink(team.QA_LEAD, token);
    expect(view).toMatchObject({ cutoverId: f.cutoverId, cutoverName: "Fixture cutover", action: "decision.vote", label: "Vote NO-GO", subject: "Proceed to 50 %", asRoles: ["QA Lead"] });
    const out = await dispatch(team.QA_LEAD, "action_link.use", { cutoverId: f.cutoverId, token });
    expect(out).toMatchObject({ action: "decision.vote", vote: { role: "QA_LEAD", choice: "no_go" } });
    const vote = await db().vote.findFirstOrThrow({ where: { decisionId: f.decisionId } });
    expect(vote).toMatchObject({ userId: team.QA_LEAD.id, role: "QA_LEAD", choice: "no_go" });
    const audit = await db().auditEvent.findFirstOrThrow({ where: { cutoverId: f.cutoverId, action: "decision.voted" } });
    expect(audit).toMatchObject({ actorId: team.QA_LEAD.id, role: "QA_LEAD" });
    expect(audit.after).toMatchObject({ choice: "no_go", via: "link" });
    expect(await db().actionLinkUse.count({ where: { cutoverId: f.cutoverId, userId: team.QA_LEAD.id } })).toBe(1);
  });

  it("a second use of the same link is refused and changes nothing", async () => {
    const { f, mailTo } = await openVote();
    const token = tokenOf(mailTo("DEPLOYMENT_LEAD"), "Vote GO");
    await dispatch(team.DEPLOYMENT_LEAD, "action_link.use", { cutoverId: f.cutoverId, token });
    const before = await digest();
    const err = await refusal(dispatch(team.DEPLOYMENT_LEAD, "action_link.use", { cutoverId: f.cutoverId, token }));
    expect(err.status).toBe(409);
    expect(err.message).toMatch(/already used/);
    await expect(previewActionLink(team.DEPLOYMENT_LEAD, token)).rejects.toMatchObject({ status: 409, message: expect.stringMatching(/already used/) });
    expect(await digest()).toEqual(before);
    // The app's database role cannot make a used link usable again.
    for (const sql of ["DELETE FROM action_link_uses", "UPDATE action_link_uses SET jti = 'x'", "TRUNCATE action_link_uses"]) {
      await expect(db().$executeRawUnsafe(sql), sql).rejects.toThrow(/permission denied/);
    }
  });

  it("two uses at the same moment: one vote, one refusal", async () => {
    const { f, mailTo } = await openVote();
    const token = tokenOf(mailTo("DEPLOYMENT_LEAD"), "Vote GO");
    const both = await Promise.allSettled([0, 1].map(() => dispatch(team.DEPLOYMENT_LEAD, "action_link.use", { cutoverId: f.cutoverId, token })));
    expect(both.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await db().vote.count({ where: { decisionId: f.decisionId } })).toBe(1);
  });

  it("another user's link is refused, even for someone who may vote", async () => {
    const { f, mailTo } = await openVote();
    const token = tokenOf(mailTo("QA_LEAD"), "Vote GO");
    const before = await digest();
    const err = await refusal(dispatch(team.DEPLOYMENT_LEAD, "action_link.use", { cutoverId: f.cutoverId, token }));
    expect(err.status).toBe(403);
    expect(err.message).toMatch(/someone else/);
    expect(await digest()).toEqual(before);
    // Still good for its recipient.
    await dispatch(team.QA_LEAD, "action_link.use", { cutoverId: f.cutoverId, token });
  });

  it("an expired, altered or foreign-key link is refused with its own words", async () => {
    const { f, mailTo } = await openVote();
    const req = { action: "decision.vote", choice: "GO", cutoverId: f.cutoverId, subjectId: f.decisionId, recipient: team.QA_LEAD.id } as const;
    const other = await cutoverWithChannels();
    const before = await digest();
    const expired = await refusal(dispatch(team.QA_LEAD, "action_link.use", { cutoverId: f.cutoverId, token: testActionLink(req, { lifetimeMs: -1000 }) }));
    expect([expired.status, expired.message]).toEqual([409, expect.stringMatching(/expired/)]);
    const good = tokenOf(mailTo("QA_LEAD"), "Vote GO");
    const altered = await refusal(dispatch(team.QA_LEAD, "action_link.use", { cutoverId: f.cutoverId, token: good.replace(/^./, (c) => (c === "e" ? "f" : "e")) }));
    expect([altered.status, altered.message]).toEqual([400, expect.stringMatching(/not made by this war room/)]);
    const saved = process.env.NEXTAUTH_SECRET;
    process.env.NEXTAUTH_SECRET = "another server's secret";
    try {
      const foreign = await refusal(dispatch(team.QA_LEAD, "action_link.use", { cutoverId: f.cutoverId, token: good }));
      expect(foreign.status).toBe(400);
    } finally {
      process.env.NEXTAUTH_SECRET = saved;
    }
    // A link of this cutover sent along with another cutover's id: refused there.
    expect((await refusal(dispatch(team.QA_LEAD, "action_link.use", { cutoverId: other.cutoverId, token: good }))).status).toBe(400);
    expect(await digest()).toEqual(before);
  });

  it("once the decision closed, its links are refused", async () => {
    const { f, mailTo } = await openVote();
    const token = tokenOf(mailTo("QA_LEAD"), "Vote GO");
    await dispatch(team.DEPLOYMENT_LEAD, "decision.abort", { cutoverId: f.cutoverId, decisionId: f.decisionId, reason: "metrics red" });
    const err = await refusal(dispatch(team.QA_LEAD, "action_link.use", { cutoverId: f.cutoverId, token }));
    expect([err.status, err.message]).toEqual([409, expect.stringMatching(/decision is closed/i)]);
    await expect(previewActionLink(team.QA_LEAD, token)).rejects.toMatchObject({ status: 409 });
    expect(await db().actionLinkUse.count({ where: { cutoverId: f.cutoverId } })).toBe(0);
  });

  it("a recipient whose role was removed since is refused by the table; one whose roles no longer vote, too", async () => {
    const { f, mailTo } = await openVote();
    const qa = tokenOf(mailTo("QA_LEAD"), "Vote GO");
    await dispatch(team.DEPLOYMENT_LEAD, "member.remove", { cutoverId: f.cutoverId, userId: team.QA_LEAD.id, role: "QA_LEAD" });
    expect((await refusal(dispatch(team.QA_LEAD, "action_link.use", { cutoverId: f.cutoverId, token: qa }))).status).toBe(404);
    const lead = tokenOf(mailTo("DEPLOYMENT_LEAD"), "Vote GO");
    // The lead now holds only the observer's role here.
    await db().cutoverMember.deleteMany({ where: { cutoverId: f.cutoverId, userId: team.DEPLOYMENT_LEAD.id } });
    await db().cutoverMember.create({ data: { cutoverId: f.cutoverId, userId: team.DEPLOYMENT_LEAD.id, role: "OBSERVER" } });
    const err = await refusal(dispatch(team.DEPLOYMENT_LEAD, "action_link.use", { cutoverId: f.cutoverId, token: lead }));
    expect(err.status).toBe(403);
    expect(await db().vote.count({ where: { decisionId: f.decisionId } })).toBe(0);
  });
});

const breach = (metricId: string, at: number): PolledSample[] => [{ metricId, system: "new", sample: { at, status: "ok", value: 5 } }];
const calm = (metricId: string, at: number): PolledSample[] => [{ metricId, system: "new", sample: { at, status: "ok", value: 0 } }];

async function recommendedRollback() {
  const f = await cutoverWithChannels({ state: "in_progress" });
  const t = await db().rollbackTrigger.create({ data: { cutoverId: f.cutoverId, metricId: f.metricId, system: "new", comparison: ">", threshold: 1, forSeconds: 0, severity: "immediate", action: "rollback", mode: "recommend", description: "Error rate (new) > 1 % → roll back" } });
  const at = Date.now();
  await evaluateTriggers(f.cutoverId, breach(f.metricId, at), at);
  expect((await db().rollbackTrigger.findUniqueOrThrow({ where: { id: t.id } })).state).toBe("firing");
  return { f, t, at, rows: await approvals(f.cutoverId) };
}

describe("links go out when a trigger recommends a rollback", () => {
  it("everyone the table lets confirm gets their own Confirm rollback link; Slack gets the room only", async () => {
    const { f, t, rows } = await recommendedRollback();
    const mail = rows.filter((r) => r.channel === "links-mail");
    expect(mail.map((r) => r.recipient).sort()).toEqual([emailOf("DEPLOYMENT_LEAD"), emailOf("ON_CALL")].sort());
    for (const r of mail) {
      expect(messageOf(r).links?.map((l) => l.label)).toEqual(["Confirm rollback", "Open in the room"]);
      expect(messageOf(r).title).toMatch(/^Rollback recommended/);
      expect(verifyActionLink(tokenOf(r, "Confirm rollback"), actionLinkKey()!, Date.now())).toMatchObject({ ok: true, claims: { action: "trigger.confirm", subjectId: t.id } });
    }
    expect(rows.filter((r) => r.channel === "links-slack").map((r) => messageOf(r).links)).toEqual([[{ label: "Open in the room", url: `${BASE}/cutovers/${f.cutoverId}` }]]);
    // The same firing evaluated again queues nothing more.
    await evaluateTriggers(f.cutoverId, breach(f.metricId, Date.now() + 1000), Date.now() + 1000);
    expect(await approvals(f.cutoverId)).toHaveLength(rows.length);
  });

  it("automatic triggers and alerts send no approval links", async () => {
    const f = await cutoverWithChannels({ state: "in_progress" });
    await db().rollbackTrigger.create({ data: { cutoverId: f.cutoverId, metricId: f.metricId, system: "new", comparison: ">", threshold: 1, forSeconds: 0, severity: "immediate", action: "alert", mode: "recommend" } });
    const at = Date.now();
    await evaluateTriggers(f.cutoverId, breach(f.metricId, at), at);
    expect(await approvals(f.cutoverId)).toHaveLength(0);
  });

  it("confirming through the link confirms as its recipient and starts the rollback", async () => {
    const { f, t, rows } = await recommendedRollback();
    const token = tokenOf(rows.find((r) => r.recipient === emailOf("ON_CALL"))!, "Confirm rollback");
    expect(await previewActionLink(team.ON_CALL, token)).toMatchObject({ action: "trigger.confirm", label: "Confirm rollback", subject: "Error rate (new) > 1 % → roll back" });
    await dispatch(team.ON_CALL, "action_link.use", { cutoverId: f.cutoverId, token });
    const audit = await db().auditEvent.findFirstOrThrow({ where: { cutoverId: f.cutoverId, action: "trigger.confirmed" } });
    expect(audit).toMatchObject({ actorId: team.ON_CALL.id, subject: `trigger:${t.id}` });
    expect(audit.after).toMatchObject({ via: "link" });
    for (;;) {
      const r = await db().rollback.findFirst({ where: { cutoverId: f.cutoverId } });
      if (r && r.state !== "running") break;
      await new Promise((res) => setTimeout(res, 20));
    }
    expect(await db().rollback.count({ where: { cutoverId: f.cutoverId, triggerId: t.id } })).toBe(1);
  });

  it("a trigger no longer firing refuses its links", async () => {
    const { f, at, rows } = await recommendedRollback();
    const token = tokenOf(rows.find((r) => r.recipient === emailOf("DEPLOYMENT_LEAD"))!, "Confirm rollback");
    // Calm for long enough that the episode ends.
    for (let i = 1; i <= 5; i++) await evaluateTriggers(f.cutoverId, calm(f.metricId, at + i * 3_600_000), at + i * 3_600_000);
    const err = await refusal(dispatch(team.DEPLOYMENT_LEAD, "action_link.use", { cutoverId: f.cutoverId, token }));
    expect([err.status, err.message]).toEqual([409, expect.stringMatching(/not firing/)]);
    expect(await db().auditEvent.count({ where: { cutoverId: f.cutoverId, action: "trigger.confirmed" } })).toBe(0);
  });
});
