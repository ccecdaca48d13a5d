// Command: the split is changed by a program the operator configures, e.g.
//   ["kubectl", "argo", "rollouts", "set", "weight", "my-rollout", "$WARROOM_TARGET_PERCENT"]
// wrapped in a small script, since argv is run WITHOUT a shell (no quoting or injection issues;
// use ["sh", "-c", "…"] explicitly when a shell is wanted).
//
// Environment of the command: PATH, LANG=C.UTF-8 and these, nothing of the server's own
// (child-env.ts; a command that needs HOME or credentials gets them from a wrapper script):
//   WARROOM_TARGET_PERCENT  the split to set, 0..100 (% of traffic to the new system)
//   WARROOM_FROM_PERCENT    the split before, as this side knows it (readCommand when configured,
//                           else the last split this process set; empty when unknown)
//   WARROOM_CUTOVER_ID, WARROOM_REQUEST_ID, WARROOM_REASON, WARROOM_FENCE, WARROOM_REHEARSAL (1/0)
// Exit 0 = done. The command runs in its own process group: on timeout (or abort) the whole group
// gets SIGTERM, then SIGKILL after a short grace, so a hung `kubectl` and its children are gone
// when the error is reported. stdout/stderr are captured (the last 64 KiB of each) for
// `lastResult` and the server log, redacted; errors say what happened (exit code, signal,
// timeout) but carry none of the output, since they reach the room and the audit log.
//
// read(): readCommand prints the percent in force (a number 0..100, optionally followed by "%",
// on its last non-empty line). Without readCommand, read() returns the last split this process
// set successfully and fails after a restart rather than guess.
import { spawn } from "node:child_process";
import type { TrafficChangeMeta, TrafficRouter, VerifyResult } from "@/lib/domain/ports";
import { childEnv } from "../child-env";
import { assertPercent, deadline, formatArgv, redactOutput, secretValues, type CommandRouterConfig } from "./config";

const CAPTURE_BYTES = 64 * 1024;
const KILL_GRACE_MS = 500;

// Last split set per command line, shared by the routers of this process.
const lastSet = new Map<string, number>();

export interface CommandResult {
  stdout: string;
  stderr: string;
  durationMs: number;
}

export class CommandRouter implements TrafficRouter {
  readonly kind = "command" as const;
  /** Output of the last command this router ran (for the change log). */
  lastResult: CommandResult | null = null;

  constructor(private readonly config: CommandRouterConfig) {}

  describe(): string {
    return `command ${formatArgv(this.config.setCommand)}${this.config.readCommand ? `, read with ${formatArgv(this.config.readCommand)}` : ""}`;
  }

  async read(signal?: AbortSignal): Promise<number> {
    const { readCommand } = this.config;
    if (!readCommand) {
      const last = lastSet.get(key(this.config.setCommand));
      if (last === undefined) throw new Error(`command router has no readCommand and set no split since this server started: the split in force is unknown`);
      return last;
    }
    const r = await this.exec(readCommand, {}, signal);
    const line = r.stdout.trim().split("\n").filter((l) => l.trim()).pop() ?? "";
    const m = /^\s*(\d+(?:\.\d+)?)\s*%?\s*$/.exec(line);
    const n = m ? Number(m[1]) : NaN;
    if (!(n >= 0 && n <= 100)) throw new Error(`command ${formatArgv(readCommand)} did not print a percent 0..100 on its last line`);
    return Math.round(n);
  }

  async set(percent: number, meta: TrafficChangeMeta, signal?: AbortSignal): Promise<void> {
    assertPercent(percent);
    let from: number | null = lastSet.get(key(this.config.setCommand)) ?? null;
    if (this.config.readCommand) from = await this.read(signal).catch(() => null);
    await this.exec(
      this.config.setCommand,
      {
        WARROOM_TARGET_PERCENT: String(percent),
        WARROOM_FROM_PERCENT: from === null ? "" : String(from),
        WARROOM_CUTOVER_ID: meta.cutoverId,
        WARROOM_REQUEST_ID: meta.requestId,
        WARROOM_REASON: meta.reason,
        WARROOM_FENCE: meta.fence,
        WARROOM_REHEARSAL: meta.rehearsal ? "1" : "0",
      },
      signal,
    );
    lastSet.set(key(this.config.setCommand), percent);
  }

  async verify(percent: number, signal?: AbortSignal): Promise<VerifyResult> {
    assertPercent(percent);
    const actual = await this.read(signal);
    const source = this.config.readCommand ? formatArgv(this.config.readCommand) : "the last successful set command (no readCommand)";
    return actual === percent
      ? { ok: true, actual, detail: `${source}: ${actual} % to new` }
      : { ok: false, actual, detail: `${source}: ${actual} % to new, expected ${percent} %` };
  }

  /** Runs argv in its own process group; resolves on exit 0, rejects with a clear message otherwise. */
  private exec(argv: string[], env: Record<string, string>, signal?: AbortSignal): Promise<CommandResult> {
    const { timeoutMs } = this.config;
    const shown = formatArgv(argv);
    const d = deadline(timeoutMs, signal);
    const t0 = performance.now();
    return new Promise<CommandResult>((resolve, reject) => {
      if (d.signal.aborted) return reject(new Error(`command ${shown} was aborted before it started`));
      let child: ReturnType<typeof spawn>;
      try {
        child = spawn(argv[0]!, argv.slice(1), {
          env: childEnv(env),
          stdio: ["ignore", "pipe", "pipe"],
          // Own process group (setsid): kill(-pid) reaches the children it spawned too.
          detached: true,
        });
      } catch (err) {
        // Node's own message would quote the offending argument (e.g. one holding a NUL).
        return reject(new Error(`command ${shown} could not start: ${(err as NodeJS.ErrnoException).code ?? "invalid arguments"}`));
      }
      let stdout = "";
      let stderr = "";
      const keepTail = (s: string) => (s.length > CAPTURE_BYTES ? s.slice(-CAPTURE_BYTES) : s);
      child.stdout!.on("data", (c: Buffer) => (stdout = keepTail(stdout + c.toString())));
      child.stderr!.on("data", (c: Buffer) => (stderr = keepTail(stderr + c.toString())));

      let stopped: "timeout" | "abort" | null = null;
      let graceTimer: NodeJS.Timeout | undefined;
      const killGroup = (sig: NodeJS.Signals) => {
        try {
          if (child.pid) process.kill(-child.pid, sig);
        } catch {
          // ESRCH: the group is already gone
        }
      };
      const onAbort = () => {
        stopped = d.timedOut() ? "timeout" : "abort";
        killGroup("SIGTERM");
        graceTimer = setTimeout(() => killGroup("SIGKILL"), KILL_GRACE_MS);
      };
      d.signal.addEventListener("abort", onAbort, { once: true });

      let settled = false;
      const settle = (err: Error | null, result?: CommandResult) => {
        if (settled) return;
        settled = true;
        d.signal.removeEventListener("abort", onAbort);
        clearTimeout(graceTimer);
        if (err) reject(err);
        else resolve(result!);
      };
      child.on("error", (err: NodeJS.ErrnoException) => settle(new Error(`command ${shown} could not start: ${err.code === "ENOENT" ? "program not found" : (err.code ?? "spawn failed")}`)));
      child.on("exit", (code, sig) => {
        // A deadline passing after the exit must not turn a finished command into a timeout.
        d.signal.removeEventListener("abort", onAbort);
        if (stopped) {
          // The leader is gone; make sure nothing it started outlives the error.
          killGroup("SIGKILL");
        }
        // "close" (all output read) can wait forever when a background child of the command kept
        // stdout open: give the pipes a moment, then report with what was captured.
        const finish = () => {
          const known = secretValues(argv);
          const result: CommandResult = { stdout: redactOutput(stdout, known), stderr: redactOutput(stderr, known), durationMs: Math.round(performance.now() - t0) };
          this.lastResult = result;
          const failed = (what: string) => {
            // The operator reads the output in the server log; the room only learns what happened.
            const out = tail(result.stderr || result.stdout);
            if (out) console.warn(`[warroom] command ${shown} ${what}; last output: ${out}`);
            settle(new Error(`command ${shown} ${what}${out ? " (its output is in the server log)" : ""}`));
          };
          if (stopped === "timeout") failed(`timed out after ${timeoutMs} ms and was killed`);
          else if (stopped === "abort") settle(new Error(`command ${shown} was aborted and killed`));
          else if (code === 0) settle(null, result);
          else failed(sig ? `was killed by ${sig}` : `exited with code ${code}`);
        };
        const cap = setTimeout(finish, 250);
        child.on("close", () => {
          clearTimeout(cap);
          finish();
        });
      });
    });
  }
}

function key(argv: string[]): string {
  return JSON.stringify(argv);
}

/** The last few lines of a command's (already redacted) output, for the server log. */
function tail(text: string): string {
  const lines = text.trim().split("\n").filter((l) => l.trim()).slice(-5).join(" / ");
  return lines.length > 500 ? `…${lines.slice(-500)}` : lines;
}
