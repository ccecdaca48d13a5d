// The public status page of a cutover (/status/{slug}), as pure functions: the slug rules, what
// readers are told is happening (mapped from the cutover's state and its rollbacks), and the one
// whitelist projection that builds the public document. The HTML, JSON and Atom renderings are
// made only from that document, so nothing reaches a reader that the projection did not copy:
// no names, contacts, links, queries, hosts, item texts or numbers nobody chose to publish.
// Pure: no I/O; imported by the server (snapshots), the services and the room's panel.
import { phaseInProgress } from "./now";

export const HEALTH_LABELS = {
  operational: "Operational",
  degraded: "Degraded performance",
  partial_outage: "Partial outage",
  major_outage: "Major outage",
  maintenance: "Under maintenance",
} as const;
export type PublicHealth = keyof typeof HEALTH_LABELS;
export const PUBLIC_HEALTH = Object.keys(HEALTH_LABELS) as [PublicHealth, ...PublicHealth[]];

/** What readers are told is happening. */
export const PROGRESS_LABELS = {
  planned: "Planned",
  in_progress: "In progress",
  completed: "Completed",
  rolled_back: "Rolled back",
  aborted: "Cancelled",
} as const;
export type PublicProgress = keyof typeof PROGRESS_LABELS;

export const STATUS_LIMITS = {
  slugMin: 3,
  slugMax: 60,
  title: 120,
  body: 2000,
  figures: 5,
  figureLabel: 60,
  figureValue: 60,
  /** Published updates a page shows (newest first); older ones stay in the room. */
  shownUpdates: 50,
  /** How far ahead the next update may be promised. */
  nextUpdateMaxMinutes: 7 * 24 * 60,
} as const;

/** When the next update is due unless the publisher says otherwise. */
export const DEFAULT_NEXT_UPDATE_MINUTES = 30;

const SLUG_RE = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

/** Why a slug is refused, or null: lowercase letters, digits and inner hyphens, 3-60 characters. */
export function slugProblem(slug: string): string | null {
  if (slug.length < STATUS_LIMITS.slugMin || slug.length > STATUS_LIMITS.slugMax) return `The address must be ${STATUS_LIMITS.slugMin} to ${STATUS_LIMITS.slugMax} characters long`;
  if (!SLUG_RE.test(slug)) return "The address may hold lowercase letters, digits and hyphens, and starts and ends with a letter or digit";
  return null;
}

export const isValidSlug = (slug: string): boolean => slugProblem(slug) === null;

/** A slug made from a cutover's name ("Payments DB → Aurora" → "payments-db-aurora"). */
export function suggestSlug(name: string): string {
  const base = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, STATUS_LIMITS.slugMax)
    .replace(/-+$/g, "");
  if (base.length >= STATUS_LIMITS.slugMin) return base;
  return `status-${base || "page"}`.replace(/-+$/g, "");
}

export interface RollbackFact {
  state: "running" | "completed" | "completed_with_errors" | "failed" | "abandoned";
}

/**
 * What is happening, in the readers' words. A rollback that is running or done has already sent
 * everyone back to the old system (the split goes to 0 % first), so readers are told "rolled
 * back" before the hooks finish; one that failed or was abandoned changed nothing they would see.
 */
export function publicProgress(state: string, latestRollback: RollbackFact | null): PublicProgress {
  switch (state) {
    case "draft":
    case "scheduled":
      return "planned";
    case "completed":
      return "completed";
    case "rolled_back":
      return "rolled_back";
    case "aborted":
      return "aborted";
    default:
      if (latestRollback && (latestRollback.state === "running" || latestRollback.state === "completed" || latestRollback.state === "completed_with_errors")) return "rolled_back";
      return "in_progress";
  }
}

export interface PhaseFact {
  name: string;
  /** Items of the phase still open. */
  openItems: number;
}

/** The phase the team is in: the first (in plan order) with an open item, else the last; none before the start or after the end. */
export function currentPhaseName(progress: PublicProgress, phases: readonly PhaseFact[]): string | null {
  if (progress !== "in_progress") return null;
  return phaseInProgress(phases, (p) => p.openItems > 0)?.name ?? null;
}

// A type, not an interface: it is stored as JSON as it is.
export type PublicFigure = { label: string; value: string };

export interface UpdateFact {
  id: string;
  body: string;
  health: PublicHealth;
  figures: unknown;
  nextUpdateAt: Date | null;
  publishedAt: Date;
  retractedAt: Date | null;
}

/** What the snapshot reads of a cutover; the projection copies only what the document names. */
export interface StatusSource {
  title: string;
  state: string;
  /** A rehearsal says so on its page: readers must not take it for the real event. */
  rehearsal: boolean;
  createdAt: Date;
  latestRollback: RollbackFact | null;
  phases: readonly PhaseFact[];
  updates: readonly UpdateFact[];
}

export interface PublicUpdate {
  id: string;
  publishedAt: string;
  health: PublicHealth;
  healthLabel: string;
  body: string;
  figures: PublicFigure[];
}

/** The public document: everything a reader may see, and nothing else. */
export interface StatusDocument {
  title: string;
  rehearsal: boolean;
  progress: PublicProgress;
  progressLabel: string;
  phase: string | null;
  /** The health last published; null until something was. */
  health: PublicHealth | null;
  healthLabel: string;
  nextUpdateAt: string | null;
  nextUpdateOverdue: boolean;
  /** When the page last changed for its readers. */
  updatedAt: string;
  updates: PublicUpdate[];
}

const clip = (text: string, max: number) => (text.length > max ? text.slice(0, max) : text);
const oneLine = (text: string, max: number) => clip(text.replace(/\s+/g, " ").trim(), max);

/** The figures stored with an update, re-checked field by field (whatever else the row holds is dropped). */
export function publicFigures(value: unknown): PublicFigure[] {
  if (!Array.isArray(value)) return [];
  const out: PublicFigure[] = [];
  for (const f of value.slice(0, STATUS_LIMITS.figures)) {
    if (!f || typeof f !== "object") continue;
    const { label, value: v } = f as { label?: unknown; value?: unknown };
    if (typeof label !== "string" || typeof v !== "string") continue;
    out.push({ label: oneLine(label, STATUS_LIMITS.figureLabel), value: oneLine(v, STATUS_LIMITS.figureValue) });
  }
  return out;
}

/** The whitelist projection: the public document of a cutover, as of `now`. */
export function buildStatusDocument(src: StatusSource, now: Date): StatusDocument {
  const progress = publicProgress(src.state, src.latestRollback);
  const live = src.updates.filter((u) => u.retractedAt === null).sort((a, b) => b.publishedAt.getTime() - a.publishedAt.getTime() || (a.id < b.id ? 1 : -1));
  const shown = live.slice(0, STATUS_LIMITS.shownUpdates);
  const latest = shown[0] ?? null;
  // A promise of a next update means nothing once the cutover is over.
  const ended = progress === "completed" || progress === "rolled_back" || progress === "aborted";
  const next = !ended && latest?.nextUpdateAt ? latest.nextUpdateAt : null;
  const health = latest?.health ?? null;
  return {
    title: oneLine(src.title, STATUS_LIMITS.title),
    rehearsal: src.rehearsal,
    progress,
    progressLabel: PROGRESS_LABELS[progress],
    phase: currentPhaseName(progress, src.phases),
    health,
    healthLabel: health ? HEALTH_LABELS[health] : "No status published yet",
    nextUpdateAt: next ? next.toISOString() : null,
    nextUpdateOverdue: next !== null && next.getTime() < now.getTime(),
    updatedAt: (latest?.publishedAt ?? src.createdAt).toISOString(),
    updates: shown.map((u) => ({
      id: u.id,
      publishedAt: u.publishedAt.toISOString(),
      health: u.health,
      healthLabel: HEALTH_LABELS[u.health],
      body: clip(u.body, STATUS_LIMITS.body),
      figures: publicFigures(u.figures),
    })),
  };
}

/** When the document would change by the clock alone (the next update going overdue), or null. */
export function nextClockChange(doc: StatusDocument, now: Date): Date | null {
  if (!doc.nextUpdateAt || doc.nextUpdateOverdue) return null;
  const at = new Date(doc.nextUpdateAt);
  return at.getTime() > now.getTime() ? at : null;
}

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text for HTML and XML (content and attributes alike). Characters XML 1.0 forbids are dropped. */
export function escapeMarkup(text: string): string {
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, "").replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD").replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/** "2026-11-29 14:05 UTC": one unambiguous time for readers anywhere. */
export function utcLabel(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

const HEALTH_ICON: Record<PublicHealth | "none", string> = {
  operational: "✓",
  degraded: "!",
  partial_outage: "!",
  major_outage: "✕",
  maintenance: "⚙",
  none: "?",
};

/** The page's live part (what the script swaps in when the document changes). */
export function renderStatusMain(doc: StatusDocument): string {
  const e = escapeMarkup;
  const health = doc.health ?? "none";
  const next = doc.nextUpdateAt
    ? `<p class="next${doc.nextUpdateOverdue ? " overdue" : ""}" data-testid="status-next">Next update ${doc.nextUpdateOverdue ? "<strong>overdue</strong>: was due" : "due"} <time datetime="${e(doc.nextUpdateAt)}">${e(utcLabel(doc.nextUpdateAt))}</time></p>`
    : "";
  const updates = doc.updates.length
    ? `<ol class="updates">${doc.updates
        .map(
          (u) =>
            `<li data-testid="status-update"><p class="meta"><time datetime="${e(u.publishedAt)}">${e(utcLabel(u.publishedAt))}</time> · <span class="h h-${e(u.health)}">${e(u.healthLabel)}</span></p><p class="body">${e(u.body)}</p>${
              u.figures.length ? `<dl>${u.figures.map((f) => `<div><dt>${e(f.label)}</dt><dd>${e(f.value)}</dd></div>`).join("")}</dl>` : ""
            }</li>`,
        )
        .join("")}</ol>`
    : `<p class="empty">No updates published yet.</p>`;
  return [
    `<h1>${e(doc.title)}</h1>`,
    doc.rehearsal ? `<p class="rehearsal" data-testid="status-rehearsal">Rehearsal: a practice run, not the real event.</p>` : "",
    `<p class="progress" data-testid="status-progress">${e(doc.progressLabel)}${doc.phase ? ` · <span data-testid="status-phase">${e(doc.phase)}</span>` : ""}</p>`,
    `<p class="health h-${e(health)}" role="status" data-testid="status-health"><span aria-hidden="true">${HEALTH_ICON[health]}</span> ${e(doc.healthLabel)}</p>`,
    next,
    `<h2>Updates</h2>`,
    updates,
  ].join("");
}

/** The style of the page: static, so the CSP allows it by its hash. */
export const STATUS_PAGE_STYLE =
  "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0;background:#f6f7f9;color:#1f2328}" +
  "main{max-width:42rem;margin:0 auto;padding:2rem 1rem}h1{font-size:1.5rem;margin:0 0 .25rem}h2{font-size:1.1rem;margin-top:2rem}" +
  ".progress{color:#424a53;margin:0 0 1rem}.health{font-size:1.25rem;font-weight:600;padding:.75rem 1rem;border-radius:.5rem;border:1px solid #d0d7de;background:#fff}" +
  ".h-operational{color:#116329}.h-degraded,.h-partial_outage{color:#7d4e00}.h-major_outage{color:#a40e26}.h-maintenance{color:#0550ae}.h-none{color:#424a53}" +
  ".rehearsal{font-weight:600;color:#7d4e00}.next{color:#424a53}.overdue{color:#a40e26}.updates{list-style:none;padding:0}.updates li{background:#fff;border:1px solid #d0d7de;border-radius:.5rem;padding:.75rem 1rem;margin:0 0 .75rem}" +
  ".meta{margin:0;color:#424a53;font-size:.875rem}.meta .h{font-weight:600}.body{white-space:pre-wrap;margin:.5rem 0}dl{display:flex;flex-wrap:wrap;gap:1rem;margin:.5rem 0 0}dt{font-size:.75rem;color:#424a53}dd{margin:0;font-variant-numeric:tabular-nums;font-weight:600}" +
  "footer{max-width:42rem;margin:0 auto;padding:0 1rem 2rem;color:#424a53;font-size:.8rem}a{color:#0550ae}";

/** The whole page. `script` is the static script's URL; without JavaScript the page refreshes itself. */
export function renderStatusHtml(doc: StatusDocument, opts: { slug: string; script: string }): string {
  const e = escapeMarkup;
  const base = `/status/${opts.slug}`;
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<title>${e(doc.title)}: ${e(doc.healthLabel)}</title><meta name="robots" content="noindex">` +
    `<link rel="alternate" type="application/atom+xml" title="Updates" href="${e(base)}/feed.atom">` +
    `<style>${STATUS_PAGE_STYLE}</style><noscript><meta http-equiv="refresh" content="60"></noscript>` +
    `<script src="${e(opts.script)}" defer></script></head>` +
    `<body><main id="status" data-events="${e(base)}/events" aria-live="polite">${renderStatusMain(doc)}</main>` +
    `<footer><a href="${e(base)}/feed.atom">Atom feed</a> · <a href="${e(base)}/status.json">JSON</a></footer></body></html>`
  );
}

export function renderStatusJson(doc: StatusDocument): string {
  return JSON.stringify(doc);
}

/** Atom 1.0 (RFC 4287): one entry per published update, newest first. `baseUrl`: the server's public URL. */
export function renderStatusAtom(doc: StatusDocument, opts: { slug: string; baseUrl: string }): string {
  const e = escapeMarkup;
  const page = `${opts.baseUrl.replace(/\/+$/, "")}/status/${opts.slug}`;
  const entries = doc.updates
    .map((u) => {
      const figures = u.figures.map((f) => `${f.label}: ${f.value}`).join("\n");
      const text = `${u.healthLabel}\n\n${u.body}${figures ? `\n\n${figures}` : ""}`;
      return (
        `<entry><id>urn:uuid:${e(u.id)}</id><title>${e(`${u.healthLabel}: ${u.body.split("\n")[0]!.slice(0, 80)}`)}</title>` +
        `<updated>${e(u.publishedAt)}</updated><published>${e(u.publishedAt)}</published><link rel="alternate" type="text/html" href="${e(page)}"/>` +
        `<content type="text">${e(text)}</content></entry>`
      );
    })
    .join("");
  return (
    `<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">` +
    `<id>${e(page)}</id><title>${e(doc.rehearsal ? `${doc.title} (rehearsal)` : doc.title)}</title><subtitle>${e(`${doc.progressLabel}. ${doc.healthLabel}.`)}</subtitle>` +
    `<updated>${e(doc.updatedAt)}</updated><author><name>${e(doc.title)}</name></author>` +
    `<link rel="self" type="application/atom+xml" href="${e(page)}/feed.atom"/><link rel="alternate" type="text/html" href="${e(page)}"/>` +
    entries +
    `</feed>`
  );
}

/** The page answered for an unknown slug and for a page that is off: the same, so neither can be told apart. */
export const STATUS_NOT_FOUND_HTML =
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Not found</title><meta name="robots" content="noindex">` +
  `<style>${STATUS_PAGE_STYLE}</style></head><body><main><h1>Not found</h1><p>There is no status page at this address.</p></main></body></html>`;

/** Which room events can change what a status page shows (samples and trigger ticks never do). */
export function affectsStatusPage(eventType: string): boolean {
  return eventType !== "metrics.sampled" && eventType !== "trigger.state";
}
