import { describe, expect, it } from "vitest";
import { GroupCommit, type Outcome } from "./group-commit";

interface Req {
  key: string;
  value: number;
}

/** A group commit whose batches are recorded and finish when the test says so. */
function recorder(opts: { maxBatch?: number; maxInFlight?: number; fail?: (batch: readonly Req[]) => boolean } = {}) {
  const batches: Req[][] = [];
  const open: (() => void)[] = [];
  const gc = new GroupCommit<Req, number>({
    key: (r) => r.key,
    maxBatch: opts.maxBatch,
    maxInFlight: opts.maxInFlight,
    run: async (batch) => {
      batches.push([...batch]);
      await new Promise<void>((r) => open.push(r));
      if (opts.fail?.(batch)) throw new Error("statement refused");
      return batch.map((r): Outcome<number> => (r.value < 0 ? { ok: false, error: new Error(`negative ${r.value}`) } : { ok: true, value: r.value * 10 }));
    },
  });
  /** Lets every batch started so far finish, and waits until the next ones have started. */
  const release = async () => {
    for (const r of open.splice(0)) r();
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
  };
  return { gc, batches, release, waiting: () => open.length };
}

describe("group commit", () => {
  it("requests of one tick share one batch; each caller gets its own outcome", async () => {
    const { gc, batches, release } = recorder();
    const all = Promise.allSettled([gc.submit({ key: "a", value: 1 }), gc.submit({ key: "b", value: -2 }), gc.submit({ key: "c", value: 3 })]);
    await new Promise((r) => setImmediate(r));
    expect(batches.map((b) => b.map((r) => r.key))).toEqual([["a", "b", "c"]]);
    await release();
    const [a, b, c] = await all;
    expect(a).toEqual({ status: "fulfilled", value: 10 });
    expect(b).toMatchObject({ status: "rejected", reason: { message: "negative -2" } });
    expect(c).toEqual({ status: "fulfilled", value: 30 });
    expect(gc.stats).toEqual({ batches: 1, requests: 3, largest: 3, fallbacks: 0 });
  });

  it("requests that arrive while a batch is in flight form the next batch, once it has finished", async () => {
    const { gc, batches, release, waiting } = recorder();
    const first = gc.submit({ key: "a", value: 1 });
    await new Promise((r) => setImmediate(r));
    const later = [gc.submit({ key: "b", value: 2 }), gc.submit({ key: "c", value: 3 })];
    await new Promise((r) => setImmediate(r));
    expect(batches).toHaveLength(1);
    expect(waiting()).toBe(1);
    await release();
    expect(await first).toBe(10);
    expect(batches.map((b) => b.map((r) => r.key))).toEqual([["a"], ["b", "c"]]);
    await release();
    expect(await Promise.all(later)).toEqual([20, 30]);
  });

  it("two requests with one key never share a batch nor run side by side; arrival order is kept", async () => {
    const { gc, batches, release } = recorder({ maxInFlight: 2 });
    const results = Promise.all([gc.submit({ key: "a", value: 1 }), gc.submit({ key: "a", value: 2 }), gc.submit({ key: "b", value: 3 }), gc.submit({ key: "a", value: 4 })]);
    await new Promise((r) => setImmediate(r));
    expect(batches.map((b) => b.map((r) => r.value))).toEqual([[1, 3]]);
    // A second batch may start while the first is in flight, but not with a key the first holds.
    gc.submit({ key: "c", value: 5 });
    await new Promise((r) => setImmediate(r));
    expect(batches.map((b) => b.map((r) => r.value))).toEqual([[1, 3], [5]]);
    await release();
    expect(batches.map((b) => b.map((r) => r.value))).toEqual([[1, 3], [5], [2]]);
    await release();
    expect(batches.map((b) => b.map((r) => r.value))).toEqual([[1, 3], [5], [2], [4]]);
    await release();
    expect(await results).toEqual([10, 20, 30, 40]);
  });

  it("at most maxBatch requests per batch", async () => {
    const { gc, batches, release } = recorder({ maxBatch: 2 });
    const results = Promise.all([1, 2, 3, 4, 5].map((v) => gc.submit({ key: String(v), value: v })));
    await new Promise((r) => setImmediate(r));
    await release();
    await release();
    await release();
    expect(await results).toEqual([10, 20, 30, 40, 50]);
    expect(batches.map((b) => b.length)).toEqual([2, 2, 1]);
  });

  it("a batch that fails as a whole is retried one request at a time: only the request at fault fails", async () => {
    const { gc, batches, release } = recorder({ fail: (batch) => batch.some((r) => r.key === "bad") });
    const all = Promise.allSettled([gc.submit({ key: "a", value: 1 }), gc.submit({ key: "bad", value: 2 }), gc.submit({ key: "c", value: 3 })]);
    await new Promise((r) => setImmediate(r));
    await release();
    expect(batches.map((b) => b.map((r) => r.key))).toEqual([["a", "bad", "c"], ["a"], ["bad"], ["c"]]);
    await release();
    const [a, bad, c] = await all;
    expect(a).toEqual({ status: "fulfilled", value: 10 });
    expect(bad).toMatchObject({ status: "rejected", reason: { message: "statement refused" } });
    expect(c).toEqual({ status: "fulfilled", value: 30 });
    expect(gc.stats.fallbacks).toBe(1);
  });

  it("a batch function that answers the wrong number of outcomes counts as a failed batch", async () => {
    const gc = new GroupCommit<Req, number>({ key: (r) => r.key, run: async (batch) => (batch.length > 1 ? [{ ok: true, value: 0 }] : [{ ok: true, value: batch[0]!.value }]) });
    expect(await Promise.all([gc.submit({ key: "a", value: 1 }), gc.submit({ key: "b", value: 2 })])).toEqual([1, 2]);
    expect(gc.stats.fallbacks).toBe(1);
  });
});
