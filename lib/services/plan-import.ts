// Reading a runbook and writing it into a cutover's plan.
//
// readRunbook parses the markdown (lib/domain/runbook-import) in a worker thread with a time
// budget: a document crafted to be slow to parse costs that worker at most the budget and is then
// terminated, while the server's event loop keeps answering everyone else. createPlanFromImport
// writes the result inside the caller's transaction: phases, sections, items, decision points,
// risks and the schedule.
import { cadenceFromRunbook, DEFAULT_ANCHOR, DEFAULT_CHECKIN_ROLE, type StoredCadence } from "@/lib/domain/checkins";
import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { Tx } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { MAX_RUNBOOK_CHARS, planTooLarge, type ImportedPlan } from "@/lib/domain/runbook-import";
import { parsePlannedTime } from "@/lib/domain/relative-time";
import { TEXT } from "@/lib/domain/limits";
import { isHttpUrl } from "@/lib/domain/request-input";
import { ALERT_CONDITION } from "@/lib/domain/alerts";
import { describeTrigger } from "./triggers";

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

const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
const IMPORTED_PREFIX = "Imported, confirm: ";

/**
 * Writes an imported plan into a new cutover, inside the caller's transaction: phases, sections,
 * items (sub-bullets as their description), decision points, risks, the schedule, contacts, the
 * ladder, links and announcement templates (only where the cutover has none yet), threshold
 * updates of the cutover's metrics, new metrics for names that match none (without a query:
 * "query needed"), rollback triggers in recommend mode marked for confirmation, and metric gates.
 * The cutover's default metrics must exist already (createDefaultMetrics).
 */
export async function createPlanFromImport(
  tx: Tx,
  cutoverId: string,
  plan: ImportedPlan,
  at: { tZero: Date; timeZone: string },
): Promise<void> {
  const decisionOf = new Map<string, string>();
  for (const [pi, phase] of plan.phases.entries()) {
    const created = await tx.phase.create({ data: { cutoverId, name: cut(phase.name, TEXT.name), position: pi, plannedAt: phase.plannedTime } });
    for (const [si, section] of phase.sections.entries()) {
      const s = await tx.section.create({ data: { phaseId: created.id, name: cut(section.name, TEXT.name), position: si, notes: (section.notes ?? []).map((n) => cut(n, TEXT.description)) } });
      await tx.item.createMany({
        data: section.items.map((item, ii) => {
          const planned = item.plannedTime ?? phase.plannedTime;
          const parsed = planned ? parsePlannedTime(planned, at) : null;
          return {
            sectionId: s.id,
            title: cut(item.title, TEXT.title),
            description: item.notes?.length ? cut(item.notes.map((n) => `- ${n}`).join("\n"), TEXT.description) : null,
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
      const d = await tx.decisionPoint.create({
        data: {
          cutoverId,
          phaseId: created.id,
          title: cut(phase.decision.title, TEXT.stepTitle),
          targetPercent: phase.decision.targetPercent,
          requiredRoles: ["DEPLOYMENT_LEAD", "DATABASE_DBA", "BACKEND_LEAD", "QA_LEAD"],
        },
      });
      if (!decisionOf.has(phase.name)) decisionOf.set(phase.name, d.id);
    }
  }
  await tx.risk.createMany({
    data: plan.risks.map((r) => ({ cutoverId, title: cut(r.title, TEXT.title), probability: level(r.probability), impact: level(r.impact), mitigation: cut(r.mitigation, TEXT.description) })),
  });
  let position = 0;
  for (const entry of plan.timeline) {
    const parsed = parsePlannedTime(entry.time, at);
    if (!parsed.ok) continue;
    await tx.timelineEntry.create({
      data: { cutoverId, title: cut(entry.title, TEXT.stepTitle), details: cut(entry.details.join("\n"), TEXT.description) || null, ownerRole: "DEPLOYMENT_LEAD", position: position++, plannedStart: parsed.at },
    });
  }

  const cutover = await tx.cutover.findUniqueOrThrow({ where: { id: cutoverId }, select: { links: true, escalation: true, announcementTemplates: true, checkinCadence: true, _count: { select: { contacts: true } } } });
  if (cutover._count.contacts === 0 && plan.contacts.length > 0) {
    await tx.contact.createMany({
      data: plan.contacts.map((c, i) => ({
        cutoverId,
        role: c.role,
        name: cut(c.name, TEXT.name),
        phone: c.phone ? cut(c.phone, TEXT.phone) : null,
        chatHandle: c.chatHandle ? cut(c.chatHandle, TEXT.short) : null,
        email: c.email && c.email.length <= TEXT.email && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(c.email) ? c.email : null,
        escalationOrder: i,
      })),
    });
  }
  const empty = (v: unknown) => !Array.isArray(v) || v.length === 0;
  const links = plan.links.filter((l) => isHttpUrl(l.url)).slice(0, 50).map((l) => ({ label: cut(l.label, TEXT.short), url: l.url }));
  const escalation = plan.escalation.slice(0, 20).map((e) => ({ level: cut(e.level || "Level", TEXT.short), who: cut(e.who || e.level, 200), after: cut(e.after || "-", 50), ...(e.criticalOnly ? { criticalOnly: true } : {}) }));
  const templates = plan.templates.map((t) => ({ name: cut(t.name, TEXT.short), body: cut(t.body, TEXT.description) }));
  // A runbook that states a check-in cadence in its checklist ("Check metrics every 30 minutes
  // first 2 hours", …) owes those check-ins, with the defaults of lib/domain/checkins.
  const cadence = cutover.checkinCadence === null ? cadenceFromRunbook(plan.phases.flatMap((p) => p.sections.flatMap((s) => s.items.map((i) => i.title))).join("\n")) : null;
  const checkinCadence: StoredCadence | null = cadence && { segments: cadence, anchor: DEFAULT_ANCHOR, role: DEFAULT_CHECKIN_ROLE, graceSec: null, configuredAt: Date.now() };
  await tx.cutover.update({
    where: { id: cutoverId },
    data: {
      ...(checkinCadence ? { checkinCadence } : {}),
      ...(empty(cutover.links) && links.length > 0 ? { links } : {}),
      ...(empty(cutover.escalation) && escalation.length > 0 ? { escalation } : {}),
      ...(empty(cutover.announcementTemplates) && templates.length > 0 ? { announcementTemplates: templates } : {}),
    },
  });

  // Metrics: thresholds update the matching ones; names that match none become new metrics.
  const metrics = await tx.metricDefinition.findMany({ where: { cutoverId }, select: { id: true, name: true, unit: true }, orderBy: { position: "asc" } });
  const byName = new Map(metrics.map((m) => [m.name.toLowerCase(), m]));
  let nextPosition = metrics.length;
  const metricFor = async (ref: { metric: string | null; name: string; unit: string }, direction: "above" | "below") => {
    const key = (ref.metric ?? ref.name).toLowerCase();
    const known = byName.get(key);
    if (known) return known;
    // No query: the metrics page shows it as "query needed" until someone writes one.
    const created = await tx.metricDefinition.create({ data: { cutoverId, name: cut(ref.name, TEXT.short), unit: cut(ref.unit, 20), direction, position: nextPosition++ }, select: { id: true, name: true, unit: true } });
    byName.set(key, created);
    return created;
  };
  for (const t of plan.thresholds) {
    const m = await metricFor(t, t.direction);
    await tx.metricDefinition.update({ where: { id: m.id }, data: { direction: t.direction, ...(t.warning !== null ? { warningThreshold: t.warning } : {}), ...(t.critical !== null ? { criticalThreshold: t.critical } : {}) } });
  }
  for (const r of plan.rules) {
    if (r.alertName !== undefined) {
      const description = cut(`${IMPORTED_PREFIX}${describeTrigger({ ...ALERT_CONDITION, forSeconds: r.forSeconds, action: r.action, shiftToPercent: r.shiftToPercent, system: "new", alertName: r.alertName }, null)} (line ${r.line}: ${r.text})`, TEXT.note);
      await tx.rollbackTrigger.create({
        data: { cutoverId, conditionKind: "alert", alertName: r.alertName, metricId: null, system: "new", ...ALERT_CONDITION, forSeconds: r.forSeconds, severity: r.severity, action: r.action, shiftToPercent: r.action === "shift" ? r.shiftToPercent : null, mode: "recommend", description },
      });
      continue;
    }
    const m = await metricFor(r, r.comparison.startsWith("<") ? "below" : "above");
    const description = cut(`${IMPORTED_PREFIX}${describeTrigger({ comparison: r.comparison, threshold: r.threshold, forSeconds: r.forSeconds, action: r.action, shiftToPercent: r.shiftToPercent, system: r.system ?? "new" }, m)} (line ${r.line}: ${r.text})`, TEXT.note);
    await tx.rollbackTrigger.create({
      data: { cutoverId, metricId: m.id, system: r.system ?? "new", comparison: r.comparison, threshold: r.threshold, forSeconds: r.forSeconds, severity: r.severity, action: r.action, shiftToPercent: r.action === "shift" ? r.shiftToPercent : null, mode: "recommend", description },
    });
  }
  for (const g of plan.gates) {
    const m = await metricFor(g, g.comparison.startsWith("<") ? "below" : "above");
    const decisionId = g.phase === null ? null : decisionOf.get(g.phase) ?? null;
    await tx.metricGate.create({
      data: { cutoverId, metricId: m.id, decisionId, successCriterion: decisionId === null, condition: g.factor !== null ? { kind: "ratio", op: g.comparison, factor: g.factor, windowSec: g.windowSec } : { kind: "threshold", system: g.system, op: g.comparison, value: g.value, windowSec: g.windowSec } },
    });
  }
}
