"use client";
import { BUTTON_CLASS } from "@/components/ui/styles";

/** The browser's print dialog, where "Save as PDF" makes the report a file. */
export function PrintButton() {
  return (
    <button type="button" className={BUTTON_CLASS} onClick={() => window.print()} data-testid="report-print">
      Print / save as PDF
    </button>
  );
}
