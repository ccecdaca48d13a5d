import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decideSsoAccount, emailVerifiedClaim, groupsFromClaims, MAX_GROUPS, readSignInSettings, rolesFromGroups, SignInConfigError, ssoRefusalMessage, wellKnownUrl } from "./sso";

const OIDC = { OIDC_ISSUER: "https://login.example.com/realms/acme/", OIDC_CLIENT_ID: "war-room", OIDC_CLIENT_SECRET: "s3cret" };

describe("readSignInSettings", () => {
  it("passwords only when nothing is configured", () => {
    expect(readSignInSettings({})).toEqual({ oidc: null, passwordSignIn: true });
  });

  it("reads OIDC with its defaults, the issuer without a trailing slash", () => {
    expect(readSignInSettings(OIDC)).toEqual({
      oidc: { issuer: "https://login.example.com/realms/acme", clientId: "war-room", clientSecret: "s3cret", name: "SSO", groupsClaim: "groups", scopes: "openid email profile" },
      passwordSignIn: true,
    });
    const custom = readSignInSettings({ ...OIDC, OIDC_NAME: "Okta", OIDC_GROUPS_CLAIM: "https://acme.example/groups", OIDC_SCOPES: "openid email profile groups", WARROOM_PASSWORD_SIGN_IN: "off" });
    expect(custom.oidc).toMatchObject({ name: "Okta", groupsClaim: "https://acme.example/groups", scopes: "openid email profile groups" });
    expect(custom.passwordSignIn).toBe(false);
  });

  it("refuses what the app must not start with, in one line", () => {
    const bad: [Record<string, string>, RegExp][] = [
      [{ OIDC_ISSUER: OIDC.OIDC_ISSUER }, /OIDC_CLIENT_ID, OIDC_CLIENT_SECRET missing/],
      [{ ...OIDC, OIDC_ISSUER: "login.example.com" }, /not a URL/],
      [{ ...OIDC, OIDC_ISSUER: "http://login.example.com" }, /https/],
      [{ ...OIDC, OIDC_ISSUER: "https://u:p@login.example.com" }, /credentials/],
      [{ ...OIDC, OIDC_SCOPES: "email profile" }, /openid/],
      [{ ...OIDC, OIDC_GROUPS_CLAIM: "my groups" }, /OIDC_GROUPS_CLAIM/],
      [{ ...OIDC, OIDC_NAME: "x".repeat(61) }, /OIDC_NAME/],
      [{ WARROOM_PASSWORD_SIGN_IN: "off" }, /needs OIDC/],
      [{ ...OIDC, WARROOM_PASSWORD_SIGN_IN: "no" }, /"on" or "off"/],
    ];
    for (const [env, message] of bad) {
      const err = (() => {
        try {
          readSignInSettings(env);
        } catch (e) {
          return e;
        }
      })();
      expect(err, JSON.stringify(env)).toBeInstanceOf(SignInConfigError);
      expect((err as Error).message).toMatch(message);
      expect((err as Error).message).not.toContain("\n");
      expect((err as Error).message).not.toContain("s3cret");
    }
  });

  it("allows http:// only to this machine (a test provider)", () => {
    expect(readSignInSettings({ ...OIDC, OIDC_ISSUER: "http://127.0.0.1:9000" }).oidc?.issuer).toBe("http://127.0.0.1:9000");
    expect(readSignInSettings({ ...OIDC, OIDC_ISSUER: "http://localhost:9000/" }).oidc?.issuer).toBe("http://localhost:9000");
    expect(wellKnownUrl("http://localhost:9000")).toBe("http://localhost:9000/.well-known/openid-configuration");
  });
});

describe("groupsFromClaims", () => {
  it("reads an array, a single string, or a dotted path; nothing else", () => {
    expect(groupsFromClaims({ groups: ["ops", " leads ", "ops", 7, null, ""] }, "groups")).toEqual(["ops", "leads"]);
    expect(groupsFromClaims({ groups: "ops" }, "groups")).toEqual(["ops"]);
    expect(groupsFromClaims({ realm_access: { roles: ["admin"] } }, "realm_access.roles")).toEqual(["admin"]);
    expect(groupsFromClaims({ "realm_access.roles": ["exact"], realm_access: { roles: ["nested"] } }, "realm_access.roles")).toEqual(["exact"]);
    expect(groupsFromClaims({ groups: { ops: true } }, "groups")).toEqual([]);
    expect(groupsFromClaims({}, "groups")).toEqual([]);
    expect(groupsFromClaims({ groups: ["x"] }, "__proto__")).toEqual([]);
    expect(groupsFromClaims({ a: ["x"] }, "constructor.name")).toEqual([]);
  });

  it("is bounded whatever the token holds", () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        const groups = groupsFromClaims({ groups: value }, "groups");
        expect(groups.length).toBeLessThanOrEqual(MAX_GROUPS);
        for (const g of groups) expect(typeof g === "string" && g.length > 0 && g.length <= 256).toBe(true);
      }),
    );
    expect(groupsFromClaims({ groups: Array.from({ length: 2000 }, (_, i) => `g${i}`) }, "groups")).toHaveLength(MAX_GROUPS);
  });
});

describe("rolesFromGroups", () => {
  const mapping = { administratorGroups: ["war-room-admins"], plannerGroups: ["planners", "leads"] };

  it("a mapped role is held exactly when the user is in one of its groups", () => {
    expect(rolesFromGroups(["war-room-admins"], mapping, { isAdmin: false, isPlanner: true })).toEqual({ isAdmin: true, isPlanner: false });
    expect(rolesFromGroups(["leads", "other"], mapping, { isAdmin: true, isPlanner: false })).toEqual({ isAdmin: false, isPlanner: true });
    expect(rolesFromGroups([], mapping, { isAdmin: true, isPlanner: true })).toEqual({ isAdmin: false, isPlanner: false });
  });

  it("a role with no group mapped stays as the administrator set it", () => {
    const adminsOnly = { administratorGroups: ["war-room-admins"], plannerGroups: [] };
    expect(rolesFromGroups([], adminsOnly, { isAdmin: false, isPlanner: true })).toEqual({ isAdmin: false, isPlanner: true });
    expect(rolesFromGroups(["anything"], { administratorGroups: [], plannerGroups: [] }, { isAdmin: true, isPlanner: false })).toEqual({ isAdmin: true, isPlanner: false });
  });

  it("matches group names exactly (case and all)", () => {
    expect(rolesFromGroups(["War-Room-Admins"], mapping, { isAdmin: false, isPlanner: false }).isAdmin).toBe(false);
  });
});

describe("decideSsoAccount", () => {
  const user = { id: "u1", disabled: false };
  it("a known identity signs in as its user, unless disabled", () => {
    expect(decideSsoAccount({ identityUser: user, email: null, emailVerified: false, emailUser: null })).toEqual({ kind: "signed_in", userId: "u1" });
    expect(decideSsoAccount({ identityUser: { ...user, disabled: true }, email: "a@x.test", emailVerified: true, emailUser: null })).toEqual({ kind: "refuse", reason: "disabled" });
  });

  it("links an existing account only by a verified email, and only once per issuer", () => {
    const base = { identityUser: null, email: "a@x.test" };
    expect(decideSsoAccount({ ...base, emailVerified: true, emailUser: { ...user, linkedToIssuer: false } })).toEqual({ kind: "link", userId: "u1" });
    expect(decideSsoAccount({ ...base, emailVerified: false, emailUser: { ...user, linkedToIssuer: false } })).toEqual({ kind: "refuse", reason: "email_unverified" });
    expect(decideSsoAccount({ ...base, emailVerified: true, emailUser: { ...user, linkedToIssuer: true } })).toEqual({ kind: "refuse", reason: "email_linked_elsewhere" });
    expect(decideSsoAccount({ ...base, emailVerified: true, emailUser: { ...user, disabled: true, linkedToIssuer: false } })).toEqual({ kind: "refuse", reason: "disabled" });
  });

  it("creates an account for a new email, verified or not; never without an email", () => {
    expect(decideSsoAccount({ identityUser: null, email: "new@x.test", emailVerified: false, emailUser: null })).toEqual({ kind: "create" });
    expect(decideSsoAccount({ identityUser: null, email: null, emailVerified: true, emailUser: null })).toEqual({ kind: "refuse", reason: "no_email" });
  });

  it("reads email_verified strictly, and refusal codes only from its own list", () => {
    expect([true, "true", false, "false", 1, "yes", undefined].map(emailVerifiedClaim)).toEqual([true, true, false, false, false, false, false]);
    expect(ssoRefusalMessage("disabled")).toMatch(/disabled/);
    expect(ssoRefusalMessage("toString")).toBeNull();
    expect(ssoRefusalMessage("<script>")).toBeNull();
  });
});
