// vitest global setup: one fresh embedded PostgreSQL for the service tests of this run, with the
// migrations applied. Tests read its URL with inject("databaseUrl").
import { rmSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres } from "./embedded-postgres";
import { applyMigrations } from "./migrate";


export default async function setup(project: TestProject) {
  // One directory per run, so two runs in one checkout never share a cluster.
  const dir = path.resolve(`.data/test-postgres-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  const server = await startEmbeddedPostgres({ dataDir: dir });
  await applyMigrations(server.url);
  // A migrated template: service tests copy it into a private database each (fast, isolated).
  const admin = new pg.Client({ connectionString: server.url.replace(/\/[^/]+$/, "/postgres") });
  await admin.connect();
  await admin.query("CREATE DATABASE warroom_template TEMPLATE warroom");
  await admin.end();
  project.provide("databaseUrl", server.url);
  return async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
