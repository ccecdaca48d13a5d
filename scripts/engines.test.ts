import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkEngines } from "./engines";

describe("checkEngines", () => {
  const deps = [
    { name: "a", range: ">=20.19" },
    { name: "b", range: "^20.19 || ^22.12 || >=24" },
  ];
  it("accepts a range that lets in exactly what every dependency accepts", () => {
    expect(checkEngines("^20.19 || ^22.12 || >=24", deps)).toEqual({ promisedButRefused: [], refusedWithoutCause: [] });
  });
  it("names the dependency that refuses a version the range promises", () => {
    const r = checkEngines(">=20.19", deps);
    expect(r.promisedButRefused[0]).toEqual({ version: "21.0.0", dependency: "b", range: "^20.19 || ^22.12 || >=24" });
    expect(r.refusedWithoutCause).toEqual([]);
  });
  it("names versions the range turns away without cause", () => {
    const r = checkEngines(">=22.12", deps);
    expect(r.promisedButRefused.map((p) => p.version)).toContain("23.0.0");
    expect(r.refusedWithoutCause).toContain("20.19.0");
  });
});

describe("package.json engines", () => {
  const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { engines: { node: string } };
  const lock = JSON.parse(readFileSync("package-lock.json", "utf8")) as { packages: Record<string, { engines?: { node?: string } | string[] }> };
  // @prisma/streams-local (Node 22) belongs to `prisma dev`, a local database server this project never runs.
  const unused = new Set(["node_modules/@prisma/streams-local"]);
  const installed = Object.entries(lock.packages)
    .filter(([where, p]) => where !== "" && !unused.has(where) && existsSync(where) && p.engines && !Array.isArray(p.engines) && p.engines.node)
    .map(([where, p]) => ({ name: where.replace(/^.*node_modules\//, ""), range: (p.engines as { node: string }).node }));

  it("matches what the installed dependencies declare", () => {
    expect(installed.length).toBeGreaterThan(50);
    expect(checkEngines(pkg.engines.node, installed)).toEqual({ promisedButRefused: [], refusedWithoutCause: [] });
  });
  it("lets in the Node that runs the tests", () => {
    expect(checkEngines(pkg.engines.node, [], [process.versions.node]).refusedWithoutCause).toEqual([]);
    expect(checkEngines(pkg.engines.node, installed, [process.versions.node]).promisedButRefused).toEqual([]);
  });
});
