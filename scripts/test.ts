// `npm test`: every suite, in order, on real parts. Unit and service tests (vitest, real
// PostgreSQL), then a production build and the end-to-end tests (Playwright, Debian's Chromium).
// The last line is the total over all suites: "N passed, N failed[, N skipped]".
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { ensureSystemPackages } from "./ensure-system-packages";

const resultsDir = path.resolve(".data/test-results");
rmSync(resultsDir, { recursive: true, force: true });
mkdirSync(resultsDir, { recursive: true });
const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", FORCE_COLOR: "0" };
// Tests start their own PostgreSQL; never touch a configured one.
delete env.DATABASE_URL;
delete env.MIGRATION_DATABASE_URL;

const totals = { passed: 0, failed: 0, skipped: 0 };
const problems: string[] = [];

function step(name: string, cmd: string, args: string[]): boolean {
  console.log(`\n=== ${name}: ${cmd} ${args.join(" ")}`);
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { stdio: "inherit", env });
  console.log(`=== ${name}: exit ${r.status} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return r.status === 0;
}

function bin(name: string) {
  return path.resolve("node_modules/.bin", name);
}

try {
  // One apt run up front for everything the suites drive for real (browser, load balancers,
  // Prometheus), rather than inside a test's time limit.
  ensureSystemPackages(["chromium", "haproxy", "prometheus", "nginx", "alertmanager"]);
} catch (err) {
  problems.push((err as Error).message);
}

if (!step("generate", "npx", ["tsx", "scripts/prisma-generate.ts"])) problems.push("prisma generate failed");

// Unit and service tests.
const vitestJson = path.join(resultsDir, "vitest.json");
step("unit", bin("vitest"), ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${vitestJson}`]);
if (existsSync(vitestJson)) {
  const v = JSON.parse(readFileSync(vitestJson, "utf8")) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number; numFailedTestSuites: number };
  totals.passed += v.numPassedTests;
  totals.failed += v.numFailedTests;
  totals.skipped += v.numPendingTests + v.numTodoTests;
  // A test file that fails to load has no failed test but is still a failure.
  if (v.numFailedTestSuites > 0 && v.numFailedTests === 0) totals.failed += v.numFailedTestSuites;
} else {
  problems.push("vitest produced no results");
  totals.failed += 1;
}

// End-to-end tests against a production build.
const pwJson = path.join(resultsDir, "playwright.json");
if (step("build", "npx", ["next", "build"])) {
  spawnSync(bin("playwright"), ["test", "--reporter=list,json"], { stdio: "inherit", env: { ...env, PLAYWRIGHT_JSON_OUTPUT_NAME: pwJson } });
  if (existsSync(pwJson)) {
    const p = JSON.parse(readFileSync(pwJson, "utf8")) as { stats: { expected: number; unexpected: number; flaky: number; skipped: number }; errors?: { message?: string }[] };
    totals.passed += p.stats.expected + p.stats.flaky;
    totals.failed += p.stats.unexpected;
    totals.skipped += p.stats.skipped;
    if (p.errors?.length) {
      problems.push(`playwright: ${p.errors.map((e) => e.message?.split("\n")[0]).join("; ")}`);
      totals.failed += p.errors.length;
    }
  } else {
    problems.push("playwright produced no results");
    totals.failed += 1;
  }
} else {
  problems.push("next build failed: end-to-end tests not run");
  totals.failed += 1;
}

if (problems.length) console.log(`\nProblems:\n${problems.map((p) => `- ${p}`).join("\n")}`);
console.log(`${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ""}`);
process.exit(totals.failed > 0 || problems.length > 0 ? 1 : 0);
