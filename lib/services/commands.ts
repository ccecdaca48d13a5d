// Every command of the room by name: the server action, REST routes and tests dispatch through
// this table, so each command has exactly one implementation and one input schema.
import type { Actor } from "./context";
import { abortDecision, castVote, createDecision, openVote } from "./decisions";
import { addItem, addPhase, addSection, cloneCutover, createCutover, moveNode, removeNode, renameNode, startCutover, updateItem } from "./plan";
import { addContact, addMember, addTimelineEntry, progressTimelineEntry, removeContact, removeMember, saveRisk, setEscalation, setLinks } from "./room-details";
import { markNotApplicable, signOffItem, undoItem } from "./sign-off";
import { addGate, removeGate, removeMetric, saveMetric, saveMetricsSettings, testQuery } from "./metrics";
import { addHook, removeHook, rollback, setRouter, setTrafficSteps, shiftTraffic, testRouter } from "./traffic";
import { confirmTrigger, removeTrigger, saveTrigger } from "./triggers";
import { createUser, disableUser, enableUser, inviteUser, resetPassword, setRoles } from "./users";
import { allowOutboundHost, disallowOutboundHost, removeIntegration, saveIntegration } from "./integrations";

const level = <L extends "phase" | "section" | "item">(l: L) => ({
  rename: (a: Actor, i: Parameters<typeof renameNode>[2]) => renameNode(a, l, i),
  move: (a: Actor, i: Parameters<typeof moveNode>[2]) => moveNode(a, l, i),
  remove: (a: Actor, i: Parameters<typeof removeNode>[2]) => removeNode(a, l, i),
});
const phase = level("phase");
const section = level("section");
const item = level("item");

export const COMMANDS = {
  "cutover.create": createCutover,
  "cutover.clone": cloneCutover,
  "cutover.start": startCutover,
  "phase.add": addPhase,
  "phase.rename": phase.rename,
  "phase.move": phase.move,
  "phase.remove": phase.remove,
  "section.add": addSection,
  "section.rename": section.rename,
  "section.move": section.move,
  "section.remove": section.remove,
  "item.add": addItem,
  "item.update": updateItem,
  "item.rename": item.rename,
  "item.move": item.move,
  "item.remove": item.remove,
  "item.sign_off": signOffItem,
  "item.undo": undoItem,
  "item.not_applicable": markNotApplicable,
  "member.add": addMember,
  "member.remove": removeMember,
  "timeline.add": addTimelineEntry,
  "timeline.progress": progressTimelineEntry,
  "contact.add": addContact,
  "contact.remove": removeContact,
  "links.set": setLinks,
  "escalation.set": setEscalation,
  "risk.save": saveRisk,
  "decision.create": createDecision,
  "decision.open_vote": openVote,
  "decision.vote": castVote,
  "decision.abort": abortDecision,
  "metric.save": saveMetric,
  "metric.remove": removeMetric,
  "metric.test": testQuery,
  "metrics.settings": saveMetricsSettings,
  "gate.add": addGate,
  "gate.remove": removeGate,
  "traffic.steps": setTrafficSteps,
  "traffic.shift": shiftTraffic,
  "rollback.execute": rollback,
  "router.set": setRouter,
  "router.test": testRouter,
  "hook.add": addHook,
  "hook.remove": removeHook,
  "trigger.save": saveTrigger,
  "trigger.remove": removeTrigger,
  "trigger.confirm": confirmTrigger,
  // Accounts, outside any cutover: global permission `users.manage`.
  "user.create": createUser,
  "user.invite": inviteUser,
  "user.disable": disableUser,
  "user.enable": enableUser,
  "user.reset_password": resetPassword,
  "user.set_roles": setRoles,
  "integration.save": saveIntegration,
  "integration.remove": removeIntegration,
  "outbound.allow": allowOutboundHost,
  "outbound.disallow": disallowOutboundHost,
} as const;

export type CommandName = keyof typeof COMMANDS;
export type CommandInput<N extends CommandName> = Parameters<(typeof COMMANDS)[N]>[1];
export type CommandOutput<N extends CommandName> = Awaited<ReturnType<(typeof COMMANDS)[N]>>;

export function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(COMMANDS, name);
}

export function runCommand<N extends CommandName>(actor: Actor, name: N, input: CommandInput<N>, requestId?: string): Promise<CommandOutput<N>> {
  const fn = COMMANDS[name] as (a: Actor, i: unknown, r?: string) => Promise<CommandOutput<N>>;
  return fn(actor, input, requestId);
}
