// The room's keyboard shortcuts (UX: `g p` plan, `g m` metrics, `?` the list, `/` filters items),
// as a small state machine over key presses so it can be tested without a browser.

export type ShortcutAction = { kind: "tab"; tab: string } | { kind: "help" } | { kind: "filter" } | { kind: "wall" } | { kind: "close" };

export interface Shortcut {
  keys: string;
  what: string;
  action: ShortcutAction;
}

/** `g` then a letter opens a tab; the letter is the tab's initial, except Timeline (l). */
export const SHORTCUTS: readonly Shortcut[] = [
  { keys: "g n", what: "Now: phase, next decision, my items, health", action: { kind: "tab", tab: "Now" } },
  { keys: "g p", what: "Plan", action: { kind: "tab", tab: "Plan" } },
  { keys: "g m", what: "Metrics", action: { kind: "tab", tab: "Metrics" } },
  { keys: "g t", what: "Traffic", action: { kind: "tab", tab: "Traffic" } },
  { keys: "g l", what: "Timeline", action: { kind: "tab", tab: "Timeline" } },
  { keys: "g d", what: "Decisions", action: { kind: "tab", tab: "Decisions" } },
  { keys: "g c", what: "Contacts", action: { kind: "tab", tab: "Contacts" } },
  { keys: "g r", what: "Risks", action: { kind: "tab", tab: "Risks" } },
  { keys: "g o", what: "Comms (outgoing messages, status page, check-ins, alerts)", action: { kind: "tab", tab: "Comms" } },
  { keys: "g a", what: "Audit log", action: { kind: "tab", tab: "Audit" } },
  { keys: "/", what: "Filter the plan's items", action: { kind: "filter" } },
  { keys: "w", what: "Wall mode on or off", action: { kind: "wall" } },
  { keys: "?", what: "This list", action: { kind: "help" } },
  { keys: "Esc", what: "Close this list", action: { kind: "close" } },
];

/** How long after `g` the second key still counts. */
export const SEQUENCE_MS = 1500;

export interface KeyPress {
  key: string;
  at: number;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  /** The key went to a text field, a select or an editable element: it is typing, not a command. */
  typing?: boolean;
}

export interface ShortcutState {
  pending: { key: string; at: number } | null;
}

export const initialShortcutState: ShortcutState = { pending: null };

/** The next state and the action the press completes, if any. */
export function pressKey(state: ShortcutState, press: KeyPress): { state: ShortcutState; action: ShortcutAction | null } {
  if (press.key === "Escape") return { state: initialShortcutState, action: { kind: "close" } };
  if (press.typing || press.ctrlKey || press.metaKey || press.altKey) return { state: initialShortcutState, action: null };
  const key = press.key.length === 1 ? press.key.toLowerCase() : press.key;
  const pending = state.pending && press.at - state.pending.at <= SEQUENCE_MS ? state.pending.key : null;
  const typed = pending ? `${pending} ${key}` : press.key === "?" ? "?" : key;
  const match = SHORTCUTS.find((s) => s.keys === typed);
  if (match) return { state: initialShortcutState, action: match.action };
  if (!pending && SHORTCUTS.some((s) => s.keys.startsWith(`${key} `))) return { state: { pending: { key, at: press.at } }, action: null };
  return { state: initialShortcutState, action: null };
}
