// The edges of the source tree, checked on the files themselves: test helpers (lib/testing) stay
// out of what ships, lib/ never reaches into scripts/ (the lab and the tooling start the server,
// not the other way round), pools are opened in one place, and a transaction's queries are not
// started side by side. A regular expression over import
// specifiers is enough here: the project writes its imports in one style.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "..", "..");
const SKIP = new Set(["node_modules", ".next", ".data", "generated", "test-results", "playwright-report", ".git"]);

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(full));
    else if (/\.(ts|tsx|mts|mjs|js)$/.test(entry.name) && !entry.name.endsWith(".d.ts")) out.push(full);
  }
  return out;
}

const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)["']([^"']+)["']/g;

/** Every import of `file`, resolved to a path relative to the project root (packages as written). */
function importsOf(file: string, text: string = readFileSync(file, "utf8")): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(SPECIFIER)) {
    const spec = m[1]!;
    if (spec.startsWith("@/")) found.push(spec.slice(2));
    else if (spec.startsWith(".")) found.push(path.relative(ROOT, path.resolve(path.dirname(file), spec)));
    else found.push(spec);
  }
  return found;
}

/** The argument text of every `Promise.all(…)` / `Promise.allSettled(…)` in text (parentheses balanced). */
function promiseAllArguments(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/Promise\.all(?:Settled)?\(/g)) {
    let depth = 1;
    let i = m.index + m[0].length;
    const start = i;
    for (; i < text.length && depth > 0; i++) {
      if (text[i] === "(") depth++;
      else if (text[i] === ")") depth--;
    }
    out.push(text.slice(start, i - 1));
  }
  return out;
}

const isTest = (file: string) => /\.(test|spec)\.tsx?$/.test(file) || file.endsWith(".global.ts");
const rel = (file: string) => path.relative(ROOT, file);
const inside = (target: string, folder: string) => target === folder || target.startsWith(`${folder}/`);

describe("source boundaries", () => {
  const all = ["app", "components", "lib", "scripts", "bench", "e2e"].flatMap((d) => sourceFiles(path.join(ROOT, d)));
  const top = readdirSync(ROOT).filter((f) => /\.(ts|mjs|js)$/.test(f) && !f.endsWith(".d.ts")).map((f) => path.join(ROOT, f));

  it("reads the import lines it checks", () => {
    expect(importsOf(path.join(ROOT, "lib/x/a.ts"), 'import { a } from "@/lib/testing/fixtures";\nconst m = await import("../../scripts/lab/index");')).toEqual(["lib/testing/fixtures", "scripts/lab/index"]);
    expect(all.length).toBeGreaterThan(100);
  });

  it("lib/testing is imported by tests only", () => {
    const offenders = [...all, ...top]
      .filter((f) => !isTest(f) && !inside(rel(f), "lib/testing") && rel(f) !== "vitest.config.ts")
      .filter((f) => importsOf(f).some((t) => inside(t, "lib/testing")))
      .map(rel);
    expect(offenders).toEqual([]);
  });

  it("every pg pool under lib/ comes from the pool factory (lib/db/pool.ts)", () => {
    const offenders = all
      .filter((f) => inside(rel(f), "lib") && rel(f) !== "lib/db/pool.ts")
      .filter((f) => /new\s+(pg\.)?Pool\s*\(/.test(readFileSync(f, "utf8")))
      .map(rel);
    expect(offenders).toEqual([]);
  });

  it("nothing under lib/ but tests imports scripts/", () => {
    const offenders = all
      .filter((f) => inside(rel(f), "lib") && !isTest(f))
      .filter((f) => importsOf(f).some((t) => inside(t, "scripts")))
      .map(rel);
    expect(offenders).toEqual([]);
  });

  it("no transaction's queries are started side by side (its one connection runs them in turn; pg 9 refuses a busy client)", () => {
    expect(promiseAllArguments("await Promise.all([ctx.tx.a.findMany({ where: f(x) }), b()]); Promise.allSettled([c()])")).toEqual(["[ctx.tx.a.findMany({ where: f(x) }), b()]", "[c()]"]);
    const offenders = all
      .filter((f) => inside(rel(f), "lib") && !isTest(f))
      .filter((f) => promiseAllArguments(readFileSync(f, "utf8")).some((arg) => /\btx\s*\.|\btx\)/.test(arg)))
      .map(rel);
    expect(offenders).toEqual([]);
  });
});
