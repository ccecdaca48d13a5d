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
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { canGlobal, GLOBAL_ACTION_LABELS, type Action, type GlobalAction } from "@/lib/domain/permissions";
import { cloneCutoverInput, createCutoverInput, cutoverOnly, moveInput, removeInput, renameInput } from "@/lib/schemas/room";
import * as room from "@/lib/schemas/room";
import { authorize, withCutover, type Actor, type AuthorizingCall, type Call, type CutoverContext } from "./context";
import { abortDecision, castVote, createDecision, openVote } from "./decisions";
import { addItem, addPhase, addSection, cloneCutover, createCutover, moveNode, readCloneSource, removeNode, renameNode, startCutover, updateItem } from "./plan";
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
  "cutover.clone": inCutover({ input: cloneCutoverInput, permission: "cutover.clone", requires: "cutover.create", handler: readCloneSource, after: cloneCutover }),
  "cutover.start": inCutover({ input: cutoverOnly, permission: "cutover.start", handler: startCutover }),
  "phase.add": inCutover({ input: room.addPhaseInput, permission: "cutover.edit_plan", handler: addPhase }),
  "phase.rename": phase.rename,
  "phase.move": phase.move,
  "phase.remove": phase.remove,
  "section.add": inCutover({ input: room.addSectionInput, permission: "cutover.edit_plan", handler: addSection }),
  "section.rename": section.rename,
  "section.move": section.move,
  "section.remove": section.remove,
  "item.add": inCutover({ input: room.addItemInput, permission: "cutover.edit_plan", handler: addItem }),
  "item.update": inCutover({ input: room.updateItemInput, permission: "cutover.edit_plan", handler: updateItem }),
  "item.rename": item.rename,
  "item.move": item.move,
  "item.remove": item.remove,
  // Whose items: canSignOffItem, inside the batch (someone else's item needs item.override).
  "item.sign_off": selfAuthorizing({ input: room.signOffInput, permission: "item.sign_off", run: signOffItem }),
  "item.undo": selfAuthorizing({ input: room.undoInput, permission: "item.undo", run: undoItem }),
  "item.not_applicable": selfAuthorizing({ input: room.notApplicableInput, permission: "item.not_applicable", run: markNotApplicable }),
  "member.add": inCutover({ input: room.memberInput, permission: "members.manage", handler: addMember }),
  "member.remove": inCutover({ input: room.removeMemberInput, permission: "members.manage", handler: removeMember }),
  "timeline.add": inCutover({ input: room.timelineEntryInput, permission: "cutover.edit_plan", handler: addTimelineEntry }),
  // Whose steps: canProgressTimelineEntry.
  "timeline.progress": inCutover({ input: room.timelineProgressInput, permission: "timeline.progress", handler: progressTimelineEntry }),
  "contact.add": inCutover({ input: room.contactInput, permission: "cutover.edit_plan", handler: addContact }),
  "contact.remove": inCutover({ input: removeInput, permission: "cutover.edit_plan", handler: removeContact }),
  "links.set": inCutover({ input: room.linksInput, permission: "cutover.edit_plan", handler: setLinks }),
  "escalation.set": inCutover({ input: room.escalationInput, permission: "cutover.edit_plan", handler: setEscalation }),
  "risk.save": inCutover({ input: room.riskInput, permission: "risk.edit", handler: saveRisk }),
  "decision.create": inCutover({ input: room.decisionInput, permission: "cutover.edit_plan", handler: createDecision }),
  "decision.open_vote": inCutover({ input: room.openVoteInput, permission: "decision.open_vote", handler: openVote }),
  "decision.vote": inCutover({ input: room.voteInput, permission: "decision.vote", handler: castVote }),
  "decision.abort": inCutover({ input: room.abortDecisionInput, permission: "decision.abort", handler: abortDecision }),
  "metric.save": inCutover({ input: room.metricInput, permission: "metrics.edit", handler: saveMetric }),
  "metric.remove": inCutover({ input: removeInput, permission: "metrics.edit", handler: removeMetric }),
  "metric.test": inCutover({ input: room.testQueryInput, permission: "metrics.edit", handler: readQueryTarget, after: testQuery }),
  "metrics.settings": inCutover({ input: room.metricsSettingsInput, permission: "metrics.edit", handler: saveMetricsSettings }),
  "gate.add": inCutover({ input: room.gateInput, permission: "metrics.edit", handler: addGate }),
  "gate.remove": inCutover({ input: removeInput, permission: "metrics.edit", handler: removeGate }),
  "traffic.steps": inCutover({ input: room.trafficStepsInput, permission: "cutover.edit_plan", handler: setTrafficSteps }),
  // Beyond the plan (no step, or its decision not PROCEED): traffic.override as well.
  "traffic.shift": inCutover({ input: room.shiftInput, permission: "traffic.shift", handler: planShift, after: applyShift }),
  "rollback.execute": selfAuthorizing({ input: room.rollbackInput, permission: "rollback.execute", run: rollback }),
  "router.set": inCutover({ input: room.routerInput, permission: "router.edit", handler: setRouter }),
  "router.test": inCutover({ input: cutoverOnly, permission: "router.edit", handler: async () => null, after: (_none: null, input: z.output<typeof cutoverOnly>) => testRouter(input) }),
  "hook.add": inCutover({ input: room.hookInput, permission: "router.edit", handler: addHook }),
  "hook.remove": inCutover({ input: removeInput, permission: "router.edit", handler: removeHook }),
  "trigger.save": inCutover({ input: room.triggerInput, permission: "trigger.edit", handler: saveTrigger }),
  "trigger.remove": inCutover({ input: removeInput, permission: "trigger.edit", handler: removeTrigger }),
  "trigger.confirm": inCutover({ input: room.triggerConfirmInput, permission: "trigger.confirm", handler: confirmTrigger, after: actOnConfirmed }),
  // Accounts, outside any cutover (lib/services/users.ts).
  "user.create": global({ input: users.createUserInput, permission: "users.manage", handler: (a, i, call) => createUser(a, i, call.requestId) }),
  "user.invite": global({ input: users.inviteUserInput, permission: "users.manage", handler: (a, i, call) => inviteUser(a, i, call.requestId) }),
  "user.disable": global({ input: users.userOnlyInput, permission: "users.manage", handler: (a, i, call) => disableUser(a, i, call.requestId) }),
  "user.enable": global({ input: users.userOnlyInput, permission: "users.manage", handler: (a, i, call) => enableUser(a, i, call.requestId) }),
  "user.reset_password": global({ input: users.resetPasswordInput, permission: "users.manage", handler: (a, i, call) => resetPassword(a, i, call.requestId) }),
  "user.set_roles": global({ input: users.setRolesInput, permission: "users.manage", handler: (a, i, call) => setRoles(a, i, call.requestId) }),
  // The integrations catalog and the outbound allow-list (lib/services/integrations.ts).
  "integration.save": global({ input: integrationSaveInput, permission: "integrations.manage", handler: (a, i, call) => saveIntegration(a, i, call.requestId) }),
  "integration.remove": global({ input: integrationRemoveInput, permission: "integrations.manage", handler: (a, i, call) => removeIntegration(a, i, call.requestId) }),
  "outbound.allow": global({ input: outboundAllowInput, permission: "integrations.manage", handler: (a, i, call) => allowOutboundHost(a, i, call.requestId) }),
  "outbound.disallow": global({ input: outboundDisallowInput, permission: "integrations.manage", handler: (a, i, call) => disallowOutboundHost(a, i, call.requestId) }),
  // Which identity-provider groups grant administrator and planner at SSO sign-in (lib/services/sso.ts).
  "sso.set_mapping": global({ input: ssoMappingInput, permission: "sso.manage", handler: (a, i, call) => setSsoMapping(a, i, call.requestId) }),
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
