// next-auth (v4, the stable line that declares Next 16 / React 19 as peers) with email + password
// and, when the operator configured it (OIDC_*), the company's OpenID Connect provider; passwords
// can be turned off (WARROOM_PASSWORD_SIGN_IN=off): the credentials provider is then not there at all.
// Sessions are JWTs in an HttpOnly, SameSite=Lax cookie; the user is re-read from the database
// on every server-side use (lib/auth/session.ts), so a deleted or disabled user loses access at
// once. A disabled user cannot sign in.
import type { NextAuthOptions } from "next-auth";
import type { OAuthConfig } from "next-auth/providers/oauth";
import CredentialsProvider from "next-auth/providers/credentials";
import { z } from "zod";
import { signInSettings } from "@/lib/config";
import { db } from "@/lib/db/client";
import { sameOriginPath } from "@/lib/domain/request-input";
import { emailVerifiedClaim, groupsFromClaims, SSO_PROVIDER_ID, wellKnownUrl, type OidcSettings, type SignInSettings } from "@/lib/domain/sso";
import { signInWithSso } from "@/lib/services/sso";
import { verifyPassword } from "./passwords";

const credentialsSchema = z.object({
  email: z.string().trim().toLowerCase().email().max(320),
  password: z.string().min(1).max(1024),
});

// Verified against when the email is unknown, so both failures take the same time.
const DUMMY_HASH = "$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHRzb21lc2FsdA$0S2rbyPMeG9GHJ6nQ3ZI+v2v9N3ZQW+v8gCHqgmy8bU";

const credentialsProvider = () =>
  CredentialsProvider({
    name: "Email and password",
    credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
    async authorize(raw) {
      const parsed = credentialsSchema.safeParse(raw);
      if (!parsed.success) return null;
      const user = await db().user.findUnique({ where: { email: parsed.data.email }, omit: { passwordHash: false } });
      const ok = await verifyPassword(user?.passwordHash ?? DUMMY_HASH, parsed.data.password);
      if (!user || !ok || user.disabledAt) return null;
      return { id: user.id, email: user.email, name: user.name, sv: user.sessionVersion };
    },
  });

/**
 * The identity provider, found through its discovery document. next-auth checks state, nonce and
 * PKCE and verifies the ID token (signature, issuer, audience); the claims read are the ID token's.
 */
export function oidcProvider(oidc: OidcSettings): OAuthConfig<Record<string, unknown>> {
  return {
    id: SSO_PROVIDER_ID,
    name: oidc.name,
    type: "oauth",
    wellKnown: wellKnownUrl(oidc.issuer),
    clientId: oidc.clientId,
    clientSecret: oidc.clientSecret,
    idToken: true,
    checks: ["pkce", "state", "nonce"],
    authorization: { params: { scope: oidc.scopes } },
    profile: (claims) => ({ id: String(claims.sub ?? ""), email: typeof claims.email === "string" ? claims.email : null, name: typeof claims.name === "string" ? claims.name : null }),
  };
}

/** next-auth's options for a sign-in configuration (lib/config.ts reads it from the environment). */
export function buildAuthOptions(settings: SignInSettings): NextAuthOptions {
  const oidc = settings.oidc;
  return {
    session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
    // next-auth's own error page would be a second sign-in page: errors come back to ours, as ?error=.
    pages: { signIn: "/sign-in", error: "/sign-in" },
    providers: [...(settings.passwordSignIn ? [credentialsProvider()] : []), ...(oidc ? [oidcProvider(oidc)] : [])],
    // Cookies: next-auth makes them Secure (and __Secure-/__Host- prefixed) when NEXTAUTH_URL is
    // https; no `useSecureCookies` or `cookies` here, so that stays derived from the public URL.
    callbacks: {
      // An SSO sign-in becomes one of our users (found, linked or created; roles from the group
      // mapping), or goes back to the sign-in page saying why not. next-auth hands this same `user`
      // to jwt() below.
      async signIn({ user, account, profile }) {
        if (account?.provider !== SSO_PROVIDER_ID || !oidc) return account?.provider === "credentials";
        const claims = (profile ?? {}) as Record<string, unknown>;
        const result = await signInWithSso({
          issuer: oidc.issuer,
          subject: typeof claims.sub === "string" ? claims.sub : "",
          email: typeof claims.email === "string" ? claims.email : null,
          emailVerified: emailVerifiedClaim(claims.email_verified),
          name: typeof claims.name === "string" ? claims.name : typeof claims.preferred_username === "string" ? claims.preferred_username : null,
          groups: groupsFromClaims(claims, oidc.groupsClaim),
        });
        if (!result.ok) return `/sign-in?error=${result.reason}`;
        Object.assign(user, result.user);
        return true;
      },
      // After sign-in or sign-out, only somewhere on this origin: `//evil.com`, `/\evil.com` or
      // `https://evil.com` as a callbackUrl lead to the home page.
      redirect({ url, baseUrl }) {
        return `${baseUrl.replace(/\/$/, "")}${sameOriginPath(url, baseUrl)}`;
      },
      jwt({ token, user }) {
        // The session version at sign-in: a disable or password reset bumps the user's, ending this session.
        if (user) Object.assign(token, { sub: user.id, sv: (user as { sv?: number }).sv ?? 0 });
        return token;
      },
      session({ session, token }) {
        if (session.user) Object.assign(session.user, { id: token.sub, sv: typeof token.sv === "number" ? token.sv : 0 });
        return session;
      },
    },
  };
}

export const authOptions: NextAuthOptions = buildAuthOptions(signInSettings());
