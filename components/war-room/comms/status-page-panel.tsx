"use client";
// The public status page: on or off, its address, and the updates published to it.
import type { PanelProps } from "../shared/types";

export function StatusPagePanel(_props: PanelProps) {
  return null;
}
