// The body rules of every JSON API request, shared by the Next routes and the custom server.
import { AppError } from "@/lib/errors";

export const MAX_BODY = 1024 * 1024;

export const tooLarge = () => new AppError("bad_request", "Request body is larger than 1 MB");

/** A request body as a JSON object: at most 1 MB, valid JSON, an object; anything else is a 400. */
export function parseJsonObject(text: string): Record<string, unknown> {
  if (text.length > MAX_BODY) throw tooLarge();
  if (!text.trim()) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AppError("bad_request", "Request body is not valid JSON");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new AppError("bad_request", "Request body must be a JSON object");
  return parsed as Record<string, unknown>;
}
