// The traffic steps as the planner types them ("10, 25, 50 %, 100"), checked while typing so the
// form can say what is wrong before the server is asked.

export type ParsedSteps = { ok: true; steps: number[] } | { ok: false; error: string };

export function parseSteps(text: string): ParsedSteps {
  const parts = text.split(",").map((s) => s.trim()).filter((s) => s !== "");
  if (parts.length < 2) return { ok: false, error: "At least two steps, e.g. 10, 25, 50, 100" };
  if (parts.length > 20) return { ok: false, error: "At most 20 steps" };
  const steps: number[] = [];
  for (const part of parts) {
    const n = Number(part.replace(/%$/, "").trim());
    if (!Number.isInteger(n) || n < 0 || n > 100) return { ok: false, error: `“${part}” is not a whole percent from 0 to 100` };
    steps.push(n);
  }
  for (let i = 1; i < steps.length; i++) {
    if (steps[i]! <= steps[i - 1]!) return { ok: false, error: `Steps must be strictly increasing (${steps[i - 1]} then ${steps[i]})` };
  }
  if (steps.at(-1) !== 100) return { ok: false, error: "The last step is 100 %" };
  return { ok: true, steps };
}
