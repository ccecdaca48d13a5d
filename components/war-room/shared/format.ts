// Small shared bits of the room's panels: times in the cutover's zone (UTC for the hover title),
// role labels and lists, and the pending/error state of one command.
import { roleWords } from "@/lib/client/event-words";
import { useState, type FormEvent } from "react";
import type { ActionResult } from "@/lib/actions/room";
import { ROLE_LABELS, ROLES, type Role } from "@/lib/domain/roles";

// --- roles -------------------------------------------------------------------------------------

export const ROLE_OPTIONS: readonly { value: Role; label: string }[] = ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }));

/** A role, the roles of an audit row ("DEPLOYMENT_LEAD,ON_CALL") or ADMINISTRATOR in words; "—" for none. */
export function roleLabel(role: string | null | undefined): string {
  return roleWords(role) || "—";
}

export function roleList(roles: readonly string[]): string {
  return roles.map(roleLabel).join(", ");
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

// --- times -------------------------------------------------------------------------------------

const formatters = new Map<string, Intl.DateTimeFormat>();
function fmt(timeZone: string | undefined, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${timeZone ?? ""}|${JSON.stringify(options)}`;
  let f = formatters.get(key);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat("en-GB", { ...options, timeZone });
    } catch {
      // An unknown zone must not take the room down: fall back to UTC (the title says UTC anyway).
      f = new Intl.DateTimeFormat("en-GB", { ...options, timeZone: "UTC" });
    }
    formatters.set(key, f);
  }
  return f;
}

function toDate(at: string | number | Date): Date {
  return at instanceof Date ? at : new Date(at);
}

/** "06:30" (or "06:30:05") in the zone, 24-hour clock. */
export function formatClock(at: string | number | Date, timeZone: string | undefined, seconds = false): string {
  return fmt(timeZone, { hour: "2-digit", minute: "2-digit", ...(seconds && { second: "2-digit" }), hourCycle: "h23" }).format(toDate(at));
}

/** "14 Jun" in the zone. */
export function formatDay(at: string | number | Date, timeZone: string | undefined): string {
  return fmt(timeZone, { day: "numeric", month: "short" }).format(toDate(at));
}

/** "2026-06-14" in the zone, for comparing calendar days. */
function dayKey(at: string | number | Date, timeZone: string | undefined): string {
  return fmt(timeZone, { year: "numeric", month: "2-digit", day: "2-digit" }).format(toDate(at));
}

export function sameDayIn(a: string | number | Date, b: string | number | Date, timeZone: string | undefined): boolean {
  return dayKey(a, timeZone) === dayKey(b, timeZone);
}

/**
 * Wall time in the zone; the date is added when the instant is not on `referenceDay` (T-0's day),
 * so "06:30" means the cutover day and "13 Jun 06:30" the day before.
 */
export function formatWallTime(at: string | number | Date, timeZone: string | undefined, referenceDay?: string | number | Date, seconds = false): string {
  const clock = formatClock(at, timeZone, seconds);
  if (referenceDay !== undefined && sameDayIn(at, referenceDay, timeZone)) return clock;
  return `${formatDay(at, timeZone)} ${clock}`;
}

/** "2026-06-14 06:30:00 UTC": the hover title that removes any doubt about the zone. */
export function formatUtc(at: string | number | Date): string {
  const d = toDate(at);
  if (Number.isNaN(d.getTime())) return "invalid time";
  return `${d.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

/** "CEST" or "GMT+2" for a zone at an instant; the zone name itself when Intl has no short name. */
export function zoneAbbreviation(at: string | number | Date, timeZone: string): string {
  const part = fmt(timeZone, { timeZoneName: "short" })
    .formatToParts(toDate(at))
    .find((p) => p.type === "timeZoneName");
  return part?.value ?? timeZone;
}

// --- JSON --------------------------------------------------------------------------------------

/** A compact one-line JSON of an audit value, cut at `max` characters; "—" for nothing. */
export function compactJson(value: unknown, max = 120): { text: string; full: string; truncated: boolean } {
  if (value === null || value === undefined) return { text: "—", full: "", truncated: false };
  let full: string;
  try {
    full = JSON.stringify(value) ?? String(value);
  } catch {
    full = String(value);
  }
  if (full.length <= max) return { text: full, full, truncated: false };
  return { text: `${full.slice(0, max - 1)}…`, full, truncated: true };
}

// --- commands ----------------------------------------------------------------------------------

/**
 * Pending flag and in-page error message of one command. `exec` clears the previous error, awaits
 * the command and keeps its message until the next attempt; it resolves to whether it succeeded.
 */
export function useCommand() {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function exec(call: () => Promise<ActionResult>): Promise<boolean> {
    setPending(true);
    setError(null);
    try {
      const result = await call();
      if (!result.ok) setError(result.message);
      return result.ok;
    } catch {
      // run() resolves domain errors; a throw here is the network or the server being gone.
      setError("Could not reach the server: check the connection and try again");
      return false;
    } finally {
      setPending(false);
    }
  }
  return { pending, error, exec, setError };
}

/** A submitted form's fields: `text(name)` is a field's trimmed value ("" when it is absent). */
export interface SubmittedForm {
  data: FormData;
  text: (name: string) => string;
}

/**
 * The onSubmit of a form read through FormData rather than controlled inputs. `handle` checks the
 * fields and runs the command; when it resolves to true and `reset` is set, the form is cleared
 * for the next entry (an add form). A check that fails returns nothing and keeps what was typed.
 */
export function submitForm(handle: (form: SubmittedForm) => Promise<boolean | void> | boolean | void, { reset = false }: { reset?: boolean } = {}) {
  return async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    // Taken now: React clears currentTarget once the event has been handled.
    const element = e.currentTarget;
    const data = new FormData(element);
    const ok = await handle({ data, text: (name) => String(data.get(name) ?? "").trim() });
    if (ok === true && reset) element.reset();
  };
}

/** A field that fails its check: `useCommandForm` shows the message and runs nothing. */
export class FormCheck extends Error {}

/** The role chosen in a role field, or a FormCheck saying `message`. */
export function chosenRole(value: string, message: string): Role {
  if (!isRole(value)) throw new FormCheck(message);
  return value;
}

/**
 * A form that runs one command: `useCommand`'s state with the form's onSubmit (`submitForm`).
 * `handle` gets the fields and the command's `exec` and `setError`; a FormCheck it throws is shown
 * like a failed check (`setError`).
 */
export function useCommandForm(
  handle: (form: SubmittedForm, command: Pick<ReturnType<typeof useCommand>, "exec" | "setError">) => Promise<boolean | void> | boolean | void,
  options?: { reset?: boolean },
) {
  const command = useCommand();
  const onSubmit = submitForm(async (form) => {
    try {
      return await handle(form, command);
    } catch (err) {
      if (!(err instanceof FormCheck)) throw err;
      command.setError(err.message);
    }
  }, options);
  return { ...command, onSubmit };
}

// --- styles shared by the panels (defined with the other controls in components/ui) -------------

export { INPUT_CLASS, BUTTON_CLASS, PRIMARY_BUTTON_CLASS, DANGER_BUTTON_CLASS, PANEL_CLASS } from "@/components/ui/styles";
