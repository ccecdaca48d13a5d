// The public status pages, served by the custom server before Next sees the request: no sign-in,
// no database work per reader. Each process keeps, per page, a snapshot (the public document and
// its HTML, JSON and Atom renderings, each with its ETag), rebuilt when the bus announces a change
// of that cutover, when the next update goes overdue, and on a slow timer as a safety net (and
// after the bus reconnects). Readers who keep the page open get each new document over SSE
// (/status/{slug}/events), which public/status-page.js applies without a reload.
//
// Every /status path is answered here: an unknown slug, a page that is off and a malformed path
// all get the same 404, so nobody can tell which slugs exist.
import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { baseSecurityHeaders } from "@/lib/domain/security-headers";
import {
  affectsStatusPage,
  buildStatusDocument,
  nextClockChange,
  renderStatusAtom,
  renderStatusHtml,
  renderStatusJson,
  renderStatusMain,
  STATUS_NOT_FOUND_HTML,
  STATUS_PAGE_STYLE,
  type StatusDocument,
} from "@/lib/domain/status-page";
import { listStatusPages, loadStatusSource, type StatusPageRow } from "@/lib/services/status-page";

/** The static script that applies pushed documents (public/). */
export const STATUS_SCRIPT_PATH = "/status-page.js";

type Kind = "html" | "json" | "atom";
interface Rendered {
  body: Buffer;
  etag: string;
}
interface Snapshot {
  cutoverId: string;
  slug: string;
  doc: StatusDocument;
  rendered: Record<Kind, Rendered>;
  /** The SSE frame pushed to open pages. */
  frame: string;
}

export interface StatusPageLoaders {
  load(cutoverId: string): Promise<StatusPageRow | null>;
  list(): Promise<{ cutoverId: string; slug: string }[]>;
}

export interface StatusPageOptions {
  loaders?: StatusPageLoaders;
  log?: (line: string) => void;
  /** The server's public URL (Atom needs absolute links). */
  publicUrl?: string;
  now?: () => Date;
  /** Safety-net rebuild of every page. */
  safetyMs?: number;
  heartbeatMs?: number;
  /** Open SSE readers this process serves at most (each holds a socket). */
  maxReaders?: number;
  /** Changes within this window are rebuilt once. */
  debounceMs?: number;
}

export interface StatusPageServer {
  /** Resolved once the pages on at start are built. */
  ready: Promise<void>;
  /** Answers any /status path; false hands the request on. */
  serve(req: IncomingMessage, res: ServerResponse): boolean;
  onEvent(event: { type: string; cutoverId: string }): void;
  /** Rebuilds every page (and drops pages turned off) from the database. */
  refreshAll(): Promise<void>;
  /** Resolves when no rebuild is scheduled or running. */
  settled(): Promise<void>;
  readers(): number;
  stop(): void;
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("base64");
const etagOf = (body: Buffer) => `"${createHash("sha1").update(body).digest("base64url")}"`;

const PAGE_CSP = `default-src 'none'; script-src 'self'; style-src 'sha256-${sha256(STATUS_PAGE_STYLE)}'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;
const DATA_CSP = "default-src 'none'; frame-ancestors 'none'; sandbox";
const CONTENT_TYPES: Record<Kind, string> = { html: "text/html; charset=utf-8", json: "application/json; charset=utf-8", atom: "application/atom+xml; charset=utf-8" };
const PATH_RE = /^\/status\/([a-z0-9-]{3,60})(?:\/(feed\.atom|status\.json|events)?)?$/;
const MAX_PATH = 120;
const NOT_FOUND = Buffer.from(STATUS_NOT_FOUND_HTML);
const MAX_TIMER_MS = 2 ** 31 - 1;

export function createStatusPages(opts: StatusPageOptions = {}): StatusPageServer {
  const loaders = opts.loaders ?? { load: loadStatusSource, list: listStatusPages };
  const log = opts.log ?? (() => {});
  const now = opts.now ?? (() => new Date());
  const publicUrl = opts.publicUrl ?? "http://localhost";
  const debounceMs = opts.debounceMs ?? 100;
  const maxReaders = opts.maxReaders ?? 2000;
  const headers = baseSecurityHeaders({ publicUrl });

  const bySlug = new Map<string, Snapshot>();
  const byCutover = new Map<string, Snapshot>();
  const streams = new Map<string, Set<ServerResponse>>();
  let readerCount = 0;
  const scheduled = new Map<string, NodeJS.Timeout>();
  const running = new Map<string, Promise<void>>();
  const again = new Set<string>();
  const clocks = new Map<string, NodeJS.Timeout>();
  let idleWaiters: (() => void)[] = [];
  let stopped = false;
  let failing = false;

  const busy = () => scheduled.size + running.size > 0;
  const checkIdle = () => {
    if (busy()) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    waiters.forEach((w) => w());
  };

  function render(row: StatusPageRow): Snapshot {
    const doc = buildStatusDocument(row.source, now());
    const html = renderStatusHtml(doc, { slug: row.slug, script: STATUS_SCRIPT_PATH });
    const rendered = {} as Record<Kind, Rendered>;
    for (const [kind, text] of [
      ["html", html],
      ["json", renderStatusJson(doc)],
      ["atom", renderStatusAtom(doc, { slug: row.slug, baseUrl: publicUrl })],
    ] as const) {
      const body = Buffer.from(text);
      rendered[kind] = { body, etag: etagOf(body) };
    }
    return { cutoverId: row.cutoverId, slug: row.slug, doc, rendered, frame: `event: update\ndata: ${JSON.stringify({ document: doc, html: renderStatusMain(doc) })}\n\n` };
  }

  /** Ends the open pages of a slug: "gone" when it no longer exists (they reload into the 404); at shutdown they reconnect elsewhere. */
  function closeStreams(slug: string, last = "event: gone\ndata: {}\n\n") {
    const set = streams.get(slug);
    if (!set) return;
    streams.delete(slug);
    for (const res of set) {
      readerCount--;
      res.end(last);
    }
  }

  function drop(cutoverId: string) {
    const old = byCutover.get(cutoverId);
    if (!old) return;
    byCutover.delete(cutoverId);
    if (bySlug.get(old.slug)?.cutoverId === cutoverId) bySlug.delete(old.slug);
    closeStreams(old.slug);
    clearTimeout(clocks.get(cutoverId));
    clocks.delete(cutoverId);
  }

  async function rebuild(cutoverId: string): Promise<void> {
    let row: StatusPageRow | null;
    try {
      row = await loaders.load(cutoverId);
      if (failing) log("status pages: database reachable again");
      failing = false;
    } catch (err) {
      // Readers keep the last snapshot; the safety timer tries again.
      if (!failing) log(`status pages: could not rebuild (${(err as Error).message}); serving the last snapshot`);
      failing = true;
      return;
    }
    if (stopped) return;
    if (!row) return drop(cutoverId);
    const old = byCutover.get(cutoverId);
    const next = render(row);
    if (old && old.slug !== next.slug) drop(cutoverId);
    const same = old && old.slug === next.slug && old.rendered.json.etag === next.rendered.json.etag && old.rendered.atom.etag === next.rendered.atom.etag;
    if (!same) {
      byCutover.set(cutoverId, next);
      bySlug.set(next.slug, next);
      for (const res of streams.get(next.slug) ?? []) res.write(next.frame);
    }
    // The page changes by the clock alone when the next update goes overdue.
    clearTimeout(clocks.get(cutoverId));
    clocks.delete(cutoverId);
    const at = nextClockChange(next.doc, now());
    if (at) {
      const t = setTimeout(() => schedule(cutoverId), Math.min(MAX_TIMER_MS, at.getTime() - now().getTime() + 50));
      t.unref();
      clocks.set(cutoverId, t);
    }
  }

  function run(cutoverId: string) {
    scheduled.delete(cutoverId);
    if (running.has(cutoverId)) {
      again.add(cutoverId);
      return;
    }
    const p = rebuild(cutoverId).finally(() => {
      running.delete(cutoverId);
      if (again.delete(cutoverId) && !stopped) schedule(cutoverId);
      checkIdle();
    });
    running.set(cutoverId, p);
  }

  function schedule(cutoverId: string) {
    if (stopped || scheduled.has(cutoverId)) return;
    const t = setTimeout(() => run(cutoverId), debounceMs);
    t.unref();
    scheduled.set(cutoverId, t);
  }

  async function refreshAll(): Promise<void> {
    let pages: { cutoverId: string; slug: string }[];
    try {
      pages = await loaders.list();
    } catch (err) {
      if (!failing) log(`status pages: could not list the pages (${(err as Error).message}); serving the last snapshots`);
      failing = true;
      return;
    }
    const on = new Set(pages.map((p) => p.cutoverId));
    for (const cutoverId of [...byCutover.keys()]) if (!on.has(cutoverId)) drop(cutoverId);
    await Promise.all(pages.map((p) => rebuild(p.cutoverId)));
  }

  const safety = setInterval(() => void refreshAll(), opts.safetyMs ?? 30_000);
  safety.unref();
  const heartbeat = setInterval(() => {
    for (const set of streams.values()) for (const res of set) res.write(": keep-alive\n\n");
  }, opts.heartbeatMs ?? 20_000);
  heartbeat.unref();

  function send(req: IncomingMessage, res: ServerResponse, status: number, body: Buffer, extra: Record<string, string>) {
    res.writeHead(status, { ...headers, "cache-control": "public, max-age=5", "content-length": String(body.length), ...extra });
    res.end(req.method === "HEAD" ? undefined : body);
  }

  function notFound(req: IncomingMessage, res: ServerResponse) {
    send(req, res, 404, NOT_FOUND, { "content-type": CONTENT_TYPES.html, "content-security-policy": PAGE_CSP });
  }

  function openStream(req: IncomingMessage, res: ServerResponse, snap: Snapshot) {
    if (readerCount >= maxReaders) {
      const body = Buffer.from("Too many readers: try again shortly");
      res.writeHead(503, { ...headers, "content-type": "text/plain; charset=utf-8", "cache-control": "no-store", "retry-after": "30", "content-length": String(body.length) });
      res.end(body);
      return;
    }
    res.writeHead(200, { ...headers, "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-store", "x-accel-buffering": "no", "content-security-policy": DATA_CSP });
    req.socket.setNoDelay(true);
    req.socket.setTimeout(0);
    let set = streams.get(snap.slug);
    if (!set) streams.set(snap.slug, (set = new Set()));
    set.add(res);
    readerCount++;
    res.write(`retry: 5000\n\n${snap.frame}`);
    res.on("close", () => {
      const current = streams.get(snap.slug);
      if (current?.delete(res)) {
        readerCount--;
        if (current.size === 0) streams.delete(snap.slug);
      }
    });
  }

  function serve(req: IncomingMessage, res: ServerResponse): boolean {
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const path = q < 0 ? url : url.slice(0, q);
    if (path !== "/status" && !path.startsWith("/status/")) return false;
    if (req.method !== "GET" && req.method !== "HEAD") {
      const body = Buffer.from("Method not allowed");
      res.writeHead(405, { ...headers, allow: "GET, HEAD", "content-type": "text/plain; charset=utf-8", "content-length": String(body.length) });
      res.end(body);
      return true;
    }
    const m = path.length <= MAX_PATH ? PATH_RE.exec(path) : null;
    const snap = m ? bySlug.get(m[1]!) : undefined;
    if (!m || !snap) {
      notFound(req, res);
      return true;
    }
    const what = m[2];
    if (what === "events") {
      openStream(req, res, snap);
      return true;
    }
    const kind: Kind = what === "feed.atom" ? "atom" : what === "status.json" ? "json" : "html";
    const { body, etag } = snap.rendered[kind];
    const extra: Record<string, string> = { "content-type": CONTENT_TYPES[kind], etag, "content-security-policy": kind === "html" ? PAGE_CSP : DATA_CSP };
    if (kind !== "html") extra["access-control-allow-origin"] = "*";
    const match = req.headers["if-none-match"];
    if (match && match.split(",").some((t) => t.trim().replace(/^W\//, "") === etag)) {
      res.writeHead(304, { ...headers, "cache-control": "public, max-age=5", etag });
      res.end();
      return true;
    }
    send(req, res, 200, body, extra);
    return true;
  }

  const ready = refreshAll();

  return {
    ready,
    serve,
    onEvent(event) {
      // status.configured may turn on a page this process does not know yet.
      if (event.type.startsWith("status.") || (byCutover.has(event.cutoverId) && affectsStatusPage(event.type))) schedule(event.cutoverId);
    },
    refreshAll,
    settled: () =>
      busy()
        ? new Promise<void>((resolve) => {
            idleWaiters.push(resolve);
          })
        : Promise.resolve(),
    readers: () => readerCount,
    stop() {
      stopped = true;
      clearInterval(safety);
      clearInterval(heartbeat);
      for (const t of [...scheduled.values(), ...clocks.values()]) clearTimeout(t);
      scheduled.clear();
      clocks.clear();
      for (const slug of [...streams.keys()]) closeStreams(slug, "");
      checkIdle();
    },
  };
}
