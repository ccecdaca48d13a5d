// The migration that turned loose strings into enums and added the missing foreign keys, applied to
// a database that holds data written before it (values of every kind, ids that point nowhere): the
// values survive as enums, dangling ids are cleared, and the new constraints hold afterwards.
import { cpSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes, randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { applyMigrations, PRISMA_DIR } from "./migrate";

const ALL = readdirSync(path.join(PRISMA_DIR, "migrations")).filter((d) => /^\d+_/.test(d)).sort();
const MIGRATION = ALL.find((d) => d.endsWith("_tighten_schema"))!;
// It and every migration after it (later ones may build on what it created).
const FROM_IT = ALL.filter((d) => d >= MIGRATION);
const owner = inject("ownerDatabaseUrl");
let before = "";
let url = "";
let client: pg.Client;

const ids = { user: randomUUID(), gone: randomUUID(), cutover: randomUUID(), phase: randomUUID(), decision: randomUUID(), metric: randomUUID(), trigger: randomUUID() };

beforeAll(async () => {
  // The migrations as they were before this one.
  before = mkdtempSync(path.join(os.tmpdir(), "wr-prisma-"));
  cpSync(PRISMA_DIR, before, { recursive: true });
  for (const m of FROM_IT) rmSync(path.join(before, "migrations", m), { recursive: true });
  const name = `m_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: owner.replace(/\/[^/]+$/, "/postgres") });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  url = owner.replace(/\/[^/]+$/, `/${name}`);
  const applied = await applyMigrations(url, before);
  expect(applied).not.toContain(MIGRATION);
  client = new pg.Client({ connectionString: url });
  await client.connect();
  const q = (text: string, values: unknown[] = []) => client.query(text, values);
  await q("INSERT INTO users (id, email, name, password_hash) VALUES ($1, 'a@test.local', 'A', 'x')", [ids.user]);
  await q("INSERT INTO cutovers (id, name, system_from, system_to, t_zero, updated_at, ended_at) VALUES ($1, 'C', 'old', 'new', now(), now(), now())", [ids.cutover]);
  await q("INSERT INTO phases (id, cutover_id, name, position) VALUES ($1, $2, 'P', 0)", [ids.phase, ids.cutover]);
  await q("INSERT INTO decision_points (id, cutover_id, phase_id, title, required_roles) VALUES ($1, $2, $3, 'D', '{}')", [ids.decision, ids.cutover, ids.phase]);
  await q("INSERT INTO metric_definitions (id, cutover_id, name, unit) VALUES ($1, $2, 'Error rate', '%')", [ids.metric, ids.cutover]);
  await q(
    `INSERT INTO rollback_triggers (id, cutover_id, metric_id, system, comparison, threshold, for_seconds, severity, action, error_policy, error_rollback_after, last_evaluated_at)
     VALUES ($1, $2, $3, 'old', '>=', 5, 30, 'immediate', 'rollback', 'rollback_after', 3, now())`,
    [ids.trigger, ids.cutover, ids.metric],
  );
  await q("INSERT INTO metric_samples (metric_id, system, at, value, status) VALUES ($1, 'new', now(), 1.5, 'ok'), ($1, 'old', now(), NULL, 'no_data'), ($1, 'new', now(), NULL, 'error')", [ids.metric]);
  for (const [state, trigger, user] of [["completed", ids.trigger, ids.user], ["completed_with_errors", ids.gone, ids.gone], ["failed", null, null], ["abandoned", null, null], ["running", null, ids.user]] as const) {
    await q("INSERT INTO rollbacks (id, cutover_id, user_id, trigger_id, state) VALUES (gen_random_uuid(), $1, $2, $3, $4)", [ids.cutover, user, trigger, state]);
  }
  await q("INSERT INTO traffic_changes (id, cutover_id, user_id, from_percent, to_percent, state, fence, trigger_id) VALUES (gen_random_uuid(), $1, $2, 0, 10, 'verified', 1, $3), (gen_random_uuid(), $1, $4, 10, 0, 'verified', 2, $5)", [ids.cutover, ids.user, ids.trigger, ids.gone, ids.gone]);
  await q("INSERT INTO traffic_steps (id, cutover_id, percent, position, decision_id) VALUES (gen_random_uuid(), $1, 10, 0, $2), (gen_random_uuid(), $1, 50, 1, $3)", [ids.cutover, ids.decision, ids.gone]);
  await q("INSERT INTO metric_gates (id, cutover_id, metric_id, condition) VALUES (gen_random_uuid(), $1, $2, '{}'), (gen_random_uuid(), $3, $2, '{}')", [ids.cutover, ids.metric, ids.gone]);
  await q("INSERT INTO integrations (id, name, type, kind, config, created_by_id, updated_at) VALUES (gen_random_uuid(), 'r', 'router', 'haproxy', '{}', $1, now()), (gen_random_uuid(), 'p', 'prometheus', 'prometheus', '{}', $2, now())", [ids.user, ids.gone]);
  await q("INSERT INTO invites (id, token_hash, email, name, created_by_id, expires_at) VALUES (gen_random_uuid(), 'h1', 'b@test.local', 'B', $1, now()), (gen_random_uuid(), 'h2', 'c@test.local', 'C', $2, now())", [ids.user, ids.gone]);
  expect(await applyMigrations(url)).toEqual(FROM_IT);
});

afterAll(async () => {
  await client?.end();
  rmSync(before, { recursive: true, force: true });
});

const rows = async <T extends pg.QueryResultRow>(text: string, values: unknown[] = []) => (await client.query<T>(text, values)).rows;

describe("migration tighten_schema on existing data", () => {
  it("keeps every value, now typed by its enum", async () => {
    expect(await rows("SELECT state::text AS state, pg_typeof(state)::text AS type FROM rollbacks ORDER BY state::text")).toEqual(
      ["abandoned", "completed", "completed_with_errors", "failed", "running"].map((state) => ({ state, type: '"RollbackState"' })),
    );
    expect(await rows("SELECT system::text, error_policy::text, pg_typeof(system)::text AS s, pg_typeof(error_policy)::text AS p FROM rollback_triggers")).toEqual([
      { system: "old", error_policy: "rollback_after", s: '"TriggerSystem"', p: '"TriggerErrorPolicy"' },
    ]);
    expect(await rows("SELECT system::text, status::text FROM metric_samples ORDER BY id")).toEqual([
      { system: "new", status: "ok" },
      { system: "old", status: "no_data" },
      { system: "new", status: "error" },
    ]);
    expect(await rows("SELECT name, type::text FROM integrations ORDER BY name")).toEqual([{ name: "p", type: "prometheus" }, { name: "r", type: "router" }]);
  });

  it("clears the ids that pointed nowhere and keeps the others", async () => {
    expect(await rows("SELECT state::text, user_id, trigger_id FROM rollbacks WHERE state IN ('completed', 'completed_with_errors') ORDER BY state")).toEqual([
      { state: "completed", user_id: ids.user, trigger_id: ids.trigger },
      { state: "completed_with_errors", user_id: null, trigger_id: null },
    ]);
    expect(await rows("SELECT fence::int, user_id, trigger_id FROM traffic_changes ORDER BY fence")).toEqual([
      { fence: 1, user_id: ids.user, trigger_id: ids.trigger },
      { fence: 2, user_id: null, trigger_id: null },
    ]);
    expect(await rows("SELECT percent, decision_id FROM traffic_steps ORDER BY percent")).toEqual([{ percent: 10, decision_id: ids.decision }, { percent: 50, decision_id: null }]);
    expect(await rows("SELECT cutover_id FROM metric_gates")).toEqual([{ cutover_id: ids.cutover }]);
    expect(await rows("SELECT email, created_by_id FROM invites ORDER BY email")).toEqual([{ email: "b@test.local", created_by_id: ids.user }, { email: "c@test.local", created_by_id: null }]);
    expect(await rows("SELECT name, created_by_id FROM integrations ORDER BY name")).toEqual([{ name: "p", created_by_id: null }, { name: "r", created_by_id: ids.user }]);
  });

  it("drops the columns nothing read", async () => {
    const cols = await rows<{ c: string }>("SELECT table_name || '.' || column_name AS c FROM information_schema.columns WHERE column_name IN ('ended_at', 'no_data_policy', 'last_evaluated_at')");
    expect(cols).toEqual([]);
  });

  it("refuses what the strings used to accept", async () => {
    await expect(client.query("UPDATE rollbacks SET state = 'done' WHERE state = 'failed'")).rejects.toThrow(/invalid input value for enum "RollbackState"/);
    await expect(client.query("UPDATE rollback_triggers SET comparison = '=='")).rejects.toThrow(/rollback_triggers_comparison_check/);
    await expect(client.query("UPDATE rollback_triggers SET system = 'both'")).rejects.toThrow(/invalid input value for enum "TriggerSystem"/);
    await expect(client.query("UPDATE rollbacks SET trigger_id = $1 WHERE state = 'failed'", [randomUUID()])).rejects.toThrow(/rollbacks_trigger_id_fkey/);
    await expect(client.query("UPDATE traffic_steps SET decision_id = $1", [randomUUID()])).rejects.toThrow(/traffic_steps_decision_id_fkey/);
    // Still one running rollback per cutover: the partial unique index was rebuilt over the enum.
    await expect(client.query("INSERT INTO rollbacks (id, cutover_id, state) VALUES (gen_random_uuid(), $1, 'running')", [ids.cutover])).rejects.toThrow(/rollbacks_one_running_per_cutover/);
  });

  it("deleting a trigger, a user or a decision keeps the history rows, without their ids", async () => {
    await client.query("DELETE FROM rollback_triggers WHERE id = $1", [ids.trigger]);
    await client.query("DELETE FROM decision_points WHERE id = $1", [ids.decision]);
    expect(await rows("SELECT count(*)::int AS n FROM rollbacks WHERE trigger_id IS NOT NULL")).toEqual([{ n: 0 }]);
    expect(await rows("SELECT count(*)::int AS n FROM traffic_changes")).toEqual([{ n: 2 }]);
    expect(await rows("SELECT count(*)::int AS n FROM traffic_steps WHERE decision_id IS NULL")).toEqual([{ n: 2 }]);
  });
});
