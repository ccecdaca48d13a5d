// With DATABASE_URL the app does not own PostgreSQL: here a separate server is stopped and started
// again (an operator's restart, a failover) under a running app. Writes answer 503
// database_unavailable meanwhile, and every connection recovers in this same process.
import { describe, expect, it } from "vitest";
import { startEmbeddedPostgres } from "./embedded-postgres";
import { db } from "./client";
import { errorResponse } from "@/lib/api/route";
import { expectRecovered, expectUnavailable, ownPostgres, waitUntil, watchConnections } from "@/lib/testing/recovery";

const own = ownPostgres((dataDir) => startEmbeddedPostgres({ dataDir }));

describe("a PostgreSQL of DATABASE_URL restarted under the app", () => {
  it("answers 503 while it is down, and pools, bus and leader recover when it is back", async () => {
    const w = watchConnections(own.current.runtimeUrl);
    try {
      await w.ready();
      const acknowledged = await db().user.create({ data: { email: "before@example.test", name: "Before", passwordHash: "x" } });
      const resyncsBefore = w.resyncs.length;
      const leadsBefore = w.leads();

      const stoppedAt = Date.now();
      await own.current.stop();
      await expectUnavailable();
      const err = await db().user.create({ data: { email: "during@example.test", name: "During", passwordHash: "x" } }).catch((e: unknown) => e);
      const res = errorResponse(err, "req-1");
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toBe("5");
      expect(await res.json()).toMatchObject({ error: "unavailable", reason: "database_unavailable" });
      await waitUntil("bus notices", () => !w.bus.connected());
      await waitUntil("leader resigns", () => !w.leader.isLeader());
      expect(w.leads()).toBe(leadsBefore);

      // The same data directory and port: what a restart of the operator's server looks like.
      own.current = await startEmbeddedPostgres({ dataDir: own.dir, port: own.current.port });
      const startedMs = Date.now() - stoppedAt;
      const at = await expectRecovered(w, stoppedAt, resyncsBefore);
      console.log(`[recovery] external PostgreSQL stopped and started again (${startedMs} ms): back after (ms): ${JSON.stringify(at)}`);

      expect(await db().user.findUnique({ where: { id: acknowledged.id } })).toMatchObject({ email: "before@example.test" });
      expect(await db().user.count({ where: { email: "during@example.test" } })).toBe(0);
    } finally {
      await w.stop();
    }
  }, 120_000);
});
