"use client";
// Pieces the room's panels share: the panel frame and its sub-sections, the notes shown in place of
// a list, the submit and remove buttons of their forms and rows, and the role, metric and system pickers.
import { useState, type FormEvent, type ReactNode } from "react";
import { ErrorNote } from "@/components/ui/error-note";
import { Field, Select, type Option } from "@/components/ui/field";
import { BUTTON_CLASS, DANGER_BUTTON_CLASS, INPUT_CLASS, PANEL_CLASS, PRIMARY_BUTTON_CLASS, ROLE_OPTIONS } from "./format";
import { EXPORT_FORMATS, FORMAT_LABELS, type ExportWhat } from "@/lib/domain/export-formats";

/** A panel whose heading is its name: `${id}-heading` labels the section. */
export function Panel({ id, title, children }: { id: string; title: ReactNode; children: ReactNode }) {
  return (
    <section aria-labelledby={`${id}-heading`} className={PANEL_CLASS}>
      <h2 id={`${id}-heading`} className="border-b border-neutral-200 px-3 py-2 font-semibold dark:border-neutral-800">
        {title}
      </h2>
      {children}
    </section>
  );
}

/** A part of a panel below a rule, with a small heading (h4 where it sits under an h3). */
export function SubSection({ title, testId, level = 3, children }: { title: ReactNode; testId?: string; level?: 3 | 4; children: ReactNode }) {
  const Heading = level === 3 ? "h3" : "h4";
  return (
    <div className="border-t border-neutral-200 px-3 py-2 text-sm dark:border-neutral-800" data-testid={testId}>
      <Heading className="text-xs font-medium uppercase text-muted">{title}</Heading>
      {children}
    </div>
  );
}

/** What a panel says where its list would be: nothing yet (and how to start), or still loading. */
export function PanelNote({ testId, role, children }: { testId?: string; role?: "status"; children: ReactNode }) {
  return (
    <p className="px-3 py-3 text-sm text-muted" data-testid={testId} role={role}>
      {children}
    </p>
  );
}

/** The error of a panel's last command (its add form or a row's button), at the panel's foot. */
export function PanelError({ message, testId }: { message: string | null; testId: string }) {
  return (
    <div className="px-3 pb-2">
      <ErrorNote message={message} testId={testId} />
    </div>
  );
}

/** A panel's data could not be loaded: what happened, and a way to ask again. */
/**
 * The panel's own view while it is not there: "Loading the …" at first, the error with Try again
 * when the read failed (a stale view stays shown below it). Renders nothing once loaded.
 */
export function ViewLoading({ query, what, id }: { query: { data: unknown; error: Error | null; refetch: () => unknown }; /** "the deliveries" */ what: string; /** Test ids: `${id}-loading`, `${id}-load-error`. */ id: string }) {
  if (query.error) return <LoadError message={`${what[0]!.toUpperCase()}${what.slice(1)} could not be loaded: ${query.error.message}`} testId={`${id}-load-error`} onRetry={() => void query.refetch()} />;
  if (query.data === undefined)
    return (
      <PanelNote role="status" testId={`${id}-loading`}>
        Loading {what}…
      </PanelNote>
    );
  return null;
}

/** A panel that reads its own view: the frame, the loading/error line, then `children(view)` once it is there. */
export function ViewPanel<T>({ id, title, query, what, children }: { id: string; title: ReactNode; query: { data: T | undefined; error: Error | null; refetch: () => unknown }; what: string; children: (view: T) => ReactNode }) {
  return (
    <Panel id={id} title={title}>
      <div data-testid={`${id}-panel`}>
        <ViewLoading query={query} what={what} id={id} />
        {query.data !== undefined && children(query.data)}
      </div>
    </Panel>
  );
}

export function LoadError({ message, testId, onRetry }: { message: string; testId: string; onRetry: () => void }) {
  return (
    <div className="px-3 pt-2">
      <ErrorNote message={message} testId={testId} />
      <button type="button" className={`${BUTTON_CLASS} mt-1`} onClick={onRetry}>
        Try again
      </button>
    </div>
  );
}

const ADD_FORM_CLASS = "border-t border-neutral-200 px-3 py-2 text-sm dark:border-neutral-800";

/**
 * A panel's form below a rule: an optional heading, its controls on one wrapping row, and its
 * error under them (left to the panel when `errorTestId` is not given: the panel shows it for its rows too).
 */
export function CommandForm({
  label,
  heading,
  onSubmit,
  error,
  errorTestId,
  className = ADD_FORM_CLASS,
  children,
}: {
  label: string;
  heading?: ReactNode;
  onSubmit: (e: FormEvent<HTMLFormElement>) => void;
  error?: string | null;
  errorTestId?: string;
  className?: string;
  children: ReactNode;
}) {
  return (
    <form onSubmit={onSubmit} aria-label={label} className={className}>
      {heading && <h3 className="mb-1 text-sm font-medium text-neutral-600 dark:text-neutral-300">{heading}</h3>}
      <div className="flex flex-wrap items-end gap-2">{children}</div>
      {errorTestId && <ErrorNote message={error ?? null} testId={errorTestId} />}
    </form>
  );
}

/** A form's primary button: disabled while its command runs, saying so when `busyLabel` is given. */
export function SubmitButton({ pending, busyLabel, disabled = false, className, children }: { pending: boolean; busyLabel?: string; disabled?: boolean; className?: string; children: ReactNode }) {
  return (
    <button type="submit" disabled={pending || disabled} className={className ? `${PRIMARY_BUTTON_CLASS} ${className}` : PRIMARY_BUTTON_CLASS}>
      {pending && busyLabel ? busyLabel : children}
    </button>
  );
}

/** "Remove" on a row, named for screen readers by what it removes; it acts at once. */
export function RemoveButton({ label, pending, onClick, className }: { label: string; pending: boolean; onClick: () => void; className?: string }) {
  return (
    <button type="button" disabled={pending} aria-label={label} className={className ? `${BUTTON_CLASS} ${className}` : BUTTON_CLASS} onClick={onClick}>
      Remove
    </button>
  );
}

/**
 * "Remove" (or `verb`) that asks once more in place: Cancel (focused, the safe choice) or `confirmLabel`.
 * `onRemove` resolves to whether it worked; on failure the question stays open beside the error.
 * `label`, the accessible name, starts with the visible verb.
 */
export function ConfirmRemove({ label, confirmLabel, pending, onRemove, verb = "Remove" }: { label: string; confirmLabel: string; pending: boolean; onRemove: () => Promise<boolean>; verb?: string }) {
  const [confirming, setConfirming] = useState(false);
  if (!confirming) {
    return (
      <button type="button" className={BUTTON_CLASS} onClick={() => setConfirming(true)} aria-label={label}>
        {verb}
      </button>
    );
  }
  return (
    <>
      <button type="button" autoFocus className={BUTTON_CLASS} onClick={() => setConfirming(false)}>
        Cancel
      </button>
      <button type="button" disabled={pending} className={DANGER_BUTTON_CLASS} onClick={() => void onRemove().then((ok) => ok && setConfirming(false))}>
        {confirmLabel}
      </button>
    </>
  );
}

/** A required choice of one of the cutover's metrics, shown as "Error rate (%)". */
export function MetricSelect({ metrics, defaultValue }: { metrics: readonly { id: string; name: string; unit: string }[]; defaultValue?: string }) {
  return (
    <select name="metricId" required defaultValue={defaultValue} className={INPUT_CLASS}>
      {metrics.length === 0 && <option value="">no metrics yet: add them under Metrics</option>}
      {metrics.map((m) => (
        <option key={m.id} value={m.id}>
          {m.name} ({m.unit})
        </option>
      ))}
    </select>
  );
}

/** Which system a rule watches: new (the default) or old. */
export function SystemSelect({ defaultValue = "new" }: { defaultValue?: string }) {
  return (
    <select name="system" defaultValue={defaultValue} className={INPUT_CLASS}>
      <option value="new">new</option>
      <option value="old">old</option>
    </select>
  );
}

/** A required choice of one role, starting on "Choose…". */
const ROLE_CHOICES: readonly Option[] = [{ value: "", label: "Choose…", disabled: true }, ...ROLE_OPTIONS];

export function RoleSelect({ name }: { name: string }) {
  return <Select name={name} required defaultValue="" options={ROLE_CHOICES} />;
}

/** A captioned RoleSelect. */
export function RoleField({ label, name }: { label: string; name: string }) {
  return (
    <Field label={label}>
      <RoleSelect name={name} />
    </Field>
  );
}

/**
 * Download links for an export of a cutover (GET /api/v1/cutovers/{id}/export): the plan as a
 * markdown runbook or JSON, the audit log and the timeline as CSV or JSON.
 */
export function ExportLinks({ cutoverId, what, label }: { cutoverId: string; what: ExportWhat; label: string }) {
  return (
    <span className="flex items-center gap-1 text-sm" data-testid={`export-${what}`}>
      <span className="text-muted">Export:</span>
      {EXPORT_FORMATS[what].map((format) => (
        <a key={format} className="underline" href={`/api/v1/cutovers/${cutoverId}/export?what=${what}&format=${format}`} download aria-label={`Download the ${label} as ${FORMAT_LABELS[format]}`}>
          {FORMAT_LABELS[format]}
        </a>
      ))}
    </span>
  );
}
