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
import type { TrafficChangeMeta, TrafficRouter, VerifyResult } from "@/lib/domain/ports";
import { runProcess } from "../process-runner";
import { assertPercent, formatArgv, secretValues, type CommandRouterConfig } from "./config";

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

  /** Runs argv through the process runner; resolves on exit 0, rejects with a clear message otherwise. */
  private async exec(argv: string[], context: Record<string, string>, signal?: AbortSignal): Promise<CommandResult> {
    const { timeoutMs } = this.config;
    const shown = formatArgv(argv);
    if (signal?.aborted) throw new Error(`command ${shown} was aborted before it started`);
    const r = await runProcess({ argv, context, timeoutMs, signal, redact: secretValues(argv), captureChars: CAPTURE_BYTES, killGraceMs: KILL_GRACE_MS });
    if (r.startError) {
      const { code, sync } = r.startError;
      throw new Error(`command ${shown} could not start: ${sync ? (code ?? "invalid arguments") : code === "ENOENT" ? "program not found" : (code ?? "spawn failed")}`);
    }
    const result: CommandResult = { stdout: r.stdout, stderr: r.stderr, durationMs: r.durationMs };
    this.lastResult = result;
    const failed = (what: string) => {
      // The operator reads the output in the server log; the room only learns what happened.
      const out = tail(result.stderr || result.stdout);
      if (out) console.warn(`[warroom] command ${shown} ${what}; last output: ${out}`);
      return new Error(`command ${shown} ${what}${out ? " (its output is in the server log)" : ""}`);
    };
    if (r.stopped === "timeout") throw failed(`timed out after ${timeoutMs} ms and was killed`);
    if (r.stopped === "abort") throw new Error(`command ${shown} was aborted and killed`);
    if (r.code !== 0) throw failed(r.signal ? `was killed by ${r.signal}` : `exited with code ${r.code}`);
    return result;
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
