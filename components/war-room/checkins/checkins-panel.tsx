"use client";
// The check-in cadence, due and overdue check-ins, and the escalation ladder's state.
import type { PanelProps } from "../shared/types";

export function CheckInsPanel(_props: PanelProps) {
  return null;
}
