"use client";
// The Comms tab: what the world is told (announcements, their deliveries, the public status page),
// what the room owes (check-ins, escalation) and what reaches it (Alertmanager's alerts).
import type { PanelProps } from "../shared/types";
import { AnnouncementsPanel } from "./announcements-panel";
import { DeliveriesPanel } from "./deliveries-panel";
import { StatusPagePanel } from "./status-page-panel";
import { CheckInsPanel } from "../checkins/checkins-panel";
import { AlertsPanel } from "../alerts/alerts-panel";

export function CommsPanel(props: PanelProps) {
  return (
    <div className="space-y-6" data-testid="comms-panel">
      <AnnouncementsPanel {...props} />
      <DeliveriesPanel {...props} />
      <StatusPagePanel {...props} />
      <CheckInsPanel {...props} />
      <AlertsPanel {...props} />
    </div>
  );
}
