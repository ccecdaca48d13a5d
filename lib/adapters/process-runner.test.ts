// The one process runner, with real programs: argv reaches the program as is (no shell), the
// environment is the minimal one, a timeout takes the whole process group down, output is a
// redacted tail, and a program that cannot start is a result, not an exception.
import { describe, expect, it } from "vitest";
import { runProcess } from "./process-runner";
import { gone } from "@/lib/testing/processes";

describe("runProcess", () => {
  it("passes argv without a shell and exits with the program's code", async () => {
    const r = await runProcess({ argv: ["printf", "%s|", "a; echo injected", "$(id)", "`id`"], timeoutMs: 5000, redact: [] });
    expect(r).toMatchObject({ startError: null, stopped: null, code: 0, signal: null });
    expect(r.stdout).toBe("a; echo injected|$(id)|`id`|");
    const failed = await runProcess({ argv: ["sh", "-c", "echo out; echo err >&2; exit 3"], timeoutMs: 5000, redact: [] });
    expect(failed).toMatchObject({ code: 3, stdout: "out\n", stderr: "err\n" });
    expect(failed.output).toMatch(/out\n[\s\S]*err\n|err\n[\s\S]*out\n/);
  });

  it("gives the program PATH, LANG and its WARROOM_ context, nothing of the server's environment", async () => {
    process.env.RUNNER_TEST_SECRET = "server-only-value";
    try {
      const r = await runProcess({ argv: ["env"], context: { WARROOM_CUTOVER_ID: "c-1" }, timeoutMs: 5000, redact: false });
      const names = r.stdout.trim().split("\n").map((l) => l.split("=")[0]).sort();
      expect(names).toEqual(["LANG", "PATH", "WARROOM_CUTOVER_ID"]);
      expect(r.stdout).not.toContain("server-only-value");
    } finally {
      delete process.env.RUNNER_TEST_SECRET;
    }
  });

  it("on timeout kills the program and everything it started", async () => {
    const r = await runProcess({ argv: ["sh", "-c", "sleep 30 & echo $!; wait"], timeoutMs: 300, redact: [], killGraceMs: 100 });
    expect(r.stopped).toBe("timeout");
    const grandchild = Number(r.stdout.trim());
    expect(grandchild).toBeGreaterThan(1);
    // The group got SIGKILL at the latest when the leader exited: the background sleep is gone.
    expect(gone(grandchild)).toBe(true);
  });

  it("an abort from the caller stops the program and says so; an aborted signal never starts it", async () => {
    const ac = new AbortController();
    const running = runProcess({ argv: ["sleep", "30"], timeoutMs: 10_000, signal: ac.signal, redact: [] });
    setTimeout(() => ac.abort(), 50);
    expect(await running).toMatchObject({ stopped: "abort" });
    expect(await runProcess({ argv: ["sleep", "30"], timeoutMs: 10_000, signal: ac.signal, redact: [] })).toMatchObject({ stopped: "abort", code: null });
  });

  it("a program that cannot start is a result with its code", async () => {
    expect((await runProcess({ argv: ["/nonexistent/tool"], timeoutMs: 5000, redact: [] })).startError).toEqual({ code: "ENOENT", sync: false });
    // Node refuses a NUL in an argument before spawning: only the code, never the argument.
    expect((await runProcess({ argv: ["echo", "a\0b"], timeoutMs: 5000, redact: [] })).startError).toMatchObject({ sync: true, code: expect.any(String) });
  });

  it("keeps a tail of the output and hides the secrets it was given", async () => {
    const r = await runProcess({ argv: ["sh", "-c", "i=0; while [ $i -lt 200 ]; do echo line-$i; i=$((i+1)); done; echo the-known-secret token=abc123456"], timeoutMs: 5000, redact: ["the-known-secret"], captureChars: 100 });
    expect(r.stdout.length).toBeLessThanOrEqual(100);
    expect(r.stdout).toContain("line-199");
    expect(r.stdout).not.toContain("line-1\n");
    expect(r.stdout).not.toMatch(/the-known-secret|abc123456/);
    const whole = await runProcess({ argv: ["echo", "token=abc123456"], timeoutMs: 5000, redact: false });
    expect(whole.stdout).toBe("token=abc123456\n");
  });
});
