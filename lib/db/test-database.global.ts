// vitest global setup: one fresh embedded PostgreSQL for the service tests of this run, with the
// migrations applied. Tests read its URL with inject("databaseUrl").
import { rmSync } from "node:fs";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres } from "./embedded-postgres";
import { applyMigrations } from "./migrate";


export default async function setup(project: TestProject) {
  const dir = path.resolve(".data/test-postgres");
  rmSync(dir, { recursive: true, force: true });
  const pg = await startEmbeddedPostgres({ dataDir: dir });
  await applyMigrations(pg.url);
  project.provide("databaseUrl", pg.url);
  return async () => {
    await pg.stop();
  };
}
