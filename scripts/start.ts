// `npm start`: builds only when the sources changed since the last build (or when asked,
// `npm start -- --rebuild`), then runs the bundled server exactly as before: plain node, the flags
// and environment of scripts/server-bundle.ts, and tsx's loader only with WARROOM_LAB (the lab is
// loaded from source). A restart of an unchanged checkout thus skips the minute of `next build`.
//
// The build is `npm run build`, unchanged; its stamp (.next/warroom-build-stamp.json) holds the
// fingerprint of the sources as they were when the build began, so an edit made during a build
// makes the next start build again. The stamp is removed before building: an interrupted or failed
// build never looks fresh.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { BUILD_INPUTS, BUILD_OUTPUTS, decideBuild, fingerprint, isBuildInput, parseStamp, parseStartArgs, STAMP_FORMAT, type BuildStamp } from "./build-freshness";
import { SERVER_BUNDLE, SERVER_ENV, SERVER_NODE_ARGS } from "./server-bundle";
import { LAB_NODE_ARGS } from "./lab/war-room";

export const STAMP_FILE = ".next/warroom-build-stamp.json";

/** Every input file under `root` (relative paths, "/"-separated), as isBuildInput counts them. */
export function listInputs(root: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    if (!isBuildInput(rel)) return;
    const abs = path.join(root, rel);
    let st;
    try {
      st = statSync(abs);
    } catch {
      return; // an optional input (e.g. no postcss config) or a file removed while walking
    }
    if (st.isDirectory()) {
      for (const name of readdirSync(abs).sort()) walk(`${rel}/${name}`);
    } else if (st.isFile()) {
      out.push(rel);
    }
  };
  for (const input of BUILD_INPUTS) walk(input);
  return out;
}

export function sourceFingerprint(root: string, env: Record<string, string | undefined> = process.env): string {
  return fingerprint(
    listInputs(root).map((p) => ({ path: p, content: readFileSync(path.join(root, p)) })),
    env,
  );
}

function readStamp(root: string): BuildStamp | null {
  const file = path.join(root, STAMP_FILE);
  return parseStamp(existsSync(file) ? readFileSync(file, "utf8") : null);
}

function readBuildId(root: string): string | null {
  const file = path.join(root, ".next/BUILD_ID");
  return existsSync(file) ? readFileSync(file, "utf8").trim() : null;
}

/**
 * Passes SIGINT/SIGTERM/SIGHUP sent to this process on to `child` (to its whole process group when
 * it leads one: npm, sh and next's workers all stop). Returns the function that stops relaying.
 */
function relaySignals(child: ChildProcess, group: boolean): () => void {
  const handlers = (["SIGINT", "SIGTERM", "SIGHUP"] as const).map((signal) => {
    const handler = () => {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
      try {
        if (group) process.kill(-child.pid, signal);
        else child.kill(signal);
      } catch {
        /* already gone */
      }
    };
    process.on(signal, handler);
    return [signal, handler] as const;
  });
  return () => handlers.forEach(([signal, handler]) => process.off(signal, handler));
}

/** Builds when needed; resolves with whether it did. Rejects when the build fails or is stopped. */
export async function ensureBuild(root: string, opts: { rebuild: boolean; log: (line: string) => void }): Promise<boolean> {
  const started = Date.now();
  const current = sourceFingerprint(root);
  const decision = decideBuild({
    rebuildRequested: opts.rebuild,
    stamp: readStamp(root),
    current,
    buildId: readBuildId(root),
    missingOutputs: BUILD_OUTPUTS.filter((o) => !existsSync(path.join(root, o))),
  });
  if (!decision.build) {
    opts.log(`no build needed: ${decision.reason} (checked in ${Date.now() - started} ms)`);
    return false;
  }
  opts.log(`building: ${decision.reason}`);
  rmSync(path.join(root, STAMP_FILE), { force: true });
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  // Its own process group, so that a stop during the build reaches every process of it (npm does
  // not pass signals through sh to next build's workers); the relay stands in for the terminal.
  const build = spawn(npm, ["run", "build"], { cwd: root, stdio: "inherit", detached: true, env: { ...process.env, NEXT_TELEMETRY_DISABLED: process.env.NEXT_TELEMETRY_DISABLED ?? "1" } });
  const stopRelay = relaySignals(build, true);
  const result = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    build.once("error", reject);
    build.once("exit", (code, signal) => resolve({ code, signal }));
  }).finally(stopRelay);
  if (result.code !== 0) throw new Error(`the build failed (npm run build exited with ${result.code ?? result.signal})`);
  const buildId = readBuildId(root);
  if (!buildId) throw new Error("the build left no .next/BUILD_ID");
  const stamp: BuildStamp = { format: STAMP_FORMAT, fingerprint: current, buildId, builtAt: new Date().toISOString() };
  writeFileSync(path.join(root, STAMP_FILE), `${JSON.stringify(stamp, null, 2)}\n`);
  opts.log(`built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return true;
}

/** How node runs the server: the bundle's flags and environment, and tsx's loader only for the lab. */
export function serverCommand(env: Record<string, string | undefined>): { args: string[]; env: NodeJS.ProcessEnv } {
  // The lab (WARROOM_LAB) is TypeScript loaded from source and registered from the scripts side
  // (scripts/lab/register.ts), whenever WARROOM_LAB is set and not empty.
  return { args: [...(env.WARROOM_LAB ? LAB_NODE_ARGS : []), ...SERVER_NODE_ARGS, SERVER_BUNDLE], env: { ...env, ...SERVER_ENV, NODE_ENV: "production" } };
}

/** Runs the server bundle in the foreground; resolves with its exit code. */
export function runServer(root: string): Promise<number> {
  const cmd = serverCommand(process.env);
  const child = spawn(process.execPath, cmd.args, { cwd: root, stdio: "inherit", env: cmd.env });
  // A terminal's Ctrl-C reaches both processes; a signal sent to this one alone (npm, a service
  // manager) is passed on. The server stops once however many times it is told.
  relaySignals(child, false);
  return new Promise((resolve) => {
    child.once("error", (err) => {
      console.error(`[warroom] could not start the server: ${err.message}`);
      resolve(1);
    });
    child.once("exit", (code, signal) => resolve(code ?? (signal ? 128 + (signalNumber(signal) ?? 0) : 1)));
  });
}

function signalNumber(signal: NodeJS.Signals): number | undefined {
  return ({ SIGHUP: 1, SIGINT: 2, SIGTERM: 15, SIGKILL: 9 } as Record<string, number>)[signal];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const log = (line: string) => console.log(`[start] ${line}`);
  try {
    const { rebuild } = parseStartArgs(process.argv.slice(2));
    await ensureBuild(process.cwd(), { rebuild, log });
  } catch (err) {
    console.error(`[start] ${(err as Error).message}`);
    process.exit(1);
  }
  process.exitCode = await runServer(process.cwd());
}
