import { describe, expect, it } from "vitest";
import { riskLevelValue, riskSeverity, sortRisksBySeverity } from "./risk";

const r = (title: string, probability: string, impact: string) => ({ title, probability, impact });

describe("riskSeverity", () => {
  it("multiplies the levels of probability and impact", () => {
    expect(riskSeverity(r("a", "low", "low"))).toEqual({ score: 1, level: "low" });
    expect(riskSeverity(r("a", "low", "medium"))).toEqual({ score: 2, level: "low" });
    expect(riskSeverity(r("a", "low", "high"))).toEqual({ score: 3, level: "medium" });
    expect(riskSeverity(r("a", "medium", "medium"))).toEqual({ score: 4, level: "medium" });
    expect(riskSeverity(r("a", "high", "medium"))).toEqual({ score: 6, level: "high" });
    expect(riskSeverity(r("a", "high", "high"))).toEqual({ score: 9, level: "high" });
    expect(riskSeverity(r("a", "critical", "high"))).toEqual({ score: 12, level: "critical" });
    expect(riskSeverity(r("a", "critical", "critical"))).toEqual({ score: 16, level: "critical" });
  });

  it("is symmetric in probability and impact", () => {
    expect(riskSeverity(r("a", "low", "critical")).score).toBe(riskSeverity(r("a", "critical", "low")).score);
  });

  it("reports an unknown level as score 0 instead of guessing", () => {
    expect(riskLevelValue("severe")).toBe(0);
    expect(riskSeverity(r("a", "severe", "high"))).toEqual({ score: 0, level: "unknown" });
  });
});

describe("sortRisksBySeverity", () => {
  it("lists the highest score first", () => {
    const sorted = sortRisksBySeverity([r("minor", "low", "low"), r("worst", "critical", "critical"), r("middle", "medium", "high")]);
    expect(sorted.map((x) => x.title)).toEqual(["worst", "middle", "minor"]);
  });

  it("breaks a tie in score by the bigger impact", () => {
    // Both score 4: the unlikely disaster goes above the likely nuisance.
    const sorted = sortRisksBySeverity([r("likely nuisance", "critical", "low"), r("even", "medium", "medium"), r("unlikely disaster", "low", "critical")]);
    expect(sorted.map((x) => x.title)).toEqual(["unlikely disaster", "even", "likely nuisance"]);
  });

  it("breaks a full tie by title, case-insensitively and with numbers in order", () => {
    const sorted = sortRisksBySeverity([r("beta", "high", "high"), r("Alpha", "high", "high"), r("risk 10", "low", "low"), r("risk 9", "low", "low")]);
    expect(sorted.map((x) => x.title)).toEqual(["Alpha", "beta", "risk 9", "risk 10"]);
  });

  it("puts risks with unknown levels last and does not modify its input", () => {
    const input = [r("odd", "severe", "high"), r("low one", "low", "low")];
    const copy = [...input];
    const sorted = sortRisksBySeverity(input);
    expect(sorted.map((x) => x.title)).toEqual(["low one", "odd"]);
    expect(input).toEqual(copy);
  });

  it("keeps the other properties of each risk", () => {
    const sorted = sortRisksBySeverity([{ id: "1", title: "a", probability: "low", impact: "low", status: "open" }]);
    expect(sorted[0]).toEqual({ id: "1", title: "a", probability: "low", impact: "low", status: "open" });
  });
});
