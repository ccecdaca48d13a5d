import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes } from "react";
import { INPUT_CLASS, withClass } from "./styles";

/**
 * A form control with its caption above it. The label wraps the control, so the caption is the
 * control's accessible name (no id to keep in step).
 */
export function Field({ label, className, children }: { label: ReactNode; className?: string; children: ReactNode }) {
  return (
    <label className={className ? `flex max-w-full flex-col ${className}` : "flex max-w-full flex-col"}>
      <span className="text-xs text-muted">{label}</span>
      {children}
    </label>
  );
}

/** A captioned text input; `className` is added to the shared input style (a width, `tabular`). */
export function TextField({ label, className, ...input }: { label: ReactNode } & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <Field label={label}>
      <input {...input} className={withClass(INPUT_CLASS, className)} />
    </Field>
  );
}

export interface Option {
  value: string;
  label: ReactNode;
  disabled?: boolean;
}

/** The `<option>`s of a select, in order. */
export function Options({ options }: { options: readonly Option[] }) {
  return (
    <>
      {options.map((o) => (
        <option key={o.value} value={o.value} disabled={o.disabled}>
          {o.label}
        </option>
      ))}
    </>
  );
}

/** A select in the shared input style (`className` added to it), choosing one of `options`. */
export function Select({ options, className, ...select }: { options: readonly Option[] } & SelectHTMLAttributes<HTMLSelectElement>) {
  return (
    <select {...select} className={withClass(INPUT_CLASS, className)}>
      <Options options={options} />
    </select>
  );
}

/** A captioned select. */
export function SelectField({ label, ...select }: { label: ReactNode; options: readonly Option[] } & SelectHTMLAttributes<HTMLSelectElement>) {
  return (
    <Field label={label}>
      <Select {...select} />
    </Field>
  );
}

/** A checkbox with its words after it, on the line of the other controls. */
export function CheckField({ label, className = "inline-flex items-center gap-1", ...input }: { label: ReactNode } & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <label className={className}>
      <input type="checkbox" {...input} />
      {label}
    </label>
  );
}
