// Risk register ordering. Severity = level(probability) × level(impact), low = 1 … critical = 4,
// so scores run 1–16. The register lists the worst first; equal scores put the bigger impact
// first (a likely nuisance matters less than an unlikely disaster), then titles alphabetically.

export const RISK_LEVELS = ["low", "medium", "high", "critical"] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

export const RISK_LEVEL_LABELS: Record<RiskLevel, string> = { low: "Low", medium: "Medium", high: "High", critical: "Critical" };

/** 1 (low) … 4 (critical); 0 for a value that is not a risk level, which then sorts last. */
export function riskLevelValue(level: string): number {
  const i = (RISK_LEVELS as readonly string[]).indexOf(level);
  return i + 1;
}

export type RiskSeverity = { score: number; level: RiskLevel | "unknown" };

/** Score 1–16 and the word for it: 12+ critical, 6+ high, 3+ medium, else low. */
export function riskSeverity(risk: { probability: string; impact: string }): RiskSeverity {
  const score = riskLevelValue(risk.probability) * riskLevelValue(risk.impact);
  if (score === 0) return { score, level: "unknown" };
  const level: RiskLevel = score >= 12 ? "critical" : score >= 6 ? "high" : score >= 3 ? "medium" : "low";
  return { score, level };
}

const byTitle = new Intl.Collator("en", { sensitivity: "base", numeric: true });

/** A new array, worst first: score desc, then impact desc, then title (case-insensitive). */
export function sortRisksBySeverity<T extends { title: string; probability: string; impact: string }>(risks: readonly T[]): T[] {
  return risks
    .map((risk) => ({ risk, score: riskSeverity(risk).score, impact: riskLevelValue(risk.impact) }))
    .sort((a, b) => b.score - a.score || b.impact - a.impact || byTitle.compare(a.risk.title, b.risk.title))
    .map((r) => r.risk);
}
