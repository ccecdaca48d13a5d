import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, type APIRequestContext, type Page } from "@playwright/test";

export const DEMO_PASSWORD = "warroom-demo";
export const DEMO = {
  lead: "lead@demo.warroom",
  dba: "dba@demo.warroom",
  backend: "backend@demo.warroom",
  qa: "qa@demo.warroom",
  oncall: "oncall@demo.warroom",
  comms: "comms@demo.warroom",
  observer: "observer@demo.warroom",
} as const;

const DATA = path.resolve(".data/e2e/postgres");

/** The connection string of the app's embedded PostgreSQL (a second process writes through it). */
export function e2eDatabaseUrl(): string {
  const creds = JSON.parse(readFileSync(path.join(DATA, "credentials.json"), "utf8")) as { user: string; password: string };
  const port = readFileSync(path.join(DATA, "cluster", "postmaster.pid"), "utf8").split("\n")[3];
  return `postgresql://${creds.user}:${encodeURIComponent(creds.password)}@127.0.0.1:${port}/warroom`;
}

/**
 * The pid of the app's embedded postmaster, or null while there is none: after a crash the file is
 * gone (or half written) until the new postmaster has started, and a poll must be able to wait for that.
 */
export function e2ePostgresPid(): number | null {
  let text: string;
  try {
    text = readFileSync(path.join(DATA, "cluster", "postmaster.pid"), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  const pid = Number(text.split("\n")[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

/** The pid of the running postmaster; fails the test when there is none. */
export function runningPostgresPid(): number {
  const pid = e2ePostgresPid();
  if (pid === null) throw new Error("the app's embedded PostgreSQL has no postmaster.pid");
  return pid;
}

export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/cutovers/);
}

/** The room's tabs in the order the tab bar shows them; the room opens on Now. */
export const ROOM_TABS = ["Now", "Plan", "Metrics", "Traffic", "Timeline", "Decisions", "Contacts", "Risks", "Comms", "Audit"] as const;

/** Opens the demo cutover from the list; then the given tab (the Plan by default; null stays on Now, where the room opens). */
export async function openDemoCutover(page: Page, tab: string | null = "Plan") {
  await page.goto("/cutovers");
  await page.getByRole("link", { name: /demo/i }).first().click();
  await expect(page.getByTestId("cutover-name")).toBeVisible();
  await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-status", "live");
  const id = page.url().split("/cutovers/")[1]!.split(/[?#]/)[0]!;
  if (tab) await page.getByRole("tab", { name: tab, exact: true }).click();
  return id;
}

/** Registered at start through WARROOM_ADMIN_TOKEN (playwright.config.ts): the demo lead's token. */
export const ADMIN_TOKEN = "e2e-admin-token-0123456789abcdef";
export const asAdmin = { Authorization: `Bearer ${ADMIN_TOKEN}` };

/** Runs a command through the REST API as the admin token's user; anything but 200 fails the test. */
export async function adminCommand(request: APIRequestContext, name: string, data: unknown) {
  const res = await request.post(`/api/v1/commands/${name}`, { headers: asAdmin, data });
  expect(res.status(), `${name}: ${await res.text()}`).toBe(200);
  return res.json();
}

/** Creates an API token for the signed-in user through the tokens page and returns it. */
export async function createTokenInUi(page: Page, name: string): Promise<string> {
  await page.goto("/settings/tokens");
  await page.getByLabel("Token name").fill(name);
  await page.getByRole("button", { name: "Create token" }).click();
  const value = (await page.getByTestId("new-token-value").textContent())?.trim() ?? "";
  expect(value).toMatch(/^wr_/);
  return value;
}

export const E2E_BASE = `http://127.0.0.1:${Number(process.env.E2E_PORT ?? 3217)}`;
