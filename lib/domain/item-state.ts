import { z } from "zod";

export const ITEM_STATES = ["open", "done", "not_applicable"] as const;
export type ItemState = (typeof ITEM_STATES)[number];
export const itemStateSchema = z.enum(ITEM_STATES);

export const ITEM_TRANSITIONS = ["sign_off", "not_applicable", "undo"] as const;
export type ItemTransition = (typeof ITEM_TRANSITIONS)[number];
export const itemTransitionSchema = z.enum(ITEM_TRANSITIONS);

export type TransitionInput = { reason?: string | null; note?: string | null; override: boolean };

export type TransitionResult =
  | { ok: true; next: ItemState }
  | { ok: false; code: "conflict" | "invalid"; message: string };

const FROM: Record<ItemTransition, readonly ItemState[]> = {
  sign_off: ["open"],
  not_applicable: ["open"],
  undo: ["done", "not_applicable"],
};

const TO: Record<ItemTransition, ItemState> = {
  sign_off: "done",
  not_applicable: "not_applicable",
  undo: "open",
};

// Conflicts usually mean two people clicked at once, so the message says what the item is now.
function conflictMessage(current: ItemState, kind: ItemTransition): string {
  if (kind === "undo") return "Item is already open";
  if (current === "done") return kind === "sign_off" ? "Already signed off" : "Already signed off; undo it first";
  return kind === "not_applicable" ? "Already marked not applicable" : "Item is marked not applicable; undo it first";
}

const blank = (s: string | null | undefined) => !s || s.trim() === "";

/**
 * The item state machine. State is checked before input so that a second, concurrent sign-off
 * is reported as a conflict ("Already signed off") rather than as a missing note.
 */
export function transitionItem(current: ItemState, kind: ItemTransition, input: TransitionInput): TransitionResult {
  if (!FROM[kind].includes(current)) {
    return { ok: false, code: "conflict", message: conflictMessage(current, kind) };
  }
  if (kind === "not_applicable" && blank(input.reason)) {
    return { ok: false, code: "invalid", message: "Give a reason why the item does not apply" };
  }
  if (kind === "undo" && blank(input.reason)) {
    return { ok: false, code: "invalid", message: "Give a reason for the undo" };
  }
  if (input.override && blank(input.note)) {
    return { ok: false, code: "invalid", message: "An override needs a note" };
  }
  return { ok: true, next: TO[kind] };
}

export type Progress = { done: number; total: number; criticalOpen: number; percent: number };

/**
 * Progress of a section or phase. Not-applicable counts as done: it needs no further work.
 * Percent is rounded down so 100 % appears only when nothing is left; an empty list is 100 %
 * for the same reason (and agrees with a checklist gate passing on no items).
 */
export function progress(items: readonly { state: ItemState; critical: boolean }[]): Progress {
  let done = 0;
  let criticalOpen = 0;
  for (const item of items) {
    if (item.state === "open") {
      if (item.critical) criticalOpen++;
    } else {
      done++;
    }
  }
  const total = items.length;
  return { done, total, criticalOpen, percent: total === 0 ? 100 : Math.floor((done / total) * 100) };
}
