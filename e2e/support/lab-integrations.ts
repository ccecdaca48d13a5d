// The app under test reads its server configuration from its data directory
// (playwright.config.ts: WARROOM_DATA_DIR=.data/e2e) and again whenever the file changes: specs
// that start a lab add its HAProxy (a unix socket: only the operator's file may name it) and its
// Prometheus there, under names of their own, and cutovers pick them by name.
import { expect, type APIRequestContext } from "@playwright/test";
import { labIntegrations, mergeIntoServerConfig, type LabConfigEntry } from "../../scripts/lab/server-config";
import type { Lab } from "../../scripts/lab/index";
import { asAdmin } from "./fixtures";

export const E2E_SERVER_CONFIG = ".data/e2e/warroom.config.json";

export function addLabIntegrations(lab: Lab, prefix: string, extra: LabConfigEntry[] = []): { router: string; prometheus: string } {
  mergeIntoServerConfig(E2E_SERVER_CONFIG, [...labIntegrations(lab, prefix), ...extra]);
  return { router: `${prefix}-haproxy`, prometheus: `${prefix}-prometheus` };
}

/** Picks the router once the app has read the file (it looks again at most once a second). */
export async function pickRouter(request: APIRequestContext, cutoverId: string, integration: string): Promise<void> {
  await expect
    .poll(async () => (await request.post("/api/v1/commands/router.set", { headers: asAdmin, data: { cutoverId, integration } })).status(), { timeout: 10_000 })
    .toBe(200);
}
