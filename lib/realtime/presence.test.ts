import { describe, expect, it } from "vitest";
import { mergePresence, presenceAnswer, presenceKey } from "./presence";

describe("presence across processes", () => {
  it("lists each user once, with the roles of all their sockets, in the same order whatever the answers' order", () => {
    const a = [
      { userId: "u2", name: "Bob", roles: ["OBSERVER" as const] },
      { userId: "u1", name: "Ann", roles: ["QA_LEAD" as const] },
    ];
    const b = [{ userId: "u1", name: "Ann", roles: ["DEPLOYMENT_LEAD" as const, "QA_LEAD" as const] }];
    const merged = mergePresence([a, b]);
    expect(merged).toEqual([
      { userId: "u1", name: "Ann", roles: ["DEPLOYMENT_LEAD", "QA_LEAD"] },
      { userId: "u2", name: "Bob", roles: ["OBSERVER"] },
    ]);
    expect(presenceKey(mergePresence([b, a]))).toBe(presenceKey(merged));
    expect(mergePresence([[], []])).toEqual([]);
  });

  it("accepts only well-formed answers from another process", () => {
    expect(presenceAnswer.safeParse([{ userId: "u1", name: "Ann", roles: ["OBSERVER"] }]).success).toBe(true);
    for (const bad of [null, "x", [{ userId: "u1", name: "Ann", roles: ["ADMIN"] }], [{ userId: "", name: "Ann", roles: [] }], [{ userId: "u1", roles: [] }], [{ userId: "u".repeat(101), name: "A", roles: [] }]]) {
      expect(presenceAnswer.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
});
