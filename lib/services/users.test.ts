// Accounts against a real PostgreSQL: only administrators manage users (each command × the global
// roles), invitation and reset links are single-use and expire, the password policy holds, a
// disabled user loses sign-in, sessions and API tokens at once, and the last administrator stays.
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { hashPassword } from "@/lib/auth/passwords";
import { actorFromBearer } from "@/lib/auth/bearer";
import { userOfSession } from "@/lib/auth/actor";
import { authOptions } from "@/lib/auth/options";
import { hashToken } from "@/lib/auth/token-hash";
import { createApiToken } from "./api-tokens";
import { dispatch, type CommandName } from "./commands";
import type { Actor } from "./context";
import { digest, useFreshDatabase } from "@/lib/testing/fixtures";
import { acceptLink, linkInfo, listAccounts } from "./users";

const PASSWORD = "a long enough passphrase";

async function makeUser(opts: { isAdmin?: boolean; isPlanner?: boolean; password?: string } = {}): Promise<Actor & { email: string }> {
  const email = `u-${randomBytes(4).toString("hex")}@test.local`;
  return db().user.create({
    data: { email, name: `User ${email.slice(2, 10)}`, passwordHash: opts.password ? await hashPassword(opts.password) : "x", isAdmin: opts.isAdmin ?? false, isPlanner: opts.isPlanner ?? false },
    select: { id: true, name: true, email: true, isAdmin: true, isPlanner: true },
  });
}

/** Everything an account command may touch: the room's tables (users and audit included) and the links. */
async function everything() {
  const rows = await db().$queryRawUnsafe<{ d: string }[]>("SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS d FROM invites x");
  return { ...(await digest()), invites: rows[0]!.d };
}

const tokenOf = (path: string | null | undefined) => path!.replace("/invite/", "");

async function signIn(email: string, password: string) {
  const provider = authOptions.providers[0] as unknown as { options: { authorize(c: Record<string, string>, req: unknown): Promise<{ id: string; sv?: number } | null> } };
  return provider.options.authorize({ email, password }, { headers: {} });
}

let admin: Actor;
beforeAll(async () => {
  await useFreshDatabase();
  admin = await makeUser({ isAdmin: true });
});

describe("account commands × global roles: administrators only", () => {
  const cases: { name: CommandName; input: (target: { id: string }) => unknown }[] = [
    { name: "user.create", input: () => ({ email: `new-${randomBytes(3).toString("hex")}@test.local`, name: "New", password: PASSWORD }) },
    { name: "user.invite", input: () => ({ email: `inv-${randomBytes(3).toString("hex")}@test.local`, name: "Invited", isPlanner: true }) },
    { name: "user.disable", input: (t) => ({ userId: t.id }) },
    { name: "user.enable", input: (t) => ({ userId: t.id }) },
    { name: "user.reset_password", input: (t) => ({ userId: t.id, password: "another long passphrase" }) },
    { name: "user.reset_password", input: (t) => ({ userId: t.id }) },
    { name: "user.set_roles", input: (t) => ({ userId: t.id, isPlanner: true }) },
  ];
  const callers = { administrator: () => admin, planner: () => makeUser({ isPlanner: true }), "plain user": () => makeUser() };

  for (const c of cases) {
    for (const [who, caller] of Object.entries(callers)) {
      const allowed = who === "administrator";
      it(`${c.name} ${JSON.stringify(c.input({ id: "…" })).includes("password") ? "(with password) " : ""}as ${who}: ${allowed ? "allowed, audited" : "403, nothing changes"}`, async () => {
        const actor = await caller();
        const target = await makeUser();
        if (c.name === "user.enable") await db().user.update({ where: { id: target.id }, data: { disabledAt: new Date() } });
        const before = await everything();
        const outcome = await dispatch(actor, c.name, c.input(target) as never).then(
          (r) => r as Record<string, unknown>,
          (err: unknown) => err,
        );
        if (!allowed) {
          expect(outcome).toBeInstanceOf(AppError);
          expect((outcome as AppError).status).toBe(403);
          expect(await everything()).toEqual(before);
          return;
        }
        expect(outcome).not.toBeInstanceOf(Error);
        const audit = await db().auditEvent.findFirst({ where: { actorId: admin.id }, orderBy: { id: "desc" } });
        expect(audit).toMatchObject({ cutoverId: null, actorName: admin.name, role: "ADMINISTRATOR" });
        expect(audit!.action).toMatch(/^user\./);
        // No password, hash or token ever reaches the audit log.
        const text = JSON.stringify({ ...audit, id: String(audit!.id) });
        expect(text).not.toContain("passphrase");
        expect(text).not.toContain("$argon2");
        const path = (outcome as { path?: string | null }).path;
        if (path) {
          expect(text).not.toContain(tokenOf(path));
          expect(text).not.toContain(hashToken(tokenOf(path)));
        }
      });
    }
  }

  it("the accounts page lists users and open links for administrators only", async () => {
    await expect(listAccounts(await makeUser({ isPlanner: true }))).rejects.toMatchObject({ status: 403 });
    const { users } = await listAccounts(admin);
    expect(users.some((u) => u.id === admin.id)).toBe(true);
    expect(JSON.stringify(users)).not.toContain("passwordHash");
  });
});

describe("invitations and reset links", () => {
  it("an invitation creates the account with the chosen roles, once", async () => {
    const email = `qa-${randomBytes(3).toString("hex")}@test.local`;
    const invited = await dispatch(admin, "user.invite", { email, name: "Quinn", isPlanner: true });
    const token = tokenOf(invited.path);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Only the hash is stored.
    expect(await db().invite.count({ where: { tokenHash: token } })).toBe(0);
    expect(await db().invite.count({ where: { tokenHash: hashToken(token) } })).toBe(1);
    expect(await linkInfo(token)).toEqual({ state: "valid", kind: "invite", email, name: "Quinn" });

    // The policy holds, and a refused password does not spend the link.
    await expect(acceptLink({ token, name: "Quinn QA", password: "qwerty123456" })).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/common/) });
    await expect(acceptLink({ token, name: "Quinn QA", password: "short" })).rejects.toMatchObject({ status: 400 });
    await expect(acceptLink({ token, name: "Quinn QA", password: email })).rejects.toMatchObject({ status: 400 });

    // Submitted twice at the same moment: one account, one 409.
    const both = await Promise.allSettled([acceptLink({ token, name: "Quinn QA", password: PASSWORD }), acceptLink({ token, name: "Quinn QA", password: PASSWORD })]);
    expect(both.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(both.find((r) => r.status === "rejected")).toMatchObject({ reason: { status: 409 } });
    const user = await db().user.findUniqueOrThrow({ where: { email } });
    expect(user).toMatchObject({ name: "Quinn QA", isAdmin: false, isPlanner: true, disabledAt: null });
    expect(await signIn(email, PASSWORD)).toMatchObject({ id: user.id });
    expect((await linkInfo(token)).state).toBe("used");
    await expect(acceptLink({ token, name: "Again", password: PASSWORD })).rejects.toMatchObject({ status: 409, message: expect.stringMatching(/already been used/) });
    expect(await db().auditEvent.count({ where: { action: "user.invite_accepted", actorId: user.id, cutoverId: null } })).toBe(1);
  });

  it("an expired link says so and creates nothing", async () => {
    const email = `late-${randomBytes(3).toString("hex")}@test.local`;
    const invited = await dispatch(admin, "user.invite", { email, name: "Late" });
    await db().invite.updateMany({ where: { email }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await linkInfo(tokenOf(invited.path))).state).toBe("expired");
    await expect(acceptLink({ token: tokenOf(invited.path), name: "Late", password: PASSWORD })).rejects.toMatchObject({ status: 409, message: expect.stringMatching(/expired/) });
    expect(await db().user.count({ where: { email } })).toBe(0);
  });

  it("an unknown or malformed token is refused in words, and a newer invitation replaces the older", async () => {
    expect((await linkInfo("nope")).state).toBe("invalid");
    expect((await linkInfo(randomBytes(32).toString("base64url"))).state).toBe("invalid");
    await expect(acceptLink({ token: randomBytes(32).toString("base64url"), password: PASSWORD })).rejects.toMatchObject({ status: 404 });
    const email = `twice-${randomBytes(3).toString("hex")}@test.local`;
    const first = await dispatch(admin, "user.invite", { email, name: "Twice" });
    await dispatch(admin, "user.invite", { email, name: "Twice" });
    await expect(acceptLink({ token: tokenOf(first.path), password: PASSWORD })).rejects.toMatchObject({ status: 409 });
    // Someone who already has an account is not invited.
    const existing = await makeUser();
    await expect(dispatch(admin, "user.invite", { email: existing.email, name: "Again" })).rejects.toMatchObject({ status: 409 });
  });

  it("a reset link sets a new password and ends the old sessions; the old password stops working", async () => {
    const user = await makeUser({ password: PASSWORD });
    const session = await signIn(user.email, PASSWORD);
    expect(await userOfSession({ id: user.id, sv: session!.sv })).toMatchObject({ id: user.id });
    const reset = await dispatch(admin, "user.reset_password", { userId: user.id });
    expect((await linkInfo(tokenOf(reset.path))).kind).toBe("reset");
    await acceptLink({ token: tokenOf(reset.path), password: "a brand new passphrase" });
    expect(await userOfSession({ id: user.id, sv: session!.sv })).toBeNull();
    expect(await signIn(user.email, PASSWORD)).toBeNull();
    expect(await signIn(user.email, "a brand new passphrase")).toMatchObject({ id: user.id });
  });

  it("an administrator's new password obeys the policy", async () => {
    const user = await makeUser();
    await expect(dispatch(admin, "user.reset_password", { userId: user.id, password: "password1234" })).rejects.toMatchObject({ status: 400 });
    await expect(dispatch(admin, "user.create", { email: "weak@test.local", name: "Weak", password: "warroom-demo" })).rejects.toMatchObject({ status: 400 });
    expect(await db().user.count({ where: { email: "weak@test.local" } })).toBe(0);
  });
});

describe("a disabled user", () => {
  it("cannot sign in, loses their session and their API tokens at once; enabling needs a new sign-in", async () => {
    const user = await makeUser({ password: PASSWORD });
    const session = await signIn(user.email, PASSWORD);
    const { token } = await createApiToken(user, { name: "ci" });
    expect(await actorFromBearer(`Bearer ${token}`)).toMatchObject({ id: user.id });
    expect(await userOfSession({ id: user.id, sv: session!.sv })).toMatchObject({ id: user.id });

    await dispatch(admin, "user.disable", { userId: user.id });
    await expect(actorFromBearer(`Bearer ${token}`)).rejects.toMatchObject({ status: 401 });
    expect(await userOfSession({ id: user.id, sv: session!.sv })).toBeNull();
    expect(await signIn(user.email, PASSWORD)).toBeNull();
    // A disabled user's reset link is refused too.
    await expect(dispatch(admin, "user.reset_password", { userId: user.id })).rejects.toMatchObject({ status: 409 });

    await dispatch(admin, "user.enable", { userId: user.id });
    expect(await userOfSession({ id: user.id, sv: session!.sv })).toBeNull();
    const again = await signIn(user.email, PASSWORD);
    expect(await userOfSession({ id: user.id, sv: again!.sv })).toMatchObject({ id: user.id });
    expect(await actorFromBearer(`Bearer ${token}`)).toMatchObject({ id: user.id });
  });

  it("a disabled administrator can manage nothing", async () => {
    const other = await makeUser({ isAdmin: true });
    await dispatch(admin, "user.disable", { userId: other.id });
    const before = await everything();
    await expect(dispatch(other, "user.create", { email: "x@test.local", name: "X", password: PASSWORD })).rejects.toBeInstanceOf(AppError);
    expect(await everything()).toEqual(before);
  });
});

describe("the last administrator is never lost", () => {
  it("nobody disables themselves or revokes their own administrator role", async () => {
    const before = await everything();
    await expect(dispatch(admin, "user.disable", { userId: admin.id })).rejects.toMatchObject({ status: 409 });
    await expect(dispatch(admin, "user.set_roles", { userId: admin.id, isAdmin: false })).rejects.toMatchObject({ status: 409 });
    expect(await everything()).toEqual(before);
    // Granting oneself planner is fine.
    await dispatch(admin, "user.set_roles", { userId: admin.id, isPlanner: true });
  });

  it("two administrators revoking each other at the same moment leave one", async () => {
    const a = await makeUser({ isAdmin: true });
    const b = await makeUser({ isAdmin: true });
    // Only these two are administrators now.
    await db().user.updateMany({ where: { isAdmin: true, id: { notIn: [a.id, b.id] } }, data: { isAdmin: false } });
    const outcomes = await Promise.allSettled([dispatch(a, "user.set_roles", { userId: b.id, isAdmin: false }), dispatch(b, "user.set_roles", { userId: a.id, isAdmin: false })]);
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    expect(await db().user.count({ where: { isAdmin: true, disabledAt: null } })).toBe(1);
    const [survivor] = await db().user.findMany({ where: { isAdmin: true } });
    await expect(dispatch(survivor!, "user.set_roles", { userId: survivor!.id, isAdmin: false })).rejects.toMatchObject({ status: 409 });
    await db().user.update({ where: { id: admin.id }, data: { isAdmin: true } });
  });
});
