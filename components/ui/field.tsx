import type { ReactNode } from "react";

/**
 * A form control with its caption above it. The label wraps the control, so the caption is the
 * control's accessible name (no id to keep in step).
 */
export function Field({ label, className, children }: { label: ReactNode; className?: string; children: ReactNode }) {
  return (
    <label className={className ? `flex flex-col ${className}` : "flex flex-col"}>
      <span className="text-xs text-neutral-500">{label}</span>
      {children}
    </label>
  );
}
