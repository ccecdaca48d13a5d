// A sign-in configuration the app must not run with stops the real server start with one line (no
// stack trace), before any database is opened, and never prints the client secret.
import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";

async function start(env: Record<string, string>) {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: "", PORT: "0", WARROOM_DATA_DIR: ".data/test-sign-in-config" };
  for (const k of Object.keys(childEnv)) if (k.startsWith("OIDC_") || k === "WARROOM_PASSWORD_SIGN_IN") delete childEnv[k];
  const child = spawn(process.execPath, ["node_modules/tsx/dist/cli.mjs", "lib/server/main.ts"], { env: { ...childEnv, ...env } });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  return { code, lines: stderr.trim().split("\n").filter((l) => !l.includes("nodedir")) };
}

describe("a sign-in configuration the app cannot start with", () => {
  it("passwords off without OIDC", async () => {
    const r = await start({ WARROOM_PASSWORD_SIGN_IN: "off" });
    expect(r.code).toBe(1);
    expect(r.lines).toEqual([expect.stringMatching(/^\[warroom\] WARROOM_PASSWORD_SIGN_IN=off needs OIDC sign-in/)]);
  }, 90_000);

  it("a plain-http issuer elsewhere than this machine, without echoing the secret", async () => {
    const r = await start({ OIDC_ISSUER: "http://login.example.com", OIDC_CLIENT_ID: "war-room", OIDC_CLIENT_SECRET: "very-secret-value-0123" });
    expect(r.code).toBe(1);
    expect(r.lines).toEqual(["[warroom] OIDC_ISSUER must be an https:// URL (http:// only for localhost)"]);
  }, 90_000);
});
