// A risk's statuses and levels as the risks tab and its form show them.
import { RISK_LEVELS, type RiskLevel } from "@/lib/domain/risk";
import type { CutoverStateJson } from "@/lib/services/cutover-read";

export type Risk = CutoverStateJson["risks"][number];
export const STATUSES = ["open", "mitigated", "accepted", "occurred", "closed"] as const;
export type RiskStatus = (typeof STATUSES)[number];
export const STATUS_LABELS: Record<RiskStatus, string> = { open: "Open", mitigated: "Mitigated", accepted: "Accepted", occurred: "Occurred", closed: "Closed" };
export const isLevel = (v: string): v is RiskLevel => (RISK_LEVELS as readonly string[]).includes(v);
export const isStatus = (v: string): v is RiskStatus => (STATUSES as readonly string[]).includes(v);
