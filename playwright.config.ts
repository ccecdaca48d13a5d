import { defineConfig } from "@playwright/test";
import { SERVER_BUNDLE, SERVER_ENV, SERVER_NODE_ARGS } from "./scripts/server-bundle";

// Playwright drives Debian's Chromium (downloads are impossible here) against a production build
// of the app, started as `npm start` starts it (the bundled server entry), on its own embedded
// PostgreSQL under .data/e2e.
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3217);
export const E2E_DATA_DIR = ".data/e2e";

export default defineConfig({
  testDir: "e2e",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL: `http://localhost:${E2E_PORT}`,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    },
  },
  globalSetup: "./e2e/support/global-setup.ts",
  webServer: {
    command: `rm -rf ${E2E_DATA_DIR} && node_modules/.bin/tsx scripts/server-bundle.ts && node ${SERVER_NODE_ARGS.join(" ")} ${SERVER_BUNDLE}`,
    url: `http://localhost:${E2E_PORT}/health/liveness`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
    env: { ...SERVER_ENV, PORT: String(E2E_PORT), WARROOM_DATA_DIR: E2E_DATA_DIR, NEXT_TELEMETRY_DISABLED: "1", DATABASE_URL: "", MIGRATION_DATABASE_URL: "", WARROOM_ADMIN_TOKEN: "e2e-admin-token-0123456789abcdef", WARROOM_OUTBOUND_ALLOW: "127.0.0.1" },
  },
  projects: [
    { name: "room", testIgnore: /database-down/ },
    // Stops the app's PostgreSQL: runs after every other spec.
    { name: "database-down", testMatch: /database-down\.spec\.ts/, dependencies: ["room"] },
  ],
});
