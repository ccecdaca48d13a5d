// Approval links going out: when a go/no-go vote opens, or a trigger recommends a rollback or a
// shift, every member the permission table lets act gets, on each email channel the cutover
// announces to, a message of their own with signed links ("Vote GO", "Confirm rollback"); a
// Slack or webhook channel is not a person, so it gets one message with only a link to the room.
// Rows go into the outbox in the caller's transaction (the one that opened the vote or recorded
// the firing): no link leaves for a change that did not commit.
import type { Tx } from "@/lib/db/client";
import { config, publicBaseUrl } from "@/lib/config";
import { actionLinkClaims, actionLinkLabel, deriveActionLinkKey, signActionLink, type ActionLinkRequest } from "@/lib/domain/action-links";
import { canVote } from "@/lib/domain/decision";
import { can } from "@/lib/domain/permissions";
import { ROLE_LABELS, type Role } from "@/lib/domain/roles";
import type { OutgoingMessage } from "@/lib/domain/notify/message";
import type { IntegrationType } from "@/lib/integrations/schemas";
import { integrationChoices } from "@/lib/integrations/resolve";
import { enqueueDelivery } from "./notify/outbox";

const keys = new Map<string, Buffer>();

/** The key of this server's links, from its secret (NEXTAUTH_SECRET, set by the server at start); null without one. */
export function actionLinkKey(): Buffer | null {
  const secret = process.env.NEXTAUTH_SECRET;
  if (!secret) return null;
  let key = keys.get(secret);
  if (!key) {
    keys.clear();
    key = deriveActionLinkKey(secret);
    keys.set(secret, key);
  }
  return key;
}

export function actionLinkLifetimeMs(): number {
  return config.actionLinkMinutes * 60_000;
}

export type ApprovalSubject =
  | { kind: "vote"; cutoverId: string; decision: { id: string; title: string; requiredRoles: string[] } }
  | { kind: "trigger"; cutoverId: string; trigger: { id: string; description: string | null; action: string; shiftToPercent: number | null } };

interface Recipient {
  id: string;
  email: string;
  roles: Role[];
}

/** The roles a member acts in on this subject, as the permission table (and the decision's voters) say; empty: no link. */
function actingRoles(subject: ApprovalSubject, roles: Role[]): Role[] {
  if (subject.kind === "vote") {
    const required = subject.decision.requiredRoles as Role[];
    return canVote("voting", roles, required, []).ok ? required.filter((r) => roles.includes(r) && can([r], "decision.vote")) : [];
  }
  return can(roles, "trigger.confirm") ? roles.filter((r) => can([r], "trigger.confirm")) : [];
}

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

function requestsFor(subject: ApprovalSubject, recipient: string): ActionLinkRequest[] {
  const ids = { cutoverId: subject.cutoverId, recipient };
  if (subject.kind === "vote") return (["GO", "NO_GO"] as const).map((choice) => ({ action: "decision.vote", choice, subjectId: subject.decision.id, ...ids }));
  return [{ action: "trigger.confirm", subjectId: subject.trigger.id, ...ids }];
}

/**
 * The message for one recipient (`personal`: their roles and signed links) or for a channel
 * (null). Without a public base URL there are no links at all, and the text says where to go.
 */
export function approvalMessage(subject: ApprovalSubject, cutoverName: string, personal: { recipient: Recipient; key: Buffer; now: number } | null, base: string | null): OutgoingMessage {
  const roomUrl = base ? `${base}/cutovers/${subject.cutoverId}` : null;
  const minutes = config.actionLinkMinutes;
  const links: { label: string; url: string }[] = [];
  if (personal && base) {
    for (const req of requestsFor(subject, personal.recipient.id)) {
      const token = signActionLink(actionLinkClaims(req, personal.now, minutes * 60_000), personal.key);
      links.push({ label: actionLinkLabel(req, subject.kind === "trigger" ? subject.trigger : undefined), url: `${base}/act/${token}` });
    }
  }
  if (roomUrl) links.push({ label: "Open in the room", url: roomUrl });
  const how = links.length > 1 ? `The buttons are for you alone and expire in ${minutes} minutes: you sign in, see the action and confirm it.` : roomUrl ? "Open the room to act." : "Open the war room to act.";
  const roles = personal ? ` You act as ${personal.recipient.roles.map((r) => ROLE_LABELS[r]).join(", ")}.` : "";
  if (subject.kind === "vote") {
    const voters = (subject.decision.requiredRoles as Role[]).map((r) => ROLE_LABELS[r] ?? r).join(", ");
    return {
      title: clip(`Go/no-go vote open: ${subject.decision.title}`, 200),
      text: clip(`${cutoverName}: voting is open on "${subject.decision.title}". Voters: ${voters}.${roles} ${how}`, 8000),
      fields: [
        { label: "Cutover", value: clip(cutoverName, 500) },
        { label: "Decision", value: clip(subject.decision.title, 500) },
      ],
      links: links.length ? links : undefined,
      severity: "warning",
    };
  }
  const what = actionLinkLabel({ action: "trigger.confirm" }, subject.trigger).replace(/^Confirm /, "");
  const description = subject.trigger.description ?? "a rollback trigger";
  return {
    title: clip(`${what[0]!.toUpperCase()}${what.slice(1)} recommended: ${cutoverName}`, 200),
    text: clip(`${cutoverName}: the trigger "${description}" fired and recommends: ${what}. It waits for a confirmation.${roles} ${how}`, 8000),
    fields: [
      { label: "Cutover", value: clip(cutoverName, 500) },
      { label: "Trigger", value: clip(description, 500) },
    ],
    links: links.length ? links : undefined,
    severity: "critical",
  };
}

/**
 * Queues the approval messages of `subject` in `tx`. Returns how many rows were queued. Called
 * by openVote and by evaluateTriggers (a recommendation to roll back or shift), in their transaction.
 */
export async function enqueueApprovalLinks(tx: Tx, subject: ApprovalSubject, createdBy: string, now: number = Date.now()): Promise<number> {
  const cutover = await tx.cutover.findUnique({
    where: { id: subject.cutoverId },
    select: { name: true, notifyChannels: true, members: { select: { role: true, user: { select: { id: true, email: true, disabledAt: true } } } } },
  });
  if (!cutover || cutover.notifyChannels.length === 0) return 0;
  // Kinds only (never settings): a channel named here but missing from the catalog is queued
  // like a non-email channel, so the delivery worker's failure shows it in the room.
  const kinds = new Map((await integrationChoices("channel" as IntegrationType)).map((c) => [c.name, c.kind]));
  const byUser = new Map<string, Recipient>();
  for (const m of cutover.members) {
    if (m.user.disabledAt) continue;
    const r = byUser.get(m.user.id) ?? { id: m.user.id, email: m.user.email, roles: [] };
    r.roles.push(m.role as Role);
    byUser.set(m.user.id, r);
  }
  const recipients = [...byUser.values()].map((r) => ({ ...r, roles: actingRoles(subject, r.roles) })).filter((r) => r.roles.length > 0);
  const base = publicBaseUrl();
  const key = actionLinkKey();
  const about = subject.kind === "vote" ? `decision:${subject.decision.id}` : `trigger:${subject.trigger.id}`;
  let queued = 0;
  for (const channel of cutover.notifyChannels) {
    const common = { cutoverId: subject.cutoverId, channel, source: "approval", subject: about, createdBy };
    if (kinds.get(channel) === "email") {
      for (const recipient of recipients) {
        const message = approvalMessage(subject, cutover.name, key ? { recipient, key, now } : null, base);
        await enqueueDelivery(tx, { ...common, message, recipient: recipient.email });
        queued++;
      }
    } else {
      await enqueueDelivery(tx, { ...common, message: approvalMessage(subject, cutover.name, null, base) });
      queued++;
    }
  }
  return queued;
}
