// The preload that `WARROOM_LAB=1 npm start` runs before the server bundle: it must leave exactly the
// lab's start hook registered, where the server (another copy of start-hooks.ts) looks for it.
import { describe, expect, it } from "vitest";
import { startHooks } from "@/lib/server/start-hooks";
import { startLabForWarRoom } from "./war-room";

describe("the lab's preload", () => {
  it("registers the lab as the server's start hook", async () => {
    expect(startHooks()).toEqual([]);
    await import("./register");
    expect(startHooks()).toEqual([startLabForWarRoom]);
  });
});
