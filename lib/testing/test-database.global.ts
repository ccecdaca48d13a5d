// vitest global setup: one fresh embedded PostgreSQL for the service tests of this run, migrated
// and granted exactly as the server does it. Tests connect as the app's runtime role
// (inject("databaseUrl")), so a missing grant fails a test; the owner (inject("ownerDatabaseUrl"))
// is for creating databases and for tests of the roles themselves.
import { rmSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { prepareDatabase } from "@/lib/db/connection";
import { startEmbeddedPostgres } from "@/lib/db/embedded-postgres";

export default async function setup(project: TestProject) {
  // One directory per run, so two runs in one checkout never share a cluster.
  const dir = path.resolve(`.data/test-postgres-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  const server = await startEmbeddedPostgres({ dataDir: dir });
  await prepareDatabase({ url: server.runtimeUrl, migrationUrl: server.ownerUrl, embedded: server }, { log: () => {} });
  // A migrated template: service tests copy it into a private database each (fast, isolated).
  // The copy keeps the template's grants and default privileges (they live inside the database).
  const admin = new pg.Client({ connectionString: server.ownerUrl.replace(/\/[^/]+$/, "/postgres") });
  await admin.connect();
  await admin.query("CREATE DATABASE warroom_template TEMPLATE warroom");
  await admin.end();
  project.provide("databaseUrl", server.runtimeUrl);
  project.provide("ownerDatabaseUrl", server.ownerUrl);
  return async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
