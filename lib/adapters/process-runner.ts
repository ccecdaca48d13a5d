// The one way the server starts a program (command router, command hooks, nginx -t / -V): argv
// without a shell, the minimal environment of child-env.ts, its own process group so that a
// timeout or an abort reaches whatever it started too, and output kept as a bounded tail. Callers
// turn the result into their own words (a router's error, a hook's status); nothing here throws
// for a program that failed, only the result says so.
import { spawn } from "node:child_process";
import { childEnv } from "./child-env";
import { deadline, redactOutput } from "./traffic/config";

export interface RunOptions {
  /** Program and arguments, never through a shell. */
  argv: readonly string[];
  /** The documented WARROOM_* context (child-env.ts refuses anything else). */
  context?: Record<string, string>;
  timeoutMs: number;
  signal?: AbortSignal;
  /**
   * Secrets to hide from the output (redactOutput: also URL credentials and `token=…`), or false
   * for output the caller filters itself and needs whole (nginx -V, nginx -t).
   */
  redact: readonly string[] | false;
  /** Characters kept of each stream (and of both interleaved): the tail. */
  captureChars?: number;
  /** After a timeout or abort the group gets SIGTERM, then SIGKILL this much later (0: SIGKILL at once). */
  killGraceMs?: number;
}

export interface RunResult {
  /** Why the program never ran: the errno (ENOENT) or Node's code for arguments it refused. */
  startError: { code: string | undefined; sync: boolean } | null;
  /** Set when the runner stopped the program. */
  stopped: "timeout" | "abort" | null;
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** stdout and stderr in the order they arrived. */
  output: string;
  durationMs: number;
}

const DEFAULT_CAPTURE = 64 * 1024;
// "close" (all output read) can wait forever when a background child of the program kept stdout
// open: after the exit, the pipes get this long before the result is reported with what was read.
const CLOSE_AFTER_EXIT_MS = 250;

export function runProcess(opts: RunOptions): Promise<RunResult> {
  const cap = opts.captureChars ?? DEFAULT_CAPTURE;
  const grace = opts.killGraceMs ?? 500;
  const d = deadline(opts.timeoutMs, opts.signal);
  const t0 = performance.now();
  const keepTail = (s: string) => (s.length > cap ? s.slice(-cap) : s);
  const shown = (s: string) => (opts.redact === false ? s : redactOutput(s, opts.redact));
  const empty = { stopped: null, code: null, signal: null, stdout: "", stderr: "", output: "" };
  return new Promise<RunResult>((resolve) => {
    if (d.signal.aborted) return resolve({ ...empty, startError: null, stopped: "abort", durationMs: 0 });
    let child: ReturnType<typeof spawn>;
    try {
      // Own process group (setsid): kill(-pid) reaches the children it spawned too.
      child = spawn(opts.argv[0]!, opts.argv.slice(1), { env: childEnv(opts.context), stdio: ["ignore", "pipe", "pipe"], detached: true });
    } catch (err) {
      // Node's own message would quote the offending argument (e.g. one holding a NUL): only its code.
      return resolve({ ...empty, startError: { code: (err as NodeJS.ErrnoException).code, sync: true }, durationMs: 0 });
    }
    let stdout = "";
    let stderr = "";
    let output = "";
    child.stdout!.on("data", (c: Buffer) => {
      stdout = keepTail(stdout + c.toString());
      output = keepTail(output + c.toString());
    });
    child.stderr!.on("data", (c: Buffer) => {
      stderr = keepTail(stderr + c.toString());
      output = keepTail(output + c.toString());
    });

    let stopped: RunResult["stopped"] = null;
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
      if (grace <= 0) return killGroup("SIGKILL");
      killGroup("SIGTERM");
      graceTimer = setTimeout(() => killGroup("SIGKILL"), grace);
    };
    d.signal.addEventListener("abort", onAbort, { once: true });

    let settled = false;
    const settle = (result: Omit<RunResult, "durationMs">) => {
      if (settled) return;
      settled = true;
      d.signal.removeEventListener("abort", onAbort);
      clearTimeout(graceTimer);
      resolve({ ...result, durationMs: Math.round(performance.now() - t0) });
    };
    child.on("error", (err: NodeJS.ErrnoException) => settle({ ...empty, startError: { code: err.code, sync: false } }));
    child.on("exit", (code, sig) => {
      // A deadline passing after the exit must not turn a finished program into a timeout.
      d.signal.removeEventListener("abort", onAbort);
      // The leader is gone; make sure nothing it started outlives the result.
      if (stopped) killGroup("SIGKILL");
      const finish = () => settle({ startError: null, stopped, code, signal: sig, stdout: shown(stdout), stderr: shown(stderr), output: shown(output) });
      const capTimer = setTimeout(finish, CLOSE_AFTER_EXIT_MS);
      child.on("close", () => {
        clearTimeout(capTimer);
        finish();
      });
    });
  });
}
