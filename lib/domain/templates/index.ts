// The built-in starting plans. Each is a runbook in the project's own words, read by the same
// importer as a pasted runbook; `trafficSteps` is the traffic ladder the new cutover gets (the
// runbook's "Traffic steps:" line says the same for a human reader).
import { BLUE_GREEN_MARKDOWN } from "./blue-green";
import { CANARY_MARKDOWN } from "./canary";
import { DATABASE_MIGRATION_MARKDOWN } from "./database-migration";

export interface BuiltinTemplate {
  key: string;
  name: string;
  description: string;
  markdown: string;
  trafficSteps: readonly number[];
}

export const BUILTIN_TEMPLATES: readonly BuiltinTemplate[] = [
  {
    key: "builtin:blue-green",
    name: "Blue-green cutover (10 / 50 / 100 %)",
    description: "The new stack runs beside the old one; traffic moves in three steps, each behind a go/no-go, and the old stack stays warm for rollback.",
    markdown: BLUE_GREEN_MARKDOWN,
    trafficSteps: [0, 10, 50, 100],
  },
  {
    key: "builtin:canary",
    name: "Canary over four days (5 / 25 / 50 / 100 %)",
    description: "One stage a day behind a feature flag that can switch the new code path off for everyone within a minute.",
    markdown: CANARY_MARKDOWN,
    trafficSteps: [0, 5, 25, 50, 100],
  },
  {
    key: "builtin:database-migration",
    name: "Database migration with a read-only fallback",
    description: "A short read-only window to copy and check the data, then writes on the new database; the old one stays intact to fall back to read-only.",
    markdown: DATABASE_MIGRATION_MARKDOWN,
    trafficSteps: [0, 100],
  },
];

export function builtinTemplate(key: string): BuiltinTemplate | null {
  return BUILTIN_TEMPLATES.find((t) => t.key === key) ?? null;
}
