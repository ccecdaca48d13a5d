import { expect, test } from "@playwright/test";
import pg from "pg";
import { e2eDatabaseUrl } from "./support/fixtures";

// The running app serves through the restricted runtime role only: the owner's connection was for
// migrations and grants at start, and none of its sessions stays open.
test("the app is connected to PostgreSQL as the runtime role, never as the owner", async ({ request }) => {
  expect((await request.get("/health")).status()).toBe(200);
  const client = new pg.Client({ connectionString: e2eDatabaseUrl() });
  await client.connect();
  try {
    const { rows } = await client.query<{ usename: string }>(
      "SELECT DISTINCT usename FROM pg_stat_activity WHERE datname = 'warroom' AND backend_type = 'client backend' AND pid <> pg_backend_pid()",
    );
    expect(rows).toEqual([{ usename: "warroom_app" }]);
    const { rows: grants } = await client.query<{ del: boolean; ins: boolean }>(
      "SELECT has_table_privilege('warroom_app', 'audit_events', 'DELETE') AS del, has_table_privilege('warroom_app', 'audit_events', 'INSERT') AS ins",
    );
    expect(grants).toEqual([{ del: false, ins: true }]);
  } finally {
    await client.end();
  }
});
