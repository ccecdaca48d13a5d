// The REST API as one table: method + path pattern → a command of lib/services/commands.ts (or a
// read), and how the path's parameters and the body or query string make its input. The Next route
// files in app/api/v1 (cookie and token callers), the custom server's fast path for bearer tokens
// (lib/server/fast-api.ts) and the tests all derive from it, so a URL means the same thing on
// every door. The URLs are the README's REST table.
import { randomUUID } from "node:crypto";
import type { SessionUser } from "@/lib/auth/session-user";
import { AppError } from "@/lib/errors";
import { acceptRequestId } from "@/lib/domain/request-input";
import { dispatch, isCommandName } from "@/lib/services/commands";
import { listAudit } from "@/lib/services/audit-read";
import { getCutoverState, listCutovers } from "@/lib/services/cutover-read";
import { listTemplates } from "@/lib/services/templates";
import { exportCutover } from "@/lib/services/export";
import { getReport, reportFile } from "@/lib/services/report";
import { getStatusPageView } from "@/lib/services/status-page";
import type { ExportFile } from "@/lib/domain/export";
import { getMetricsView } from "@/lib/services/metrics";
import { getTrafficView } from "@/lib/services/traffic/get-traffic-view";
import { getAnnouncementsView } from "@/lib/services/announcements";
import { id as idSchema } from "@/lib/schemas/room";
import { getDeliveriesView } from "@/lib/services/notify/channels";
import { listAlerts, receiveAlertmanager } from "@/lib/services/alerts";
import { getCheckInsView } from "@/lib/services/checkins";

export type Method = "GET" | "POST";

export interface RouteCall {
  actor: SessionUser;
  params: Record<string, string>;
  /** The JSON body (POST) or the query string (GET) as an object. */
  data: Record<string, unknown>;
  requestId: string;
}

/**
 * A request to a receiver row: no session, no user; the handler authenticates the caller with a
 * credential of its own (the Alertmanager token), so cookies are never read and the cookie
 * request's same-origin rule does not apply.
 */
export interface ReceiveCall {
  authorization: string | null;
  params: Record<string, string>;
  data: Record<string, unknown>;
  /** The caller's address as lib/server/main.ts trusts it. */
  address: string;
  requestId: string;
}

export interface RouteDef {
  method: Method;
  /** `:name` segments are parameters. */
  path: string;
  /** The command run; `":name"` takes it from the path. Path parameters win over body fields. */
  command?: string;
  /** A receiver: a machine's webhook with its own bearer credential, never a user's session. */
  receive?: (call: ReceiveCall) => Promise<unknown>;
  /** A read (no command, changes nothing). */
  read?: (call: RouteCall) => Promise<unknown>;
  /** HTTP status of a success (200 unless said). */
  status?: number;
  /** Answered by the custom server itself when the caller sends a bearer token (the hot paths). */
  fast?: boolean;
  /** With `?dryRun=1` (or `true`) in the query string this command runs instead (200, writes nothing). */
  dryRun?: string;
}

/** A file to save (an export, a report): never rendered by the browser, never cached. */
function download(file: ExportFile, requestId: string): Response {
  return new Response(file.body, {
    headers: {
      "content-type": file.contentType,
      "content-disposition": `attachment; filename="${file.filename}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
      "x-request-id": requestId,
    },
  });
}

const cutoverIdOf = (params: Record<string, string>) => {
  const parsed = idSchema.safeParse(params.cutoverId);
  if (!parsed.success) throw new AppError("bad_request", "cutoverId: must be an id");
  return parsed.data;
};

export const ROUTES: readonly RouteDef[] = [
  { method: "GET", path: "/api/v1/cutovers", read: async ({ actor }) => ({ cutovers: await listCutovers(actor) }) },
  { method: "POST", path: "/api/v1/cutovers", command: "cutover.create", status: 201, dryRun: "cutover.preview" },
  {
    method: "GET",
    path: "/api/v1/cutovers/:cutoverId",
    read: async ({ actor, params }) => {
      const state = await getCutoverState(actor, cutoverIdOf(params));
      if (!state) throw new AppError("not_found", "No such cutover, or you are not a member of it");
      return state;
    },
  },
  { method: "POST", path: "/api/v1/cutovers/:cutoverId/items/:itemId/signoff", command: "item.sign_off", fast: true },
  { method: "POST", path: "/api/v1/cutovers/:cutoverId/items/:itemId/undo", command: "item.undo", fast: true },
  { method: "POST", path: "/api/v1/cutovers/:cutoverId/items/:itemId/not-applicable", command: "item.not_applicable", fast: true },
  { method: "POST", path: "/api/v1/cutovers/:cutoverId/decisions/:decisionId/votes", command: "decision.vote", fast: true },
  { method: "GET", path: "/api/v1/cutovers/:cutoverId/audit", read: async ({ actor, params, data }) => ({ events: await listAudit(actor, { ...data, cutoverId: params.cutoverId }) }) },
  {
    method: "GET",
    path: "/api/v1/cutovers/:cutoverId/export",
    read: async ({ actor, params, data, requestId }) => {
      return download(await exportCutover(actor, { ...data, cutoverId: params.cutoverId }), requestId);
    },
  },
  { method: "GET", path: "/api/v1/cutovers/:cutoverId/metrics", read: ({ actor, params, data }) => getMetricsView(actor, { ...data, cutoverId: params.cutoverId }) },
  { method: "GET", path: "/api/v1/cutovers/:cutoverId/traffic", read: ({ actor, params }) => getTrafficView(actor, { cutoverId: params.cutoverId }) },
  // Outgoing messages of the cutover and the channels it announces to (names and kinds, never settings).
  { method: "GET", path: "/api/v1/cutovers/:cutoverId/deliveries", read: ({ actor, params }) => getDeliveriesView(actor, { cutoverId: params.cutoverId }) },
  { method: "POST", path: "/api/v1/cutovers/:cutoverId/traffic/shift", command: "traffic.shift" },
  { method: "POST", path: "/api/v1/cutovers/:cutoverId/rollback", command: "rollback.execute", fast: true },
  { method: "POST", path: "/api/v1/commands/:name", command: ":name", fast: true },
  // The post-mortem report of an ended cutover: JSON (the page's model) or ?format=markdown (a file).
  {
    method: "GET",
    path: "/api/v1/cutovers/:cutoverId/report",
    read: async ({ actor, params, data, requestId }) => {
      const input = { ...data, cutoverId: params.cutoverId };
      return data.format === "markdown" ? download(await reportFile(actor, input), requestId) : getReport(actor, input);
    },
  },
  // The public status page as the room sees it: on/off, address, every update (retracted ones too, with who published).
  { method: "GET", path: "/api/v1/cutovers/:cutoverId/status-page", read: ({ actor, params }) => getStatusPageView(actor, { cutoverId: params.cutoverId }) },
  // Alerts from Alertmanager: its webhook (the cutover's Alertmanager token, not a user) and the room's list.
  {
    method: "POST",
    path: "/api/v1/alertmanager/:cutoverId",
    receive: ({ authorization, params, data, address, requestId }) => receiveAlertmanager({ authorization, cutoverId: cutoverIdOf(params), body: data, address, requestId }),
  },
  { method: "GET", path: "/api/v1/cutovers/:cutoverId/alerts", read: ({ actor, params }) => listAlerts(actor, { cutoverId: params.cutoverId }) },
  // The check-in cadence and schedule, and the incidents with their escalation level (the Comms tab).
  { method: "GET", path: "/api/v1/cutovers/:cutoverId/checkins", read: ({ actor, params }) => getCheckInsView(actor, { cutoverId: params.cutoverId }) },
  { method: "POST", path: "/api/v1/cutovers/:cutoverId/checkins/:checkInId/acknowledge", command: "checkin.acknowledge" },
  { method: "POST", path: "/api/v1/cutovers/:cutoverId/incidents/:incidentId/acknowledge", command: "incident.acknowledge" },
  // The templates a new cutover can start from (`template` of cutover.create): built-in, then the team's.
  { method: "GET", path: "/api/v1/templates", read: async ({ actor }) => ({ templates: await listTemplates(actor) }) },
  // The Comms tab's announcements: templates, bindings, pending recommendations, the variables.
  { method: "GET", path: "/api/v1/cutovers/:cutoverId/announcements", read: ({ actor, params }) => getAnnouncementsView(actor, { cutoverId: cutoverIdOf(params) }) },
];

/** The caller's x-request-id when it is a short plain token (it is stored in the audit log), else a new one. */
export function requestIdOf(header: string | string[] | null | undefined): string {
  return (typeof header === "string" ? acceptRequestId(header) : null) ?? randomUUID();
}

interface Compiled {
  route: RouteDef;
  pattern: RegExp;
  names: string[];
}

const compiled: Compiled[] = ROUTES.map((route) => {
  const names: string[] = [];
  const source = route.path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/:(\w+)/g, (_m, name: string) => {
    names.push(name);
    return "([^/?#]+)";
  });
  return { route, pattern: new RegExp(`^${source}$`), names };
});

export function routeOf(method: Method, path: string): RouteDef {
  const found = ROUTES.find((r) => r.method === method && r.path === path);
  if (!found) throw new Error(`No route ${method} ${path} in lib/api/routes.ts`);
  return found;
}

/** Path parameters, percent-decoded; a malformed or oversized one is a 400. */
export function decodeParams(raw: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (typeof v !== "string" || v.length > 200) throw new AppError("bad_request", `${k}: malformed path segment`);
    try {
      out[k] = decodeURIComponent(v);
    } catch {
      throw new AppError("bad_request", `${k}: malformed path segment`);
    }
  }
  return out;
}

/** The route a request path names, with its decoded parameters; null when none does. */
export function matchRoute(method: string, pathname: string, filter: (r: RouteDef) => boolean = () => true): { route: RouteDef; params: Record<string, string> } | null {
  for (const c of compiled) {
    if (c.route.method !== method || !filter(c.route)) continue;
    const m = c.pattern.exec(pathname);
    if (!m) continue;
    return { route: c.route, params: decodeParams(Object.fromEntries(c.names.map((n, i) => [n, m[i + 1]!]))) };
  }
  return null;
}

/** A read's input error (zod, from the query string) as the same 400 a command gives. */
function asAppError(err: unknown): unknown {
  const issues = (err as { issues?: { path: PropertyKey[]; message: string }[] } | null)?.issues;
  if (!(err instanceof Error) || err.name !== "ZodError" || !Array.isArray(issues)) return err;
  const first = issues[0];
  return new AppError("bad_request", first ? `${first.path.map(String).join(".") || "input"}: ${first.message}` : "Invalid input");
}

/** Runs a matched route for a caller: the command (through the one dispatcher) or the read. */
export async function runRoute(route: RouteDef, call: RouteCall & { authorization?: string | null; address?: string }): Promise<unknown> {
  if (route.receive) return route.receive({ authorization: call.authorization ?? null, params: call.params, data: call.data, address: call.address ?? "unknown", requestId: call.requestId });
  if (route.read) {
    try {
      return await route.read(call);
    } catch (err) {
      throw asAppError(err);
    }
  }
  const { name: nameParam, ...params } = call.params;
  const name = route.command === ":name" ? nameParam : route.command;
  if (!isCommandName(name)) throw new AppError("not_found", `Unknown command "${String(name).slice(0, 100)}"`);
  return dispatch(call.actor, name, { ...call.data, ...params }, { requestId: call.requestId });
}
