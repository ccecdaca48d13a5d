// For tests only: integrations "from the operator's file", written to a file of the test's own
// and read through the same loader as the server's configuration.
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { addServerConfigFile } from "@/lib/config/server-config";

export interface TestFileIntegration {
  name: string;
  type: "router" | "hook" | "prometheus" | "channel";
  kind: string;
  config: Record<string, unknown>;
}

let file: string | null = null;
const entries = new Map<string, TestFileIntegration>();

/** Adds (or replaces) integrations in this test file's configuration file; loopback is allowed outbound. */
export function defineFileIntegrations(...list: TestFileIntegration[]): string {
  for (const e of list) entries.set(e.name, e);
  file ??= path.join(mkdtempSync(path.join(os.tmpdir(), "wr-config-")), "warroom.config.json");
  writeFileSync(file, JSON.stringify({ integrations: [...entries.values()], outbound: { allowHosts: ["127.0.0.1", "localhost"] } }));
  addServerConfigFile(file);
  return file;
}
