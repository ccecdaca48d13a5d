"use client";
// Alerts received from Alertmanager, and the token it posts with.
import type { PanelProps } from "../shared/types";

export function AlertsPanel(_props: PanelProps) {
  return null;
}
