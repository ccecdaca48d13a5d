// A second war room process of its own (own data directory and port): SIGTERM stops it within
// 10 s, embedded PostgreSQL included, and a second start on the same data directory reuses it.
import { spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { freePort } from "../lib/server/free-port";

const DATA = ".data/e2e-shutdown";


async function start(port: number) {
  const child = spawn(process.execPath, ["--import", "tsx", "lib/server/main.ts"], {
    env: { ...process.env, NODE_ENV: "production", PORT: String(port), WARROOM_DATA_DIR: DATA, DATABASE_URL: "", MIGRATION_DATABASE_URL: "", WARROOM_ADMIN_TOKEN: "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  child.stdout!.on("data", (d) => (log += d));
  child.stderr!.on("data", (d) => (log += d));
  await expect.poll(async () => (await fetch(`http://127.0.0.1:${port}/health/readiness`).catch(() => null))?.status ?? 0, { timeout: 60_000 }).toBe(200);
  return { child, log: () => log };
}

test("SIGTERM stops the server and its PostgreSQL within 10 s; the next start reuses the data", async () => {
  test.setTimeout(120_000);
  rmSync(DATA, { recursive: true, force: true });
  const port = await freePort();
  const first = await start(port);
  expect(first.log()).toContain("created the demo team and a demo cutover");
  const pidFile = path.join(DATA, "postgres", "cluster", "postmaster.pid");
  const postgresPid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);

  const t0 = Date.now();
  first.child.kill("SIGTERM");
  const code = await new Promise<number | null>((r) => first.child.once("exit", r));
  const tookMs = Date.now() - t0;
  expect(code).toBe(0);
  expect(tookMs).toBeLessThan(10_000);
  expect(first.log()).toContain("[warroom] stopped");
  expect(existsSync(pidFile)).toBe(false);
  expect(() => process.kill(postgresPid, 0)).toThrow();

  const second = await start(port);
  expect(second.log()).not.toContain("initialised a new PostgreSQL cluster");
  expect(second.log()).not.toContain("created the demo team");
  expect(second.log()).toContain("database schema is up to date");
  second.child.kill("SIGINT");
  expect(await new Promise<number | null>((r) => second.child.once("exit", r))).toBe(0);
});
