// Markdown runbook → cutover plan. Pure: takes the markdown text, returns the plan and the list of
// things it skipped (with line numbers) so the import screen can show them. Never throws.
//
// How a runbook maps (checked against the three real runbooks in prisma/demo/):
// - The first h1 is the title.
// - An h2 is a phase. Its h3s (and deeper headings) are sections of that phase.
// - Exception, "day-of" blocks: when an h2 is a container of phases — its name says so ("Day of
//   Cutover", "Cutover Day …", "Deployment Phases"), its h3s are numbered phases ("Phase 1: …",
//   "Cutover Phase 2: …"), or an h3 below it has its own bold-labelled sections or a decision
//   point — each h3 becomes a phase of its own and h4+ are its sections. This is what reads best
//   for production-deployment-checklist.md, where "Day of Cutover" holds "2 Hours Before", the
//   three traffic phases (each with Pre-deployment / Deployment / Monitoring and a decision point)
//   and "Post-Cutover (First 24 Hours)"; flattening them into one phase would lose the decisions.
// - A paragraph that is only a bold label ending in a colon ("**Pre-deployment**:") starts a
//   section of that name; the section runs until the next label or heading.
// - GFM task items (`- [ ]`, `- [x]`) are the items, at any nesting depth (a nested task item is an
//   item of the same section). Task items outside any section go to a section named "Checklist";
//   items before any h2 go to a phase named "Plan".
// - "**Decision point**: Proceed to 50% traffic if …" gives the phase its decision.
// - Phases and sections that end up without items (and without a decision) are dropped, with a
//   warning: runbooks carry overviews, diagrams and notes that are not checklist work.
// - Tables: Risk/Probability/Impact/Mitigation → risks; Metric/Threshold/Action → metrics;
//   Role/Person(/Responsibilities) → roles. Code blocks: a "06:00 AM - Title" schedule → timeline;
//   "Condition 1: Name / If … / → action" → triggers.
import type {
  Code,
  Heading,
  List,
  ListItem,
  Nodes,
  Paragraph,
  PhrasingContent,
  Root,
  RootContent,
  Table,
} from "mdast";
import remarkGfm from "remark-gfm";
import remarkParse from "remark-parse";
import { unified } from "unified";
import { GATE_WINDOW_SEC, TEXT } from "./limits";
import type { Comparison } from "./metrics";
import { parseRoleLabel, ROLE_LABELS, type Role } from "./roles";
import { ALERT_CONDITION } from "./alerts";
import { parseAlertCondition, parseMeasure, readComparison, type Measure } from "./runbook/measures";
import { normaliseRunbook } from "./runbook/repair";

export interface ImportedItem {
  title: string;
  ownerRole: Role;
  critical: boolean;
  plannedTime: string | null;
  checked: boolean;
  /** Sub-bullets of a list entry: notes of their parent, not items of their own. */
  notes?: string[];
}
export interface ImportedSection {
  name: string;
  items: ImportedItem[];
  /** Text of the section that is not checklist work (prose, unreadable lines). */
  notes?: string[];
}
export interface ImportedDecision {
  title: string;
  targetPercent: number | null;
}
export interface ImportedPhase {
  name: string;
  plannedTime: string | null;
  sections: ImportedSection[];
  decision: ImportedDecision | null;
}
export interface ImportedTimelineEntry {
  time: string;
  title: string;
  details: string[];
}
export interface ImportedRisk {
  title: string;
  probability: string;
  impact: string;
  mitigation: string;
}
export interface ImportedRoleAssignment {
  role: Role;
  who: string;
  responsibilities: string;
}
export interface ImportedMetric {
  name: string;
  threshold: string;
  action: string;
}
export interface ImportedTrigger {
  name: string;
  condition: string;
  actions: string[];
}
/** A warning/critical pair for a metric: an existing one (`metric`) or a new one (query needed). */
export interface ImportedThreshold {
  name: string;
  metric: string | null;
  unit: string;
  direction: "above" | "below";
  warning: number | null;
  critical: number | null;
  line: number;
}
/** A rollback trigger rule, created in recommend mode for a person to confirm. */
export interface ImportedRule {
  text: string;
  name: string;
  metric: string | null;
  unit: string;
  comparison: Comparison;
  threshold: number;
  forSeconds: number;
  severity: "immediate" | "graceful";
  action: "rollback" | "shift" | "alert";
  shiftToPercent: number | null;
  line: number;
  /** "(old)" after the value: the rule watches the old system (else the new one). */
  system?: "old";
  /**
   * "If alert HighErrorRate is firing → ROLLBACK": the rule watches an Alertmanager alert by name
   * (metric null, comparison and threshold those of ALERT_CONDITION).
   */
  alertName?: string;
}
/** A metric gate: on the decision of phase `phase`, or a success criterion of the cutover (null). */
export interface ImportedGate {
  text: string;
  name: string;
  metric: string | null;
  unit: string;
  comparison: Comparison;
  value: number;
  phase: string | null;
  line: number;
  /** Which system it watches: "(old)" after the value says the old one. */
  system: "new" | "old";
  /** "Latency p95 <= 1.2 × old": a ratio to the old system (then `value` is unused), or null. */
  factor: number | null;
  /** "… over 30 minutes": how far back it looks (s), DEFAULT_GATE_WINDOW_SEC when not said. */
  windowSec: number;
}
export interface ImportedContact {
  role: Role;
  name: string;
  phone: string | null;
  chatHandle: string | null;
  email: string | null;
}
export interface ImportedEscalation {
  level: string;
  who: string;
  after: string;
  /** "(critical only)": the rung is called only for critical incidents. */
  criticalOnly?: boolean;
}
export interface ImportedLink {
  label: string;
  url: string;
}
export interface ImportedTemplate {
  name: string;
  body: string;
}
export interface ImportedSkip {
  line: number;
  text: string;
}
export interface ImportedPlan {
  title: string;
  phases: ImportedPhase[];
  timeline: ImportedTimelineEntry[];
  risks: ImportedRisk[];
  roles: ImportedRoleAssignment[];
  metrics: ImportedMetric[];
  triggers: ImportedTrigger[];
  thresholds: ImportedThreshold[];
  rules: ImportedRule[];
  gates: ImportedGate[];
  contacts: ImportedContact[];
  escalation: ImportedEscalation[];
  links: ImportedLink[];
  templates: ImportedTemplate[];
  /** Text not made into anything, with its line: also kept as notes of its section. */
  skipped: ImportedSkip[];
  warnings: string[];
}

export const DEFAULT_PHASE_NAME = "Plan";
export const DEFAULT_SECTION_NAME = "Checklist";

// Bounds that keep a hostile document cheap to read. Every pattern below is linear in the length of
// the text it sees (no two quantifiers that can share characters, scans anchored or made with
// plain string code), and lines are cut to MAX_LINE_CHARS so that the constant factors stay small
// too. A real runbook is a few hundred lines of a few hundred characters.
export const MAX_RUNBOOK_CHARS = 1_000_000;
export const MAX_LINE_CHARS = TEXT.title;
/**
 * Containers (block quotes, list items) a line may open, and the whitespace run its prefix may
 * hold. The markdown parser re-checks every open container on each line and splices its event
 * lists once per level, so a document nested a thousand deep costs far more than its length.
 */
export const MAX_NESTING = 16;
const MAX_PREFIX_SPACES = 32;
const MAX_WARNINGS = 200;
const MAX_SECTION_NOTES = 50;

/** How much of a plan the room takes in one import; a bigger plan is refused, not cut. */
export const PLAN_LIMITS = { phases: 200, sections: 2_000, items: 5_000, timeline: 1_000, risks: 500, thresholds: 200, rules: 500, gates: 500, contacts: 500, templates: 100 } as const;

/** Why a plan is too big to import, or null. */
export function planTooLarge(plan: ImportedPlan): string | null {
  const sections = plan.phases.reduce((n, p) => n + p.sections.length, 0);
  const items = plan.phases.reduce((n, p) => p.sections.reduce((m, s) => m + s.items.length, n), 0);
  const counts: [keyof typeof PLAN_LIMITS, number, string][] = [
    ["phases", plan.phases.length, "phases"],
    ["sections", sections, "sections"],
    ["items", items, "checklist items"],
    ["timeline", plan.timeline.length, "schedule entries"],
    ["risks", plan.risks.length, "risks"],
    ["thresholds", plan.thresholds.length, "thresholds"],
    ["rules", plan.rules.length, "rollback triggers"],
    ["gates", plan.gates.length, "metric gates"],
    ["contacts", plan.contacts.length, "contacts"],
    ["templates", plan.templates.length, "templates"],
  ];
  for (const [key, n, what] of counts) {
    if (n > PLAN_LIMITS[key]) return `The runbook has ${n.toLocaleString("en-US")} ${what}; at most ${PLAN_LIMITS[key].toLocaleString("en-US")} can be imported`;
  }
  return null;
}

function isSpace(c: string | undefined): boolean {
  // The same characters as \s in a regular expression.
  return c !== undefined && c !== "" && /\s/.test(c);
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= "0" && c <= "9";
}

/** Index of the first non-space at or after i. */
function skipSpaces(s: string, i: number): number {
  while (i < s.length && isSpace(s[i])) i++;
  return i;
}

/**
 * A line's container prefix (spaces, ">" and list markers) bounded: whitespace runs longer than
 * MAX_PREFIX_SPACES are shortened and markers past MAX_NESTING dropped, keeping the last one (so
 * "- [ ] item" at depth 900 stays a task item, at depth MAX_NESTING). Null when nothing changed.
 */
export function boundNesting(line: string): string | null {
  let i = 0;
  let markers = 0;
  let changed = false;
  let out = "";
  let copied = 0;
  let lastMarkerAt = -1;
  let keptEnd = -1;
  while (i < line.length) {
    const c = line[i];
    if (c === " " || c === "\t") {
      let j = i;
      while (j < line.length && (line[j] === " " || line[j] === "\t")) j++;
      if (j - i > MAX_PREFIX_SPACES && keptEnd === -1) {
        out += line.slice(copied, i + MAX_PREFIX_SPACES);
        copied = j;
        changed = true;
      }
      i = j;
      continue;
    }
    let end = -1;
    if (c === ">") end = i + 1;
    else if ((c === "-" || c === "*" || c === "+") && (line[i + 1] === " " || line[i + 1] === "\t")) end = i + 1;
    else if (isDigit(c)) {
      let j = i;
      while (j < line.length && j - i < 9 && isDigit(line[j])) j++;
      if ((line[j] === "." || line[j] === ")") && (line[j + 1] === " " || line[j + 1] === "\t")) end = j + 1;
    }
    if (end === -1) break;
    markers++;
    lastMarkerAt = i;
    if (markers === MAX_NESTING - 1) keptEnd = end;
    i = end;
  }
  if (markers >= MAX_NESTING) {
    // The first MAX_NESTING - 1 containers as written, then the innermost one.
    const head = out + line.slice(copied, keptEnd);
    return `${head} ${line.slice(lastMarkerAt)}`;
  }
  return changed ? out + line.slice(copied) : null;
}

/**
 * Cuts every line longer than MAX_LINE_CHARS (never inside a surrogate pair) and bounds how deep
 * each line nests (boundNesting). Returns the text and the numbers of the lines it changed.
 */
export function capLines(text: string): { text: string; cut: number[]; flattened: number[] } {
  const cut: number[] = [];
  const flattened: number[] = [];
  const out: string[] = [];
  let start = 0;
  let line = 1;
  let copiedTo = 0;
  while (start <= text.length) {
    const nl = text.indexOf("\n", start);
    const end = nl === -1 ? text.length : nl;
    let keep = end;
    if (end - start > MAX_LINE_CHARS) {
      keep = start + MAX_LINE_CHARS;
      const code = text.charCodeAt(keep - 1);
      if (code >= 0xd800 && code <= 0xdbff) keep--;
      cut.push(line);
    }
    // Only lines that start with a container can nest; most lines are left alone untouched.
    const first = text[start];
    const bounded = first === " " || first === "\t" || first === ">" || first === "-" || first === "*" || first === "+" || isDigit(first) ? boundNesting(text.slice(start, keep)) : null;
    if (bounded !== null) flattened.push(line);
    if (bounded !== null || keep !== end) {
      out.push(text.slice(copiedTo, start), bounded ?? text.slice(start, keep));
      copiedTo = end;
    }
    if (nl === -1) break;
    start = nl + 1;
    line++;
  }
  return cut.length === 0 && flattened.length === 0 ? { text, cut, flattened } : { text: out.join("") + text.slice(copiedTo), cut, flattened };
}

// --- text helpers ------------------------------------------------------------------------------

function collapse(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** Plain text of inline content: code, links, emphasis and bold lose their markup. */
function plain(nodes: readonly PhrasingContent[]): string {
  let out = "";
  for (const node of nodes) {
    switch (node.type) {
      case "text":
      case "inlineCode":
        out += node.value;
        break;
      case "break":
        out += " ";
        break;
      case "image":
      case "imageReference":
        out += node.alt ?? "";
        break;
      case "html":
      case "footnoteReference":
        break;
      default:
        if ("children" in node) out += plain(node.children as PhrasingContent[]);
    }
  }
  return collapse(out);
}

function lineOf(node: Nodes): number {
  return node.position?.start.line ?? 0;
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

// --- planned times -----------------------------------------------------------------------------

function offset(sign: "+" | "-", n: number, unit: string): string | null {
  const u = unit.toLowerCase();
  if (u.startsWith("d")) return `T${sign}${n}d`;
  if (u.startsWith("h")) return `T${sign}${n}h`;
  if (u.startsWith("m")) return `T${sign}${Math.floor(n / 60)}:${String(n % 60).padStart(2, "0")}`;
  return null;
}

const UNIT = "(hours?|hrs?|h|days?|d|minutes?|mins?)";

/** An explicit time written in the text: "T-4h", "T-4 Hours", "T+0:30", "06:30 AM", "Day 3", "Week 1". */
export function explicitTime(text: string): string | null {
  const worded = /(?:^|[^A-Za-z0-9])T\s*([+\-−–])\s*(\d{1,5})\s?(hours?|hrs?|minutes?|mins?|days?)\b/i.exec(text);
  if (worded) return offset(worded[1] === "+" ? "+" : "-", Number(worded[2]), worded[3]!);
  // At most five digits: a longer number is no offset, and a bounded run cannot backtrack far.
  const rel = /(?:^|[^A-Za-z0-9])T\s*([+\-−–])\s*(\d{1,5}(?::[0-5]\d)?[hdm]?)(?![A-Za-z0-9])/.exec(text);
  if (rel) return `T${rel[1] === "+" ? "+" : "-"}${rel[2]}`;
  const clock = /\b(\d{1,2}):([0-5]\d)\s*(AM|PM)\b/i.exec(text);
  if (clock) return `${clock[1].padStart(2, "0")}:${clock[2]} ${clock[3].toUpperCase()}`;
  // Day 1 is the cutover day (T-0), so "Day 3" starts two days after it; weeks likewise. Only
  // at the start and standing alone ("Day 3: Canary", "Week 1"): "Week 12 Completion Criteria"
  // names a week of the project, not a time of the cutover.
  const day = /(?:^|\()\s*(day|week)\s+(\d{1,3})\s*(?:$|[:.)(\-–—])/i.exec(text.trim());
  if (day) {
    const n = Math.max(1, Number(day[2]));
    const days = day[1]!.toLowerCase() === "day" ? n - 1 : (n - 1) * 7;
    return `T+${days}d`;
  }
  return null;
}

/**
 * Planned time of a phase from its heading: "Pre-Deployment (72 hours before cutover)" → "T-72h",
 * "2 Hours Before" → "T-2h", "Post-Cutover (48-72 hours)" → "T+48h" (start of the window),
 * an explicit "T-4h" or "06:30 AM" as written. "Post-Cutover (First 24 Hours)" is a duration, not
 * an offset, and gives null.
 */
export function plannedTimeFromHeading(heading: string): string | null {
  const explicit = explicitTime(heading);
  if (explicit) return explicit;
  const t = heading.toLowerCase();
  // (?<!\d): a number is tried from the start of its digits only, not from each of them.
  const before = new RegExp(`(?<!\\d)(\\d{1,5})\\s*${UNIT}\\s+(?:before|prior)\\b`).exec(t);
  if (before) return offset("-", Number(before[1]), before[2]);
  const after = new RegExp(`(?<!\\d)(\\d{1,5})\\s*${UNIT}\\s+after\\b`).exec(t);
  if (after) return offset("+", Number(after[1]), after[2]);
  if (/\bpost[\s-]*(cutover|launch|deployment|migration)\b/.test(t)) {
    const window = new RegExp(`\\(\\s*(\\d{1,5})\\s*[-–]\\s*\\d{1,5}\\s*${UNIT}\\s*\\)`).exec(t);
    if (window) return offset("+", Number(window[1]), window[2]);
  }
  return null;
}

// --- owner role and critical flag --------------------------------------------------------------

// Keyword rules, in priority order (a tie at the same position goes to the earlier rule).
const ROLE_RULES: readonly (readonly [Role, RegExp])[] = [
  ["DATABASE_DBA", /\b(databases?|postgres(?:ql)?|backups?|replicat\w*|replicas?|schemas?|index(?:es)?|indices|sql(?:ite)?|quer(?:y|ies)|connection pool|(?:data|dry-run|schema) migration|migration-cli|data integrity|dba)\b/i],
  ["QA_LEAD", /\b(tests?|testing|tested|qa|endpoints?|load test\w*|smoke)\b/i],
  ["COMMS_LEAD", /\b(notif\w*|stakeholders?|announce\w*|communicat\w*|brief\w*|contacts?|status page)\b/i],
  ["ON_CALL", /\b(monitor\w*|alert\w*|on-?call|pagerduty|logs?|logging|metrics?|dashboards?|prometheus|grafana|watch\w*|error rates?|latency|uptime|cpu|memory)\b/i],
  ["BACKEND_LEAD", /\b(code(?:base)?|builds?|built|binar(?:y|ies)|merged?|merging|compil\w*|docker|ci\/cd|backend|application|migrate|goroutines?|deploy\w*\s+(?:\w+\s+){0,3}(?:app|application|instances?|code|binar\w*))\b/i],
  ["DEPLOYMENT_LEAD", /\b(load balancer|traffic|dns|war room|rollback|roll back|nginx|rout(?:e|ed|ing)|cutover|firewall|runbook)\b/i],
];

function matchRole(text: string): Role | null {
  let best: { role: Role; at: number } | null = null;
  for (const [role, re] of ROLE_RULES) {
    const m = re.exec(text);
    if (m && (best === null || m.index < best.at)) best = { role, at: m.index };
  }
  return best?.role ?? null;
}

/**
 * Who owns an item, guessed from its text: the keyword that appears first decides (so "Go
 * binaries compiled and tested" is the Backend Lead's, "Load balancer configured and tested" the
 * Deployment Lead's). Without a keyword the section name, then the phase name decide; the default
 * is the Deployment Lead.
 */
export function guessOwnerRole(text: string, context: readonly string[] = []): Role {
  for (const t of [text, ...context]) {
    const role = matchRole(t);
    if (role) return role;
  }
  return "DEPLOYMENT_LEAD";
}

/**
 * An item line's trailing `(Role, T-0:30)`, as the export writes it when the words alone would
 * not give the owner or the time: the title without it and what it said. A parenthesis that is
 * not exactly a role label and/or a time ("(optional)", "(see docs)") is left in the title.
 */
export function readItemAnnotation(text: string): { title: string; role: Role | null; time: string | null } {
  const m = /\s\(([^()]{1,80})\)$/.exec(text);
  if (!m) return { title: text, role: null, time: null };
  let role: Role | null = null;
  let time: string | null = null;
  for (const part of m[1].split(",").map((p) => p.trim())) {
    const asTime = explicitTime(part) === part ? part : null;
    const asRole = asTime ? null : exactRole(part);
    if (asTime && time === null) time = asTime;
    else if (asRole && role === null) role = asRole;
    else return { title: text, role: null, time: null };
  }
  return { title: text.slice(0, m.index), role, time };
}

function exactRole(label: string): Role | null {
  const role = parseRoleLabel(label);
  return role && ROLE_LABELS[role].toLowerCase() === label.toLowerCase() ? role : null;
}

const CRITICAL_WORDS = /\b(backups?|rollback|roll back|data integrity|data loss|data corruption|error rates?|load balancer)\b/i;
const GATE_SECTION = /\b(decision|monitoring|rollback|triggers?)\b/i;
// "[<>]\s*=?\s*\d" would try every split of a run of spaces between its two \s*: quadratic.
const NUMERIC_THRESHOLD = /(?:[<>≤≥]\s*(?:=\s*)?\d)|(?:\b(?:under|below|above|over|at least|at most)\s+\d)/i;

/** Critical: safety words in the text, or a numeric threshold in a decision/monitoring section. */
export function isCriticalItem(text: string, sectionName: string): boolean {
  if (CRITICAL_WORDS.test(text)) return true;
  return GATE_SECTION.test(sectionName) && NUMERIC_THRESHOLD.test(text);
}

// --- decision points ---------------------------------------------------------------------------

const DECISION_LABEL = /^(?:decision point|decision|go ?\/ ?no[ -]*go)$/i;

/** "Decision point:", "Go / no-go" → true. The label is collapsed and its colon cut first. */
function isDecisionLabel(label: string): boolean {
  let l = collapse(label);
  if (l.endsWith(":")) l = l.slice(0, -1).trimEnd();
  return DECISION_LABEL.test(l);
}

/** Cuts trailing characters of `chars` (a string-code `replace(/[…]+$/, "")`, linear). */
function trimEndOf(s: string, chars: string): string {
  let end = s.length;
  while (end > 0 && chars.includes(s[end - 1])) end--;
  return s.slice(0, end);
}

/** "Proceed to 50% traffic if all metrics green" → { "Proceed to 50 %", 50 }. */
export function parseDecision(text: string): ImportedDecision {
  // Collapsed first: on single spaces the split pattern cannot rescan a run of whitespace.
  const clause = trimEndOf(collapse(collapse(text).split(/ (?:if|when|once|provided) /i)[0] ?? text), ".:;,");
  const pct = /(\d{1,3}(?:\.\d+)?)\s*%/.exec(clause);
  if (pct) {
    const n = Math.min(100, Math.max(0, Number(pct[1])));
    const title = clause.replace(/(\d{1,3}(?:\.\d+)?)\s*%(\s+traffic\b)?/i, `${n} %`);
    return { title: capitalise(title), targetPercent: n };
  }
  const full = /\b(full|100)\b/i.test(clause);
  return { title: capitalise(clause || "Go / no-go"), targetPercent: full ? 100 : null };
}

function capitalise(s: string): string {
  return s.length > 0 ? s[0].toUpperCase() + s.slice(1) : s;
}

// --- code blocks: timeline and triggers --------------------------------------------------------

const TREE_PREFIX = /^[\s\u2500-\u257F|*•·-]+/;
const DASHES = "-–—";
/** Longest time a schedule line starts with ("06:00 AM", "T-30m", "Day 2 09:00"). */
const MAX_TIME_CHARS = 100;

/**
 * "06:00 AM - Title": one or two digits, a colon, two digits, optional AM/PM, spaces, a dash,
 * spaces, then text. Written out by hand: the pattern `\d{1,2}:\d{2}\s*(?:AM|PM)?\s+[-–—]`
 * backtracks quadratically over a long run of spaces (the two \s quantifiers share them).
 */
export function isClockEntry(line: string): boolean {
  let i = 0;
  while (i < 2 && isDigit(line[i])) i++;
  if (i === 0 || line[i] !== ":" || !isDigit(line[i + 1]) || !isDigit(line[i + 2])) return false;
  const time = i + 3;
  i = skipSpaces(line, time);
  const meridiem = line.slice(i, i + 2).toUpperCase();
  // `\s*(?:AM|PM)?\s+`: at least one space before the dash, after the AM/PM if there is one.
  if (meridiem === "AM" || meridiem === "PM") {
    const before = i + 2;
    i = skipSpaces(line, before);
    if (i === before) return false;
  } else if (i === time) return false;
  if (!DASHES.includes(line[i] ?? "x")) return false;
  const after = skipSpaces(line, i + 1);
  return after > i + 1 && after < line.length;
}

/**
 * Splits "head - title" at the first dash that has whitespace on both sides, with a head that
 * starts with a non-space (what `/^(\S.*?)\s+[-–—]\s+(.+)$/` matched, in one pass).
 */
export function splitDashLine(line: string): { head: string; title: string } | null {
  if (line.length === 0 || isSpace(line[0])) return null;
  for (let i = 1; i < line.length - 2; i++) {
    if (DASHES.includes(line[i]) && isSpace(line[i - 1]) && isSpace(line[i + 1])) {
      let h = i - 1;
      while (h > 0 && isSpace(line[h - 1])) h--;
      if (h === 0) return null;
      return { head: line.slice(0, h), title: line.slice(i + 1) };
    }
  }
  return null;
}

/**
 * "Condition 2: Name", "condition - Name" → the separator and the name after it; null if the line
 * does not start a condition.
 */
export function conditionStart(line: string): { separator: string; name: string } | null {
  if (line.slice(0, 9).toLowerCase() !== "condition") return null;
  let i = skipSpaces(line, 9);
  while (isDigit(line[i])) i++;
  i = skipSpaces(line, i);
  const separator = line[i] ?? "";
  if (separator === "" || !":.-".includes(separator)) return null;
  return { separator, name: line.slice(i + 1) };
}

/** The rest of `line` after one of `prefixes` (case-insensitive) and at least `minSpaces` spaces. */
function textAfter(line: string, prefixes: readonly string[], minSpaces: number): string | null {
  const lower = line.toLowerCase();
  for (const p of prefixes) {
    if (!lower.startsWith(p)) continue;
    const i = skipSpaces(line, p.length);
    if (i - p.length >= minSpaces && i < line.length) return line.slice(i);
  }
  return null;
}

/** "06:00 AM - Deploy to Production" lines, each with its "├─ …" detail lines. */
export function parseTimelineBlock(code: string): ImportedTimelineEntry[] {
  const entries: ImportedTimelineEntry[] = [];
  for (const raw of code.split(/\r?\n/)) {
    if (!raw.trim()) continue;
    const head = splitDashLine(raw);
    const title = head ? collapse(head.title) : "";
    // An entry needs a title; a time that long is prose, not a time.
    if (head && title && head.head.length <= MAX_TIME_CHARS && !/^[\u2500-\u257F|]/.test(raw)) {
      entries.push({ time: collapse(head.head), title, details: [] });
      continue;
    }
    const detail = collapse(raw.replace(TREE_PREFIX, ""));
    if (detail && entries.length > 0) entries[entries.length - 1].details.push(detail);
  }
  return entries;
}

/** "Condition 1: Error Rate Spike / If … / → action" blocks. */
export function parseTriggerBlock(code: string): ImportedTrigger[] {
  const triggers: ImportedTrigger[] = [];
  for (const raw of code.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    const start = conditionStart(line);
    if (start !== null) {
      triggers.push({ name: collapse(start.name) || `Condition ${triggers.length + 1}`, condition: "", actions: [] });
      continue;
    }
    const current = triggers[triggers.length - 1];
    if (!current) continue;
    const action = textAfter(line, ["→", "->", "=>", "⇒"], 0);
    if (action !== null) {
      current.actions.push(collapse(action));
      continue;
    }
    const cond = textAfter(line, ["if", "when"], 1);
    const text = collapse(cond ?? line);
    current.condition = current.condition ? `${current.condition} ${text}` : text;
  }
  return triggers;
}

// --- dialects: what a block is about, check marks, links, actions ------------------------------

type BlockKind = "rollback" | "success" | "template" | "links" | "escalation" | null;

/** What a heading or bold label announces. */
function blockKind(name: string): BlockKind {
  if (/\btemplates?\b|\bannouncements?\b/i.test(name)) return "template";
  if (/\b(roll ?back|abort|revert)\b.*\b(triggers?|criteria|conditions?|if|when)\b|\btriggers?\b.*\broll ?back\b/i.test(name)) return "rollback";
  if (/\bsuccess (criteria|metrics|conditions)\b|\bgo ?\/? ?no[ -]?go\b|\b(exit|acceptance|completion) criteria\b|\b(complete|done) when\b/i.test(name)) return "success";
  if (/\bescalation\b/i.test(name)) return "escalation";
  if (/\bwar[ -]?room (setup|links)\b|\blinks\b|\bdashboards\b|\bresources\b/i.test(name)) return "links";
  return null;
}

/**
 * A heading whose plain bullets are work to do: a numbered step ("#### 3. Feature Flags Setup"),
 * "Step 2", "Day 3", a planned time ("T-4 Hours", "06:30 AM", "72 hours before") or a word that
 * says so ("Tasks", "Checklist", "Steps", "Actions", "Procedure").
 */
export function readsLikeSteps(name: string): boolean {
  if (!name) return false;
  if (/^\s*(?:step\s*)?\d{1,3}[.):]\s/i.test(name)) return true;
  if (/^\s*(?:step|task|stage|phase|wave|day|week)\s*\d{1,3}\b/i.test(name)) return true;
  if (plannedTimeFromHeading(name) !== null) return true;
  return /\b(steps?|tasks?|checklists?|to-?dos?|actions?|procedures?|activities)\b/i.test(name);
}

/** A line that starts with a check mark: ✅ / ✓ / ✔ / [x] (done) or ☐ / ⬜ / [ ] (open). */
export function checkMark(text: string): { text: string; checked: boolean } | null {
  const m = /^(✅|✓|✔️?|☑️?|\[[xX]\]|☐|⬜|◻️?|\[ \])\s*/u.exec(text);
  if (!m) return null;
  const checked = !/^(☐|⬜|◻|\[ \])/u.test(m[1]!);
  return { text: text.slice(m[0].length).trim(), checked };
}

/** The inline content of a paragraph, one array per source line. */
function paragraphLines(nodes: readonly PhrasingContent[]): PhrasingContent[][] {
  const lines: PhrasingContent[][] = [[]];
  for (const node of nodes) {
    if (node.type === "text" && node.value.includes("\n")) {
      const parts = node.value.split("\n");
      parts.forEach((part, i) => {
        if (i > 0) lines.push([]);
        if (part) lines[lines.length - 1]!.push({ type: "text", value: part });
      });
    } else if (node.type === "break") {
      lines.push([]);
    } else lines[lines.length - 1]!.push(node);
  }
  return lines;
}

/** "**Bridge**: https://…" or "Dashboard: [Grafana](https://…)" → a war-room link. */
function linkOf(nodes: readonly PhrasingContent[], text: string): ImportedLink | null {
  const link = nodes.find((n) => n.type === "link");
  const url = link && link.type === "link" ? link.url : /\bhttps?:\/\/[^\s)>\]]+/.exec(text)?.[0];
  if (!url || !/^https?:\/\//i.test(url)) return null;
  const colon = text.indexOf(":");
  const label = colon > 0 && colon < 60 && !text.slice(0, colon).includes("http") ? collapse(text.slice(0, colon)) : link && link.type === "link" ? plain(link.children) : url;
  return { label: label || url, url };
}

/** The action after the arrow: "ROLLBACK", "shift 50% back", "page on-call". */
function actionOf(text: string): { action: "rollback" | "shift" | "alert"; shiftToPercent: number | null } | null {
  if (/\broll ?back\b|\brevert\b|\babort\b/i.test(text)) return { action: "rollback", shiftToPercent: null };
  const shift = /\bshift\b\D{0,20}(\d{1,3})\s*%/i.exec(text);
  if (shift) return { action: "shift", shiftToPercent: Math.min(100, Number(shift[1])) };
  if (/\b(alert|page|notify|escalate|investigate)\b/i.test(text)) return { action: "alert", shiftToPercent: null };
  return null;
}

/** How far back a gate read from a runbook looks when it does not say: the five minutes most runbooks mean by "stable". */
export const DEFAULT_GATE_WINDOW_SEC = 300;

/**
 * A measurable check as a gate: "Error rate < 1%", "Error rate < 1% (old) over 30 minutes",
 * "Latency p95 <= 1.2 × old" (a ratio to the old system), as the export writes them.
 */
function gateOf(measure: Measure, text: string, phase: string | null, line: number): ImportedGate {
  const ratio = /\d\s{0,3}(?:[×x*]|times)\s{0,3}old\b/i.test(text);
  const window = measure.forSeconds === null ? DEFAULT_GATE_WINDOW_SEC : Math.min(GATE_WINDOW_SEC.max, Math.max(GATE_WINDOW_SEC.min, measure.forSeconds));
  return {
    text,
    name: measure.name,
    metric: measure.metric,
    unit: measure.unit,
    comparison: measure.comparison,
    value: measure.value,
    phase,
    line,
    system: !ratio && /\(old\)/i.test(text) ? "old" : "new",
    factor: ratio ? measure.value : null,
    windowSec: window,
  };
}

/** How long a rule waits when the runbook does not say ("sustained" without a duration). */
export const DEFAULT_RULE_FOR_SECONDS = 60;

/**
 * What a rule's condition watches: an Alertmanager alert ("alert X is firing"), which acts at once
 * unless a wait is said (Alertmanager has waited out the alert's own `for`), or a metric compared
 * with a number. Null when it is neither. Both ways of writing rules (lines and "Condition" blocks)
 * read their conditions here.
 */
function ruleWatch(condition: string): Pick<ImportedRule, "name" | "metric" | "unit" | "comparison" | "threshold" | "forSeconds" | "alertName"> | null {
  const alert = parseAlertCondition(condition);
  if (alert) return { name: `alert ${alert.alertName}`, metric: null, unit: "", ...ALERT_CONDITION, forSeconds: alert.forSeconds ?? 0, alertName: alert.alertName };
  const measure = parseMeasure(condition);
  if (!measure) return null;
  return { name: measure.name, metric: measure.metric, unit: measure.unit, comparison: measure.comparison, threshold: measure.value, forSeconds: measure.forSeconds ?? DEFAULT_RULE_FOR_SECONDS };
}

/** Monitoring sections whose measurable checks become gates of their phase's decision. */
const DECISION_GATE_SECTION = /\b(monitor\w*|decision|go ?\/? ?no[ -]?go|criteria|health)\b/i;

/** "Level 2: Engineering manager (15-30 min)", "0-15 min - Team lead" → a ladder rung. */
export function parseEscalation(text: string, position = 1): ImportedEscalation {
  let criticalOnly = false;
  const flag = "(critical only)";
  if (text.toLowerCase().endsWith(flag)) {
    criticalOnly = true;
    text = text.slice(0, -flag.length).trimEnd();
  }
  // The export's "2. Level: Who after 15 min": the words after the last " after " are the wait.
  const at = text.toLowerCase().lastIndexOf(" after ");
  const sepAt = text.indexOf(":");
  if (at > 0 && sepAt > 0 && sepAt < at) {
    const waited = collapse(text.slice(at + " after ".length));
    const level = collapse(text.slice(0, sepAt)) || `Level ${position}`;
    return { level, who: collapse(text.slice(sepAt + 1, at)), after: waited === "-" ? "" : waited, ...(criticalOnly ? { criticalOnly } : {}) };
  }
  const after = /\(?\b(\d{1,4}\s*(?:[-–]\s*\d{1,4}\s*)?\+?\s*(?:min(?:ute)?s?|hours?|h)\b\+?)\)?/i.exec(text);
  let rest = after ? collapse(text.slice(0, after.index) + " " + text.slice(after.index + after[0].length)) : text;
  rest = rest.replace(/^[-–—:\s]+|[-–—:\s]+$/g, "");
  const sep = /\s*(?::|→|->|\s[-–—]\s)\s*/.exec(rest);
  const level = sep && sep.index > 0 ? rest.slice(0, sep.index) : `Level ${position}`;
  const who = sep && sep.index > 0 ? rest.slice(sep.index + sep[0].length) : rest;
  return { level: collapse(level), who: collapse(who), after: after ? collapse(after[1]!) : "", ...(criticalOnly ? { criticalOnly } : {}) };
}

/** An item's planned time: as written ("T-30m", "06:30 AM", "Day 3") or "2 hours before". */
function itemTime(text: string): string | null {
  return plannedTimeFromHeading(text);
}

/** A "Contact" cell: an e-mail, a phone number or a chat handle. */
function splitContact(text: string): { phone: string | null; chatHandle: string | null; email: string | null } {
  const out = { phone: null as string | null, chatHandle: null as string | null, email: null as string | null };
  // "·" is how the export joins them.
  for (const part of text.split(/[,;/·]|\s{2,}/)) {
    const p = part.trim();
    if (!p) continue;
    if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(p)) out.email ??= p;
    else if (/^[@#]/.test(p)) out.chatHandle ??= p;
    else if (/^\+?[\d\s().-]{6,}$/.test(p)) out.phone ??= p;
    else out.chatHandle ??= p;
  }
  return out;
}

/** A block as plain text, list entries as "- " lines (the body of an announcement template). */
function blockText(node: RootContent): string {
  switch (node.type) {
    case "paragraph":
      return paragraphLines(node.children).map((l) => plain(l)).filter(Boolean).join("\n");
    case "code":
      return node.value;
    case "list":
      return node.children.map((li) => `- ${li.children.map((c) => blockText(c as RootContent)).filter(Boolean).join("\n  ")}`).join("\n");
    case "blockquote":
      return node.children.map((c) => blockText(c)).filter(Boolean).join("\n");
    case "table":
      return node.children.map((r) => r.children.map((c) => plain(c.children)).join(" | ")).join("\n");
    case "heading":
      return plain(node.children);
    default:
      return "";
  }
}

// --- the walk ----------------------------------------------------------------------------------

interface SectionDraft {
  name: string;
  line: number;
  items: ImportedItem[];
  notes?: string[];
}
interface PhaseDraft {
  name: string;
  line: number;
  plannedTime: string | null;
  sections: SectionDraft[];
  decision: ImportedDecision | null;
  group: number; // index of the h2 block the phase came from (-1: before any h2)
  container: boolean; // an h2 whose h3s were made phases
  implicit: boolean; // the "Plan" phase made for items with no h2 above them
  skipped: { line: number; message: string }[]; // reported only if the phase is kept
}

const PHASE_CONTAINER_NAME = /\b(day of|cutover day|phases|stages)\b/i;
const NUMBERED_PHASE = /^(?:cutover\s+)?(?:phase|stage|step|wave)\s*\d+/i;
const TIMELINE_HEADING = /\b(timeline|schedule|run of show)\b/i;
const TRIGGER_HEADING = /\btriggers?\b/i;

function headingText(h: Heading): string {
  return plain(h.children);
}

/** A paragraph that is only "**Label**:" or "**Label:**"; returns the label. */
function boldLabel(p: Paragraph): string | null {
  const first = p.children[0];
  if (!first || first.type !== "strong") return null;
  const text = plain(p.children);
  if (!text.endsWith(":") || text.length > 100) return null;
  const rest = p.children.slice(1);
  if (rest.some((c) => c.type !== "text" || c.value.trim() !== ":")) return null;
  return collapse(text.replace(/:$/, ""));
}

/** "**Decision point**: Proceed to …"; returns the text after the label. */
function decisionText(p: Paragraph): string | null {
  const first = p.children[0];
  if (!first || first.type !== "strong") return null;
  const label = plain(first.children);
  if (!isDecisionLabel(label)) return null;
  return collapse(plain(p.children.slice(1)).replace(/^:\s*/, "")) || null;
}

class Importer {
  private readonly phases: PhaseDraft[] = [];
  private phase: PhaseDraft | null = null;
  private section: SectionDraft | null = null;
  private phaseDepth = 2;
  private group = -1;
  private readonly headings: string[] = [];
  private readonly warnings: { line: number; message: string }[] = [];
  private title: string | null = null;
  private readonly plan: ImportedPlan;
  /** The bold label ("**Immediate Rollback If**:") the current block sits under, if any. */
  private label: string | null = null;
  /** The announcement template being read (a heading that names one, and what follows it). */
  private template: ImportedTemplate | null = null;
  /** Items that compare a metric with a number: gates of their phase's decision, if it has one. */
  private readonly measured = new Map<ImportedItem, { measure: Measure; text: string; line: number }>();
  private readonly skips: ImportedSkip[] = [];

  constructor(plan: ImportedPlan) {
    this.plan = plan;
  }

  run(tree: Root): void {
    const nodes = tree.children;
    for (let i = 0; i < nodes.length; i++) this.visit(nodes[i], nodes, i);
  }

  /** `cut`, `flattened`: the lines capLines shortened and those it made less deep. */
  finish(cut: readonly number[] = [], flattened: readonly number[] = [], frontMatterTitle: string | null = null): void {
    this.plan.title = this.title ?? frontMatterTitle ?? "";
    if (this.title === null && frontMatterTitle === null) this.warn(1, "no level-1 heading: the plan has no title");
    this.finishPhases();
    this.plan.gates.sort((a, b) => a.line - b.line);
    if (this.plan.phases.length === 0) this.warn(1, "no checklist items (- [ ] …) found: the plan has no phases");
    for (const line of flattened) this.warn(line, `indented or nested too deeply (more than ${MAX_NESTING} levels); read less deep`);
    for (const line of cut) this.warn(line, `line longer than ${MAX_LINE_CHARS.toLocaleString("en-US")} characters; only its first ${MAX_LINE_CHARS.toLocaleString("en-US")} were read`);
    this.skips.sort((a, b) => a.line - b.line);
    this.plan.skipped = this.skips.slice(0, MAX_WARNINGS);
    this.warnings.sort((a, b) => a.line - b.line);
    // A hostile document can produce a warning per line; the import screen shows a readable few.
    const shown = this.warnings.slice(0, MAX_WARNINGS).map((w) => `line ${w.line}: ${w.message}`);
    if (this.warnings.length > MAX_WARNINGS) shown.push(`line ${this.warnings[MAX_WARNINGS].line}: … and ${(this.warnings.length - MAX_WARNINGS).toLocaleString("en-US")} more warnings not shown`);
    this.plan.warnings.push(...shown);
  }

  private warn(line: number, message: string): void {
    this.warnings.push({ line, message });
  }

  /** A skipped thing inside a phase: reported only if the phase is kept (else the phase is). */
  private skip(line: number, message: string): void {
    if (this.phase) this.phase.skipped.push({ line, message });
    else this.warn(line, message);
  }

  private context(): string {
    return this.headings.slice(2).filter(Boolean).join(" / ");
  }

  private visit(node: RootContent, siblings: readonly RootContent[], index: number): void {
    if (this.template && node.type !== "heading" && node.type !== "thematicBreak") {
      const text = blockText(node);
      if (text) this.template.body = this.template.body ? `${this.template.body}\n\n${text}` : text;
      return;
    }
    switch (node.type) {
      case "heading":
        this.onHeading(node, siblings, index);
        break;
      case "paragraph":
        this.onParagraph(node);
        break;
      case "list":
        this.onList(node);
        break;
      case "table":
        this.onTable(node);
        break;
      case "code":
        this.onCode(node);
        break;
      case "blockquote":
        node.children.forEach((c, i) => this.visit(c, node.children, i));
        break;
      case "html":
        // Kept as text in the skipped list (rendered as text there), never interpreted.
        if (node.value.trim()) this.note(lineOf(node), `HTML: ${collapse(node.value).slice(0, 120)}`);
        break;
      default:
        break;
    }
  }

  private onHeading(h: Heading, siblings: readonly RootContent[], index: number): void {
    const text = headingText(h);
    this.headings.length = h.depth;
    this.headings[h.depth] = text;
    this.label = null;
    this.template = null;
    if (h.depth >= 2 && blockKind(text) === "template" && !/\btemplates\b/i.test(text)) {
      // "### Success announcement" under "## Communication templates": one template each.
      this.template = { name: text, body: "" };
      this.plan.templates.push(this.template);
      return;
    }
    if (h.depth === 1 && this.title === null) {
      this.title = text;
      return;
    }
    const depth = h.depth === 1 ? 2 : h.depth; // a later h1 is read as a phase
    if (depth === 2) {
      this.group++;
      const container = this.isPhaseContainer(text, siblings, index);
      this.phaseDepth = container ? 3 : 2;
      this.newPhase(text, lineOf(h), container);
      return;
    }
    if (depth === 3 && this.phaseDepth === 3) {
      this.newPhase(text, lineOf(h), false);
      return;
    }
    if (!this.phase) this.newPhase(DEFAULT_PHASE_NAME, lineOf(h), false, true);
    this.section = { name: text, line: lineOf(h), items: [] };
    this.phase!.sections.push(this.section);
  }

  /** Whether an h2's h3s are phases (see the comment at the top of the file). */
  private isPhaseContainer(name: string, siblings: readonly RootContent[], index: number): boolean {
    let h3s = 0;
    let inH3 = false;
    let structuredH3 = false;
    let numbered = false;
    for (let i = index + 1; i < siblings.length; i++) {
      const n = siblings[i];
      if (n.type === "heading") {
        if (n.depth <= 2) break;
        if (n.depth === 3) {
          h3s++;
          inH3 = true;
          if (NUMBERED_PHASE.test(headingText(n))) numbered = true;
        }
      } else if (inH3 && n.type === "paragraph" && (boldLabel(n) !== null || decisionText(n) !== null)) {
        structuredH3 = true;
      }
    }
    if (h3s === 0) return false;
    return PHASE_CONTAINER_NAME.test(name) || numbered || structuredH3;
  }

  private newPhase(name: string, line: number, container: boolean, implicit = false): void {
    this.phase = {
      name,
      line,
      plannedTime: implicit ? null : plannedTimeFromHeading(name),
      sections: [],
      decision: null,
      group: implicit ? -1 : this.group,
      container,
      implicit,
      skipped: [],
    };
    this.phases.push(this.phase);
    this.section = null;
  }

  private ensureSection(line: number): { phase: PhaseDraft; section: SectionDraft } {
    if (!this.phase) this.newPhase(DEFAULT_PHASE_NAME, line, false, true);
    const phase = this.phase!;
    if (!this.section) {
      this.section = { name: DEFAULT_SECTION_NAME, line, items: [] };
      phase.sections.push(this.section);
    }
    return { phase, section: this.section };
  }

  /** What the current block is about, from its label or the nearest heading that says. */
  private blockContext(): { kind: BlockKind; severity: "immediate" | "graceful"; steps: boolean; name: string } {
    const names = [this.label, ...this.headings.slice(2).reverse()].filter((n): n is string => !!n);
    let kind: BlockKind = null;
    for (const n of names) {
      kind = blockKind(n);
      if (kind) break;
    }
    const sev = names.find((n) => /\b(immediate|graceful)\b/i.test(n));
    const nearest = names[0] ?? "";
    return { kind, severity: sev && /graceful/i.test(sev) ? "graceful" : "immediate", steps: readsLikeSteps(nearest), name: nearest };
  }

  private onParagraph(p: Paragraph): void {
    const decision = decisionText(p);
    if (decision !== null) {
      if (!this.phase) this.newPhase(DEFAULT_PHASE_NAME, lineOf(p), false, true);
      if (this.phase!.decision) {
        this.skip(lineOf(p), `second decision point in "${this.phase!.name}" skipped: "${decision}"`);
      } else {
        this.phase!.decision = parseDecision(decision);
      }
      return;
    }
    const label = boldLabel(p);
    if (label !== null) {
      this.label = label;
      if (blockKind(label) === "template") {
        this.template = { name: label, body: "" };
        this.plan.templates.push(this.template);
        return;
      }
      if (!this.phase) this.newPhase(DEFAULT_PHASE_NAME, lineOf(p), false, true);
      this.section = { name: label, line: lineOf(p), items: [] };
      this.phase!.sections.push(this.section);
      return;
    }
    // Line by line: a paragraph often holds several "**Bridge**: url" or "✅ Done" lines.
    const start = lineOf(p);
    paragraphLines(p.children).forEach((nodes, i) => this.onLine(nodes, start + i));
  }

  private onLine(nodes: PhrasingContent[], line: number): void {
    const text = plain(nodes);
    if (!text) return;
    const ctx = this.blockContext();
    const mark = checkMark(text);
    if (mark) {
      this.entry(mark.text, mark.checked, line, ctx, true);
      return;
    }
    if (this.ruleLine(text, line, ctx)) return;
    const link = linkOf(nodes, text);
    if (link) {
      this.plan.links.push(link);
      return;
    }
    this.note(line, text);
  }

  /** Unrecognised text: a note of its section and a line of the skipped list. */
  private note(line: number, text: string): void {
    const cut = text.length > 300 ? `${text.slice(0, 300)}…` : text;
    this.skips.push({ line, text: cut });
    // Bounded like the warnings: a document of nothing but prose must not return itself as notes.
    if (this.section && (this.section.notes?.length ?? 0) < MAX_SECTION_NOTES) (this.section.notes ??= []).push(cut);
  }

  /** "If error rate > 5% for 5 minutes → ROLLBACK" anywhere, or a measure under a rollback heading. */
  private ruleLine(text: string, line: number, ctx: ReturnType<Importer["blockContext"]>): boolean {
    const arrow = /\s*(?:→|->|=>|⇒)\s*/.exec(text);
    const condition = arrow ? text.slice(0, arrow.index) : text;
    const action = arrow ? text.slice(arrow.index + arrow[0].length) : "";
    const isIf = /^(?:if|when)\b/i.test(condition);
    const actionKind = actionOf(action);
    if (!(ctx.kind === "rollback" || (isIf && arrow && actionKind))) return false;
    const watch = ruleWatch(condition);
    if (!watch) return false;
    const act = actionKind ?? { action: "rollback" as const, shiftToPercent: null };
    const severity = /\bgraceful\b/i.test(text) ? "graceful" : /\bimmediate\b/i.test(text) ? "immediate" : ctx.severity;
    this.plan.rules.push({ text, ...watch, severity, ...act, line, ...(watch.alertName === undefined && /\(old\)/i.test(condition) ? { system: "old" as const } : {}) });
    return true;
  }

  /**
   * One list entry or check-mark line. Returns the item it became (sub-bullets become its notes),
   * or null when it became something else or was not read.
   */
  private entry(text: string, checked: boolean, line: number, ctx: ReturnType<Importer["blockContext"]>, boxed: boolean): ImportedItem | null | "plain" {
    if (!text) {
      this.skip(line, "checklist item without text skipped");
      return null;
    }
    if (this.ruleLine(text, line, ctx)) return null;
    if (ctx.kind === "success") {
      const measure = parseMeasure(text);
      if (measure) {
        // "**Success criteria**:" right in a phase with a decision point (as the export writes a
        // decision's gates) gates that decision; under a heading of its own, the whole cutover.
        const ofDecision = this.phase?.decision && this.label !== null && blockKind(this.label) === "success" ? this.phase.name : null;
        this.plan.gates.push(gateOf(measure, text, ofDecision, line));
        return null;
      }
    }
    if (ctx.kind === "escalation" && !boxed) {
      this.plan.escalation.push(parseEscalation(text, this.plan.escalation.length + 1));
      return null;
    }
    if (ctx.kind === "links" && !boxed) {
      const url = /\bhttps?:\/\/[^\s)>\]]+/.exec(text);
      if (url) {
        const label = collapse(text.slice(0, url.index).replace(/[:\-–—(\[]+\s*$/, "")) || url[0];
        this.plan.links.push({ label, url: url[0] });
        return null;
      }
    }
    if (!boxed && !ctx.steps && ctx.kind !== "success" && ctx.kind !== "rollback") return "plain";
    return this.addItem(text, checked, line);
  }

  private onList(list: List): void {
    const ctx = this.blockContext();
    let plainEntries = 0;
    let firstPlainLine = 0;
    const walk = (l: List, parent: ImportedItem | null): void => {
      for (const li of l.children) {
        const nested = li.children.filter((c): c is List => c.type === "list");
        const first = li.children.find((c): c is Paragraph => c.type === "paragraph");
        const text = first ? plain(first.children) : "";
        let made: ImportedItem | null = null;
        // "- [Grafana](https://…)" under a links heading: the address is in the link, not its text.
        const link = ctx.kind === "links" && first && typeof li.checked !== "boolean" ? linkOf(first.children, text) : null;
        if (link) {
          this.plan.links.push(link);
        } else if (typeof li.checked === "boolean") {
          const r = this.entry(text, li.checked, lineOf(li), ctx, true);
          made = r === "plain" ? null : r;
        } else if (parent && text) {
          // A sub-bullet of an item is a note of it: "- Deploy\n  - use the blue pool".
          (parent.notes ??= []).push(text);
        } else if (!nested.some(hasTaskItem)) {
          const mark = checkMark(text);
          const r = mark ? this.entry(mark.text, mark.checked, lineOf(li), ctx, true) : this.entry(text, false, lineOf(li), ctx, false);
          if (r === "plain") {
            if (plainEntries === 0) firstPlainLine = lineOf(li);
            plainEntries++;
            if (text) this.note(lineOf(li), text);
          } else made = r;
        }
        nested.forEach((n) => walk(n, made ?? (typeof li.checked === "boolean" ? null : parent)));
      }
    };
    walk(list, null);
    if (plainEntries > 0) {
      const what = plainEntries === 1 ? "1 list entry" : `${plainEntries} list entries`;
      this.skip(firstPlainLine, `${what} without a checkbox skipped (only - [ ] items, or plain lists under a step heading, become checklist items)`);
    }
  }

  private addItem(text: string, checked: boolean, line: number, owner: Role | null = null, when: string | null = null): ImportedItem {
    const { phase, section } = this.ensureSection(line);
    const said = readItemAnnotation(text);
    const title = said.title;
    const item: ImportedItem = {
      title,
      ownerRole: owner ?? said.role ?? guessOwnerRole(title, [section.name, phase.name]),
      critical: isCriticalItem(title, section.name),
      plannedTime: when ?? said.time ?? itemTime(title) ?? itemTime(section.name),
      checked,
    };
    section.items.push(item);
    const measure = parseMeasure(title);
    if (measure && measure.metric !== null) this.measured.set(item, { measure, text: title, line });
    return item;
  }

  /** A row of a thresholds table: "P95 Latency | > 500ms | > 1000ms". */
  private addThreshold(name: string, warning: string, critical: string, line: number): void {
    if (!name) return;
    const w = warning ? readComparison(warning) : null;
    const c = critical ? readComparison(critical) : null;
    if (!w && !c) {
      this.warn(line, `threshold row "${name}" has no "> N" or "< N" value; skipped`);
      this.note(line, [name, warning, critical].filter(Boolean).join(" | "));
      return;
    }
    const unit = (w ?? c)!.unit;
    const measure = parseMeasure(`${name} ${warning || critical}`);
    const metric = measure?.metric ?? null;
    const op = (w ?? c)!.comparison;
    this.plan.thresholds.push({
      name,
      metric,
      unit: metric ? measure!.unit : unit ?? "",
      direction: op === "<" || op === "<=" ? "below" : "above",
      warning: w ? w.value : null,
      critical: c ? c.value : null,
      line,
    });
  }

  private onTable(table: Table): void {
    const [head, ...rows] = table.children;
    if (!head) return;
    const header = head.children.map((c) => plain(c.children).toLowerCase());
    const col = (re: RegExp): number => header.findIndex((h) => re.test(h));
    const cells = rows
      .map((r) => ({ line: lineOf(r), values: r.children.map((c) => plain(c.children)) }))
      .filter((r) => r.values.some((v) => v !== ""));
    const at = (values: string[], i: number): string => (i >= 0 ? values[i] ?? "" : "");

    const task = col(/^(tasks?|steps?|actions?|activit(y|ies)|items?|what)\b/);
    if (task >= 0 && col(/^(roles?|metrics?|risks?)\b/) < 0) {
      const owner = col(/owner|who|responsible|assignee|team/);
      const status = col(/status|done|state/);
      const when = col(/^(when|time|planned|schedule|start|eta|due)\b/);
      for (const r of cells) {
        const title = at(r.values, task);
        if (!title) {
          this.warn(r.line, "task row without a task skipped");
          continue;
        }
        const ownerText = at(r.values, owner);
        const role = ownerText ? parseRoleLabel(ownerText) ?? guessOwnerRole(ownerText, []) : null;
        const statusText = at(r.values, status);
        const done = /^(done|complete[d]?|yes|✅|✓|✔|\[x\])/i.test(statusText);
        const whenText = at(r.values, when);
        const item = this.addItem(title, done, r.line, role, whenText ? itemTime(whenText) ?? null : null);
        if (ownerText && !parseRoleLabel(ownerText)) (item.notes ??= []).push(`Owner: ${ownerText}`);
      }
      return;
    }

    const warningCol = col(/^warn/);
    const criticalCol = col(/^(critical|crit|page|alert|error)\b/);
    const metricCol = col(/^(metrics?|signal|indicator|kpi)\b/);
    if (metricCol >= 0 && (warningCol >= 0 || criticalCol >= 0)) {
      for (const r of cells) this.addThreshold(at(r.values, metricCol), at(r.values, warningCol), at(r.values, criticalCol), r.line);
      return;
    }

    const risk = col(/^risks?\b/);
    const probability = col(/probab|likelihood/);
    const impact = col(/impact|severity/);
    const mitigation = col(/mitigat/);
    if (risk >= 0 && (probability >= 0 || impact >= 0 || mitigation >= 0)) {
      for (const r of cells) {
        const title = at(r.values, risk);
        if (!title) {
          this.warn(r.line, "risk row without a risk skipped");
          continue;
        }
        this.plan.risks.push({ title, probability: at(r.values, probability), impact: at(r.values, impact), mitigation: at(r.values, mitigation) });
      }
      return;
    }

    const metric = col(/^metrics?\b/);
    const threshold = col(/threshold|limit/);
    if (metric >= 0 && threshold >= 0) {
      const action = col(/action|response/);
      for (const r of cells) {
        const name = at(r.values, metric);
        if (!name) continue;
        this.plan.metrics.push({ name, threshold: at(r.values, threshold), action: at(r.values, action) });
        // One number per metric: the level at which someone acts, its warning value.
        this.addThreshold(name, at(r.values, threshold), "", r.line);
      }
      return;
    }

    const role = col(/^roles?\b/);
    const person = col(/person|who|owner|name|assignee|people/);
    if (role >= 0 && person >= 0) {
      const responsibilities = col(/responsib|duties|tasks?/);
      const phone = col(/phone|mobile|tel/);
      const chat = col(/slack|chat|handle|teams|channel/);
      const email = col(/e-?mail/);
      const contact = col(/^contact/);
      for (const r of cells) {
        const label = at(r.values, role);
        const parsed = parseRoleLabel(label);
        const who = at(r.values, person);
        if (!parsed) {
          if (/escalat|manager|executive|director|vp\b/i.test(label)) {
            this.plan.escalation.push({ level: label, who, after: "" });
            continue;
          }
          this.warn(r.line, `role "${label}" is not one of the cutover roles; row skipped`);
          this.note(r.line, r.values.join(" | "));
          continue;
        }
        this.plan.roles.push({ role: parsed, who, responsibilities: at(r.values, responsibilities) });
        const reach = splitContact(at(r.values, contact));
        this.plan.contacts.push({
          role: parsed,
          name: who || label,
          phone: at(r.values, phone) || reach.phone,
          chatHandle: at(r.values, chat) || reach.chatHandle,
          email: at(r.values, email) || reach.email,
        });
      }
      return;
    }

    this.warn(lineOf(table), `table (${header.join(" | ")}) skipped: not a task, threshold, risk, metric or role table`);
    for (const r of cells) this.note(r.line, r.values.join(" | "));
  }

  private onCode(code: Code): void {
    const ctx = this.context();
    const lines = code.value.split(/\r?\n/);
    const clockLines = lines.filter(isClockEntry).length;
    if (TIMELINE_HEADING.test(ctx) || clockLines >= 2) {
      const entries = parseTimelineBlock(code.value);
      if (entries.length > 0) {
        this.plan.timeline.push(...entries);
        return;
      }
      if (TIMELINE_HEADING.test(ctx)) {
        this.warn(lineOf(code), `code block under "${ctx}" has no "06:00 AM - Step" lines; no timeline read`);
        return;
      }
    }
    const hasConditions = lines.some((l) => conditionStart(l.trimStart())?.separator === ":");
    if (hasConditions || TRIGGER_HEADING.test(ctx)) {
      const triggers = parseTriggerBlock(code.value);
      if (triggers.length > 0) {
        this.plan.triggers.push(...triggers);
        const sctx = this.blockContext();
        for (const t of triggers) {
          const watch = ruleWatch(t.condition);
          if (!watch) {
            this.warn(lineOf(code), `trigger "${t.name}": "${t.condition}" compares no metric with a number; no rule made`);
            continue;
          }
          const act = actionOf(t.actions.join(" ")) ?? { action: "alert" as const, shiftToPercent: null };
          this.plan.rules.push({ text: `${t.name}: ${t.condition} → ${t.actions.join("; ")}`, ...watch, severity: /graceful/i.test(t.name) ? "graceful" : sctx.severity, ...act, line: lineOf(code) });
        }
        return;
      }
      this.warn(lineOf(code), `code block under "${ctx}" is not in the "Condition 1: Name / If … / → action" form; no triggers read`);
      return;
    }
    this.skip(lineOf(code), `code block${code.lang ? ` (${code.lang})` : ""} skipped`);
    this.skips.push({ line: lineOf(code), text: `code block${code.lang ? ` (${code.lang})` : ""}: ${collapse(code.value).slice(0, 120)}` });
  }

  private finishPhases(): void {
    const kept = new Set<PhaseDraft>();
    for (const p of this.phases) {
      // A measurable check in the monitoring of a phase that ends in a decision is that
      // decision's gate: the app evaluates it from the metric instead of someone ticking it.
      // Only for metrics the cutover can already measure: a gate on a metric without a query
      // could never pass, so such an item stays a checklist item.
      if (p.decision) {
        for (const s of p.sections) {
          if (!DECISION_GATE_SECTION.test(s.name)) continue;
          s.items = s.items.filter((item) => {
            const m = this.measured.get(item);
            if (!m) return true;
            this.plan.gates.push(gateOf(m.measure, m.text, p.name, m.line));
            return false;
          });
        }
      }
      p.sections = p.sections.filter((s) => s.items.length > 0);
      if (p.sections.length > 0 || p.decision) kept.add(p);
    }
    const groups = new Map<number, PhaseDraft[]>();
    for (const p of this.phases) {
      const members = groups.get(p.group);
      if (members) members.push(p);
      else groups.set(p.group, [p]);
    }
    for (const [g, members] of groups) {
      if (g >= 0 && !members.some((p) => kept.has(p))) {
        // One warning for a whole h2 block without items (an overview, a diagram, notes).
        this.warn(members[0].line, `"${members[0].name}" has no checklist items; not made a phase`);
        continue;
      }
      for (const p of members) {
        if (kept.has(p)) this.warnings.push(...p.skipped);
        else if (!p.container && !p.implicit) this.warn(p.line, `"${p.name}" has no checklist items; not made a phase`);
        else this.warnings.push(...p.skipped);
      }
    }
    this.plan.phases = this.phases
      .filter((p) => kept.has(p))
      .map((p) => ({
        name: p.name,
        plannedTime: p.plannedTime,
        sections: p.sections.map((s) => (s.notes?.length ? { name: s.name, items: s.items, notes: s.notes } : { name: s.name, items: s.items })),
        decision: p.decision,
      }));
  }
}

// Remembered per list: the walk asks about every nested list at every level, which would make a
// deeply nested list cost depth × size.
const taskItemMemo = new WeakMap<List, boolean>();

function hasTaskItem(list: List): boolean {
  const known = taskItemMemo.get(list);
  if (known !== undefined) return known;
  const found = list.children.some(
    (li) => typeof li.checked === "boolean" || li.children.some((c) => c.type === "list" && hasTaskItem(c)),
  );
  taskItemMemo.set(list, found);
  return found;
}

export function emptyPlan(): ImportedPlan {
  return { title: "", phases: [], timeline: [], risks: [], roles: [], metrics: [], triggers: [], thresholds: [], rules: [], gates: [], contacts: [], escalation: [], links: [], templates: [], skipped: [], warnings: [] };
}

const parser = unified().use(remarkParse).use(remarkGfm);

/**
 * The markdown parser's cost grows with the square of the number of separate lists in one parse
 * (250 kB of short lists took 57 s on a 2-core machine). Parsing the document in pieces of about
 * this size, cut only where no markdown construct can span the cut, keeps it linear.
 */
export const PARSE_CHUNK_CHARS = 8_192;

const HTML_ENDS: readonly [RegExp, string][] = [
  [/^ {0,3}<(?:script|pre|style|textarea)(?:[\s>]|$)/i, "</"], // ends at its closing tag, below
  [/^ {0,3}<!--/, "-->"],
  [/^ {0,3}<\?/, "?>"],
  [/^ {0,3}<!\[CDATA\[/, "]]>"],
  [/^ {0,3}<![A-Za-z]/, ">"],
];
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/**
 * Where the document may be cut into independent pieces: before a line at column 0 that closes
 * every open container — after a blank line, or an ATX heading, or a bullet (or "1.") item with
 * text — and never inside a fenced code block or an HTML block. A cut changes nothing the
 * importer reads: a list cut in two gives the same items. Returns the pieces with the number of
 * their first line.
 */
export function parseChunks(text: string, chunkChars: number = PARSE_CHUNK_CHARS): { text: string; firstLine: number }[] {
  if (text.length <= chunkChars) return [{ text, firstLine: 1 }];
  const lines = text.split("\n");
  const chunks: { text: string; firstLine: number }[] = [];
  let start = 0; // index of the chunk's first line
  let size = 0;
  let fence: { char: string; length: number } | null = null;
  let html: string | null = null; // what ends the open HTML block ("" = a blank line)
  let prevBlank = true;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const blank = line.trim() === "";
    if (fence === null && html === null && i > start && size >= chunkChars) {
      const c = line[0] ?? " ";
      const col0 = c !== " " && c !== "\t" && !blank;
      const heading = /^#{1,6}(?:[ \t]|$)/.test(line);
      const item = /^(?:[-*+]|1[.)])[ \t]+\S/.test(line);
      if (col0 && (prevBlank || heading || item)) {
        chunks.push({ text: lines.slice(start, i).join("\n"), firstLine: start + 1 });
        start = i;
        size = 0;
      }
    }
    size += line.length + 1;
    prevBlank = blank;
    if (fence !== null) {
      const close = FENCE.exec(line);
      if (close && close[1]![0] === fence.char && close[1]!.length >= fence.length && line.slice(close[0].length).trim() === "") fence = null;
      continue;
    }
    if (html !== null) {
      if (html === "" ? blank : line.toLowerCase().includes(html)) html = null;
      continue;
    }
    const open = FENCE.exec(line);
    if (open && !(open[1]![0] === "`" && line.slice(open[0].length).includes("`"))) {
      fence = { char: open[1]![0]!, length: open[1]!.length };
      continue;
    }
    if (/^ {0,3}</.test(line)) {
      const known = HTML_ENDS.find(([re]) => re.test(line));
      const end = known ? known[1] : "";
      // Ends on its own first line ("<!-- note -->"): nothing stays open.
      const rest = line.slice(line.indexOf("<") + 1).toLowerCase();
      if (end === "" || !rest.includes(end)) html = end;
    }
  }
  chunks.push({ text: lines.slice(start).join("\n"), firstLine: start + 1 });
  return chunks;
}

/** Parses the pieces and joins them into one tree, positions counted from the whole document. */
function parseInChunks(text: string, chunkChars: number): Root {
  const root: Root = { type: "root", children: [] };
  for (const chunk of parseChunks(text, chunkChars)) {
    const tree = parser.parse(chunk.text);
    const shift = chunk.firstLine - 1;
    if (shift > 0) {
      const stack: Nodes[] = [tree];
      while (stack.length > 0) {
        const node = stack.pop()!;
        if (node.position) {
          node.position.start.line += shift;
          node.position.end.line += shift;
        }
        if ("children" in node) for (const child of node.children) stack.push(child as Nodes);
      }
    }
    for (const child of tree.children) root.children.push(child);
  }
  return root;
}

/**
 * Turns a markdown runbook into a cutover plan. Never throws; what it skips is in `warnings`.
 * Runs in time linear in the size of the text (at most MAX_RUNBOOK_CHARS; a longer one is not read).
 */
export function importRunbook(markdown: string, opts: { chunkChars?: number } = {}): ImportedPlan {
  const plan = emptyPlan();
  const raw = typeof markdown === "string" ? markdown : "";
  if (raw.length > MAX_RUNBOOK_CHARS) {
    plan.warnings.push(`line 1: the runbook is larger than 1 MB (${raw.length.toLocaleString("en-US")} characters); nothing imported`);
    return plan;
  }
  if (raw.trim() === "") {
    plan.warnings.push("line 1: the runbook is empty; nothing to import");
    return plan;
  }
  const normal = normaliseRunbook(raw);
  const { text, cut, flattened } = capLines(normal.text);
  let tree: Root;
  try {
    tree = parseInChunks(text, opts.chunkChars ?? PARSE_CHUNK_CHARS);
  } catch (e) {
    plan.warnings.push(`line 1: the markdown could not be read (${errorMessage(e)})`);
    return plan;
  }
  const importer = new Importer(plan);
  try {
    importer.run(tree);
  } catch (e) {
    plan.warnings.push(`the import stopped early (${errorMessage(e)}); the plan may be incomplete`);
  }
  try {
    importer.finish(cut, flattened, normal.frontMatterTitle);
  } catch (e) {
    plan.warnings.push(`the import could not be completed (${errorMessage(e)})`);
  }
  return plan;
}
