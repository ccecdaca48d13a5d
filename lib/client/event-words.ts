// How the room puts a live event into words: who did it (name and role, as the audit log says),
// what happened, and which events are worth announcing to a screen reader, and how urgently.
// Pure: the ticker, the live announcer and their tests share it.
import { ROLE_LABELS } from "@/lib/domain/roles";
import type { LiveEvent } from "./live-event";

/** "DEPLOYMENT_LEAD,ON_CALL" → "Deployment Lead, On-call"; the audit log's and the events' role column. */
export function roleWords(role: string | null | undefined): string {
  if (!role) return "";
  return role
    .split(",")
    .map((r) => r.trim())
    .filter(Boolean)
    .map((r) => (r === "ADMINISTRATOR" ? "Administrator" : ((ROLE_LABELS as Record<string, string>)[r] ?? r)))
    .join(", ");
}

/** "Ann Lee (Deployment Lead)"; a trigger or the system has no role; nobody named: "the system". */
export function actorWords(e: Pick<LiveEvent, "actor" | "role">): string {
  const name = e.actor?.trim() || "the system";
  const role = roleWords(e.role);
  return role ? `${name} (${role})` : name;
}

const WHAT: Partial<Record<LiveEvent["type"], string>> = {
  "item.signed_off": "signed off an item",
  "item.undone": "undid a sign-off",
  "item.not_applicable": "marked an item not applicable",
  "traffic.shifted": "traffic shifted",
  "traffic.failed": "traffic shift failed",
  "rollback.started": "rollback started",
  "rollback.completed": "rollback completed",
  "rollback.failed": "rollback failed",
};

/** What happened, in words: "traffic shifted to 25 % new", "decision vote opened". */
export function whatHappened(e: LiveEvent): string {
  if (e.type === "traffic.shifted") return `traffic shifted to ${e.data.to} % new`;
  if (e.type === "rollback.completed") return e.data.ok ? "rollback completed" : "rollback completed with errors";
  return WHAT[e.type] ?? e.type.replace(/[._]/g, " ");
}

/** The ticker's line: "Ann Lee (On-call): rollback completed". */
/**
 * Whether an event belongs in the room's "latest change" line. Samples and trigger ticks arrive
 * constantly; a delivery's progress and a recommended announcement have their own places (the
 * Comms tab, the notice above the tabs) and would push the change a person made out of sight.
 */
export function isTickerEvent(type: string): boolean {
  return !type.startsWith("metrics.") && !["trigger.state", "delivery.state", "announcement.recommended"].includes(type);
}

export function describeEvent(e: LiveEvent): string {
  return `${actorWords(e)}: ${whatHappened(e)}`;
}

export type Politeness = "polite" | "assertive";
export interface Announcement {
  text: string;
  politeness: Politeness;
}

/** What the room knows that an announcement needs: who I am, and the titles of items and decisions. */
export interface AnnounceContext {
  myName: string;
  myRoles: readonly string[];
  item(id: string): { title: string; ownerRole: string } | undefined;
  decision(id: string): string | undefined;
}

const idOf = (subject: string | undefined, prefix: string) => (subject?.startsWith(`${prefix}:`) ? subject.slice(prefix.length + 1) : undefined);

/**
 * The changes that matter, to be spoken, or null: a trigger pending (polite) or firing
 * (assertive), a rollback started, completed or failed (assertive), a decision closed (polite),
 * my item signed off by someone else (polite).
 */
export function announcementFor(e: LiveEvent, ctx: AnnounceContext): Announcement | null {
  switch (e.type) {
    case "trigger.state": {
      const name = e.data.description ?? e.data.metric;
      if (e.data.state === "firing") return { text: `Trigger firing: ${name}`, politeness: "assertive" };
      if (e.data.state === "pending") return { text: `Trigger pending: ${name}`, politeness: "polite" };
      return null;
    }
    case "rollback.started":
      return { text: `Rollback started by ${actorWords(e)}`, politeness: "assertive" };
    case "rollback.completed":
      return { text: e.data.ok ? "Rollback completed: traffic is on old" : "Rollback completed with errors: a hook failed", politeness: "assertive" };
    case "rollback.failed":
      return { text: `Rollback failed: ${e.data.error}`, politeness: "assertive" };
    case "decision.proceed":
    case "decision.abort": {
      const title = ctx.decision(idOf(e.subject, "decision") ?? "") ?? "a decision";
      return { text: `Decision closed: ${title}: ${e.type === "decision.proceed" ? "PROCEED" : "ABORT"}`, politeness: "polite" };
    }
    case "item.signed_off": {
      const item = ctx.item(e.data.itemId);
      if (!item || !ctx.myRoles.includes(item.ownerRole) || e.actor === ctx.myName) return null;
      return { text: `Your item ${item.title} was signed off by ${actorWords(e)}`, politeness: "polite" };
    }
    default:
      return null;
  }
}
