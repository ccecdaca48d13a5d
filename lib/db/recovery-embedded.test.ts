// The embedded PostgreSQL is killed the hard way (SIGKILL, as the OOM killer does) under a running
// app: the supervisor brings it back on the same data and port, and every connection of the app
// recovers in this same process. Timings are printed, not asserted.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { startEmbeddedPostgres } from "./embedded-postgres";
import { db } from "./client";
import { withClient } from "@/lib/testing/pg";
import { gone } from "@/lib/testing/processes";
import { expectRecovered, ownPostgres, waitUntil, watchConnections } from "@/lib/testing/recovery";

const lines: string[] = [];
const own = ownPostgres((dataDir) => startEmbeddedPostgres({ dataDir, supervise: true, log: (l) => lines.push(l) }));
// Stands for the app's secrets: the restarted PostgreSQL must not inherit them.
process.env.NEXTAUTH_SECRET = "secret-that-postgres-must-not-see";

const show = async (q: string) => (await db().$queryRawUnsafe<Record<string, string>[]>(q))[0];

describe("supervised embedded PostgreSQL", () => {
  it("comes back after SIGKILL with every acknowledged write, and the app's pools, bus and leader recover in-process", async () => {
    const server = own.current;
    const w = watchConnections(server.runtimeUrl);
    try {
      await w.ready();
      const acknowledged = await db().user.create({ data: { email: "kept@example.test", name: "Kept", passwordHash: "x" } });

      // A transaction open at the moment of the kill: none of it may survive.
      let inside!: () => void;
      const reachedInside = new Promise<void>((r) => (inside = r));
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      const halfDone = db()
        .$transaction(async (tx) => {
          await tx.user.create({ data: { email: "half-1@example.test", name: "Half", passwordHash: "x" } });
          inside();
          await held;
          await tx.user.create({ data: { email: "half-2@example.test", name: "Half", passwordHash: "x" } });
        })
        .then(
          () => "committed",
          () => "failed",
        );
      await reachedInside;

      const oldPid = server.pid;
      const resyncsBefore = w.resyncs.length;
      const killedAt = Date.now();
      process.kill(oldPid, "SIGKILL");
      await waitUntil("restart", () => server.restarts === 1);
      const restartedMs = Date.now() - killedAt;
      release();
      expect(await halfDone).toBe("failed");

      const at = await expectRecovered(w, killedAt, resyncsBefore);
      console.log(lines.filter((l) => /died|is back|restart failed/.test(l)).join("\n"));
      console.log(`[recovery] embedded postmaster SIGKILLed: restarted after ${restartedMs} ms; back after (ms): ${JSON.stringify(at)}`);
      expect(server.pid).not.toBe(oldPid);
      expect(lines.some((l) => /SIGKILL\) died/.test(l))).toBe(true);

      expect(await db().user.findUnique({ where: { id: acknowledged.id } })).toMatchObject({ email: "kept@example.test" });
      expect(await db().user.count({ where: { email: { startsWith: "half-" } } })).toBe(0);

      // Acknowledged means on disk: nothing in the start options trades that away.
      expect(await show("SELECT current_setting('fsync') AS fsync, current_setting('synchronous_commit') AS sc, current_setting('full_page_writes') AS fpw")).toEqual({ fsync: "on", sc: "on", fpw: "on" });
      // The restarted server inherited none of the app's environment.
      const environ = readFileSync(`/proc/${server.pid}/environ`, "utf8").split("\0");
      expect(environ.filter((v) => /^(DATABASE_URL|NEXTAUTH_SECRET|WARROOM_)/.test(v))).toEqual([]);
    } finally {
      await w.stop();
    }
  }, 120_000);

  it("is not restarted after a clean shutdown from outside, and stop() ends it for good", async () => {
    const otherDir = mkdtempSync(path.join(tmpdir(), "warroom-supervised-"));
    const mine: string[] = [];
    const other = await startEmbeddedPostgres({ dataDir: otherDir, supervise: true, log: (l) => mine.push(l) });
    try {
      const pid = other.pid;
      process.kill(pid, "SIGINT");
      await waitUntil("clean exit noticed", () => mine.some((l) => /shut down from outside/.test(l)));
      expect(other.restarts).toBe(0);
    } finally {
      await other.stop();
      rmSync(otherDir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe("supervised embedded PostgreSQL started by an earlier process", () => {
  it("a process that joined the cluster of a crashed predecessor restarts it when it dies, and other joiners follow", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "warroom-orphan-"));
    // The predecessor: starts the cluster, then is killed the hard way, leaving its postmaster behind.
    const starter = spawn(process.execPath, ["--import", "tsx", "-e", `import("${path.resolve("lib/db/embedded-postgres.ts")}").then(async (m) => { await m.startEmbeddedPostgres({ dataDir: ${JSON.stringify(dataDir)} }); console.log("up"); })`], { stdio: ["ignore", "pipe", "inherit"] });
    await new Promise<void>((resolve) => starter.stdout!.on("data", (d: Buffer) => d.toString().includes("up") && resolve()));
    starter.kill("SIGKILL");
    const lines: string[] = [];
    const joined = await startEmbeddedPostgres({ dataDir, supervise: true, log: (l) => lines.push(l) });
    const follower = await startEmbeddedPostgres({ dataDir, supervise: true });
    try {
      expect(joined.owned).toBe(false);
      const orphan = joined.pid;
      await withClient(joined.ownerUrl, (c) => c.query("CREATE TABLE kept (v text); INSERT INTO kept VALUES ('acknowledged')"));
      process.kill(orphan, "SIGKILL");
      await waitUntil("restarted by a joiner", () => joined.pid !== orphan && follower.pid === joined.pid && joined.pid);
      expect(await withClient(joined.ownerUrl, async (c) => (await c.query("SELECT v FROM kept")).rows)).toEqual([{ v: "acknowledged" }]);
      console.log(lines.filter((l) => /died|is back|joined|restart failed/.test(l)).join("\n"));
    } finally {
      await follower.stop();
      await joined.stop();
      // Whoever restarted it owns it; the other only joined: stop both, then make sure it is gone.
      const pid = Math.max(joined.pid, follower.pid);
      await waitUntil("postmaster gone", () => gone(pid) || (process.kill(pid, "SIGINT"), false));
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
