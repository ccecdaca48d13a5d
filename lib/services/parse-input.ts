// How every change's input is read: its zod schema, or a 400 naming the first problem, before any
// handler runs. The command dispatcher uses it, and so does the one write that is not a command
// (accepting an invitation link, whose credential is the link itself).
import type { z } from "zod";
import { AppError } from "@/lib/errors";

type Schema<Out> = z.ZodType<Out, unknown>;

/** PostgreSQL stores no NUL character in text or JSON: refused here, before any handler sees it. */
function hasNul(value: unknown, depth = 0): boolean {
  if (typeof value === "string") return value.includes("\u0000");
  if (depth > 20 || typeof value !== "object" || value === null) return false;
  for (const [k, v] of Object.entries(value)) if (k.includes("\u0000") || hasNul(v, depth + 1)) return true;
  return false;
}

/** The input parsed by the command's schema, or a 400 that names the first problem. */
export function parseInput<S extends Schema<unknown>>(schema: S, raw: unknown): z.output<S> {
  if (hasNul(raw)) throw new AppError("bad_request", "input: text may not contain NUL characters");
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const first = parsed.error.issues[0];
  throw new AppError("bad_request", first ? `${first.path.map(String).join(".") || "input"}: ${first.message}` : "Invalid input");
}
