"use client";
// Check-ins due to my roles, and any overdue check-in, for the whole room.
import type { PanelProps } from "../shared/types";

export function CheckInBanner(_props: PanelProps) {
  return null;
}
