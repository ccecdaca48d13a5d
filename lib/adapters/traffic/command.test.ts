// Real processes: environment passed to the command, exit codes, and a hung command whose whole
// process group must be gone when the timeout error is reported.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { CommandRouter } from "./command";
import { CommandRouterConfigSchema } from "./config";
import { createRouter } from "./index";
import { gone } from "@/lib/testing/processes";

const meta = { cutoverId: "cut-9", requestId: "req-9", reason: "go to 25 %", fence: "12", rehearsal: true };
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "warroom-command-"));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("CommandRouter", () => {
  it("runs the command with the split in its environment, then reads it back", async () => {
    const state = path.join(dir, "split");
    const envFile = path.join(dir, "env");
    const router = createRouter({
      kind: "command",
      // argv without a shell; the shell here is the command the operator chose.
      setCommand: ["sh", "-c", 'env | grep ^WARROOM_ | sort > "$0"; echo "$WARROOM_TARGET_PERCENT" > "$1"', envFile, state],
      readCommand: ["sh", "-c", 'cat "$0" 2>/dev/null || echo 0', state],
    });
    expect(await router.read()).toBe(0);
    await router.set(25, meta);
    const env = Object.fromEntries(
      readFileSync(envFile, "utf8")
        .trim()
        .split("\n")
        .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
    );
    expect(env).toEqual({
      WARROOM_TARGET_PERCENT: "25",
      WARROOM_FROM_PERCENT: "0",
      WARROOM_CUTOVER_ID: "cut-9",
      WARROOM_REQUEST_ID: "req-9",
      WARROOM_REASON: "go to 25 %",
      WARROOM_FENCE: "12",
      WARROOM_REHEARSAL: "1",
    });
    expect(await router.read()).toBe(25);
    expect(await router.verify(25)).toMatchObject({ ok: true, actual: 25 });
    expect(await router.verify(30)).toMatchObject({ ok: false, actual: 25 });
  });

  it("passes arguments verbatim (no shell)", async () => {
    const out = path.join(dir, "args");
    await createRouter({ kind: "command", setCommand: ["node", "-e", "require('fs').writeFileSync(process.argv[1], process.argv[2])", out, "$HOME; rm -rf /"] }).set(5, meta);
    expect(readFileSync(out, "utf8")).toBe("$HOME; rm -rf /");
  });

  it("gets PATH, LANG and its WARROOM_* context, none of the server's environment", async () => {
    const envFile = path.join(dir, "whole-env");
    const secrets = { NEXTAUTH_SECRET: "nextauth-secret-value", AUTH_SECRET: "auth-secret-value", DATABASE_URL: "postgres://app:dbpass@db/warroom", WARROOM_SECRET_KEY: "c2VjcmV0LWtleS12YWx1ZQ==", WARROOM_ADMIN_PASSWORD: "admin-pass-value", LD_PRELOAD: "/tmp/evil.so" };
    const before = { ...process.env };
    Object.assign(process.env, secrets);
    try {
      await createRouter({ kind: "command", setCommand: ["sh", "-c", 'env > "$0"', envFile] }).set(25, meta);
    } finally {
      for (const k of Object.keys(secrets)) if (before[k] === undefined) delete process.env[k];
      else process.env[k] = before[k];
    }
    const text = readFileSync(envFile, "utf8");
    for (const value of Object.values(secrets)) expect(text).not.toContain(value);
    // sh adds PWD (and may add SHLVL, _) itself; everything else is ours.
    const names = text.trim().split("\n").map((l) => l.slice(0, l.indexOf("=")));
    expect(names.filter((n) => !["PWD", "SHLVL", "_", "OLDPWD"].includes(n)).sort()).toEqual(
      ["LANG", "PATH", "WARROOM_CUTOVER_ID", "WARROOM_FENCE", "WARROOM_FROM_PERCENT", "WARROOM_REASON", "WARROOM_REHEARSAL", "WARROOM_REQUEST_ID", "WARROOM_TARGET_PERCENT"],
    );
    expect(text).toContain("LANG=C.UTF-8\n");
  });

  it("reports a non-zero exit without its output; the output goes to the server log, redacted", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      const script = path.join(dir, "failing.sh");
      writeFileSync(script, "echo working; echo 'line 1' >&2; echo \"error: rollout my-app not found, token=${1#--token=}\" >&2; echo 'using https://deploy:pw123456@git.example/x' >&2; exit 3\n");
      const config = CommandRouterConfigSchema.parse({ kind: "command", setCommand: ["sh", script, "--token=tok-abcdef"] });
      const router = new CommandRouter(config);
      const err = (await router.set(25, meta).catch((e: unknown) => e)) as Error;
      expect(err.message).toMatch(/exited with code 3 \(its output is in the server log\)$/);
      expect(err.message).not.toContain("rollout my-app");
      expect(err.message).not.toContain("tok-abcdef");
      const logged = warn.mock.calls.map((c) => String(c[0])).join("\n");
      expect(logged).toContain("error: rollout my-app not found");
      expect(logged).not.toContain("tok-abcdef");
      expect(logged).not.toContain("pw123456");
      expect(router.lastResult!.stderr).toContain("rollout my-app not found, token=••••");
      expect(router.lastResult!.stderr).not.toContain("pw123456");
    } finally {
      warn.mockRestore();
    }
  });

  it("kills a hung command and everything it started, and says it timed out", async () => {
    const pids = path.join(dir, "pids");
    const router = createRouter({ kind: "command", setCommand: ["sh", "-c", 'sleep 10 & echo "$$ $!" > "$0"; wait', pids], timeoutMs: 300 });
    const t0 = Date.now();
    await expect(router.set(25, meta)).rejects.toThrow(/command sh -c .* timed out after 300 ms and was killed/);
    expect(Date.now() - t0).toBeLessThan(2000);
    const [shell, sleeper] = readFileSync(pids, "utf8").trim().split(" ").map(Number);
    expect(gone(shell!)).toBe(true);
    // The child it started in the background is in the same process group: gone as well.
    for (let i = 0; i < 50 && !gone(sleeper!); i++) await new Promise((r) => setTimeout(r, 10));
    expect(gone(sleeper!)).toBe(true);
  });

  it("SIGKILLs a command that ignores SIGTERM", async () => {
    const pids = path.join(dir, "pids-term");
    const router = createRouter({ kind: "command", setCommand: ["sh", "-c", 'trap "" TERM; echo "$$" > "$0"; sleep 10', pids], timeoutMs: 200 });
    const t0 = Date.now();
    await expect(router.set(25, meta)).rejects.toThrow(/timed out after 200 ms and was killed/);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(gone(Number(readFileSync(pids, "utf8").trim()))).toBe(true);
  });

  it("says clearly when the program does not exist", async () => {
    await expect(createRouter({ kind: "command", setCommand: ["/nonexistent/warroom-tool"] }).set(1, meta)).rejects.toThrow(/could not start: program not found/);
  });

  it("refuses a read command that prints no percent", async () => {
    const file = path.join(dir, "not-a-percent");
    writeFileSync(file, "root:x:0:0:file-content-here\n");
    const router = createRouter({ kind: "command", setCommand: ["true"], readCommand: ["cat", file] });
    const err = (await router.read().catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/did not print a percent 0..100 on its last line/);
    // What a program prints (here: a file) is not repeated into the room.
    expect(err.message).not.toContain("file-content-here");
    expect(await createRouter({ kind: "command", setCommand: ["true"], readCommand: ["echo", "weight:\n40%"] }).read()).toBe(40);
  });

  it("without a read command, reads the last split this process set", async () => {
    const setCommand = ["true", "no-read"];
    const router = createRouter({ kind: "command", setCommand });
    await expect(router.read()).rejects.toThrow(/split in force is unknown/);
    await router.set(60, meta);
    expect(await createRouter({ kind: "command", setCommand }).read()).toBe(60);
    expect(existsSync(dir)).toBe(true);
  });
});
