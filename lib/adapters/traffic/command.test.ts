// Real processes: environment passed to the command, exit codes, and a hung command whose whole
// process group must be gone when the timeout error is reported.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRouter } from "./index";

const meta = { cutoverId: "cut-9", requestId: "req-9", reason: "go to 25 %", fence: "12", rehearsal: true };
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "warroom-command-"));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Gone = no such process, or a zombie (dead, waiting for init to reap it: nothing runs any more). */
function gone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "ESRCH";
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
  } catch {
    return true;
  }
}

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

  it("reports a non-zero exit with the last stderr lines", async () => {
    const router = createRouter({ kind: "command", setCommand: ["sh", "-c", "echo working; echo 'line 1' >&2; echo 'error: rollout my-app not found' >&2; exit 3"] });
    await expect(router.set(25, meta)).rejects.toThrow(/exited with code 3: line 1 \/ error: rollout my-app not found/);
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
    await expect(createRouter({ kind: "command", setCommand: ["/nonexistent/warroom-tool"] }).set(1, meta)).rejects.toThrow(/could not start: .*ENOENT/);
  });

  it("refuses a read command that prints no percent", async () => {
    const router = createRouter({ kind: "command", setCommand: ["true"], readCommand: ["echo", "rollout healthy"] });
    await expect(router.read()).rejects.toThrow(/printed "rollout healthy", expected a percent 0..100/);
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
