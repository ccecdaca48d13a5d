import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import { announce, listen, type BusEvent } from "./bus";

const url = inject("databaseUrl");
const received: BusEvent[] = [];
const listener = listen(url, (e) => received.push(e));
afterAll(() => listener.stop());

const CUTOVER = "7b0b1f4e-3a43-4c55-9a8f-1b2c3d4e5f60";

async function waitFor(pred: () => boolean, ms = 3000) {
  const deadline = Date.now() + ms;
  while (!pred() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  return pred();
}

async function inTransaction(commit: boolean, subject: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query("BEGIN");
    await announce({ $executeRawUnsafe: (q, ...v) => c.query(q, v).then((r) => r.rowCount ?? 0) }, { type: "item.updated", cutoverId: CUTOVER, subject });
    await c.query(commit ? "COMMIT" : "ROLLBACK");
  } finally {
    await c.end();
  }
}

describe("the PostgreSQL bus", () => {
  it("delivers an announcement only when its transaction commits", async () => {
    expect(await waitFor(() => listener.connected())).toBe(true);
    await inTransaction(false, "rolled-back");
    await inTransaction(true, "committed");
    expect(await waitFor(() => received.some((e) => e.subject === "committed"))).toBe(true);
    expect(received.find((e) => e.subject === "rolled-back")).toBeUndefined();
    expect(received.find((e) => e.subject === "committed")).toMatchObject({ type: "item.updated", cutoverId: CUTOVER, at: expect.any(String) });
  });

  it("ignores payloads that are not bus events", async () => {
    const before = received.length;
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query("SELECT pg_notify('warroom_events', 'not json'), pg_notify('warroom_events', '{\"type\":\"x\"}')");
    await c.end();
    await inTransaction(true, "after-garbage");
    expect(await waitFor(() => received.some((e) => e.subject === "after-garbage"))).toBe(true);
    expect(received.length).toBe(before + 1);
  });
});
