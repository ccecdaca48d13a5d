"use client";
// Announcement templates: preview, edit, send; their event bindings (recommend or automatic).
import type { PanelProps } from "../shared/types";

export function AnnouncementsPanel(_props: PanelProps) {
  return null;
}
