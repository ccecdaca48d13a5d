// Single sign-on end to end: a real OpenID provider (oidc-provider, started here on 127.0.0.1)
// and a second war room process of its own (own port and data directory) configured for it, with
// password sign-in turned off. The browser clicks "Sign in with …", goes through the provider and
// comes back signed in as the role the administrator's group mapping says.
import { spawn, type ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { freePort } from "../lib/server/free-port";
import { startTestIdentityProvider, type TestIdentityProvider } from "../lib/testing/oidc-provider";
import { SERVER_BUNDLE, SERVER_ENV, SERVER_NODE_ARGS } from "../scripts/server-bundle";

const DATA = ".data/e2e-sso";
const TOKEN = "e2e-sso-admin-token-0123456789abcdef";
const auth = { Authorization: `Bearer ${TOKEN}` };

let idp: TestIdentityProvider;
let app: ChildProcess;
let base = "";
let log = "";

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  test.setTimeout(120_000);
  rmSync(DATA, { recursive: true, force: true });
  const port = await freePort();
  base = `http://localhost:${port}`;
  idp = await startTestIdentityProvider({
    redirectUris: [`${base}/api/auth/callback/oidc`],
    people: [
      { sub: "alice", email: "alice@acme.test", email_verified: true, name: "Alice Admin", groups: ["war-room-admins", "engineering"] },
      { sub: "bob", email: "bob@acme.test", email_verified: true, name: "Bob Builder", groups: ["engineering"] },
      { sub: "dora", email: "dora@acme.test", email_verified: true, name: "Dora Disabled", groups: ["war-room-admins"] },
    ],
  });
  app = spawn(process.execPath, [...SERVER_NODE_ARGS, SERVER_BUNDLE], {
    env: {
      ...process.env,
      ...SERVER_ENV,
      PORT: String(port),
      WARROOM_DATA_DIR: DATA,
      NEXT_TELEMETRY_DISABLED: "1",
      DATABASE_URL: "",
      MIGRATION_DATABASE_URL: "",
      NEXTAUTH_URL: base,
      WARROOM_ADMIN_TOKEN: TOKEN,
      OIDC_ISSUER: idp.issuer,
      OIDC_CLIENT_ID: idp.clientId,
      OIDC_CLIENT_SECRET: idp.clientSecret,
      OIDC_NAME: "Acme SSO",
      OIDC_SCOPES: "openid email profile groups",
      WARROOM_PASSWORD_SIGN_IN: "off",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  app.stdout!.on("data", (d) => (log += d));
  app.stderr!.on("data", (d) => (log += d));
  await expect
    .poll(async () => (await fetch(`${base}/health/readiness`).catch(() => null))?.status ?? 0, { timeout: 90_000 })
    .toBe(200)
    .catch((err: unknown) => {
      throw new Error(`the SSO app did not become ready:\n${log}`, { cause: err });
    });
  expect(log).toContain("sign-in: Acme SSO through OpenID Connect");
  expect(log).not.toContain(idp.clientSecret);

  // The administrator (the demo lead, through the operator's token) maps the provider's groups.
  const r = await fetch(`${base}/api/v1/commands/sso.set_mapping`, { method: "POST", headers: { ...auth, "content-type": "application/json" }, body: JSON.stringify({ administratorGroups: ["war-room-admins"], plannerGroups: [] }) });
  expect(r.status, await r.text()).toBe(200);
});

test.afterAll(async () => {
  if (app && app.exitCode === null) {
    app.kill("SIGTERM");
    await new Promise((r) => app.once("exit", r));
  }
  await idp?.close();
});

async function ssoSignIn(browser: Browser, sub: string): Promise<Page> {
  const page = await (await browser.newContext({ baseURL: base })).newPage();
  idp.signInNext(sub);
  await page.goto("/sign-in");
  await page.getByRole("button", { name: "Sign in with Acme SSO" }).click();
  return page;
}

test("password sign-in is off: no form, and a password POST to next-auth makes no session", async ({ browser, playwright }) => {
  const page = await (await browser.newContext({ baseURL: base })).newPage();
  await page.goto("/sign-in");
  await expect(page.getByRole("button", { name: "Sign in with Acme SSO" })).toBeVisible();
  await expect(page.getByLabel("Password")).toHaveCount(0);
  await expect(page.getByLabel("Email")).toHaveCount(0);

  const api = await playwright.request.newContext({ baseURL: base });
  const { csrfToken } = (await (await api.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const res = await api.post("/api/auth/callback/credentials", { form: { csrfToken, email: "lead@demo.warroom", password: "warroom-demo", json: "true" }, maxRedirects: 0 });
  expect(res.status()).not.toBe(200);
  expect((await api.storageState()).cookies.some((c) => c.name.includes("session-token"))).toBe(false);
  // API tokens keep working.
  expect((await api.get("/api/v1/cutovers", { headers: auth })).status()).toBe(200);
  await api.dispose();
});

test("a member of the administrators' group lands in the app as an administrator", async ({ browser }) => {
  const page = await ssoSignIn(browser, "alice");
  await expect(page).toHaveURL(/\/cutovers$/);
  await expect(page.getByTestId("signed-in-user")).toHaveText("Alice Admin");
  await page.getByRole("link", { name: "Users" }).click();
  await expect(page).toHaveURL(/\/admin\/users/);
  await expect(page.getByTestId("user-row").filter({ hasText: "alice@acme.test" })).toBeVisible();
  await page.getByRole("link", { name: "Single sign-on" }).click();
  await expect(page.getByLabel("Administrator groups")).toHaveValue("war-room-admins");
  await expect(page.getByTestId("sso-identities")).toContainText("alice@acme.test");
  await expect(page.getByTestId("sso-config")).toContainText(`${base}/api/auth/callback/oidc`);
  await expect(page.locator("body")).not.toContainText(idp.clientSecret);
});

test("someone in no mapped group is a plain user", async ({ browser }) => {
  const page = await ssoSignIn(browser, "bob");
  await expect(page).toHaveURL(/\/cutovers$/);
  await expect(page.getByTestId("signed-in-user")).toHaveText("Bob Builder");
  await expect(page.getByRole("link", { name: "Users" })).toHaveCount(0);
  const res = await page.goto("/admin/users");
  expect(res?.status()).toBe(404);
});

test("a disabled account is refused, with the reason on the sign-in page", async ({ browser }) => {
  const post = (name: string, body: unknown) => fetch(`${base}/api/v1/commands/${name}`, { method: "POST", headers: { ...auth, "content-type": "application/json" }, body: JSON.stringify(body) });
  const created = await post("user.create", { email: "dora@acme.test", name: "Dora", password: "a sturdy passphrase for dora" });
  expect(created.status).toBe(200);
  const { userId } = (await created.json()) as { userId: string };
  expect((await post("user.disable", { userId })).status).toBe(200);

  const page = await ssoSignIn(browser, "dora");
  await expect(page).toHaveURL(/\/sign-in\?error=disabled/);
  await expect(page.getByTestId("sign-in-error")).toHaveText("This account is disabled. Ask an administrator.");
  expect((await page.context().cookies()).some((c) => c.name.includes("session-token"))).toBe(false);
  expect((await page.goto("/cutovers"))?.url()).toMatch(/\/sign-in/);
});
