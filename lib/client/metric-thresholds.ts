// A metric's warning and critical thresholds as typed in the metric form: both optional numbers,
// and in the order the direction asks (higher is worse: warning ≤ critical).
import type { Direction } from "@/lib/domain/metrics";

export function parseOptionalNumber(text: string): { ok: true; value: number | null } | { ok: false } {
  const t = text.trim();
  if (t === "") return { ok: true, value: null };
  const n = Number(t);
  return Number.isFinite(n) ? { ok: true, value: n } : { ok: false };
}

export type CheckedThresholds = { ok: true; warning: number | null; critical: number | null } | { ok: false; error: string };

export function checkThresholds(warning: string, critical: string, direction: Direction): CheckedThresholds {
  const w = parseOptionalNumber(warning);
  const c = parseOptionalNumber(critical);
  if (!w.ok) return { ok: false, error: "Warning must be a number (or blank)" };
  if (!c.ok) return { ok: false, error: "Critical must be a number (or blank)" };
  if (w.value !== null && c.value !== null && (direction === "above" ? w.value > c.value : w.value < c.value)) {
    return { ok: false, error: direction === "above" ? "Higher is worse: the warning threshold must not be above the critical one" : "Lower is worse: the warning threshold must not be below the critical one" };
  }
  return { ok: true, warning: w.value, critical: c.value };
}
