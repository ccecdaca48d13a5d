// Reading a runbook and writing it into a cutover's plan.
//
// readRunbook parses the markdown (lib/domain/runbook-import) in a worker thread with a time
// budget: a document crafted to be slow to parse costs that worker at most the budget and is then
// terminated, while the server's event loop keeps answering everyone else. createPlanFromImport
// writes the result inside the caller's transaction: phases, sections, items, decision points,
// risks and the schedule.
import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { Tx } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { MAX_RUNBOOK_CHARS, planTooLarge, type ImportedPlan } from "@/lib/domain/runbook-import";
import { parsePlannedTime } from "@/lib/domain/relative-time";

/** How long one runbook may take to parse. */
export const RUNBOOK_READ_BUDGET_MS = 1_000;
/** The worker as scripts/server-bundle.ts writes it, relative to the project root. */
export const RUNBOOK_WORKER_BUNDLE = ".next/warroom-server/runbook-worker.mjs";
const RUNBOOK_WORKER_SOURCE = "lib/services/runbook-worker.ts";
/** Starting a worker is not the document's fault: it has its own, generous limit. */
const WORKER_START_TIMEOUT_MS = 30_000;
const TOO_SLOW = "The runbook took too long to read; it was not imported";

/**
 * How a worker is started. The production server and Next's route handlers and server actions
 * (compiled into .next by Turbopack, where a module path does not survive) both load the one
 * prebuilt file from the project root; tests and `npm run dev` run the TypeScript source through
 * tsx. The path is computed at run time on purpose, so that no bundler tries to follow it.
 */
export function runbookWorkerEntry(root: string = process.cwd()): { kind: "bundle" | "source"; file: string } {
  if (process.env.NODE_ENV === "production") {
    const file = path.join(/*turbopackIgnore: true*/ root, RUNBOOK_WORKER_BUNDLE);
    if (!existsSync(file)) throw new Error(`The runbook reader ${file} is missing: build it with \`npm run build\` (or \`tsx scripts/server-bundle.ts\`)`);
    return { kind: "bundle", file };
  }
  return { kind: "source", file: path.join(/*turbopackIgnore: true*/ root, RUNBOOK_WORKER_SOURCE) };
}

function startWorker(root: string): Worker {
  const entry = runbookWorkerEntry(root);
  const options = {
    // Its own heap ceiling, so that a document that explodes into a huge tree fails the worker
    // (refused like a slow one) rather than the server; no environment: it needs none.
    resourceLimits: { maxOldGenerationSizeMb: 256, stackSizeMb: 8 },
    env: {},
    stdout: false,
    stderr: false,
  };
  if (entry.kind === "bundle") return new Worker(entry.file, options);
  const bootstrap = `import("tsx/esm/api").then(({ tsImport }) => tsImport(${JSON.stringify(pathToFileURL(entry.file).href)}, ${JSON.stringify(pathToFileURL(path.join(root, "/")).href)}))`;
  return new Worker(bootstrap, { ...options, eval: true });
}

type Reply = { ready: true } | { id: number; plan: ImportedPlan };
type ThreadEvent = { kind: "message"; reply: Reply } | { kind: "error"; error: Error & { code?: string } } | { kind: "exit"; code: number };

/**
 * One worker with one set of listeners for its whole life, handing its events to whoever uses it
 * at the moment (Node's Worker stops delivering messages once all its listeners are removed).
 */
class ReaderThread {
  private listener: ((e: ThreadEvent) => void) | null = null;
  exited = false;

  constructor(readonly worker: Worker) {
    worker.on("message", (reply: Reply) => this.listener?.({ kind: "message", reply }));
    worker.on("error", (error: Error) => this.listener?.({ kind: "error", error }));
    worker.on("exit", (code: number) => {
      this.exited = true;
      this.listener?.({ kind: "exit", code });
    });
  }

  listen(listener: ((e: ThreadEvent) => void) | null): void {
    this.listener = listener;
  }

  stop(): Promise<number> {
    this.listener = null;
    return this.worker.terminate();
  }
}

/**
 * Runs the importer in worker threads: at most `maxConcurrent` at once (others wait their turn),
 * one idle worker kept warm. A worker that overruns the budget is terminated, never reused.
 */
export class RunbookReader {
  budgetMs = RUNBOOK_READ_BUDGET_MS;
  maxConcurrent = 2;
  maxWaiting = 32;
  private idle: ReaderThread | null = null;
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private nextId = 1;
  private readonly root: string | undefined;

  /** `root`: the project root the worker is found under (default: the working directory). */
  constructor(opts: { root?: string } = {}) {
    this.root = opts.root;
  }

  async read(markdown: string): Promise<ImportedPlan> {
    if (markdown.length > MAX_RUNBOOK_CHARS) throw new AppError("bad_request", "The runbook is larger than 1 MB; it was not imported");
    await this.acquire();
    try {
      let thread = this.idle;
      this.idle = null;
      if (!thread || thread.exited) thread = await this.start();
      return await this.run(thread, markdown);
    } finally {
      this.release();
    }
  }

  /** Stops the idle worker (tests and shutdown); running reads finish or time out on their own. */
  async close(): Promise<void> {
    const t = this.idle;
    this.idle = null;
    if (t) await t.stop();
  }

  private acquire(): Promise<void> {
    if (this.running < this.maxConcurrent) {
      this.running++;
      return Promise.resolve();
    }
    if (this.waiting.length >= this.maxWaiting) {
      return Promise.reject(new AppError("conflict", "Too many runbooks are being imported at once; try again in a moment"));
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next(); // the slot passes straight to the next in line
    else this.running--;
  }

  private start(): Promise<ReaderThread> {
    return new Promise((resolve, reject) => {
      let thread: ReaderThread;
      try {
        thread = new ReaderThread(startWorker(this.root ?? process.cwd()));
      } catch (e) {
        reject(e);
        return;
      }
      const fail = (why: string) => {
        clearTimeout(timer);
        void thread.stop();
        reject(new Error(`The runbook reader could not start: ${why}`));
      };
      const timer = setTimeout(() => fail(`no answer within ${WORKER_START_TIMEOUT_MS / 1000} s`), WORKER_START_TIMEOUT_MS);
      thread.listen((e) => {
        if (e.kind === "message") {
          if (!("ready" in e.reply)) return;
          clearTimeout(timer);
          thread.listen(null);
          resolve(thread);
        } else if (e.kind === "error") fail(e.error.message);
        else fail(`it exited with code ${e.code}`);
      });
    });
  }

  private run(thread: ReaderThread, markdown: string): Promise<ImportedPlan> {
    const id = this.nextId++;
    thread.worker.ref();
    return new Promise((resolve, reject) => {
      const done = (keep: boolean) => {
        clearTimeout(timer);
        if (keep && this.idle === null) {
          // An idle worker must not keep the process alive.
          thread.worker.unref();
          thread.listen(() => {
            if (this.idle === thread) this.idle = null;
          });
          this.idle = thread;
        } else {
          void thread.stop();
        }
      };
      // The budget starts when the document reaches a started worker: parsing is what it bounds.
      const timer = setTimeout(() => {
        done(false);
        reject(new AppError("bad_request", TOO_SLOW));
      }, this.budgetMs);
      thread.listen((e) => {
        if (e.kind === "message") {
          if ("ready" in e.reply || e.reply.id !== id) return;
          done(true);
          resolve(e.reply.plan);
        } else if (e.kind === "error") {
          done(false);
          if (e.error.code === "ERR_WORKER_OUT_OF_MEMORY") reject(new AppError("bad_request", "The runbook is too large or too deeply nested to read; it was not imported"));
          else reject(new Error(`The runbook reader failed: ${e.error.message}`));
        } else {
          done(false);
          reject(new Error(`The runbook reader stopped (exit code ${e.code})`));
        }
      });
      thread.worker.postMessage({ id, markdown });
    });
  }
}

/** The process's reader; tests may change its budget. */
export const runbookReader = new RunbookReader();

/**
 * Parses a runbook off the main thread within the budget and checks the plan's size. Throws a
 * 400 AppError when the document is too slow to read or too big to import; nothing is written.
 */
export async function readRunbook(markdown: string): Promise<ImportedPlan> {
  const plan = await runbookReader.read(markdown);
  const tooLarge = planTooLarge(plan);
  if (tooLarge) throw new AppError("bad_request", `${tooLarge}; it was not imported`);
  return plan;
}

const LEVELS = ["low", "medium", "high", "critical"] as const;
function level(text: string): (typeof LEVELS)[number] {
  const t = text.toLowerCase();
  return LEVELS.find((l) => t.includes(l)) ?? "medium";
}

export async function createPlanFromImport(
  tx: Tx,
  cutoverId: string,
  plan: ImportedPlan,
  at: { tZero: Date; timeZone: string },
): Promise<void> {
  for (const [pi, phase] of plan.phases.entries()) {
    const created = await tx.phase.create({ data: { cutoverId, name: phase.name, position: pi, plannedAt: phase.plannedTime } });
    for (const [si, section] of phase.sections.entries()) {
      const s = await tx.section.create({ data: { phaseId: created.id, name: section.name, position: si } });
      await tx.item.createMany({
        data: section.items.map((item, ii) => {
          const planned = item.plannedTime ?? phase.plannedTime;
          const parsed = planned ? parsePlannedTime(planned, at) : null;
          return {
            sectionId: s.id,
            title: item.title,
            ownerRole: item.ownerRole,
            critical: item.critical,
            position: ii,
            plannedTime: planned,
            plannedAt: parsed && parsed.ok ? parsed.at : null,
          };
        }),
      });
    }
    if (phase.decision) {
      await tx.decisionPoint.create({
        data: {
          cutoverId,
          phaseId: created.id,
          title: phase.decision.title,
          targetPercent: phase.decision.targetPercent,
          requiredRoles: ["DEPLOYMENT_LEAD", "DATABASE_DBA", "BACKEND_LEAD", "QA_LEAD"],
        },
      });
    }
  }
  await tx.risk.createMany({
    data: plan.risks.map((r) => ({ cutoverId, title: r.title, probability: level(r.probability), impact: level(r.impact), mitigation: r.mitigation })),
  });
  let position = 0;
  for (const entry of plan.timeline) {
    const parsed = parsePlannedTime(entry.time, at);
    if (!parsed.ok) continue;
    await tx.timelineEntry.create({
      data: { cutoverId, title: entry.title, details: entry.details.join("\n") || null, ownerRole: "DEPLOYMENT_LEAD", position: position++, plannedStart: parsed.at },
    });
  }
}

