// The app's own Prometheus metrics (prom-client). One registry per process, kept on globalThis
// because Next's bundle and the custom server each load this module.
import client from "prom-client";

function create() {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: "warroom_" });
  return {
    registry,
    httpRequests: new client.Counter({ name: "warroom_http_requests_total", help: "HTTP requests by route, method and status", labelNames: ["route", "method", "status"], registers: [registry] }),
    httpDuration: new client.Histogram({ name: "warroom_http_request_duration_seconds", help: "HTTP request duration by route", labelNames: ["route", "method"], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registers: [registry] }),
    socketConnections: new client.Gauge({ name: "warroom_socket_connections", help: "Connected socket.io clients", registers: [registry] }),
    // 1 on the one process running the poller and trigger evaluation (lib/jobs/leader.ts), 0 elsewhere.
    jobsLeader: new client.Gauge({ name: "warroom_jobs_leader", help: "1 when this process runs the poller and trigger evaluation", registers: [registry] }),
    busEvents: new client.Counter({ name: "warroom_bus_events_total", help: "Events received from the PostgreSQL bus", labelNames: ["type"], registers: [registry] }),
  };
}

const holder = globalThis as unknown as { __warroomMetrics?: ReturnType<typeof create> };
export function metrics() {
  holder.__warroomMetrics ??= create();
  return holder.__warroomMetrics;
}

const ID = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\d+)$/i;
/** A bounded route label: ids become ":id", static assets collapse, the query string is dropped. */
export function routeLabel(url: string): string {
  const pathname = url.split("?")[0] ?? "/";
  if (pathname.startsWith("/_next/")) return "/_next/*";
  if (pathname.startsWith("/socket.io")) return "/socket.io";
  // Anyone can ask for any slug: one label, not one per guess.
  if (pathname === "/status" || pathname.startsWith("/status/")) return "/status/*";
  const parts = pathname.split("/").slice(0, 8).map((p) => (ID.test(p) ? ":id" : p.length > 40 ? ":long" : p));
  return parts.join("/") || "/";
}
