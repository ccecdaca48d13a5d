import { describe, expect, it } from "vitest";
import type { LiveEvent } from "./live-event";
import { actorWords, announcementFor, describeEvent, isTickerEvent, roleWords, type AnnounceContext } from "./event-words";

const cutoverId = "00000000-0000-4000-8000-000000000001";
const at = "2030-01-01T06:00:00.000Z";
const ev = (e: Record<string, unknown>) => ({ cutoverId, at, ...e }) as LiveEvent;

const ctx: AnnounceContext = {
  myName: "Quinn QA",
  myRoles: ["QA_LEAD"],
  item: (id) => ({ i1: { title: "Smoke tests pass", ownerRole: "QA_LEAD" }, i2: { title: "Backups verified", ownerRole: "DATABASE_DBA" } })[id],
  decision: (id) => (id === "d1" ? "Go to 25 %" : undefined),
};

describe("who did it", () => {
  it("names every role of the actor as the audit log records them", () => {
    expect(roleWords("DEPLOYMENT_LEAD,ON_CALL")).toBe("Deployment Lead, On-call");
    expect(roleWords("ADMINISTRATOR")).toBe("Administrator");
    expect(roleWords(null)).toBe("");
  });

  it("puts the role beside the name, and never says 'someone'", () => {
    expect(actorWords({ actor: "Olive Oncall", role: "ON_CALL" })).toBe("Olive Oncall (On-call)");
    expect(actorWords({ actor: "trigger: error rate" })).toBe("trigger: error rate");
    expect(actorWords({})).toBe("the system");
  });

  it("describes a rollback and a shift with the person and their role", () => {
    expect(describeEvent(ev({ type: "rollback.completed", actor: "Lee Lead", role: "DEPLOYMENT_LEAD", data: { ok: true, hooks: 2 } }))).toBe("Lee Lead (Deployment Lead): rollback completed");
    expect(describeEvent(ev({ type: "traffic.shifted", actor: "Lee Lead", role: "DEPLOYMENT_LEAD", data: { from: 0, to: 25, durationMs: 12 } }))).toBe("Lee Lead (Deployment Lead): traffic shifted to 25 % new");
    expect(describeEvent(ev({ type: "decision.vote_opened", actor: "Lee Lead", role: "DEPLOYMENT_LEAD" }))).toBe("Lee Lead (Deployment Lead): decision vote opened");
  });
});

describe("what is announced", () => {
  const trigger = (state: string) => ev({ type: "trigger.state", data: { triggerId: "t", state, outcome: "breach", firesAt: null, fired: state === "firing", mode: "recommend", action: "rollback", notice: null, description: "Error rate (new) > 5 %", metric: "Error rate", value: 9 } });

  it("a pending trigger politely, a firing one assertively, an inactive one not at all", () => {
    expect(announcementFor(trigger("pending"), ctx)).toEqual({ text: "Trigger pending: Error rate (new) > 5 %", politeness: "polite" });
    expect(announcementFor(trigger("firing"), ctx)).toEqual({ text: "Trigger firing: Error rate (new) > 5 %", politeness: "assertive" });
    expect(announcementFor(trigger("inactive"), ctx)).toBeNull();
  });

  it("a rollback's start, end and failure assertively, with who started it", () => {
    expect(announcementFor(ev({ type: "rollback.started", actor: "Olive Oncall", role: "ON_CALL", data: { reason: null } }), ctx)).toEqual({ text: "Rollback started by Olive Oncall (On-call)", politeness: "assertive" });
    expect(announcementFor(ev({ type: "rollback.completed", data: { ok: true, hooks: 0 } }), ctx)?.politeness).toBe("assertive");
    expect(announcementFor(ev({ type: "rollback.failed", data: { error: "router down" } }), ctx)?.text).toBe("Rollback failed: router down");
  });

  it("a closed decision politely, by its title", () => {
    expect(announcementFor(ev({ type: "decision.proceed", subject: "decision:d1" }), ctx)).toEqual({ text: "Decision closed: Go to 25 %: PROCEED", politeness: "polite" });
    expect(announcementFor(ev({ type: "decision.abort", subject: "decision:d9" }), ctx)?.text).toBe("Decision closed: a decision: ABORT");
  });

  it("my item signed off by someone else, but not my own sign-off nor another role's item", () => {
    const signed = (itemId: string, actor: string) => ev({ type: "item.signed_off", actor, role: "DEPLOYMENT_LEAD", data: { itemId, state: "done" } });
    expect(announcementFor(signed("i1", "Lee Lead"), ctx)).toEqual({ text: "Your item Smoke tests pass was signed off by Lee Lead (Deployment Lead)", politeness: "polite" });
    expect(announcementFor(signed("i1", "Quinn QA"), ctx)).toBeNull();
    expect(announcementFor(signed("i2", "Lee Lead"), ctx)).toBeNull();
  });

  it("ordinary changes are drawn, not spoken", () => {
    expect(announcementFor(ev({ type: "risk.added", actor: "Lee Lead" }), ctx)).toBeNull();
  });
});

describe("the latest-change line", () => {
  it("shows what people changed, not samples, trigger ticks, delivery progress or the system's recommendations", () => {
    for (const t of ["rollback.completed", "item.signed_off", "announcement.sent", "alert.state", "decision.closed"]) expect(isTickerEvent(t)).toBe(true);
    for (const t of ["metrics.sampled", "trigger.state", "delivery.state", "announcement.recommended"]) expect(isTickerEvent(t)).toBe(false);
  });
});
