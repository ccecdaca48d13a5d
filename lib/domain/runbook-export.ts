// A cutover as a markdown runbook, written in the dialect the runbook import reads (see
// lib/domain/runbook-import.ts), so that importing an export gives the same plan back:
// - `# Name`, then one `## Phase` per phase and `### Section` per section (a bold `**Section**:`
//   label instead when the import would read that phase's h3s as phases of their own);
// - each phase's decision as `**Decision point**: …` right under its heading, its metric gates
//   as `- Error rate < 1%` under `**Success criteria**:`;
// - items as task lists. The import guesses an item's owner from its words and its time from a
//   "T-0:30" in its text (or the phase heading); only when that guess would be wrong does the
//   line say it: `- [ ] Promote replica (Database DBA, T-0:30)`;
// - then the thresholds table, `## Rollback triggers` lines (`- If P95 latency > 500ms for 5
//   minutes → ROLLBACK`, grouped by severity), success criteria, contacts, escalation, war-room
//   links, risks and the schedule (a `T-1:30 - Step` block, as written runbooks have it).
// Everything people typed is escaped, so a title is read back as that title and never as markup.
// No I/O here.
import { DEFAULT_GATE_WINDOW_SEC, guessOwnerRole, importRunbook, plannedTimeFromHeading, readItemAnnotation } from "./runbook-import";
import { ROLE_LABELS } from "./roles";

// The import reads the `(Role, T-0:30)` suffix back; the reader lives with the import.
export { readItemAnnotation };
import type { MetricUnit } from "./metrics";
import type { CutoverDocument, ExportedAlertTrigger, ExportedGate, ExportedItem, ExportedPhase, ExportedTrigger } from "@/lib/schemas/export";

/** Text as markdown that reads back as exactly that text: one line, markup characters escaped. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\s+/g, " ")
    .trim()
    .replace(/[\\`*_[\]<>#|~&!$]/g, (c) => `\\${c}`);
}

/** `500ms`, `1%`, `120 req/s`: a number with its unit as runbooks write it. */
export function formatValue(value: number, unit: MetricUnit): string {
  const n = String(value);
  if (unit === "%" || unit === "ms") return `${n}${unit}`;
  if (unit === "count") return n;
  return `${n} ${unit}`;
}

/** "for 5 minutes", "for 90 seconds", or nothing for an instant rule. */
export function formatFor(seconds: number): string {
  if (seconds <= 0) return "";
  if (seconds % 60 === 0) return ` for ${seconds / 60} ${seconds === 60 ? "minute" : "minutes"}`;
  return ` for ${seconds} seconds`;
}

/** `T-1:30`, `T+0:05`, `T+26:00`: an instant as an offset from T-0, to the minute. */
export function formatOffset(at: Date, tZero: Date): string {
  const minutes = Math.round((at.getTime() - tZero.getTime()) / 60_000);
  const abs = Math.abs(minutes);
  return `T${minutes < 0 ? "-" : "+"}${Math.floor(abs / 60)}:${String(abs % 60).padStart(2, "0")}`;
}

/** A gate as a success-criterion line: `Error rate < 1%`, `Latency p95 <= 1.2 × old`. */
export function gateLine(g: ExportedGate): string {
  const c = g.condition;
  // The window only when it is not the one the import assumes.
  const window = c.windowSec === DEFAULT_GATE_WINDOW_SEC ? "" : formatFor(c.windowSec).replace(/^ for /, " over ");
  if (c.kind === "threshold") return `${escapeMarkdown(g.metric)} ${c.op} ${formatValue(c.value, g.unit)}${c.system === "old" ? " (old)" : ""}${window}`;
  return `${escapeMarkdown(g.metric)} ${c.op} ${c.factor} × old${window}`;
}

const ACTION_WORDS: Record<ExportedTrigger["action"], (t: Pick<ExportedTrigger, "shiftToPercent">) => string> = {
  rollback: () => "ROLLBACK",
  shift: (t) => `SHIFT TO ${t.shiftToPercent ?? 0}%`,
  alert: () => "ALERT",
};

/** `If P95 latency > 500ms for 5 minutes → ROLLBACK`. */
export function triggerLine(t: ExportedTrigger): string {
  // An instant rule says so: a rule without a duration is read as waiting a minute.
  const wait = t.forSeconds <= 0 ? " for 0 seconds" : formatFor(t.forSeconds);
  return `If ${escapeMarkdown(t.metric)} ${t.comparison} ${formatValue(t.threshold, t.unit)}${t.system === "old" ? " (old)" : ""}${wait} → ${ACTION_WORDS[t.action](t)}`;
}

/** `If alert PaymentsDown is firing → ROLLBACK`; a wait only when the rule has one (the import reads none as none). */
export function alertTriggerLine(t: ExportedAlertTrigger): string {
  return `If alert ${escapeMarkdown(t.alertName)} is firing${formatFor(t.forSeconds)} → ${ACTION_WORDS[t.action](t)}`;
}

// --- items: what the import would read, and what the line must add ----------------------------

/**
 * The `(Role, T-0:30)` a line needs so that the import reads the item's owner and time: empty
 * when the import would guess both right from the words alone. `phaseTime` is what the import
 * reads from the phase heading (items without a time of their own take it).
 */
export function itemAnnotation(item: Pick<ExportedItem, "title" | "ownerRole" | "plannedTime">, context: { section: string; phase: string; phaseTime: string | null }): string {
  const parts: string[] = [];
  // As the import reads it: the item's words, its section's name, then its phase's time.
  const readTime = plannedTimeFromHeading(item.title) ?? plannedTimeFromHeading(context.section) ?? context.phaseTime;
  if (item.plannedTime !== null && item.plannedTime !== readTime) parts.push(item.plannedTime);
  // The import takes the suffix off before it guesses, so the guess is made on the title alone.
  // A title that itself ends like a suffix ("Run the tests (QA Lead)") gets one of its own, so the
  // import takes that one off and keeps the title whole.
  const endsLikeSuffix = readItemAnnotation(item.title).title !== item.title;
  if (endsLikeSuffix || guessOwnerRole(item.title, [context.section, context.phase]) !== item.ownerRole) parts.unshift(ROLE_LABELS[item.ownerRole]);
  return parts.length > 0 ? ` (${parts.join(", ")})` : "";
}

// --- the document -------------------------------------------------------------------------------

function table(header: string[], rows: string[][]): string[] {
  return [`| ${header.join(" | ")} |`, `| ${header.map(() => "---").join(" | ")} |`, ...rows.map((r) => `| ${r.join(" | ")} |`)];
}

/** A code fence longer than any backtick run inside it. */
function fence(lines: string[]): string {
  const longest = Math.max(2, ...lines.map((l) => Math.max(0, ...(l.match(/`+/g) ?? []).map((r) => r.length))));
  return "`".repeat(longest + 1);
}

function itemLines(item: ExportedItem, context: { section: string; phase: string; phaseTime: string | null }): string[] {
  const box = item.state === "done" ? "[x]" : "[ ]";
  const lines = [`- ${box} ${escapeMarkdown(item.title)}${itemAnnotation(item, context)}`];
  // Indented under the item: the import takes only an item's first line as its title.
  if (item.description?.trim()) lines.push("", `  ${escapeMarkdown(item.description)}`);
  if (item.commands?.trim()) {
    const code = item.commands.split(/\r?\n/);
    const f = fence(code);
    lines.push("", `  ${f}sh`, ...code.map((l) => `  ${l}`), `  ${f}`);
  }
  return lines;
}

function phaseHeading(p: ExportedPhase): string {
  const fromName = plannedTimeFromHeading(p.name);
  return p.plannedAt !== null && p.plannedAt !== fromName ? `${p.name} (${p.plannedAt})` : p.name;
}

function renderPhase(p: ExportedPhase, sectionsAs: "headings" | "labels", metrics: CutoverDocument["metrics"]): string[] {
  const heading = phaseHeading(p);
  const phaseTime = plannedTimeFromHeading(heading);
  const out = [`## ${escapeMarkdown(heading)}`, ""];
  for (const d of p.decisions) {
    out.push(`**Decision point**: ${escapeMarkdown(d.title)}`, "");
    if (d.gates.length > 0) out.push("**Success criteria**:", "", ...gateLines(d.gates, metrics), "");
  }
  for (const s of p.sections) {
    out.push(sectionsAs === "headings" ? `### ${escapeMarkdown(s.name)}` : `**${escapeMarkdown(s.name)}**:`, "");
    for (const item of s.items) out.push(...itemLines(item, { section: s.name, phase: heading, phaseTime }));
    out.push("");
  }
  return out;
}

/**
 * A phase's sections as h3 headings, unless the import would then read them as phases (an h2
 * named like "Deployment phases", sections named "Phase 1: …"): then as bold labels. Decided by
 * importing the phase alone, so the rule stays the import's own.
 */
function phaseLines(p: ExportedPhase, metrics: CutoverDocument["metrics"]): string[] {
  const asHeadings = renderPhase(p, "headings", metrics);
  const withItems = p.sections.filter((s) => s.items.length > 0);
  if (withItems.length === 0) return asHeadings;
  const back = importRunbook(["# Check", "", ...asHeadings].join("\n"));
  const same = back.phases.length === 1 && back.phases[0].sections.map((s) => s.name).join("\n") === withItems.map((s) => s.name.replace(/\s+/g, " ").trim()).join("\n");
  return same ? asHeadings : renderPhase(p, "labels", metrics);
}

/**
 * Gates in the order of their metrics, then of their lines: the room keeps no order of its own
 * for them, and the import creates them in the order it reads them, so an export of an import
 * lists them as the export did.
 */
function gateLines(gates: readonly ExportedGate[], metrics: CutoverDocument["metrics"]): string[] {
  const rank = new Map(metrics.map((m, i) => [m.name, i]));
  return gates
    .map((g) => ({ at: rank.get(g.metric) ?? metrics.length, line: gateLine(g) }))
    .sort((a, b) => a.at - b.at || (a.line < b.line ? -1 : a.line > b.line ? 1 : 0))
    .map((g) => `- ${g.line}`);
}

/** The cutover as a markdown runbook (see the top of this file). */
export function renderRunbook(doc: CutoverDocument): string {
  const c = doc.cutover;
  const tZero = new Date(c.tZero);
  const out: string[] = [`# ${escapeMarkdown(c.name)}`, ""];
  if (c.mode === "rehearsal") out.push("> **REHEARSAL**: exported from a rehearsal of this cutover.", "");
  out.push(`${escapeMarkdown(c.systemFrom)} → ${escapeMarkdown(c.systemTo)}. T-0: ${c.tZero} (${escapeMarkdown(c.timeZone)}). State: ${c.state.replace(/_/g, " ")}, traffic at ${c.trafficPercent}%. Exported ${doc.exportedAt}.`, "");
  if (doc.trafficSteps.length > 0) out.push(`Traffic steps: ${doc.trafficSteps.map((s) => `${s.percent}%`).join(" → ")}.`, "");

  for (const p of doc.phases) out.push(...phaseLines(p, doc.metrics));

  if (doc.successCriteria.length > 0) out.push("## Success criteria", "", ...gateLines(doc.successCriteria, doc.metrics), "");

  if (doc.metrics.length > 0) {
    const limit = (v: number | null, unit: MetricUnit, dir: "above" | "below") => (v === null ? "" : `${dir === "above" ? ">" : "<"} ${formatValue(v, unit)}`);
    out.push("## Thresholds", "", ...table(["Metric", "Warning", "Critical"], doc.metrics.map((m) => [escapeMarkdown(m.name), limit(m.warningThreshold, m.unit, m.direction), limit(m.criticalThreshold, m.unit, m.direction)])), "");
  }

  if (doc.triggers.length + doc.alertTriggers.length > 0) {
    out.push("## Rollback triggers", "");
    for (const severity of ["immediate", "graceful"] as const) {
      const rules = [...doc.triggers.filter((t) => t.severity === severity).map(triggerLine), ...doc.alertTriggers.filter((t) => t.severity === severity).map(alertTriggerLine)];
      if (rules.length === 0) continue;
      out.push(`### ${severity === "immediate" ? "Immediate" : "Graceful"} rollback`, "", ...rules.map((line) => `- ${line}`), "");
    }
  }

  if (doc.rollbackHooks.length > 0) {
    out.push("## Rollback hooks", "", `Run in this order on a rollback: ${doc.rollbackHooks.map((h) => `${escapeMarkdown(h.name)} (${escapeMarkdown(h.integration)})`).join(", then ")}.`, "");
  }

  if (doc.contacts.length > 0) {
    const reach = (k: CutoverDocument["contacts"][number]) => [k.phone, k.chatHandle, k.email].filter((v): v is string => !!v?.trim()).map(escapeMarkdown).join(" · ");
    out.push("## Contacts", "", ...table(["Name", "Role", "Contact"], doc.contacts.map((k) => [escapeMarkdown(k.name), ROLE_LABELS[k.role], reach(k)])), "");
  }

  if (doc.escalation.length > 0) {
    out.push("## Escalation", "", ...doc.escalation.map((e, i) => `${i + 1}. ${escapeMarkdown(e.level)}: ${escapeMarkdown(e.who)} after ${escapeMarkdown(e.after)}${e.criticalOnly ? " (critical only)" : ""}`), "");
  }

  if (doc.links.length > 0) {
    const href = (url: string) => url.replace(/[ ()<>]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
    out.push("## War room links", "", ...doc.links.map((l) => `- [${escapeMarkdown(l.label)}](${href(l.url)})`), "");
  }

  if (doc.risks.length > 0) {
    out.push("## Risks", "", ...table(["Risk", "Probability", "Impact", "Mitigation"], doc.risks.map((r) => [escapeMarkdown(r.title), r.probability, r.impact, escapeMarkdown(r.mitigation ?? "")])), "");
  }

  if (doc.timeline.length > 0) {
    const lines: string[] = [];
    for (const e of doc.timeline) {
      lines.push(`${formatOffset(new Date(e.plannedStart), tZero)} - ${e.title.replace(/\s+/g, " ").trim()}`);
      for (const d of (e.details ?? "").split(/\r?\n/)) if (d.trim()) lines.push(`├─ ${d.trim()}`);
    }
    const f = fence(lines);
    out.push("## Schedule", "", f, ...lines, f, "");
  }
  return `${out.join("\n").replace(/\n{3,}/g, "\n\n").trimEnd()}\n`;
}
