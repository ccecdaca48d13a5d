import { z } from "zod";
import { ROLE_LABELS, type Role } from "./roles";

export const ACTIONS = [
  "cutover.view",
  // Add, rename, reorder, remove phases, sections, items, timeline entries, contacts, risks, links.
  "cutover.edit_plan",
  "cutover.start",
  // Declare the outcome: complete or abort the cutover.
  "cutover.end",
  "cutover.clone",
  "members.manage",
  // Own role only: the table says whether a role may sign off at all, canSignOffItem says whose.
  "item.sign_off",
  // Sign off / undo someone else's item; needs a note.
  "item.override",
  "item.undo",
  "item.not_applicable",
  // Start/finish timeline entries of one's own role.
  "timeline.progress",
  "decision.open_vote",
  "decision.vote",
  "decision.abort",
  "risk.edit",
  "traffic.shift",
  "traffic.override",
  "rollback.execute",
  "trigger.edit",
  "trigger.confirm",
  "metrics.edit",
  "router.edit",
  "audit.view",
  // Write the lessons-learned section of an ended cutover's report.
  "report.lessons",
  // Save the cutover's plan as a team template that every planner can start from.
  "template.save",
  // Announcement templates, their event bindings and the channels this cutover announces to.
  "announcement.edit",
  // Send an announcement (or a recommended one) through the cutover's channels.
  "announcement.send",
  // Turn the public status page on or off and publish updates to it.
  "status.publish",
  // Make or revoke the bearer token Alertmanager posts this cutover's alerts with.
  "alerts.manage",
  // Acknowledge a check-in owed by one's own role (canAcknowledgeCheckIn says whose).
  "checkin.acknowledge",
  // Acknowledge a critical trigger or alert, which stops its escalation.
  "incident.acknowledge",
] as const;
export type Action = (typeof ACTIONS)[number];
export const actionSchema = z.enum(ACTIONS);

// What every hands-on (non-observer) role may do on its own work.
const PARTICIPANT: readonly Action[] = [
  "cutover.view",
  "item.sign_off",
  "item.undo",
  "item.not_applicable",
  "timeline.progress",
  "decision.vote",
  "risk.edit",
  "audit.view",
  // The post-mortem is the whole team's; observers read it.
  "report.lessons",
  "checkin.acknowledge",
];

/**
 * The one permission table. Every route, action and UI affordance asks `can` against this; a
 * rule written anywhere else is a second copy that will drift.
 */
export const PERMISSIONS: Readonly<Record<Role, readonly Action[]>> = {
  DEPLOYMENT_LEAD: ACTIONS,
  DATABASE_DBA: PARTICIPANT,
  BACKEND_LEAD: PARTICIPANT,
  QA_LEAD: PARTICIPANT,
  // On-call is whoever is paged at 3 am: they must be able to pull the plug without the lead.
  ON_CALL: [...PARTICIPANT, "rollback.execute", "trigger.confirm", "incident.acknowledge"],
  // Comms owns what the world is told: the announcements and the public status page.
  COMMS_LEAD: [...PARTICIPANT, "announcement.edit", "announcement.send", "status.publish"],
  OBSERVER: ["cutover.view", "audit.view"],
};

// Human wording for denial messages; the message reaches the user.
export const ACTION_LABELS: Record<Action, string> = {
  "cutover.view": "view this cutover",
  "cutover.edit_plan": "edit the plan",
  "cutover.start": "start the cutover",
  "cutover.end": "complete or abort the cutover",
  "cutover.clone": "clone the cutover",
  "members.manage": "manage members",
  "item.sign_off": "sign off items",
  "item.override": "override someone else's item",
  "item.undo": "undo items",
  "item.not_applicable": "mark items not applicable",
  "timeline.progress": "start or finish timeline steps",
  "decision.open_vote": "open a go/no-go vote",
  "decision.vote": "vote on a go/no-go decision",
  "decision.abort": "abort the cutover at a go/no-go decision",
  "risk.edit": "edit risks",
  "traffic.shift": "shift traffic",
  "traffic.override": "override the traffic plan",
  "rollback.execute": "roll back",
  "trigger.edit": "edit rollback triggers",
  "trigger.confirm": "confirm a recommended rollback",
  "metrics.edit": "edit metrics",
  "router.edit": "edit the router",
  "audit.view": "view the audit log",
  "report.lessons": "write the lessons learned",
  "template.save": "save the plan as a team template",
  "announcement.edit": "edit announcement templates, channels and the update interval",
  "announcement.send": "send announcements",
  "status.publish": "publish to the public status page",
  "alerts.manage": "manage the Alertmanager token",
  "checkin.acknowledge": "acknowledge check-ins",
  "incident.acknowledge": "acknowledge a critical trigger or alert",
};

export function can(roles: readonly Role[], action: Action): boolean {
  return roles.some((role) => PERMISSIONS[role].includes(action));
}

export class PermissionDenied extends Error {
  // Lets the API layer map this to 403 without importing the class.
  readonly code = "forbidden" as const;

  constructor(
    public readonly action: Action,
    public readonly roles: readonly Role[],
  ) {
    const held = roles.length ? roles.map((r) => ROLE_LABELS[r]).join(", ") : "no role";
    super(`Not allowed to ${ACTION_LABELS[action]} (your roles: ${held})`);
    this.name = "PermissionDenied";
  }
}

export function assertCan(roles: readonly Role[], action: Action): void {
  if (!can(roles, action)) throw new PermissionDenied(action, roles);
}

/** The item actions whose permission depends on who owns the item. */
export type OwnedItemAction = "item.sign_off" | "item.undo" | "item.not_applicable";

/**
 * Whether a member may act on an item owned by `ownerRole`, and whether doing so is an override
 * (recorded as such, with a mandatory note). Holding the owner role wins over holding the lead
 * role, so a lead signing off their own items is not flagged as an override.
 * Undo and N/A follow the same rule as sign-off; pass `action` to check those.
 */
export function canSignOffItem(
  roles: readonly Role[],
  ownerRole: Role,
  action: OwnedItemAction = "item.sign_off",
): { allowed: boolean; override: boolean } {
  if (ownerRole !== "OBSERVER" && roles.includes(ownerRole) && can([ownerRole], action)) {
    return { allowed: true, override: false };
  }
  if (can(roles, "item.override")) return { allowed: true, override: true };
  return { allowed: false, override: false };
}

/**
 * Timeline steps are progressed by their owner role; the Deployment Lead may progress any step.
 * An entry without an owner may be progressed by anyone allowed to progress steps at all.
 */
export function canProgressTimelineEntry(roles: readonly Role[], ownerRole: Role | null): boolean {
  if (!can(roles, "timeline.progress")) return false;
  if (ownerRole === null) return true;
  return (roles.includes(ownerRole) && can([ownerRole], "timeline.progress")) || roles.includes("DEPLOYMENT_LEAD");
}

/**
 * A check-in is acknowledged by the role that owes it (whoever was watching); the Deployment Lead
 * may acknowledge any, having checked with the owner.
 */
export function canAcknowledgeCheckIn(roles: readonly Role[], ownerRole: Role): boolean {
  if (!can(roles, "checkin.acknowledge")) return false;
  return (roles.includes(ownerRole) && can([ownerRole], "checkin.acknowledge")) || roles.includes("DEPLOYMENT_LEAD");
}

// ---- Global roles: what a user may do outside any one cutover.

export const GLOBAL_ACTIONS = [
  "cutover.create",
  // Create, invite, disable users; reset passwords; grant or revoke administrator and planner.
  "users.manage",
  // Routers, rollback hooks, Prometheus sources and the outbound allow-list.
  "integrations.manage",
  // Which identity-provider groups grant administrator and planner at SSO sign-in.
  "sso.manage",
  // Remove any team template (the one who saved a template may remove it: canRemoveTemplate).
  "templates.manage",
] as const;
export type GlobalAction = (typeof GLOBAL_ACTIONS)[number];

export type GlobalRole = "ADMINISTRATOR" | "PLANNER";

export const GLOBAL_PERMISSIONS: Readonly<Record<GlobalRole, readonly GlobalAction[]>> = {
  ADMINISTRATOR: GLOBAL_ACTIONS,
  // Plans cutovers: creates them (and becomes their Deployment Lead), nothing else globally.
  PLANNER: ["cutover.create"],
};

export const GLOBAL_ACTION_LABELS: Record<GlobalAction, string> = {
  "cutover.create": "create cutovers",
  "users.manage": "manage users",
  "integrations.manage": "manage integrations",
  "sso.manage": "map single sign-on groups to roles",
  "templates.manage": "remove team templates",
};

/**
 * A team template is removed by whoever manages templates, or by the one who saved it while they
 * may still create cutovers (the people who use templates).
 */
export function canRemoveTemplate(user: { id: string; isAdmin: boolean; isPlanner: boolean }, savedById: string | null): boolean {
  if (canGlobal(user, "templates.manage")) return true;
  return savedById !== null && savedById === user.id && canGlobal(user, "cutover.create");
}

/**
 * What an administrator who holds no role in a cutover may do there: see it whole (to support and
 * audit) and appoint its members, so a cutover whose lead left is never orphaned. Never the lever,
 * sign-offs or votes: those belong to the people in the room.
 */
export const ADMINISTRATOR_IN_ANY_CUTOVER: readonly Action[] = ["cutover.view", "audit.view", "members.manage"];

export function globalRolesOf(user: { isAdmin: boolean; isPlanner: boolean }): GlobalRole[] {
  const roles: GlobalRole[] = [];
  if (user.isAdmin) roles.push("ADMINISTRATOR");
  if (user.isPlanner) roles.push("PLANNER");
  return roles;
}

export function canGlobal(user: { isAdmin: boolean; isPlanner: boolean }, action: GlobalAction): boolean {
  return globalRolesOf(user).some((role) => GLOBAL_PERMISSIONS[role].includes(action));
}

/**
 * The one rule inside a cutover, for server and browser alike: what the caller's roles allow, and
 * for an administrator (with or without a role there) also ADMINISTRATOR_IN_ANY_CUTOVER.
 */
export function canInCutover(user: { isAdmin: boolean }, roles: readonly Role[], action: Action): boolean {
  return can(roles, action) || (user.isAdmin && ADMINISTRATOR_IN_ANY_CUTOVER.includes(action));
}
