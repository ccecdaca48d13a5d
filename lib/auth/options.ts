// next-auth (v4, the stable line that declares Next 16 / React 19 as peers) with email + password.
// Sessions are JWTs in an HttpOnly, SameSite=Lax cookie; the user is re-read from the database
// on every server-side use (lib/auth/session.ts), so a deleted or disabled user loses access at
// once. A disabled user cannot sign in.
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { sameOriginPath } from "@/lib/domain/request-input";
import { verifyPassword } from "./passwords";

const credentialsSchema = z.object({
  email: z.string().trim().toLowerCase().email().max(320),
  password: z.string().min(1).max(1024),
});

// Verified against when the email is unknown, so both failures take the same time.
const DUMMY_HASH = "$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHRzb21lc2FsdA$0S2rbyPMeG9GHJ6nQ3ZI+v2v9N3ZQW+v8gCHqgmy8bU";

export const authOptions: NextAuthOptions = {
  session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
  pages: { signIn: "/sign-in" },
  providers: [
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
    }),
  ],
  // Cookies: next-auth makes them Secure (and __Secure-/__Host- prefixed) when NEXTAUTH_URL is
  // https; no `useSecureCookies` or `cookies` here, so that stays derived from the public URL.
  callbacks: {
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
