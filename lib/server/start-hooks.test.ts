import { afterEach, describe, expect, it } from "vitest";
import { registerStartHook, runStartHooks, startHooks, type StartHookContext } from "./start-hooks";

const holder = globalThis as unknown as { __warroomStartHooks?: unknown };

describe("start hooks", () => {
  afterEach(() => {
    holder.__warroomStartHooks = undefined;
  });

  it("runs the registered hooks in order once, and stops them in reverse order", async () => {
    const seen: string[] = [];
    const ctx: StartHookContext = { port: 4321, log: () => {}, addServerConfigFile: () => ({ integrations: [], allowHosts: [] }) as never, attachDemo: async () => {} };
    registerStartHook(async (c) => {
      seen.push(`start a ${c.port}`);
      return async () => void seen.push("stop a");
    });
    registerStartHook(async () => {
      seen.push("start b");
      return async () => {
        seen.push("stop b");
        throw new Error("b failed");
      };
    });
    expect(startHooks()).toHaveLength(2);
    const stop = await runStartHooks(ctx);
    expect(seen).toEqual(["start a 4321", "start b"]);
    await stop();
    // A failing stop does not keep the others from stopping.
    expect(seen).toEqual(["start a 4321", "start b", "stop b", "stop a"]);
  });

  it("is shared by every copy of the module in the process (launcher from source, server from its bundle)", async () => {
    registerStartHook(async () => async () => {});
    expect((holder.__warroomStartHooks as unknown[]).length).toBe(1);
  });
});
