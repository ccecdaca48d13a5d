import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { checkReachable } from "./connection";

describe("DATABASE_URL that cannot be reached", () => {
  it("fails with one line naming the host", async () => {
    await expect(checkReachable("postgresql://u:p@127.0.0.1:1/warroom", 2000)).rejects.toThrow(/^Cannot reach PostgreSQL at 127\.0\.0\.1:1: /);
  });

  it("stops the server start with that line and no stack trace (no retry loop: the test's timeout bounds it)", async () => {
    const child = spawn(process.execPath, ["node_modules/tsx/dist/cli.mjs", "lib/server/main.ts"], {
      env: { ...process.env, DATABASE_URL: "postgresql://warroom:secret@127.0.0.1:9/warroom", PORT: "0", WARROOM_DATA_DIR: ".data/test-unreachable" },
    });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(code).toBe(1);
    const lines = stderr.trim().split("\n").filter((l) => !l.includes("nodedir"));
    expect(lines).toEqual([expect.stringMatching(/^\[warroom\] Cannot reach PostgreSQL at 127\.0\.0\.1:9: /)]);
  }, 90_000);
});
