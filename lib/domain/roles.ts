import { z } from "zod";

// Order matters: it is the order roles are listed in the UI and in the demo team.
export const ROLES = [
  "DEPLOYMENT_LEAD",
  "DATABASE_DBA",
  "BACKEND_LEAD",
  "QA_LEAD",
  "ON_CALL",
  "COMMS_LEAD",
  "OBSERVER",
] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  DEPLOYMENT_LEAD: "Deployment Lead",
  DATABASE_DBA: "Database DBA",
  BACKEND_LEAD: "Backend Lead",
  QA_LEAD: "QA Lead",
  ON_CALL: "On-call",
  COMMS_LEAD: "Comms Lead",
  OBSERVER: "Observer",
};

export const roleSchema = z.enum(ROLES);

// Runbooks name roles loosely ("**On-Call Eng**", "DBA", "QA team", "Comms"). Each role is
// recognised by a distinctive word; generic words ("lead", "engineer", "team") carry no meaning.
// Keywords are matched against whole words after normalisation, so "db" does not match "dbx".
const ROLE_KEYWORDS: Record<Role, readonly string[]> = {
  DEPLOYMENT_LEAD: ["deployment", "deploy", "release"],
  DATABASE_DBA: ["dba", "database", "db"],
  BACKEND_LEAD: ["backend"],
  QA_LEAD: ["qa", "quality"],
  ON_CALL: ["oncall", "sre"],
  COMMS_LEAD: ["comms", "communications", "communication", "comm"],
  OBSERVER: ["observer", "observers", "viewer", "readonly"],
};

function words(text: string): string[] {
  const joined = text
    .toLowerCase()
    // Two-word spellings of one concept become one word before splitting.
    .replace(/\bon[\s_-]*call\b/g, "oncall")
    .replace(/\bback[\s_-]*end\b/g, "backend")
    .replace(/\bread[\s_-]*only\b/g, "readonly");
  return joined.split(/[^a-z0-9]+/).filter((w) => w.length > 0);
}

/**
 * Maps free text from a runbook or a form to a role. Returns null when no role or more than one
 * role is named ("DBA / Backend Lead"): guessing would assign work to the wrong people.
 */
export function parseRoleLabel(text: string): Role | null {
  const exact = roleSchema.safeParse(text.trim().toUpperCase().replace(/[\s-]+/g, "_"));
  if (exact.success) return exact.data;

  const found = new Set(words(text));
  const matches = ROLES.filter((role) => ROLE_KEYWORDS[role].some((k) => found.has(k)));
  return matches.length === 1 ? matches[0] : null;
}
