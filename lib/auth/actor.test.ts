// The one resolver against a real PostgreSQL and real next-auth session tokens: a session cookie,
// an API token, and what is nobody (a forged or expired session, a deleted user, nothing at all).
import { encode } from "next-auth/jwt";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { createApiToken } from "@/lib/services/api-tokens";
import { createTeam, useFreshDatabase, type Team } from "@/lib/testing/fixtures";
import { actorFromRequest, resolveActor } from "./actor";

const SECRET = "test-secret-0123456789abcdef0123456789";
let team: Team;

beforeAll(async () => {
  await useFreshDatabase();
  team = await createTeam();
});

const cookieFor = async (sub: string, secret = SECRET, maxAge = 3600) => `other=1; next-auth.session-token=${await encode({ token: { sub, name: "x" }, secret, maxAge })}`;

describe("resolveActor", () => {
  it("a session cookie names its user as they are in the database", async () => {
    await db().user.update({ where: { id: team.QA_LEAD.id }, data: { isPlanner: true } });
    const user = await resolveActor({ cookie: await cookieFor(team.QA_LEAD.id) }, SECRET);
    expect(user).toMatchObject({ id: team.QA_LEAD.id, isPlanner: true, isAdmin: false });
  });

  it("an API token wins over a cookie; a bad token is a 401", async () => {
    const { token } = await createApiToken(team.OBSERVER, { name: "ci" });
    expect(await resolveActor({ authorization: `Bearer ${token}`, cookie: await cookieFor(team.QA_LEAD.id) }, SECRET)).toMatchObject({ id: team.OBSERVER.id });
    await expect(resolveActor({ authorization: "Bearer wr_unknown-token-value" }, SECRET)).rejects.toMatchObject({ status: 401 });
  });

  it("is nobody without credentials, with a forged or expired session, or for a deleted user", async () => {
    expect(await resolveActor({}, SECRET)).toBeNull();
    expect(await resolveActor({ cookie: "next-auth.session-token=garbage" }, SECRET)).toBeNull();
    expect(await resolveActor({ cookie: await cookieFor(team.QA_LEAD.id, "another-secret-0123456789abcdef") }, SECRET)).toBeNull();
    expect(await resolveActor({ cookie: await cookieFor(team.QA_LEAD.id, SECRET, -3600) }, SECRET)).toBeNull();
    expect(await resolveActor({ cookie: await cookieFor("not-a-uuid") }, SECRET)).toBeNull();
    const gone = await db().user.create({ data: { email: "gone@test.local", name: "Gone", passwordHash: "x" } });
    const cookie = await cookieFor(gone.id);
    await db().user.delete({ where: { id: gone.id } });
    expect(await resolveActor({ cookie }, SECRET)).toBeNull();
  });

  it("REST routes: the caller, or 401", async () => {
    process.env.NEXTAUTH_SECRET = SECRET;
    const req = (headers: Record<string, string>) => new Request("http://localhost/api/v1/cutovers", { headers });
    expect(await actorFromRequest(req({ cookie: await cookieFor(team.BACKEND_LEAD.id) }))).toMatchObject({ id: team.BACKEND_LEAD.id });
    await expect(actorFromRequest(req({}))).rejects.toMatchObject({ status: 401 });
  });
});
