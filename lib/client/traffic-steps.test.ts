import { describe, expect, it } from "vitest";
import { parseSteps } from "./traffic-steps";

describe("parseSteps", () => {
  it("reads comma-separated whole percents, with or without %", () => {
    expect(parseSteps("10, 25 %, 50,100")).toEqual({ ok: true, steps: [10, 25, 50, 100] });
    expect(parseSteps(" 0, 100 ,")).toEqual({ ok: true, steps: [0, 100] });
  });

  it("says what is wrong", () => {
    expect(parseSteps("100")).toEqual({ ok: false, error: "At least two steps, e.g. 10, 25, 50, 100" });
    expect(parseSteps(Array.from({ length: 21 }, (_, i) => i * 5).join(","))).toEqual({ ok: false, error: "At most 20 steps" });
    expect(parseSteps("10, 2.5, 100")).toEqual({ ok: false, error: "“2.5” is not a whole percent from 0 to 100" });
    expect(parseSteps("10, 101")).toEqual({ ok: false, error: "“101” is not a whole percent from 0 to 100" });
    expect(parseSteps("-5, 100")).toEqual({ ok: false, error: "“-5” is not a whole percent from 0 to 100" });
    expect(parseSteps("10, abc, 100")).toEqual({ ok: false, error: "“abc” is not a whole percent from 0 to 100" });
    expect(parseSteps("50, 25, 100")).toEqual({ ok: false, error: "Steps must be strictly increasing (50 then 25)" });
    expect(parseSteps("50, 50, 100")).toEqual({ ok: false, error: "Steps must be strictly increasing (50 then 50)" });
    expect(parseSteps("10, 50")).toEqual({ ok: false, error: "The last step is 100 %" });
  });
});
