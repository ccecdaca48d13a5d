import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { checkSteps, parseSteps } from "./traffic-steps";
import { trafficStepsInput } from "@/lib/schemas/room";

const ID = "00000000-0000-4000-8000-000000000000";

describe("traffic steps", () => {
  it("parses what a planner types", () => {
    expect(parseSteps("10, 25 %, 50,100")).toEqual({ ok: true, steps: [10, 25, 50, 100] });
    expect(parseSteps(" 0 , 100 ,")).toEqual({ ok: true, steps: [0, 100] });
  });
  it("names the first problem", () => {
    expect(parseSteps("100")).toEqual({ ok: false, error: "At least two steps, e.g. 10, 25, 50, 100" });
    expect(parseSteps(Array.from({ length: 21 }, (_, i) => i).join(","))).toEqual({ ok: false, error: "At most 20 steps" });
    expect(parseSteps("10, ten, 100")).toEqual({ ok: false, error: "“ten” is not a whole percent from 0 to 100" });
    expect(parseSteps("10, 101")).toEqual({ ok: false, error: "“101” is not a whole percent from 0 to 100" });
    expect(parseSteps("10, 2.5, 100")).toEqual({ ok: false, error: "“2.5” is not a whole percent from 0 to 100" });
    expect(parseSteps("50, 10, 100")).toEqual({ ok: false, error: "Steps must be strictly increasing (50 then 10)" });
    expect(parseSteps("10, 50")).toEqual({ ok: false, error: "The last step is 100 %" });
  });
  it("the form and the command's schema accept exactly the same steps", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -5, max: 105 }), { maxLength: 24 }), (steps) => {
        const form = parseSteps(steps.join(","));
        const schema = trafficStepsInput.safeParse({ cutoverId: ID, steps });
        expect(checkSteps(steps).ok).toBe(form.ok);
        expect(schema.success).toBe(form.ok);
        if (!schema.success && !form.ok) expect(schema.error.issues[0]!.message).toBe(form.error);
      }),
      { numRuns: 500 },
    );
    // Increasing runs ending at 100 are rare among random arrays: check them explicitly too.
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 99 }), { minLength: 1, maxLength: 19 }), (xs) => {
        const steps = [...xs.sort((a, b) => a - b), 100];
        expect(parseSteps(steps.join(", "))).toEqual({ ok: true, steps });
        expect(trafficStepsInput.safeParse({ cutoverId: ID, steps }).success).toBe(true);
      }),
    );
  });
});
