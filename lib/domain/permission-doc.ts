// The permission table as a markdown table, for SECURITY.md. The document is checked against this
// rendering by a test, so the published rules are the rules the server enforces.
import {
  ACTION_LABELS,
  ACTIONS,
  ADMINISTRATOR_IN_ANY_CUTOVER,
  GLOBAL_ACTION_LABELS,
  GLOBAL_ACTIONS,
  GLOBAL_PERMISSIONS,
  PERMISSIONS,
  type GlobalRole,
} from "./permissions";
import { ROLE_LABELS, ROLES } from "./roles";

const YES = "✔";
const NO = "·";

/** Roles in a cutover × actions; the last column is an administrator who holds no role there. */
export function renderCutoverPermissions(): string {
  const header = ["Action", ...ROLES.map((r) => ROLE_LABELS[r]), "Administrator (no role)"];
  const rows = ACTIONS.map((action) => [
    `${ACTION_LABELS[action]} (\`${action}\`)`,
    ...ROLES.map((role) => (PERMISSIONS[role].includes(action) ? YES : NO)),
    ADMINISTRATOR_IN_ANY_CUTOVER.includes(action) ? YES : NO,
  ]);
  return table(header, rows);
}

const GLOBAL_ROLE_LABELS: Record<GlobalRole, string> = { ADMINISTRATOR: "Administrator", PLANNER: "Planner" };

/** Global roles × global actions; a signed-in user with neither role may do none of them. */
export function renderGlobalPermissions(): string {
  const roles = Object.keys(GLOBAL_PERMISSIONS) as GlobalRole[];
  const header = ["Action", ...roles.map((r) => GLOBAL_ROLE_LABELS[r]), "Anyone else"];
  const rows = GLOBAL_ACTIONS.map((action) => [
    `${GLOBAL_ACTION_LABELS[action]} (\`${action}\`)`,
    ...roles.map((role) => (GLOBAL_PERMISSIONS[role].includes(action) ? YES : NO)),
    NO,
  ]);
  return table(header, rows);
}

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}
