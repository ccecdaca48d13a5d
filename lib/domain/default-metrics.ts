// The metric set a new cutover starts with, written for the lab's metric names (scripts/lab):
// `$system` becomes old or new, so each metric compares the two side by side. Easy to edit.
import type { Direction, MetricUnit } from "./metrics";

export interface MetricTemplate {
  name: string;
  unit: MetricUnit;
  query: string;
  direction: Direction;
  warning: number | null;
  critical: number | null;
}

const RATE = "[30s]";
const latency = (q: number) =>
  `1000 * histogram_quantile(${q}, sum by (le) (rate(demo_http_request_duration_seconds_bucket{service="$system"}${RATE})))`;

export const DEFAULT_METRICS: MetricTemplate[] = [
  {
    name: "Error rate",
    unit: "%",
    query: `100 * (sum(rate(demo_http_requests_total{service="$system",code=~"5.."}${RATE})) or vector(0)) / sum(rate(demo_http_requests_total{service="$system"}${RATE}))`,
    direction: "above",
    warning: 1,
    critical: 5,
  },
  { name: "Latency p50", unit: "ms", query: latency(0.5), direction: "above", warning: 200, critical: 500 },
  { name: "Latency p95", unit: "ms", query: latency(0.95), direction: "above", warning: 500, critical: 2000 },
  { name: "Latency p99", unit: "ms", query: latency(0.99), direction: "above", warning: 1000, critical: 3000 },
  { name: "Request rate", unit: "req/s", query: `sum(rate(demo_http_requests_total{service="$system"}${RATE}))`, direction: "below", warning: null, critical: null },
  { name: "CPU", unit: "%", query: `100 * sum(rate(demo_process_cpu_seconds_total{job="$system"}${RATE}))`, direction: "above", warning: 80, critical: 95 },
  { name: "Memory", unit: "bytes", query: `sum(demo_process_resident_memory_bytes{job="$system"})`, direction: "above", warning: 1.5e9, critical: 2e9 },
  {
    name: "DB connections",
    unit: "%",
    query: `100 * sum(demo_db_connections_in_use{service="$system"}) / sum(demo_db_connections_max{service="$system"})`,
    direction: "above",
    warning: 80,
    critical: 90,
  },
  {
    name: "DB connection errors",
    unit: "%",
    query: `100 * (sum(rate(demo_db_connection_errors_total{service="$system"}${RATE})) or vector(0)) / sum(rate(demo_http_requests_total{service="$system"}${RATE}))`,
    direction: "above",
    warning: 1,
    critical: 10,
  },
  // Needs node_exporter next to the service; the lab has none, so this tile honestly says "no data".
  { name: "Disk free", unit: "%", query: `100 * min(node_filesystem_avail_bytes{job="$system",mountpoint="/"} / node_filesystem_size_bytes{job="$system",mountpoint="/"})`, direction: "below", warning: 20, critical: 10 },
];
