"use client";
// Every outgoing message of this cutover with its delivery state; the channels it announces to.
import type { PanelProps } from "../shared/types";

export function DeliveriesPanel(_props: PanelProps) {
  return null;
}
