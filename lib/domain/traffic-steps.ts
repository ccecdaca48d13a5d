// The planned traffic steps (% of traffic to the new system): one rule for the form that parses
// what a planner types and for the command's input schema, so the two never disagree.
export const MIN_STEPS = 2;
export const MAX_STEPS = 20;

export type StepsVerdict = { ok: true; steps: number[] } | { ok: false; error: string };

const isPercent = (n: number) => Number.isInteger(n) && n >= 0 && n <= 100;

/** Whole percents 0-100, at least two, at most twenty, strictly increasing, ending at 100. */
export function checkSteps(steps: readonly number[]): StepsVerdict {
  if (steps.length < MIN_STEPS) return { ok: false, error: "At least two steps, e.g. 10, 25, 50, 100" };
  if (steps.length > MAX_STEPS) return { ok: false, error: "At most 20 steps" };
  const bad = steps.find((n) => !isPercent(n));
  if (bad !== undefined) return { ok: false, error: `“${bad}” is not a whole percent from 0 to 100` };
  for (let i = 1; i < steps.length; i++) {
    if (steps[i]! <= steps[i - 1]!) return { ok: false, error: `Steps must be strictly increasing (${steps[i - 1]} then ${steps[i]})` };
  }
  if (steps.at(-1) !== 100) return { ok: false, error: "The last step is 100 %" };
  return { ok: true, steps: [...steps] };
}

/** What a planner types ("10, 25 %, 50, 100") as steps, or the first problem in words. */
export function parseSteps(text: string): StepsVerdict {
  const parts = text.split(",").map((s) => s.trim()).filter((s) => s !== "");
  if (parts.length < MIN_STEPS) return checkSteps([]);
  if (parts.length > MAX_STEPS) return { ok: false, error: "At most 20 steps" };
  const steps: number[] = [];
  for (const part of parts) {
    const n = Number(part.replace(/%$/, "").trim());
    if (!isPercent(n)) return { ok: false, error: `“${part}” is not a whole percent from 0 to 100` };
    steps.push(n);
  }
  return checkSteps(steps);
}
