// Accounts: administrators create or invite users, disable and enable them, reset passwords and
// grant or revoke the global roles (administrator, planner). Every change is authorised by the
// global permission table (`users.manage`), audited outside any cutover, and announced so that
// every process ends the user's sessions, API tokens and sockets at once when their access shrinks.
// Invitation and reset links are one-time: only the SHA-256 of their 32 random bytes is stored.
import { randomBytes } from "node:crypto";
import type { z } from "zod";
import { db, type Tx } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { canGlobal, GLOBAL_ACTION_LABELS, globalRolesOf, type GlobalAction } from "@/lib/domain/permissions";
import { checkPassword } from "@/lib/domain/password-policy";
import { hashPassword } from "@/lib/auth/passwords";
import { hashToken } from "@/lib/auth/token-hash";
import { forgetApiTokens } from "@/lib/auth/bearer";
import { forgetAccountStatus } from "@/lib/auth/account-status";
import { announceAccessChange } from "@/lib/realtime/bus";
import { acceptLinkInput, createUserInput, inviteUserInput, linkToken, resetPasswordInput, setRolesInput, userOnlyInput } from "@/lib/schemas/users";
import { recordChange } from "./audit";
import { parseInput } from "./parse-input";
import type { Actor } from "./context";

/** How long an invitation or reset link stays usable. */
export const LINK_TTL_MS = 72 * 60 * 60 * 1000;
// The key /setup's first administrator is created under (lib/services/bootstrap.ts): every change
// to accounts is serialised with it, so two administrators revoking each other at the same moment
// cannot leave none.
export const ACCOUNTS_LOCK = 7001;

const denied = (action: GlobalAction) => `Not allowed to ${GLOBAL_ACTION_LABELS[action]}: administrators only`;

export interface AccountsContext {
  tx: Tx;
  /** The caller as the database knows them now, not as their session remembered them. */
  me: { id: string; name: string; isAdmin: boolean; isPlanner: boolean };
  /** `subject`: "user:<id>", or "invite:<id>" for a link not yet accepted. */
  record(action: string, subject: string, change: { before?: unknown; after?: unknown }): Promise<void>;
}

function assertMayManage(actor: { isAdmin: boolean; isPlanner: boolean }, action: GlobalAction = "users.manage") {
  if (!canGlobal(actor, action)) throw new AppError("forbidden", denied(action));
}

/**
 * A change to accounts (or to what decides them, like the SSO group mapping: `action`), by a
 * caller the database still says may make it, serialised with every other, audited outside any cutover.
 */
export async function withAccounts<T>(actor: Actor, fn: (ctx: AccountsContext) => Promise<T>, requestId?: string, action: GlobalAction = "users.manage"): Promise<T> {
  const result = await db().$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe("SELECT pg_advisory_xact_lock($1)", ACCOUNTS_LOCK);
      const me = await tx.user.findUnique({ where: { id: actor.id }, select: { id: true, name: true, isAdmin: true, isPlanner: true, disabledAt: true } });
      if (!me || me.disabledAt) throw new AppError("unauthorized", "Your account is disabled");
      assertMayManage(me, action);
      const ctx: AccountsContext = {
        tx,
        me,
        record: (action, subject, change) =>
          recordChange(tx, { cutoverId: null, actorId: me.id, actorName: me.name, role: globalRolesOf(me).join(",") || null, action, subject, before: change.before, after: change.after, requestId, rehearsal: false }),
      };
      return fn(ctx);
    },
    { timeout: 15_000, maxWait: 10_000 },
  );
  return result;
}

/** After a commit that shrank someone's access: this process stops trusting what it cached. */
export function forgetAccess(userId: string) {
  forgetApiTokens();
  forgetAccountStatus(userId);
}

async function findUser(tx: Tx, userId: string) {
  const user = await tx.user.findUnique({ where: { id: userId }, select: { id: true, email: true, name: true, isAdmin: true, isPlanner: true, disabledAt: true } });
  if (!user) throw new AppError("not_found", "No such user");
  return user;
}

/**
 * A change to one existing user, in the accounts' transaction. Once it committed, this process
 * stops trusting what it cached of the user's access (also after a change that shrank nothing: cheap).
 */
async function changeUser<T extends { userId: string }>(actor: Actor, userId: string, requestId: string | undefined, change: (ctx: AccountsContext, user: Awaited<ReturnType<typeof findUser>>) => Promise<T>): Promise<T> {
  const result = await withAccounts(actor, async (ctx) => change(ctx, await findUser(ctx.tx, userId)), requestId);
  forgetAccess(result.userId);
  return result;
}

/** Refuses a change that would leave no enabled administrator. */
export async function assertAnotherAdministrator(tx: Tx, leaving: string) {
  const others = await tx.user.count({ where: { isAdmin: true, disabledAt: null, id: { not: leaving } } });
  if (others === 0) throw new AppError("conflict", "This is the last administrator: make someone else an administrator first");
}

function policy(password: string, email: string) {
  const problem = checkPassword(password, { email });
  if (problem) throw new AppError("bad_request", problem);
}

function newLinkToken() {
  const token = randomBytes(32).toString("base64url");
  return { token, tokenHash: hashToken(token), expiresAt: new Date(Date.now() + LINK_TTL_MS) };
}

/** A newer link, or an account created directly, makes the older links for that email useless. */
async function retireLinks(tx: Tx, email: string) {
  await tx.invite.updateMany({ where: { email, usedAt: null }, data: { usedAt: new Date() } });
}

export async function createUser(actor: Actor, input: z.output<typeof createUserInput>, requestId?: string) {
  // Checked before the (deliberately slow) hash, so that nobody else can make the server hash.
  assertMayManage(actor);
  policy(input.password, input.email);
  const passwordHash = await hashPassword(input.password);
  return withAccounts(
    actor,
    async (ctx) => {
      if (await ctx.tx.user.findUnique({ where: { email: input.email }, select: { id: true } })) throw new AppError("conflict", `${input.email} already has an account`);
      const user = await ctx.tx.user.create({ data: { email: input.email, name: input.name, passwordHash, isAdmin: input.isAdmin, isPlanner: input.isPlanner }, select: { id: true } });
      await retireLinks(ctx.tx, input.email);
      await ctx.record("user.created", `user:${user.id}`, { after: { email: input.email, name: input.name, isAdmin: input.isAdmin, isPlanner: input.isPlanner } });
      return { userId: user.id };
    },
    requestId,
  );
}

export async function inviteUser(actor: Actor, input: z.output<typeof inviteUserInput>, requestId?: string) {
  return withAccounts(
    actor,
    async (ctx) => {
      if (await ctx.tx.user.findUnique({ where: { email: input.email }, select: { id: true } })) throw new AppError("conflict", `${input.email} already has an account`);
      await retireLinks(ctx.tx, input.email);
      const link = newLinkToken();
      const invite = await ctx.tx.invite.create({
        data: { tokenHash: link.tokenHash, email: input.email, name: input.name, isAdmin: input.isAdmin, isPlanner: input.isPlanner, createdById: ctx.me.id, expiresAt: link.expiresAt },
        select: { id: true },
      });
      await ctx.record("user.invited", `invite:${invite.id}`, { after: { email: input.email, name: input.name, isAdmin: input.isAdmin, isPlanner: input.isPlanner, expiresAt: link.expiresAt.toISOString() } });
      // The token leaves the server this once, to the administrator who passes it on.
      return { inviteId: invite.id, path: `/invite/${link.token}`, expiresAt: link.expiresAt };
    },
    requestId,
  );
}

export async function disableUser(actor: Actor, input: z.output<typeof userOnlyInput>, requestId?: string) {
  return changeUser(actor, input.userId, requestId, async (ctx, user) => {
    if (user.id === ctx.me.id) throw new AppError("conflict", "You cannot disable your own account");
    if (user.disabledAt) throw new AppError("conflict", `${user.name} is already disabled`);
    if (user.isAdmin) await assertAnotherAdministrator(ctx.tx, user.id);
    await ctx.tx.user.update({ where: { id: user.id }, data: { disabledAt: new Date(), sessionVersion: { increment: 1 } } });
    await retireLinks(ctx.tx, user.email);
    await ctx.record("user.disabled", `user:${user.id}`, { before: { email: user.email, disabled: false }, after: { disabled: true } });
    await announceAccessChange(ctx.tx, user.id);
    return { userId: user.id };
  });
}

export async function enableUser(actor: Actor, input: z.output<typeof userOnlyInput>, requestId?: string) {
  return changeUser(actor, input.userId, requestId, async (ctx, user) => {
    if (!user.disabledAt) throw new AppError("conflict", `${user.name} is not disabled`);
    // Sessions from before the disable stay ended (their version is stale): the user signs in again.
    await ctx.tx.user.update({ where: { id: user.id }, data: { disabledAt: null } });
    await ctx.record("user.enabled", `user:${user.id}`, { before: { email: user.email, disabled: true }, after: { disabled: false } });
    await announceAccessChange(ctx.tx, user.id);
    return { userId: user.id };
  });
}

/**
 * With a password: sets it at once (after the policy) and ends the user's sessions. Without: a
 * one-time reset link for the user, shown once to the administrator, like an invitation.
 */
export async function resetPassword(actor: Actor, input: z.output<typeof resetPasswordInput>, requestId?: string) {
  assertMayManage(actor);
  let passwordHash: string | null = null;
  if (input.password !== undefined) {
    const target = await db().user.findUnique({ where: { id: input.userId }, select: { email: true } });
    if (!target) throw new AppError("not_found", "No such user");
    policy(input.password, target.email);
    passwordHash = await hashPassword(input.password);
  }
  return changeUser(actor, input.userId, requestId, async (ctx, user) => {
    if (passwordHash) {
      await ctx.tx.user.update({ where: { id: user.id }, data: { passwordHash, sessionVersion: { increment: 1 } } });
      await retireLinks(ctx.tx, user.email);
      await ctx.record("user.password_reset", `user:${user.id}`, { after: { email: user.email, by: "administrator" } });
      await announceAccessChange(ctx.tx, user.id);
      return { userId: user.id, path: null, expiresAt: null };
    }
    if (user.disabledAt) throw new AppError("conflict", `${user.name} is disabled: enable the account before sending a reset link`);
    await retireLinks(ctx.tx, user.email);
    const link = newLinkToken();
    await ctx.tx.invite.create({ data: { tokenHash: link.tokenHash, email: user.email, name: user.name, isAdmin: user.isAdmin, isPlanner: user.isPlanner, createdById: ctx.me.id, expiresAt: link.expiresAt } });
    await ctx.record("user.reset_link_issued", `user:${user.id}`, { after: { email: user.email, expiresAt: link.expiresAt.toISOString() } });
    return { userId: user.id, path: `/invite/${link.token}`, expiresAt: link.expiresAt };
  });
}

/** Grants or revokes administrator and planner. Nobody revokes their own administrator role. */
export async function setRoles(actor: Actor, input: z.output<typeof setRolesInput>, requestId?: string) {
  return changeUser(actor, input.userId, requestId, async (ctx, user) => {
    const next = { isAdmin: input.isAdmin ?? user.isAdmin, isPlanner: input.isPlanner ?? user.isPlanner };
    if (next.isAdmin === user.isAdmin && next.isPlanner === user.isPlanner) return { userId: user.id, changed: false };
    if (user.isAdmin && !next.isAdmin) {
      if (user.id === ctx.me.id) throw new AppError("conflict", "You cannot remove your own administrator role: another administrator can");
      await assertAnotherAdministrator(ctx.tx, user.id);
    }
    await ctx.tx.user.update({ where: { id: user.id }, data: next });
    await ctx.record("user.roles_changed", `user:${user.id}`, { before: { email: user.email, isAdmin: user.isAdmin, isPlanner: user.isPlanner }, after: next });
    // An administrator sees cutovers they hold no role in: revoking that must close those rooms.
    await announceAccessChange(ctx.tx, user.id);
    return { userId: user.id, changed: true };
  });
}

export type LinkState = "valid" | "used" | "expired" | "invalid";
export interface LinkInfo {
  state: LinkState;
  /** An invitation creates an account; a reset link sets the password of an existing one. */
  kind: "invite" | "reset";
  email: string;
  name: string;
}

export const LINK_STATE_MESSAGES: Record<Exclude<LinkState, "valid">, string> = {
  used: "This link has already been used. Sign in, or ask an administrator for a new link.",
  expired: "This link has expired. Ask an administrator for a new one.",
  invalid: "This link is not valid (a newer link may have replaced it). Ask an administrator for a new one.",
};

async function linkByToken(token: string) {
  const invite = await db().invite.findUnique({ where: { tokenHash: hashToken(token) } });
  if (!invite) return null;
  const account = await db().user.findUnique({ where: { email: invite.email }, select: { id: true, disabledAt: true } });
  const state: LinkState = invite.usedAt ? "used" : invite.expiresAt.getTime() <= Date.now() ? "expired" : "valid";
  return { invite, account, state, kind: account ? ("reset" as const) : ("invite" as const) };
}

/** What the /invite page shows for a token; never throws for a bad token. */
export async function linkInfo(token: string): Promise<LinkInfo> {
  if (!linkToken.safeParse(token).success) return { state: "invalid", kind: "invite", email: "", name: "" };
  const found = await linkByToken(token);
  if (!found) return { state: "invalid", kind: "invite", email: "", name: "" };
  return { state: found.state, kind: found.kind, email: found.invite.email, name: found.invite.name };
}

/**
 * Accepting a link: an invitation creates the account with the roles the administrator chose; a
 * reset link sets a new password and ends the account's other sessions. Either way the link is
 * spent, in the same transaction, so it works once even when submitted twice at the same moment.
 */
export async function acceptLink(raw: z.input<typeof acceptLinkInput>) {
  // Reached without a session (the link is the credential): read like any command's input.
  const input = parseInput(acceptLinkInput, raw);
  const found = await linkByToken(input.token);
  if (!found) throw new AppError("not_found", LINK_STATE_MESSAGES.invalid);
  if (found.state !== "valid") throw new AppError("conflict", LINK_STATE_MESSAGES[found.state]);
  if (found.account?.disabledAt) throw new AppError("forbidden", "This account is disabled");
  policy(input.password, found.invite.email);
  const passwordHash = await hashPassword(input.password);
  const result = await db().$transaction(async (tx) => {
    await tx.$executeRawUnsafe("SELECT pg_advisory_xact_lock($1)", ACCOUNTS_LOCK);
    const spent = await tx.invite.updateMany({ where: { id: found.invite.id, usedAt: null, expiresAt: { gt: new Date() } }, data: { usedAt: new Date() } });
    if (spent.count !== 1) throw new AppError("conflict", LINK_STATE_MESSAGES.used);
    const account = await tx.user.findUnique({ where: { email: found.invite.email }, select: { id: true, name: true, disabledAt: true } });
    if (account) {
      if (account.disabledAt) throw new AppError("forbidden", "This account is disabled");
      await tx.user.update({ where: { id: account.id }, data: { passwordHash, sessionVersion: { increment: 1 } } });
      await recordChange(tx, { cutoverId: null, actorId: account.id, actorName: account.name, role: null, action: "user.password_reset", subject: `user:${account.id}`, after: { email: found.invite.email, by: "reset link" }, rehearsal: false });
      await announceAccessChange(tx, account.id);
      return { userId: account.id, email: found.invite.email, kind: "reset" as const };
    }
    const user = await tx.user.create({
      data: { email: found.invite.email, name: input.name ?? found.invite.name, passwordHash, isAdmin: found.invite.isAdmin, isPlanner: found.invite.isPlanner },
      select: { id: true, name: true },
    });
    await recordChange(tx, {
      cutoverId: null,
      actorId: user.id,
      actorName: user.name,
      role: null,
      action: "user.invite_accepted",
      subject: `user:${user.id}`,
      after: { email: found.invite.email, name: user.name, isAdmin: found.invite.isAdmin, isPlanner: found.invite.isPlanner, inviteId: found.invite.id },
      rehearsal: false,
    });
    return { userId: user.id, email: found.invite.email, kind: "invite" as const };
  });
  if (result.kind === "reset") forgetAccess(result.userId);
  return result;
}

/** The accounts page: every user with their global roles and status, and the links still open. */
export async function listAccounts(actor: Actor) {
  const me = await db().user.findUnique({ where: { id: actor.id }, select: { isAdmin: true, isPlanner: true, disabledAt: true } });
  if (!me || me.disabledAt) throw new AppError("unauthorized", "Your account is disabled");
  assertMayManage(me);
  const [users, links] = await Promise.all([
    db().user.findMany({ orderBy: [{ disabledAt: { sort: "desc", nulls: "first" } }, { name: "asc" }], select: { id: true, email: true, name: true, isAdmin: true, isPlanner: true, disabledAt: true, createdAt: true } }),
    db().invite.findMany({ where: { usedAt: null, expiresAt: { gt: new Date() } }, orderBy: { createdAt: "desc" }, select: { id: true, email: true, name: true, isAdmin: true, isPlanner: true, expiresAt: true } }),
  ]);
  const emails = new Set(users.map((u) => u.email));
  return { users, links: links.map((l) => ({ ...l, kind: emails.has(l.email) ? ("reset" as const) : ("invite" as const) })) };
}
