// PromQL syntax check with the Prometheus project's own grammar (lezer-promql): the same parser
// runs in the browser as the user types and on the server before a query is saved.
import { parser } from "@prometheus-io/lezer-promql";

export type PromqlCheck = { ok: true } | { ok: false; error: string; position: number };

export function checkPromql(query: string): PromqlCheck {
  const text = query.trim();
  if (!text) return { ok: false, error: "The query is empty", position: 0 };
  if (text.length > 10_000) return { ok: false, error: "The query is longer than 10,000 characters", position: 10_000 };
  const tree = parser.parse(text);
  let errorAt = -1;
  tree.iterate({
    enter(node) {
      if (errorAt >= 0) return false;
      if (node.type.isError) {
        errorAt = node.from;
        return false;
      }
      return undefined;
    },
  });
  if (errorAt < 0) return { ok: true };
  const near = text.slice(Math.max(0, errorAt - 10), errorAt + 10);
  return { ok: false, error: `PromQL syntax error at character ${errorAt + 1}, near "${near}"`, position: errorAt };
}

/** Queries may name the system as `$system` (e.g. `{service="$system"}`): one text, two queries. */
export function queryFor(template: string, system: "old" | "new"): string {
  return template.replaceAll("$system", system);
}
