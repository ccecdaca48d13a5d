// Trigger evaluation when two processes evaluate at once (the old leader finishing a poll while
// the new one starts, a split-brain moment): a rule fires once per episode and its automatic
// action runs once, on a real PostgreSQL and a real (webhook) router.
import http from "node:http";
import type { AddressInfo } from "node:net";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { defineFileIntegrations } from "@/lib/testing/server-config";
import { createFixture, createTeam, useFreshDatabase, type Team } from "@/lib/testing/fixtures";
import type { PolledSample } from "@/lib/domain/metrics";
import { evaluateTriggers } from "./triggers";

let team: Team;
let url = "";
let dbUrl = "";
let listener: http.Server;
// Changes the router received, by path.
const received: string[] = [];

beforeAll(async () => {
  dbUrl = await useFreshDatabase();
  team = await createTeam();
  listener = http.createServer((req, res) => {
    received.push(req.url ?? "");
    req.resume();
    req.on("end", () => res.end("{}"));
  });
  await new Promise<void>((r) => listener.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
  defineFileIntegrations({ name: "trigger-router", type: "router", kind: "webhook", config: { url: `${url}/router`, secret: "0123456789abcdef" } });
});
afterAll(() => listener?.close());

async function automaticShift() {
  const f = await createFixture(team, { state: "in_progress" });
  await db().cutover.update({ where: { id: f.cutoverId }, data: { routerIntegration: "trigger-router" } });
  const t = await db().rollbackTrigger.create({ data: { cutoverId: f.cutoverId, metricId: f.metricId, system: "new", comparison: ">", threshold: 1, forSeconds: 0, severity: "immediate", action: "shift", shiftToPercent: 0, mode: "automatic" } });
  return { f, t };
}

const breach = (metricId: string, at: number): PolledSample[] => [{ metricId, system: "new", sample: { at, status: "ok", value: 5 } }];
const ok = (metricId: string, at: number): PolledSample[] => [{ metricId, system: "new", sample: { at, status: "ok", value: 0 } }];

const firings = (cutoverId: string) => db().auditEvent.count({ where: { cutoverId, action: "trigger.fired" } });
const shifts = (cutoverId: string) => db().auditEvent.count({ where: { cutoverId, action: "traffic.shifted_by_trigger" } });

describe("evaluating triggers from two processes", () => {
  it("two evaluators that read the rule before either wrote it: one firing, one action", async () => {
    const { f, t } = await automaticShift();
    const before = received.length;
    // Holding the rule's row makes both evaluators read it unchanged and then queue on their
    // writes: the race, every time, instead of by luck.
    const holder = new pg.Client({ connectionString: dbUrl });
    await holder.connect();
    try {
      await holder.query("BEGIN");
      await holder.query("SELECT 1 FROM rollback_triggers WHERE id = $1 FOR UPDATE", [t.id]);
      const at = Date.now();
      const both = Promise.all([evaluateTriggers(f.cutoverId, breach(f.metricId, at), at), evaluateTriggers(f.cutoverId, breach(f.metricId, at), at)]);
      for (;;) {
        const waiting = await holder.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()");
        if (waiting.rows[0].n >= 2) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      await holder.query("COMMIT");
      await both;
    } finally {
      await holder.end();
    }
    expect(await firings(f.cutoverId)).toBe(1);
    expect(await shifts(f.cutoverId)).toBe(1);
    expect(received.length - before).toBe(1);
    expect(await db().rollbackTrigger.findUniqueOrThrow({ where: { id: t.id } })).toMatchObject({ state: "firing", version: 1 });
  });

  it("a late evaluator with an older sample does not start the episode again", async () => {
    const { f, t } = await automaticShift();
    const t0 = Date.now();
    // The new leader: breach (fires), then the value recovers (the episode ends).
    await evaluateTriggers(f.cutoverId, breach(f.metricId, t0 + 1000), t0 + 1000);
    await evaluateTriggers(f.cutoverId, ok(f.metricId, t0 + 2000), t0 + 2000);
    expect((await db().rollbackTrigger.findUniqueOrThrow({ where: { id: t.id } })).state).toBe("inactive");
    // The old leader, still finishing its poll of the same breach: changes nothing.
    await evaluateTriggers(f.cutoverId, breach(f.metricId, t0 + 1000), t0 + 1000);
    expect(await firings(f.cutoverId)).toBe(1);
    expect(await shifts(f.cutoverId)).toBe(1);
    expect((await db().rollbackTrigger.findUniqueOrThrow({ where: { id: t.id } })).state).toBe("inactive");
    // A new breach later is a new episode: it fires again.
    await evaluateTriggers(f.cutoverId, breach(f.metricId, t0 + 3000), t0 + 3000);
    expect(await firings(f.cutoverId)).toBe(2);
  });
});
