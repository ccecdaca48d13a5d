// SSO accounts against a real PostgreSQL: identities found, linked or created, the group mapping
// applied (and audited, and ending older sessions), refusals that change nothing, and the mapping
// command through the change pipeline.
import { randomBytes } from "node:crypto";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { verifyPassword, hashPassword } from "@/lib/auth/passwords";
import { useFreshDatabase } from "@/lib/testing/fixtures";
import { dispatch } from "./commands";
import { getSsoView, signInWithSso, type SsoClaims } from "./sso";
import type { Actor } from "./context";

const ISSUER = "https://login.example.com/realms/acme";
const SECRET = "client-secret-never-shown-0123456789";
let admin: Actor;

const uid = () => randomBytes(5).toString("hex");
const claims = (over: Partial<SsoClaims> = {}): SsoClaims => ({ issuer: ISSUER, subject: `sub-${uid()}`, email: `${uid()}@acme.test`, emailVerified: true, name: "Ada Lovelace", groups: [], ...over });
const auditOf = (userId: string) => db().auditEvent.findMany({ where: { subject: `user:${userId}` }, orderBy: { id: "asc" } });
const userRow = (id: string) => db().user.findUniqueOrThrow({ where: { id }, omit: { passwordHash: false } });

beforeAll(async () => {
  process.env.OIDC_ISSUER = ISSUER;
  process.env.OIDC_CLIENT_ID = "war-room";
  process.env.OIDC_CLIENT_SECRET = SECRET;
  await useFreshDatabase();
  admin = await db().user.create({ data: { email: `admin-${uid()}@acme.test`, name: "Admin", passwordHash: "x", isAdmin: true }, select: { id: true, name: true, isAdmin: true, isPlanner: true } });
});

beforeEach(async () => {
  await dispatch(admin, "sso.set_mapping", { administratorGroups: ["war-room-admins"], plannerGroups: ["planners"] });
});

describe("signing in with SSO", () => {
  it("creates the account on first sign-in, with the mapped roles and no usable password", async () => {
    const c = claims({ groups: ["war-room-admins", "engineering"] });
    const r = await signInWithSso(c);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const user = await userRow(r.user.id);
    expect(user).toMatchObject({ email: c.email, name: "Ada Lovelace", isAdmin: true, isPlanner: false, sessionVersion: 0 });
    expect(await verifyPassword(user.passwordHash, "")).toBe(false);
    expect(await verifyPassword(user.passwordHash, "!sso")).toBe(false);
    expect(await db().ssoIdentity.findMany({ where: { userId: user.id } })).toMatchObject([{ issuer: ISSUER, subject: c.subject, groups: ["war-room-admins", "engineering"] }]);
    expect((await auditOf(user.id)).map((a) => a.action)).toEqual(["user.sso_created"]);
  });

  it("the same subject signs in as the same user whatever its email says now; roles follow the groups, older sessions end", async () => {
    const c = claims({ groups: ["planners"] });
    const first = await signInWithSso(c);
    if (!first.ok) throw new Error("refused");
    expect(await userRow(first.user.id)).toMatchObject({ isPlanner: true, isAdmin: false });
    const again = await signInWithSso({ ...c, email: `renamed-${uid()}@acme.test`, groups: ["war-room-admins"] });
    if (!again.ok) throw new Error("refused");
    expect(again.user.id).toBe(first.user.id);
    const after = await userRow(first.user.id);
    expect(after).toMatchObject({ isAdmin: true, isPlanner: false, sessionVersion: first.user.sv + 1 });
    expect(again.user.sv).toBe(after.sessionVersion);
    const changed = (await auditOf(first.user.id)).find((a) => a.action === "user.roles_changed");
    expect(changed).toMatchObject({ actorId: first.user.id, before: { isAdmin: false, isPlanner: true }, after: { isAdmin: true, isPlanner: false, by: "sso group mapping" } });
    // Unchanged groups: nothing bumped, nothing recorded.
    const third = await signInWithSso({ ...c, groups: ["war-room-admins"] });
    if (!third.ok) throw new Error("refused");
    expect(third.user.sv).toBe(after.sessionVersion);
    expect((await auditOf(first.user.id)).filter((a) => a.action === "user.roles_changed")).toHaveLength(1);
  });

  it("links an existing account by email only when the provider says it is verified", async () => {
    const email = `existing-${uid()}@acme.test`;
    const existing = await db().user.create({ data: { email, name: "Existing", passwordHash: await hashPassword("a-long-password-123"), isPlanner: true } });
    const unverified = await signInWithSso(claims({ email: email.toUpperCase(), emailVerified: false }));
    expect(unverified).toEqual({ ok: false, reason: "email_unverified" });
    expect(await db().ssoIdentity.count({ where: { userId: existing.id } })).toBe(0);

    const c = claims({ email, groups: [] });
    const linked = await signInWithSso(c);
    expect(linked).toMatchObject({ ok: true, user: { id: existing.id } });
    // Still has their password; planners are mapped, and this person is in no planner group.
    const row = await userRow(existing.id);
    expect(await verifyPassword(row.passwordHash, "a-long-password-123")).toBe(true);
    expect(row.isPlanner).toBe(false);
    expect((await auditOf(existing.id)).map((a) => a.action)).toEqual(["user.sso_linked", "user.roles_changed"]);
    // A second subject of the same issuer claiming the same email is not linked.
    expect(await signInWithSso(claims({ email }))).toEqual({ ok: false, reason: "email_linked_elsewhere" });
  });

  it("refuses a disabled user, linked or not, and changes nothing", async () => {
    const c = claims({ groups: ["war-room-admins"] });
    const r = await signInWithSso(c);
    if (!r.ok) throw new Error("refused");
    await db().user.update({ where: { id: r.user.id }, data: { disabledAt: new Date() } });
    const before = await userRow(r.user.id);
    expect(await signInWithSso({ ...c, groups: [] })).toEqual({ ok: false, reason: "disabled" });
    expect(await userRow(r.user.id)).toEqual(before);

    const email = `off-${uid()}@acme.test`;
    const off = await db().user.create({ data: { email, name: "Off", passwordHash: "x", disabledAt: new Date() } });
    expect(await signInWithSso(claims({ email }))).toEqual({ ok: false, reason: "disabled" });
    expect(await db().ssoIdentity.count({ where: { userId: off.id } })).toBe(0);
  });

  it("needs an email to create an account", async () => {
    expect(await signInWithSso(claims({ email: null }))).toEqual({ ok: false, reason: "no_email" });
    expect(await signInWithSso(claims({ email: "not an email" }))).toEqual({ ok: false, reason: "no_email" });
  });

  it("a role with no group mapped is left as set by hand", async () => {
    await dispatch(admin, "sso.set_mapping", { administratorGroups: ["war-room-admins"], plannerGroups: [] });
    const r = await signInWithSso(claims());
    if (!r.ok) throw new Error("refused");
    await db().user.update({ where: { id: r.user.id }, data: { isPlanner: true } });
    const c = await db().ssoIdentity.findFirstOrThrow({ where: { userId: r.user.id } });
    await signInWithSso(claims({ subject: c.subject, groups: ["whatever"] }));
    expect(await userRow(r.user.id)).toMatchObject({ isPlanner: true, isAdmin: false });
  });

  it("never removes the last administrator", async () => {
    // Everyone else stops being an administrator: the SSO user is the last one.
    const c = claims({ groups: ["war-room-admins"] });
    const r = await signInWithSso(c);
    if (!r.ok) throw new Error("refused");
    const others = await db().user.findMany({ where: { isAdmin: true, id: { not: r.user.id } }, select: { id: true } });
    await db().user.updateMany({ where: { id: { in: others.map((o) => o.id) } }, data: { isAdmin: false } });
    try {
      const again = await signInWithSso({ ...c, groups: [] });
      expect(again.ok).toBe(true);
      expect(await userRow(r.user.id)).toMatchObject({ isAdmin: true });
      expect((await auditOf(r.user.id)).at(-1)).toMatchObject({ action: "user.sso_roles_kept", after: { reason: "last administrator" } });
    } finally {
      await db().user.updateMany({ where: { id: { in: others.map((o) => o.id) } }, data: { isAdmin: true } });
    }
  });
});

describe("the group mapping command", () => {
  it("an administrator replaces the mapping; it is audited; duplicates collapse", async () => {
    const out = await dispatch(admin, "sso.set_mapping", { administratorGroups: [" ops-admins ", "ops-admins", "/acme/war room"], plannerGroups: ["leads"] });
    expect(out).toEqual({ administratorGroups: ["/acme/war room", "ops-admins"], plannerGroups: ["leads"] });
    const audit = await db().auditEvent.findFirstOrThrow({ where: { action: "sso.mapping_changed" }, orderBy: { id: "desc" } });
    expect(audit).toMatchObject({ cutoverId: null, actorId: admin.id, subject: "sso:mapping", after: out });
  });

  it("refuses anyone but an administrator (403) and bad input (400), changing nothing", async () => {
    const planner = await db().user.create({ data: { email: `p-${uid()}@acme.test`, name: "P", passwordHash: "x", isPlanner: true }, select: { id: true, name: true, isAdmin: true, isPlanner: true } });
    const before = await db().ssoGroupMapping.findMany({ orderBy: [{ groupName: "asc" }, { role: "asc" }] });
    await expect(dispatch(planner, "sso.set_mapping", { administratorGroups: ["mine"], plannerGroups: [] })).rejects.toMatchObject({ status: 403 });
    const bad: unknown[] = [
      { administratorGroups: ["a\u0000b"], plannerGroups: [] },
      { administratorGroups: ["a\nb"], plannerGroups: [] },
      { administratorGroups: ["x".repeat(257)], plannerGroups: [] },
      { administratorGroups: ["  "], plannerGroups: [] },
      { administratorGroups: Array.from({ length: 101 }, (_, i) => `g${i}`), plannerGroups: [] },
      { administratorGroups: "ops", plannerGroups: [] },
      { administratorGroups: [] },
      null,
    ];
    for (const input of bad) await expect(dispatch(admin, "sso.set_mapping", input), JSON.stringify(input)).rejects.toMatchObject({ status: 400 });
    expect(await db().ssoGroupMapping.findMany({ orderBy: [{ groupName: "asc" }, { role: "asc" }] })).toEqual(before);
  });

  it("the admin page's view shows the configuration, never the client secret", async () => {
    const view = await getSsoView(admin);
    expect(view.oidc).toMatchObject({ issuer: ISSUER, name: "SSO", groupsClaim: "groups" });
    expect(view.mapping.administratorGroups).toEqual(["war-room-admins"]);
    expect(view.identities.length).toBeGreaterThan(0);
    expect(JSON.stringify(view)).not.toContain(SECRET);
    const planner = await db().user.create({ data: { email: `p2-${uid()}@acme.test`, name: "P", passwordHash: "x", isPlanner: true }, select: { id: true, name: true, isAdmin: true, isPlanner: true } });
    await expect(getSsoView(planner)).rejects.toMatchObject({ status: 403 });
  });
});
