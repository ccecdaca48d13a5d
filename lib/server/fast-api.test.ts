// The custom server's fast path over real HTTP and a real PostgreSQL: the rows of the route table
// marked fast answer bearer callers through the same dispatcher; anything else (no token, a path
// not in the table, a malformed segment) is handed to Next, here a stand-in that answers 299.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { createApiToken } from "@/lib/services/api-tokens";
import { createFixture, createTeam, useFreshDatabase, type Fixture, type Team } from "@/lib/testing/fixtures";
import { serveFastApi } from "./fast-api";

let team: Team;
let f: Fixture;
let server: http.Server;
let base = "";
const tokens: Record<string, string> = {};

beforeAll(async () => {
  await useFreshDatabase();
  team = await createTeam();
  f = await createFixture(team);
  for (const role of ["QA_LEAD", "OBSERVER"] as const) tokens[role] = (await createApiToken(team[role], { name: "ci" })).token;
  server = http.createServer((req, res) => {
    if (serveFastApi(req, res)) return;
    req.resume();
    res.writeHead(299).end("next");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => server?.close());

async function post(path: string, body: unknown, token?: string, headers: Record<string, string> = {}) {
  const res = await fetch(base + path, { method: "POST", headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers }, body: typeof body === "string" ? body : JSON.stringify(body) });
  return { status: res.status, body: res.status === 299 ? null : ((await res.json()) as Record<string, unknown>), requestId: res.headers.get("x-request-id") };
}

describe("fast path", () => {
  it("signs off through the table and the dispatcher, recording the caller's request id", async () => {
    const r = await post(`/api/v1/cutovers/${f.cutoverId}/items/${f.qaItemId}/signoff`, { note: "green" }, tokens.QA_LEAD, { "x-request-id": "ci-7" });
    expect(r).toMatchObject({ status: 200, body: { state: "done", override: false }, requestId: "ci-7" });
    const audit = await db().auditEvent.findFirstOrThrow({ where: { cutoverId: f.cutoverId, action: "item.signed_off" } });
    expect(audit.requestId).toBe("ci-7");
  });

  it("refuses with the same errors as the table: 403, 404, 400, 401", async () => {
    expect((await post(`/api/v1/cutovers/${f.cutoverId}/rollback`, { reason: "x" }, tokens.OBSERVER)).status).toBe(403);
    expect((await post("/api/v1/commands/cutover.delete", {}, tokens.QA_LEAD)).status).toBe(404);
    expect((await post("/api/v1/commands/risk.save", { cutoverId: f.cutoverId, title: "" }, tokens.QA_LEAD)).status).toBe(400);
    expect((await post("/api/v1/commands/risk.save", "[1,2]", tokens.QA_LEAD)).status).toBe(400);
    expect((await post("/api/v1/commands/risk.save", {}, "wr_not-a-real-token")).status).toBe(401);
  });

  it("hands everything else to Next", async () => {
    expect((await post(`/api/v1/cutovers/${f.cutoverId}/rollback`, { reason: "x" })).status).toBe(299);
    expect((await post(`/api/v1/cutovers/${f.cutoverId}/traffic/shift`, {}, tokens.QA_LEAD)).status).toBe(299);
    expect((await post("/api/v1/cutovers/%E0%A4%A/rollback", {}, tokens.QA_LEAD)).status).toBe(299);
  });
});
