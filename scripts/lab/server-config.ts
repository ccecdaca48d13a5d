// The lab's part of the war room's server configuration: its HAProxy (runtime API on a unix
// socket, so only the operator's file may name it) and its Prometheus, by name, and the loopback
// address they listen on allowed for outbound requests. The war room with WARROOM_LAB=1 and the
// end-to-end tests write this into a configuration file the app reads.
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import type { HaproxyHandle } from "./haproxy";
import type { PrometheusHandle } from "./prometheus";

export const LAB_ROUTER = "lab-haproxy";
export const LAB_PROMETHEUS = "lab-prometheus";

export interface LabConfigEntry {
  name: string;
  type: "router" | "hook" | "prometheus";
  kind: string;
  config: Record<string, unknown>;
}

/** The lab's entries; `prefix` names them apart when several labs feed one app (tests, benchmarks). */
export function labIntegrations(lab: { haproxy: HaproxyHandle; prometheus: PrometheusHandle }, prefix = "lab"): LabConfigEntry[] {
  return [
    { name: `${prefix}-haproxy`, type: "router", kind: "haproxy", config: { socket: lab.haproxy.socketPath, backend: "be_app", oldServer: "old", newServer: "new", stateFile: lab.haproxy.stateFilePath } },
    { name: `${prefix}-prometheus`, type: "prometheus", kind: "prometheus", config: { url: lab.prometheus.url } },
  ];
}

export function labServerConfig(lab: { haproxy: HaproxyHandle; prometheus: PrometheusHandle }, extra: LabConfigEntry[] = []) {
  return { integrations: [...labIntegrations(lab), ...extra], outbound: { allowHosts: LOOPBACK } };
}

const LOOPBACK = ["127.0.0.1", "localhost"];

/** Writes the file in one step (a reader never sees half of it); owner-only, like any server secret. */
export function writeLabServerConfig(file: string, lab: { haproxy: HaproxyHandle; prometheus: PrometheusHandle }, extra: LabConfigEntry[] = []): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(labServerConfig(lab, extra), null, 2), { mode: 0o600 });
  renameSync(tmp, file);
}

/**
 * Adds (or replaces, by name) entries in an app's configuration file, keeping what else it holds:
 * for tests and benchmarks that start a lab after the app (the app reads the file again when it
 * changes).
 */
export function mergeIntoServerConfig(file: string, entries: LabConfigEntry[]): void {
  const current = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as { integrations?: LabConfigEntry[]; outbound?: { allowHosts?: string[] } }) : {};
  const names = new Set(entries.map((e) => e.name));
  const next = {
    integrations: [...(current.integrations ?? []).filter((e) => !names.has(e.name)), ...entries],
    outbound: { allowHosts: [...new Set([...(current.outbound?.allowHosts ?? []), ...LOOPBACK])] },
  };
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(next, null, 2), { mode: 0o600 });
  renameSync(tmp, file);
}
