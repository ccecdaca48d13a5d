// Every command of the room by name, as data: its input schema, the permission it needs from the
// one permission table (lib/domain/permissions.ts) and its handler. `dispatch` is the only way to
// run one: server actions, the REST routes (lib/api/routes.ts), the custom server's fast path and
// the tests all go through it, so every write is parsed, authorized and recorded the same way.
//
// The shapes of an entry:
//
//   inCutover({ input, permission: Action, handler(ctx, input), after?(result, input, call), requires?: GlobalAction })
//     `input` has a `cutoverId`. The dispatcher opens the cutover's transaction, applies the table
//     (non-member → 404, not allowed → 403; an administrator without a role there gets exactly
//     ADMINISTRATOR_IN_ANY_CUTOVER), then runs `handler` inside it; ctx.record appends the audit
//     row and the bus event. `after` runs once that committed, for what must never happen inside
//     a transaction (routers, Prometheus, a second transaction). `requires`: a global permission
//     needed as well (cloning creates a cutover). Rules that depend on the data ask ctx.can(action)
//     or canSignOffItem / canProgressTimelineEntry: never a role by name.
//     `command(permission, input, handler)` writes the common row (no `after`, no `requires`).
//
//   selfAuthorizing({ input, permission: Action, run(call, input) })
//     For the hot paths that read the caller's roles in their own single statement (the batched
//     sign-off, the rollback): they must call `call.authorize(roles)`, which applies the same rule
//     with this entry's permission, before changing anything.
//
//   global({ input, permission: GlobalAction, handler(actor, input, call) })
//     Outside any cutover (creating cutovers; users, integrations). The dispatcher checks canGlobal;
//     the handler writes its own transaction and records with recordChange (lib/services/audit.ts),
//     cutoverId null when no cutover is concerned. An old-style `(actor, raw)` service function
//     plugs in as `handler: (actor, input) => createUser(actor, input)`.
//     `globalCommand(permission, input, service)` writes the row of a service that takes
//     (actor, input, requestId), as the accounts and integrations services do.
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { canGlobal, GLOBAL_ACTION_LABELS, type Action, type GlobalAction } from "@/lib/domain/permissions";
import { cloneCutoverInput, createCutoverInput, cutoverOnly, previewCutoverInput, moveInput, removeInput, renameInput } from "@/lib/schemas/room";
import * as room from "@/lib/schemas/room";
import { authorize, withCutover, type Actor, type AuthorizingCall, type Call, type CutoverContext } from "./context";
import { abortDecision, castVote, createDecision, openVote } from "./decisions";
import { addItem, addPhase, addSection, cloneCutover, createCutover, moveNode, previewCutover, readCloneSource, removeNode, renameNode, startCutover, updateItem, completeCutover, abortCutover } from "./plan";
import { addContact, addMember, addTimelineEntry, progressTimelineEntry, removeContact, removeMember, saveRisk, setEscalation, setLinks } from "./room-details";
import { markNotApplicable, signOffItem, undoItem } from "./sign-off";
import { addGate, readQueryTarget, removeGate, removeMetric, saveMetric, saveMetricsSettings, testQuery } from "./metrics";
import { addHook } from "./traffic/add-hook";
import { removeHook } from "./traffic/remove-hook";
import { setRouter } from "./traffic/set-router";
import { setTrafficSteps } from "./traffic/set-traffic-steps";
import { applyShift, planShift } from "./traffic/shift-traffic";
import { rollback } from "./traffic/start-rollback";
import { testRouter } from "./traffic/test-router";
import { actOnConfirmed, confirmTrigger, removeTrigger, saveTrigger } from "./triggers";
import { createUser, disableUser, enableUser, inviteUser, resetPassword, setRoles } from "./users";
import { allowOutboundHost, disallowOutboundHost, integrationRemoveInput, integrationSaveInput, outboundAllowInput, outboundDisallowInput, removeIntegration, saveIntegration } from "./integrations";
import * as users from "@/lib/schemas/users";
import { parseInput } from "./parse-input";
import { ssoMappingInput } from "@/lib/schemas/sso";
import { setSsoMapping } from "./sso";
import { lessonsInput } from "@/lib/schemas/report";
import { saveLessons } from "./report";
import { templateRemoveInput, templateSaveInput } from "@/lib/schemas/templates";
import { removeTemplate, saveTemplate } from "./templates";
import { actionLinkUseInput } from "@/lib/schemas/action-links";
import { afterActionLink, useActionLink } from "./action-links-use";
import { statusConfigureInput, statusPublishInput, statusRetractInput } from "@/lib/schemas/status-page";
import { configureStatusPage, publishStatusUpdate, retractStatusUpdate } from "./status-page";
import { deliveryInput, notifyChannelsInput } from "@/lib/schemas/deliveries";
import { dismissDelivery, retryDelivery, setNotifyChannels } from "./notify/channels";
import { channelTestInput, testChannel } from "./notify/channel-test";
import * as announce from "@/lib/schemas/announcements";
import { dismissRecommendation, previewAnnouncement, removeAnnouncement, saveAnnouncement, sendAnnouncement, setUpdateInterval } from "./announcements";
import { alertTokenCreateInput, alertTokenRevokeInput } from "@/lib/schemas/alerts";
import { createAlertToken, revokeAlertToken } from "./alerts";
import { checkInAcknowledgeInput, checkInConfigureInput, incidentAcknowledgeInput } from "@/lib/schemas/checkins";
import { acknowledgeCheckIn, configureCheckIns } from "./checkins";
import { acknowledgeIncident } from "./incidents";

type Schema<Out> = z.ZodType<Out, unknown>;

export interface InCutoverCommand<S extends Schema<{ cutoverId: string }>, T, O> {
  kind: "in_cutover";
  scope: "cutover";
  input: S;
  permission: Action;
  requires?: GlobalAction;
  handler(ctx: CutoverContext, input: z.output<S>): Promise<T>;
  after?(result: T, input: z.output<S>, call: Call): Promise<O>;
}
export interface SelfAuthorizingCommand<S extends Schema<{ cutoverId: string }>, O> {
  kind: "self_authorizing";
  scope: "cutover";
  input: S;
  permission: Action;
  run(call: AuthorizingCall, input: z.output<S>): Promise<O>;
}
export interface GlobalCommand<S extends Schema<unknown>, O> {
  kind: "global";
  scope: "global";
  input: S;
  permission: GlobalAction;
  handler(actor: Actor, input: z.output<S>, call: Call): Promise<O>;
}

function inCutover<S extends Schema<{ cutoverId: string }>, T>(def: Omit<InCutoverCommand<S, T, T>, "kind" | "scope" | "after">): InCutoverCommand<S, T, T>;
function inCutover<S extends Schema<{ cutoverId: string }>, T, O>(def: Omit<InCutoverCommand<S, T, O>, "kind" | "scope"> & { after: InCutoverCommand<S, T, O>["after"] }): InCutoverCommand<S, T, O>;
function inCutover<S extends Schema<{ cutoverId: string }>, T, O>(def: Omit<InCutoverCommand<S, T, O>, "kind" | "scope">): InCutoverCommand<S, T, O> {
  return { kind: "in_cutover", scope: "cutover", ...def };
}
function selfAuthorizing<S extends Schema<{ cutoverId: string }>, O>(def: Omit<SelfAuthorizingCommand<S, O>, "kind" | "scope">): SelfAuthorizingCommand<S, O> {
  return { kind: "self_authorizing", scope: "cutover", ...def };
}
function global<S extends Schema<unknown>, O>(def: Omit<GlobalCommand<S, O>, "kind" | "scope">): GlobalCommand<S, O> {
  return { kind: "global", scope: "global", ...def };
}

/** The common row: a command in one cutover that `permission` allows, reading `input`, done by `handler`. */
function command<S extends Schema<{ cutoverId: string }>, T>(permission: Action, input: S, handler: (ctx: CutoverContext, input: z.output<S>) => Promise<T>): InCutoverCommand<S, T, T> {
  return inCutover({ input, permission, handler });
}

/** A row outside any cutover whose service takes the actor, the input and the request id (accounts, integrations). */
function globalCommand<S extends Schema<unknown>, O>(permission: GlobalAction, input: S, service: (actor: Actor, input: z.output<S>, requestId?: string) => Promise<O>): GlobalCommand<S, O> {
  return global({ input, permission, handler: (actor, i, call) => service(actor, i, call.requestId) });
}

const level = <L extends "phase" | "section" | "item">(l: L) => ({
  rename: inCutover({ input: renameInput, permission: "cutover.edit_plan", handler: (ctx, i) => renameNode(ctx, l, i) }),
  move: inCutover({ input: moveInput, permission: "cutover.edit_plan", handler: (ctx, i) => moveNode(ctx, l, i) }),
  remove: inCutover({ input: removeInput, permission: "cutover.edit_plan", handler: (ctx, i) => removeNode(ctx, l, i) }),
});
const phase = level("phase");
const section = level("section");
const item = level("item");

export const COMMANDS = {
  "cutover.create": global({ input: createCutoverInput, permission: "cutover.create", handler: (_actor, input, call) => createCutover(call, input) }),
  // Writes nothing: what a runbook would create, for whoever may create a cutover.
  "cutover.preview": global({ input: previewCutoverInput, permission: "cutover.create", handler: (_actor, input) => previewCutover(input) }),
  "cutover.clone": inCutover({ input: cloneCutoverInput, permission: "cutover.clone", requires: "cutover.create", handler: readCloneSource, after: cloneCutover }),
  "cutover.start": command("cutover.start", cutoverOnly, startCutover),
  "cutover.complete": command("cutover.end", room.completeCutoverInput, completeCutover),
  "cutover.abort": command("cutover.end", room.abortCutoverInput, abortCutover),
  "phase.add": command("cutover.edit_plan", room.addPhaseInput, addPhase),
  "phase.rename": phase.rename,
  "phase.move": phase.move,
  "phase.remove": phase.remove,
  "section.add": command("cutover.edit_plan", room.addSectionInput, addSection),
  "section.rename": section.rename,
  "section.move": section.move,
  "section.remove": section.remove,
  "item.add": command("cutover.edit_plan", room.addItemInput, addItem),
  "item.update": command("cutover.edit_plan", room.updateItemInput, updateItem),
  "item.rename": item.rename,
  "item.move": item.move,
  "item.remove": item.remove,
  // Whose items: canSignOffItem, inside the batch (someone else's item needs item.override).
  "item.sign_off": selfAuthorizing({ input: room.signOffInput, permission: "item.sign_off", run: signOffItem }),
  "item.undo": selfAuthorizing({ input: room.undoInput, permission: "item.undo", run: undoItem }),
  "item.not_applicable": selfAuthorizing({ input: room.notApplicableInput, permission: "item.not_applicable", run: markNotApplicable }),
  "member.add": command("members.manage", room.memberInput, addMember),
  "member.remove": command("members.manage", room.removeMemberInput, removeMember),
  "timeline.add": command("cutover.edit_plan", room.timelineEntryInput, addTimelineEntry),
  // Whose steps: canProgressTimelineEntry.
  "timeline.progress": command("timeline.progress", room.timelineProgressInput, progressTimelineEntry),
  "contact.add": command("cutover.edit_plan", room.contactInput, addContact),
  "contact.remove": command("cutover.edit_plan", removeInput, removeContact),
  "links.set": command("cutover.edit_plan", room.linksInput, setLinks),
  "escalation.set": command("cutover.edit_plan", room.escalationInput, setEscalation),
  "risk.save": command("risk.edit", room.riskInput, saveRisk),
  "decision.create": command("cutover.edit_plan", room.decisionInput, createDecision),
  "decision.open_vote": command("decision.open_vote", room.openVoteInput, openVote),
  "decision.vote": command("decision.vote", room.voteInput, castVote),
  "decision.abort": command("decision.abort", room.abortDecisionInput, abortDecision),
  "metric.save": command("metrics.edit", room.metricInput, saveMetric),
  "metric.remove": command("metrics.edit", removeInput, removeMetric),
  "metric.test": inCutover({ input: room.testQueryInput, permission: "metrics.edit", handler: readQueryTarget, after: testQuery }),
  "metrics.settings": command("metrics.edit", room.metricsSettingsInput, saveMetricsSettings),
  "gate.add": command("metrics.edit", room.gateInput, addGate),
  "gate.remove": command("metrics.edit", removeInput, removeGate),
  "traffic.steps": command("cutover.edit_plan", room.trafficStepsInput, setTrafficSteps),
  // Beyond the plan (no step, or its decision not PROCEED): traffic.override as well.
  "traffic.shift": inCutover({ input: room.shiftInput, permission: "traffic.shift", handler: planShift, after: applyShift }),
  "rollback.execute": selfAuthorizing({ input: room.rollbackInput, permission: "rollback.execute", run: rollback }),
  "router.set": command("router.edit", room.routerInput, setRouter),
  "router.test": inCutover({ input: cutoverOnly, permission: "router.edit", handler: async () => null, after: (_none: null, input: z.output<typeof cutoverOnly>) => testRouter(input) }),
  "hook.add": command("router.edit", room.hookInput, addHook),
  "hook.remove": command("router.edit", removeInput, removeHook),
  "trigger.save": command("trigger.edit", room.triggerInput, saveTrigger),
  "trigger.remove": command("trigger.edit", removeInput, removeTrigger),
  "trigger.confirm": inCutover({ input: room.triggerConfirmInput, permission: "trigger.confirm", handler: confirmTrigger, after: actOnConfirmed }),
  // A signed link from a message (lib/services/action-links-use.ts): any member opens it; the link's
  // own action (decision.vote, trigger.confirm) is asked of the table inside, for the link's recipient only.
  "action_link.use": inCutover({ input: actionLinkUseInput, permission: "cutover.view", handler: useActionLink, after: afterActionLink }),
  // Accounts, outside any cutover (lib/services/users.ts).
  "user.create": globalCommand("users.manage", users.createUserInput, createUser),
  "user.invite": globalCommand("users.manage", users.inviteUserInput, inviteUser),
  "user.disable": globalCommand("users.manage", users.userOnlyInput, disableUser),
  "user.enable": globalCommand("users.manage", users.userOnlyInput, enableUser),
  "user.reset_password": globalCommand("users.manage", users.resetPasswordInput, resetPassword),
  "user.set_roles": globalCommand("users.manage", users.setRolesInput, setRoles),
  // The integrations catalog and the outbound allow-list (lib/services/integrations.ts).
  "integration.save": globalCommand("integrations.manage", integrationSaveInput, saveIntegration),
  "integration.remove": globalCommand("integrations.manage", integrationRemoveInput, removeIntegration),
  "outbound.allow": globalCommand("integrations.manage", outboundAllowInput, allowOutboundHost),
  "outbound.disallow": globalCommand("integrations.manage", outboundDisallowInput, disallowOutboundHost),
  // A test message through a channel, sent at once (lib/services/notify/channel-test.ts).
  "channel.test": globalCommand("integrations.manage", channelTestInput, testChannel),
  // Which identity-provider groups grant administrator and planner at SSO sign-in (lib/services/sso.ts).
  "sso.set_mapping": globalCommand("sso.manage", ssoMappingInput, setSsoMapping),
  // The post-mortem's lessons learned, once the cutover has ended (lib/services/report.ts).
  "report.lessons": command("report.lessons", lessonsInput, saveLessons),
  // Team templates (lib/services/templates.ts). Removing one: canRemoveTemplate (its author or templates.manage).
  "template.save": command("template.save", templateSaveInput, saveTemplate),
  "template.remove": globalCommand("cutover.create", templateRemoveInput, removeTemplate),
  // The public status page (lib/services/status-page.ts): on/off and its address, updates published and retracted.
  "status.configure": command("status.publish", statusConfigureInput, configureStatusPage),
  "status.publish": command("status.publish", statusPublishInput, (ctx, i) => publishStatusUpdate(ctx, i)),
  "status.retract": command("status.publish", statusRetractInput, retractStatusUpdate),
  // Outgoing messages (lib/services/notify/channels.ts): the channels a cutover announces to, and
  // a failed delivery queued again or set aside.
  "notify.channels": command("announcement.edit", notifyChannelsInput, setNotifyChannels),
  "delivery.retry": command("announcement.send", deliveryInput, retryDelivery),
  "delivery.dismiss": command("announcement.send", deliveryInput, dismissDelivery),
  // Announcements (lib/services/announcements.ts): templates and their bindings, sending (a
  // template, or a recommendation a binding left), and a preview that renders and writes nothing.
  "announcement.save": command("announcement.edit", announce.announcementSaveInput, saveAnnouncement),
  "announcement.remove": command("announcement.edit", announce.announcementRemoveInput, removeAnnouncement),
  "announcement.send": command("announcement.send", announce.announcementSendInput, sendAnnouncement),
  "announcement.dismiss": command("announcement.send", announce.announcementDismissInput, dismissRecommendation),
  "announcement.interval": command("announcement.edit", announce.announcementIntervalInput, setUpdateInterval),
  "announcement.preview": command("cutover.view", announce.announcementPreviewInput, previewAnnouncement),
  // The bearer token Alertmanager posts this cutover's alerts with (lib/services/alerts.ts): shown once.
  "alerts.token_create": command("alerts.manage", alertTokenCreateInput, createAlertToken),
  "alerts.token_revoke": command("alerts.manage", alertTokenRevokeInput, revokeAlertToken),
  // Check-ins (lib/services/checkins.ts). Whose: canAcknowledgeCheckIn (the owing role or the Deployment Lead).
  "checkin.configure": command("cutover.edit_plan", checkInConfigureInput, configureCheckIns),
  "checkin.acknowledge": command("checkin.acknowledge", checkInAcknowledgeInput, acknowledgeCheckIn),
  // Stops an incident's escalation (lib/services/incidents.ts).
  "incident.acknowledge": command("incident.acknowledge", incidentAcknowledgeInput, acknowledgeIncident),
} as const;

export type CommandName = keyof typeof COMMANDS;
type Def<N extends CommandName> = (typeof COMMANDS)[N];
export type CommandInput<N extends CommandName> = z.input<Def<N>["input"]>;
export type CommandOutput<N extends CommandName> =
  Def<N> extends InCutoverCommand<infer _S, infer _T, infer O> ? O : Def<N> extends SelfAuthorizingCommand<infer _S, infer O> ? O : Def<N> extends GlobalCommand<infer _S, infer O> ? O : never;

type AnyCommand =
  | InCutoverCommand<Schema<{ cutoverId: string }>, unknown, unknown>
  | SelfAuthorizingCommand<Schema<{ cutoverId: string }>, unknown>
  | GlobalCommand<Schema<unknown>, unknown>;

export function isCommandName(name: unknown): name is CommandName {
  return typeof name === "string" && Object.hasOwn(COMMANDS, name);
}

/** The command's entry, for tests and the REST table. */
export function commandDef(name: CommandName): AnyCommand {
  return COMMANDS[name] as unknown as AnyCommand;
}


function assertGlobal(actor: Actor, action: GlobalAction) {
  if (!canGlobal(actor, action)) throw new AppError("forbidden", `Not allowed to ${GLOBAL_ACTION_LABELS[action]}`);
}

/**
 * The one way to run a command: parse (400, nothing changed), authorize from the table (404 for a
 * cutover the caller may not see, 403), run the handler, record. Unknown names are a 404.
 */
export async function dispatch<N extends CommandName>(actor: Actor, name: N, raw: unknown, opts?: { requestId?: string }): Promise<CommandOutput<N>>;
export async function dispatch(actor: Actor, name: string, raw: unknown, opts?: { requestId?: string }): Promise<unknown>;
export async function dispatch(actor: Actor, name: string, raw: unknown, opts: { requestId?: string } = {}): Promise<unknown> {
  if (!isCommandName(name)) throw new AppError("not_found", `Unknown command "${String(name).slice(0, 100)}"`);
  const cmd = commandDef(name);
  const input = parseInput(cmd.input, raw);
  const call: Call = { actor, requestId: opts.requestId };
  switch (cmd.kind) {
    case "global":
      assertGlobal(actor, cmd.permission);
      return cmd.handler(actor, input, call);
    case "self_authorizing":
      return cmd.run({ ...call, authorize: (roles) => authorize(actor, roles, cmd.permission) }, input as { cutoverId: string });
    case "in_cutover": {
      const cutoverInput = input as { cutoverId: string };
      const result = await withCutover(
        actor,
        cutoverInput.cutoverId,
        cmd.permission,
        async (ctx) => {
          if (cmd.requires) assertGlobal(actor, cmd.requires);
          return cmd.handler(ctx, cutoverInput);
        },
        { requestId: opts.requestId },
      );
      return cmd.after ? cmd.after(result, cutoverInput, call) : result;
    }
  }
}
