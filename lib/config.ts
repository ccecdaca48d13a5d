// Process configuration read once from the environment, with the defaults the README documents.
import path from "node:path";
import { readSignInSettings, type SignInSettings } from "@/lib/domain/sso";

export const config = {
  port: Number(process.env.PORT ?? 3000),
  /** HOST as given; null when unset (see listenHost). */
  host: process.env.HOST || null,
  dataDir: path.resolve(/*turbopackIgnore: true*/ process.env.WARROOM_DATA_DIR ?? ".data"),
  databaseUrl: process.env.DATABASE_URL || null,
  demo: process.env.WARROOM_DEMO === "1",
  /** A reverse proxy in front appends the client's address to X-Forwarded-For; trust its entry. */
  trustProxy: process.env.WARROOM_TRUST_PROXY === "1",
  version: process.env.npm_package_version ?? "0.1.0",
  /** How long a signed action link ("Vote GO", "Confirm rollback") in a message stays good. */
  actionLinkMinutes: readActionLinkMinutes(process.env.WARROOM_ACTION_LINK_MINUTES),
};

/** WARROOM_ACTION_LINK_MINUTES: whole minutes, 1 to 1440; 15 when unset. A bad value stops the start. */
export function readActionLinkMinutes(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === "") return 15;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 1440) throw new Error(`WARROOM_ACTION_LINK_MINUTES must be whole minutes from 1 to 1440, not "${raw.slice(0, 20)}"`);
  return n;
}

/** The app's public base URL (NEXTAUTH_URL, which the server sets at start), without a trailing slash; null when unknown. */
export function publicBaseUrl(): string | null {
  const raw = process.env.NEXTAUTH_URL;
  if (!raw) return null;
  try {
    const url = new URL(raw);
    return url.protocol === "http:" || url.protocol === "https:" ? url.origin + url.pathname.replace(/\/+$/, "") : null;
  } catch {
    return null;
  }
}

/**
 * The address to listen on. A demo (embedded database or WARROOM_DEMO=1) has accounts whose
 * password is published in the README: it stays on this machine unless HOST says otherwise.
 */
export function listenHost({ host, demo }: { host: string | null; demo: boolean }): string {
  return host ?? (demo ? "127.0.0.1" : "0.0.0.0");
}

/** The start-up warning for a demo reachable from other machines; null when there is nothing to say. */
export function demoExposureWarning({ host, demo, port }: { host: string | null; demo: boolean; port: number }): string[] | null {
  if (!demo || host === null || /^(127\.\d+\.\d+\.\d+|::1|\[::1\]|localhost)$/i.test(host)) return null;
  const bar = "!".repeat(78);
  return [
    bar,
    `WARNING: HOST=${host} with the demo accounts: anyone who can reach port ${port} of this machine`,
    `can sign in as the demo administrator (lead@demo.warroom) with the published password`,
    `"warroom-demo" and move production traffic. Unset HOST (the demo then listens on 127.0.0.1)`,
    `or run with a real DATABASE_URL and without WARROOM_DEMO=1.`,
    bar,
  ];
}

/**
 * How people sign in: OpenID Connect (OIDC_*) and whether passwords are accepted
 * (WARROOM_PASSWORD_SIGN_IN). Read once per process and kept on globalThis, so that the custom
 * server can validate it at start (a bad setup stops there, in one line) and then drop the client
 * secret from process.env while Next's bundle of this module still finds it.
 * Throws SignInConfigError (lib/domain/sso.ts).
 */
export function signInSettings(): SignInSettings {
  const holder = globalThis as unknown as { __warroomSignIn?: SignInSettings };
  return (holder.__warroomSignIn ??= readSignInSettings(process.env));
}
