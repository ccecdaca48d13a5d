// Single sign-on through OpenID Connect, the rules without I/O: what the operator configured (and
// whether that is a configuration the app can start with), which groups a provider sent, which
// global roles they grant, and whether a sign-in may link to, create, or must not touch an account.

/** next-auth's provider id: the identity provider's redirect URI is `${NEXTAUTH_URL}/api/auth/callback/oidc`. */
export const SSO_PROVIDER_ID = "oidc";

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The button says "Sign in with <name>". */
  name: string;
  /** The claim of the ID token / userinfo that lists the user's groups. */
  groupsClaim: string;
  scopes: string;
}

export interface SignInSettings {
  oidc: OidcSettings | null;
  passwordSignIn: boolean;
}

/** A configuration the app must not start with; its message is the one line the operator reads. */
export class SignInConfigError extends Error {
  override name = "SignInConfigError";
}

const OIDC_VARS = ["OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET"] as const;
const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/i;

function issuerUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new SignInConfigError(`OIDC_ISSUER is not a URL: give the identity provider's issuer, e.g. https://login.example.com/realms/acme`);
  }
  // Tokens and the client secret travel to the issuer: in clear text only to this machine.
  if (url.protocol !== "https:" && !(url.protocol === "http:" && LOOPBACK.test(url.hostname))) {
    throw new SignInConfigError(`OIDC_ISSUER must be an https:// URL (http:// only for localhost)`);
  }
  if (url.username || url.password || url.search || url.hash) throw new SignInConfigError("OIDC_ISSUER must not carry credentials, a query or a fragment");
  return url.href.replace(/\/$/, "");
}

/**
 * Reads OIDC_* and WARROOM_PASSWORD_SIGN_IN. Throws SignInConfigError for a half-done OIDC setup,
 * an unknown switch value, or password sign-in turned off with no other way in.
 */
export function readSignInSettings(env: Record<string, string | undefined>): SignInSettings {
  const given = OIDC_VARS.filter((name) => (env[name] ?? "").trim() !== "");
  let oidc: OidcSettings | null = null;
  if (given.length > 0 && given.length < OIDC_VARS.length) {
    throw new SignInConfigError(`OIDC sign-in needs ${OIDC_VARS.join(", ")}: ${OIDC_VARS.filter((n) => !given.includes(n)).join(", ")} missing`);
  }
  if (given.length === OIDC_VARS.length) {
    const name = (env.OIDC_NAME ?? "").trim() || "SSO";
    if (name.length > 60) throw new SignInConfigError("OIDC_NAME is at most 60 characters");
    const groupsClaim = (env.OIDC_GROUPS_CLAIM ?? "").trim() || "groups";
    if (!/^[\x21-\x7e]{1,200}$/.test(groupsClaim)) throw new SignInConfigError("OIDC_GROUPS_CLAIM must be a claim name (printable, no spaces)");
    const scopes = (env.OIDC_SCOPES ?? "").trim().split(/\s+/).filter(Boolean);
    const scopeList = scopes.length ? scopes : ["openid", "email", "profile"];
    if (!scopeList.includes("openid")) throw new SignInConfigError("OIDC_SCOPES must include openid");
    if (scopeList.some((s) => !/^[\x21-\x7e]{1,100}$/.test(s) || s.includes('"') || s.includes("\\"))) throw new SignInConfigError("OIDC_SCOPES: scopes are printable words separated by spaces");
    oidc = { issuer: issuerUrl(env.OIDC_ISSUER!.trim()), clientId: env.OIDC_CLIENT_ID!.trim(), clientSecret: env.OIDC_CLIENT_SECRET!, name, groupsClaim, scopes: scopeList.join(" ") };
  }
  const raw = (env.WARROOM_PASSWORD_SIGN_IN ?? "").trim().toLowerCase();
  if (raw !== "" && raw !== "on" && raw !== "off") throw new SignInConfigError(`WARROOM_PASSWORD_SIGN_IN must be "on" or "off", not "${raw.slice(0, 20)}"`);
  const passwordSignIn = raw !== "off";
  if (!passwordSignIn && !oidc) throw new SignInConfigError("WARROOM_PASSWORD_SIGN_IN=off needs OIDC sign-in (OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET): nobody could sign in");
  return { oidc, passwordSignIn };
}

/** The discovery document next-auth reads the provider's endpoints and keys from. */
export function wellKnownUrl(issuer: string): string {
  return `${issuer.replace(/\/$/, "")}/.well-known/openid-configuration`;
}

export const MAX_GROUPS = 500;
export const MAX_GROUP_LENGTH = 256;

/**
 * The groups a provider sent under `claim`: an array of strings (Keycloak, Okta, Entra ID) or one
 * string; a dotted name reaches into an object (`realm_access.roles`) when no claim has that exact
 * name. Anything else is no groups. Bounded, so a huge token cannot blow up an audit row.
 */
export function groupsFromClaims(claims: Record<string, unknown>, claim: string): string[] {
  let value: unknown = Object.hasOwn(claims, claim) ? claims[claim] : undefined;
  if (value === undefined && claim.includes(".")) {
    value = claim.split(".").reduce<unknown>((at, key) => (at && typeof at === "object" && !Array.isArray(at) && Object.hasOwn(at, key) ? (at as Record<string, unknown>)[key] : undefined), claims);
  }
  const list = typeof value === "string" ? [value] : Array.isArray(value) ? value : [];
  const groups = new Set<string>();
  for (const g of list) {
    if (typeof g !== "string") continue;
    const name = g.trim();
    if (name && name.length <= MAX_GROUP_LENGTH) groups.add(name);
    if (groups.size >= MAX_GROUPS) break;
  }
  return [...groups];
}

export interface GroupMapping {
  administratorGroups: readonly string[];
  plannerGroups: readonly string[];
}

export interface GlobalRoles {
  isAdmin: boolean;
  isPlanner: boolean;
}

/**
 * The global roles a sign-in leaves the user with. A role with groups mapped to it is held exactly
 * when the user is in one of them (the provider decides); a role with no group mapped is left as
 * an administrator set it on the accounts page.
 */
export function rolesFromGroups(groups: readonly string[], mapping: GroupMapping, current: GlobalRoles): GlobalRoles {
  const member = (mapped: readonly string[]) => mapped.some((g) => groups.includes(g));
  return {
    isAdmin: mapping.administratorGroups.length ? member(mapping.administratorGroups) : current.isAdmin,
    isPlanner: mapping.plannerGroups.length ? member(mapping.plannerGroups) : current.isPlanner,
  };
}

export type SsoRefusal = "disabled" | "no_email" | "email_unverified" | "email_linked_elsewhere";

/** What the sign-in page says; never which account exists beyond what the person's own provider told them. */
export const SSO_REFUSAL_MESSAGES: Record<SsoRefusal, string> = {
  disabled: "This account is disabled. Ask an administrator.",
  no_email: "Your identity provider did not send an email address: the war room needs one to create your account.",
  email_unverified: "An account with your email exists, but your identity provider does not say the email is verified: ask an administrator.",
  email_linked_elsewhere: "The account with your email is linked to another identity at your provider: ask an administrator.",
};

export function ssoRefusalMessage(code: string | null | undefined): string | null {
  return code && Object.hasOwn(SSO_REFUSAL_MESSAGES, code) ? SSO_REFUSAL_MESSAGES[code as SsoRefusal] : null;
}

export interface AccountCandidate {
  id: string;
  disabled: boolean;
}

export type SsoAccountDecision =
  | { kind: "signed_in"; userId: string }
  | { kind: "link"; userId: string }
  | { kind: "create" }
  | { kind: "refuse"; reason: SsoRefusal };

/**
 * Which account an (issuer, subject) signs in as. A known identity is its user. Otherwise an
 * account with the same email is linked only when the provider says the email is verified (an
 * unverified address is whatever someone typed at their provider) and that account is not already
 * linked to another subject of this issuer; with no such account, one is created.
 */
export function decideSsoAccount(input: {
  identityUser: AccountCandidate | null;
  email: string | null;
  emailVerified: boolean;
  emailUser: (AccountCandidate & { linkedToIssuer: boolean }) | null;
}): SsoAccountDecision {
  if (input.identityUser) return input.identityUser.disabled ? { kind: "refuse", reason: "disabled" } : { kind: "signed_in", userId: input.identityUser.id };
  if (!input.email) return { kind: "refuse", reason: "no_email" };
  const existing = input.emailUser;
  if (!existing) return { kind: "create" };
  if (!input.emailVerified) return { kind: "refuse", reason: "email_unverified" };
  if (existing.linkedToIssuer) return { kind: "refuse", reason: "email_linked_elsewhere" };
  if (existing.disabled) return { kind: "refuse", reason: "disabled" };
  return { kind: "link", userId: existing.id };
}

/** `email_verified` as providers send it: a boolean, or (some) the string "true". */
export function emailVerifiedClaim(value: unknown): boolean {
  return value === true || value === "true";
}
