"use client";
// A failed delivery is visible in the room until someone retries or dismisses it.
import type { PanelProps } from "../shared/types";

export function DeliveryFailures(_props: PanelProps) {
  return null;
}
