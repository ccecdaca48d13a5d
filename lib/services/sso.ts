// Single sign-on accounts: an OpenID Connect sign-in finds its user by (issuer, subject), links an
// existing account by a verified email, or creates one (with a password hash nothing matches), and
// applies the administrator's group mapping to the user's global roles. Serialised with every other
// change to accounts (users.ts's lock), so a sign-in and an administrator revoking each other's last
// administrator at the same moment cannot leave none.
import type { z } from "zod";
import { db, type Tx } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { decideSsoAccount, rolesFromGroups, SSO_PROVIDER_ID, type GroupMapping, type SsoRefusal } from "@/lib/domain/sso";
import { globalRolesOf } from "@/lib/domain/permissions";
import { userEmail, userName } from "@/lib/schemas/users";
import type { ssoMappingInput } from "@/lib/schemas/sso";
import { announceAccessChange } from "@/lib/realtime/bus";
import { signInSettings } from "@/lib/config";
import { recordChange } from "./audit";
import { ACCOUNTS_LOCK, assertAnotherAdministrator, forgetAccess, withAccounts } from "./users";
import type { Actor } from "./context";

// Not an argon2 hash: verifyPassword fails on it, so an account made by SSO has no password until
// an administrator sends it a reset link.
export const NO_PASSWORD = "!sso";

/** What the provider told us about the person (ID token and userinfo, already verified by next-auth). */
export interface SsoClaims {
  issuer: string;
  subject: string;
  email?: string | null;
  emailVerified: boolean;
  name?: string | null;
  groups: readonly string[];
}

export type SsoSignIn = { ok: true; user: { id: string; email: string; name: string; sv: number } } | { ok: false; reason: SsoRefusal };

async function readMapping(tx: Tx): Promise<GroupMapping> {
  const rows = await tx.ssoGroupMapping.findMany({ orderBy: { groupName: "asc" } });
  return {
    administratorGroups: rows.filter((r) => r.role === "ADMINISTRATOR").map((r) => r.groupName),
    plannerGroups: rows.filter((r) => r.role === "PLANNER").map((r) => r.groupName),
  };
}

const cleanEmail = (raw: string | null | undefined) => {
  const parsed = userEmail.safeParse(raw ?? "");
  return parsed.success ? parsed.data : null;
};

/** The account an OpenID Connect sign-in stands for, with the mapping applied; or why not. */
export async function signInWithSso(claims: SsoClaims): Promise<SsoSignIn> {
  if (!claims.issuer || !claims.subject || claims.subject.length > 255) return { ok: false, reason: "no_email" };
  const email = cleanEmail(claims.email);
  const result = await db().$transaction(
    async (tx): Promise<SsoSignIn & { changed?: boolean }> => {
      await tx.$executeRawUnsafe("SELECT pg_advisory_xact_lock($1)", ACCOUNTS_LOCK);
      const identity = await tx.ssoIdentity.findUnique({ where: { issuer_subject: { issuer: claims.issuer, subject: claims.subject } }, include: { user: { select: { id: true, disabledAt: true } } } });
      const emailUser = !identity && email ? await tx.user.findUnique({ where: { email }, select: { id: true, disabledAt: true, ssoIdentities: { where: { issuer: claims.issuer }, select: { id: true } } } }) : null;
      const decision = decideSsoAccount({
        identityUser: identity ? { id: identity.user.id, disabled: identity.user.disabledAt !== null } : null,
        email,
        emailVerified: claims.emailVerified,
        emailUser: emailUser ? { id: emailUser.id, disabled: emailUser.disabledAt !== null, linkedToIssuer: emailUser.ssoIdentities.length > 0 } : null,
      });
      if (decision.kind === "refuse") return { ok: false, reason: decision.reason };

      const mapping = await readMapping(tx);
      const groups = [...claims.groups];
      const seen = { issuer: claims.issuer, subject: claims.subject, groups };
      if (decision.kind === "create") {
        const roles = rolesFromGroups(groups, mapping, { isAdmin: false, isPlanner: false });
        const parsedName = userName.safeParse(claims.name ?? "");
        const name = parsedName.success ? parsedName.data : email!.split("@")[0]!;
        const user = await tx.user.create({ data: { email: email!, name, passwordHash: NO_PASSWORD, ...roles }, select: { id: true, email: true, name: true, sessionVersion: true } });
        await tx.ssoIdentity.create({ data: { userId: user.id, ...seen } });
        await recordChange(tx, { cutoverId: null, actorId: user.id, actorName: user.name, role: null, action: "user.sso_created", subject: `user:${user.id}`, after: { email: user.email, name: user.name, ...roles, ...seen }, rehearsal: false });
        return { ok: true, user: { id: user.id, email: user.email, name: user.name, sv: user.sessionVersion } };
      }

      if (decision.kind === "link") {
        await tx.ssoIdentity.create({ data: { userId: decision.userId, ...seen } });
      } else {
        await tx.ssoIdentity.update({ where: { id: identity!.id }, data: { groups, lastSignInAt: new Date() } });
      }
      const user = await tx.user.findUniqueOrThrow({ where: { id: decision.userId }, select: { id: true, email: true, name: true, isAdmin: true, isPlanner: true, sessionVersion: true } });
      const audit = (action: string, change: { before?: unknown; after?: unknown }) =>
        recordChange(tx, { cutoverId: null, actorId: user.id, actorName: user.name, role: globalRolesOf(user).join(",") || null, action, subject: `user:${user.id}`, ...change, rehearsal: false });
      if (decision.kind === "link") await audit("user.sso_linked", { after: { email: user.email, ...seen } });

      const next = rolesFromGroups(groups, mapping, user);
      let keptLastAdministrator = false;
      if (user.isAdmin && !next.isAdmin) {
        // The mapping never removes the last administrator: the rule of the accounts page.
        try {
          await assertAnotherAdministrator(tx, user.id);
        } catch (err) {
          if (!(err instanceof AppError)) throw err;
          next.isAdmin = true;
          keptLastAdministrator = true;
        }
      }
      const changed = next.isAdmin !== user.isAdmin || next.isPlanner !== user.isPlanner;
      let sv = user.sessionVersion;
      if (changed) {
        // Sessions signed in under the old roles end; the one being made carries the new version.
        sv = (await tx.user.update({ where: { id: user.id }, data: { ...next, sessionVersion: { increment: 1 } }, select: { sessionVersion: true } })).sessionVersion;
        await audit("user.roles_changed", { before: { email: user.email, isAdmin: user.isAdmin, isPlanner: user.isPlanner }, after: { ...next, by: "sso group mapping", groups, ...(keptLastAdministrator ? { keptLastAdministrator } : {}) } });
        await announceAccessChange(tx, user.id);
      } else if (keptLastAdministrator) {
        await audit("user.sso_roles_kept", { after: { email: user.email, isAdmin: true, reason: "last administrator", groups } });
      }
      return { ok: true, changed, user: { id: user.id, email: user.email, name: user.name, sv } };
    },
    { timeout: 15_000, maxWait: 10_000 },
  );
  if (result.ok && result.changed) forgetAccess(result.user.id);
  return result.ok ? { ok: true, user: result.user } : result;
}

/** The administrator's choice of groups; replaces the whole mapping. Applied at each user's next sign-in. */
export async function setSsoMapping(actor: Actor, input: z.output<typeof ssoMappingInput>, requestId?: string) {
  return withAccounts(
    actor,
    async (ctx) => {
      const before = await readMapping(ctx.tx);
      await ctx.tx.ssoGroupMapping.deleteMany({});
      await ctx.tx.ssoGroupMapping.createMany({
        data: [...input.administratorGroups.map((groupName) => ({ groupName, role: "ADMINISTRATOR" as const })), ...input.plannerGroups.map((groupName) => ({ groupName, role: "PLANNER" as const }))],
      });
      const after = await readMapping(ctx.tx);
      await ctx.record("sso.mapping_changed", "sso:mapping", { before, after });
      return after;
    },
    requestId,
    "sso.manage",
  );
}

/** The /admin/sso page: what the operator configured (never the secret), the mapping, the linked identities. */
export async function getSsoView(actor: Actor) {
  return withAccounts(
    actor,
    async ({ tx }) => {
      const settings = signInSettings();
      const mapping = await readMapping(tx);
      const identities = await tx.ssoIdentity.findMany({ orderBy: { lastSignInAt: "desc" }, take: 500, select: { subject: true, groups: true, lastSignInAt: true, user: { select: { id: true, email: true, name: true, isAdmin: true, isPlanner: true, disabledAt: true } } } });
      return {
        oidc: settings.oidc ? { name: settings.oidc.name, issuer: settings.oidc.issuer, groupsClaim: settings.oidc.groupsClaim, scopes: settings.oidc.scopes } : null,
        passwordSignIn: settings.passwordSignIn,
        redirectUri: `${(process.env.NEXTAUTH_URL ?? "").replace(/\/$/, "")}/api/auth/callback/${SSO_PROVIDER_ID}`,
        mapping,
        identities: identities.map((i) => ({ subject: i.subject, groups: i.groups, lastSignInAt: i.lastSignInAt.toISOString(), user: { ...i.user, disabledAt: i.user.disabledAt?.toISOString() ?? null } })),
      };
    },
    undefined,
    "sso.manage",
  );
}
