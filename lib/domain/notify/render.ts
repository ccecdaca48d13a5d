// Announcement texts with {{variables}} filled from the room's live state. Pure: the service
// (lib/services/announcements.ts) reads the state, this turns a template into the words sent.
// Missing data reads "no data", never a blank: a reader must see that something was not known.
// An unknown variable is an error (at save time, at preview and at send), never sent as written.
import { formatMetricValue } from "@/lib/domain/metric-format";
import { formatAt } from "@/lib/domain/report";
import { phaseInProgress } from "@/lib/domain/now";

export const NO_DATA = "no data";

export const VARIABLES = [
  { name: "cutover", description: "The cutover's name" },
  { name: "phase", description: "The current phase (the first with open items)" },
  { name: "traffic_new", description: "Share of traffic on the new system, in percent" },
  { name: "traffic_old", description: "Share of traffic on the old system, in percent" },
  { name: "metric:<name>", description: "A metric's latest value with its unit, new and old as the room shows them" },
  { name: "reason", description: "The reason of the rollback, trigger or decision that prompted it" },
  { name: "now", description: "When it is sent" },
  { name: "started_at", description: "When the cutover started" },
  { name: "t_zero", description: "The cutover's T-0" },
  { name: "next_update_due", description: "When the next update is due: this send plus the cutover's update interval" },
  { name: "room_url", description: "The link to the war room" },
] as const;

const PLAIN: ReadonlySet<string> = new Set(VARIABLES.map((v) => v.name as string).filter((n) => !n.includes(":")));

export interface MetricReading {
  name: string;
  unit: string;
  /** Which systems the metric watches, as the room shows it. */
  system: "old" | "new" | "both";
  old: number | null;
  new: number | null;
}

export interface RenderState {
  cutover: { name: string; timeZone: string; tZero: Date; startedAt: Date | null; trafficPercent: number; systemFrom: string; systemTo: string };
  phase: string | null;
  metrics: readonly MetricReading[];
  reason: string | null;
  now: Date;
  nextUpdateDue: Date | null;
  roomUrl: string | null;
}

/** `{{ name }}` or `{{ metric:Error rate }}`: a name, then optionally a colon and an argument. */
const TOKEN = /\{\{\s*([A-Za-z_]+)\s*(?::\s*([^{}]*?))?\s*\}\}/g;

export interface TemplateProblem {
  ok: false;
  error: string;
}

/** Every variable of `text` that the renderer does not know, as written (a metric the cutover lacks included). */
export function unknownVariables(text: string, metricNames: readonly string[]): string[] {
  const known = new Set(metricNames.map((n) => n.trim().toLowerCase()));
  const out: string[] = [];
  for (const m of text.matchAll(TOKEN)) {
    const [whole, name = "", arg] = m;
    const key = name.toLowerCase();
    if (arg !== undefined ? key !== "metric" || !known.has(arg.trim().toLowerCase()) : !PLAIN.has(key)) out.push(whole);
  }
  // Braces that are not a well-formed variable ("{{phase}", "{{ }}") are mistakes too.
  const leftover = text.replace(TOKEN, "");
  const stray = leftover.match(/\{\{[^}]*\}?\}?/);
  if (stray) out.push(stray[0]);
  return [...new Set(out)];
}

/** null when every variable of the texts is known; else the error to show, naming them. */
export function checkTemplateText(texts: readonly string[], metricNames: readonly string[]): string | null {
  const unknown = [...new Set(texts.flatMap((t) => unknownVariables(t, metricNames)))];
  if (unknown.length === 0) return null;
  const metricHint = unknown.some((u) => /^\{\{\s*metric\s*:/i.test(u)) ? ` Metrics of this cutover: ${metricNames.length ? metricNames.join(", ") : "none"}.` : "";
  return `Unknown variable${unknown.length > 1 ? "s" : ""} ${unknown.map((u) => u.slice(0, 60)).join(", ")}: use one of ${VARIABLES.map((v) => `{{${v.name}}}`).join(", ")}.${metricHint}`;
}

const percent = (p: number) => `${Math.round(p)} %`;
const at = (d: Date | null, timeZone: string) => (d ? formatAt(d, timeZone) : NO_DATA);

/** A metric as the room shows it: the new system's value, then the old one's, each with its unit. */
export function metricText(m: MetricReading, labels: { old: string; new: string } = { old: "old", new: "new" }): string {
  const value = (v: number | null) => (v === null ? NO_DATA : formatMetricValue(v, m.unit));
  if (m.system === "old") return value(m.old);
  if (m.system === "new") return value(m.new);
  if (m.old === null && m.new === null) return NO_DATA;
  return `${labels.new} ${value(m.new)}, ${labels.old} ${value(m.old)}`;
}

function valueOf(name: string, arg: string | undefined, state: RenderState): string {
  const cutover = state.cutover;
  const timeZone = cutover.timeZone;
  if (arg !== undefined) {
    const m = state.metrics.find((x) => x.name.trim().toLowerCase() === arg.trim().toLowerCase());
    return m ? metricText(m) : NO_DATA;
  }
  switch (name) {
    case "cutover":
      return cutover.name || NO_DATA;
    case "phase":
      return state.phase || NO_DATA;
    case "traffic_new":
      return percent(cutover.trafficPercent);
    case "traffic_old":
      return percent(100 - cutover.trafficPercent);
    case "reason":
      return state.reason?.trim() || NO_DATA;
    case "now":
      return at(state.now, timeZone);
    case "started_at":
      return at(cutover.startedAt, timeZone);
    case "t_zero":
      return at(cutover.tZero, timeZone);
    case "next_update_due":
      return at(state.nextUpdateDue, timeZone);
    case "room_url":
      return state.roomUrl || NO_DATA;
    default:
      return NO_DATA;
  }
}

export class UnknownVariableError extends Error {}

/** The text with its variables filled; throws UnknownVariableError naming what it does not know. */
export function renderText(text: string, state: RenderState): string {
  const problem = checkTemplateText([text], state.metrics.map((m) => m.name));
  if (problem) throw new UnknownVariableError(problem);
  return text.replace(TOKEN, (_whole, name: string, arg: string | undefined) => valueOf(name.toLowerCase(), arg, state));
}

/** A template's title (one line, as channels show titles) and body, rendered. */
export function renderAnnouncement(template: { title: string; body: string }, state: RenderState): { title: string; text: string } {
  const problem = checkTemplateText([template.title, template.body], state.metrics.map((m) => m.name));
  if (problem) throw new UnknownVariableError(problem);
  const title = renderText(template.title, state).replace(/\s+/g, " ").trim().slice(0, 200);
  return { title: title || state.cutover.name.slice(0, 200) || "Announcement", text: renderText(template.body, state).slice(0, 8000) };
}

/** The phase the room is in (lib/domain/now.ts phaseInProgress), from phases in plan order. */
export function currentPhase(phases: readonly { name: string; openItems: number }[]): string | null {
  return phaseInProgress(phases, (p) => p.openItems > 0)?.name ?? null;
}

/** When the next update is due: the last send plus the interval. */
export function nextUpdateDue(lastSentAt: Date | null, intervalMinutes: number): Date | null {
  return lastSentAt ? new Date(lastSentAt.getTime() + intervalMinutes * 60_000) : null;
}
