// Whether `npm start` must build before it serves: the decision, kept apart from the file system
// so that it can be tested. scripts/start.ts gathers the facts (the stamp the last build left in
// .next, a fingerprint of the sources now, which outputs exist) and asks here.
import { createHash } from "node:crypto";

/** Bump when what goes into the fingerprint changes, so that an older stamp never counts as fresh. */
export const STAMP_FORMAT = 2;

/** What a successful build leaves beside its output: the fingerprint of the sources it was built from. */
export interface BuildStamp {
  format: number;
  fingerprint: string;
  /** Next's id of the build the fingerprint belongs to: another build since (`npm run build`) voids the stamp. */
  buildId: string;
  builtAt: string;
}

/**
 * The files and folders a build is made from. Next compiles app/, components/, lib/, proxy.ts and
 * public/ with next.config.js, postcss and tsconfig; prisma/ feeds the generated client; the
 * server bundle is made by scripts/server-bundle.ts; package-lock.json stands for node_modules.
 */
export const BUILD_INPUTS = [
  "app",
  "components",
  "lib",
  "prisma",
  "public",
  "proxy.ts",
  "next.config.js",
  "postcss.config.mjs",
  "tsconfig.json",
  "package.json",
  "package-lock.json",
  "prisma.config.ts",
  "scripts/server-bundle.ts",
  "scripts/prisma-generate.ts",
] as const;

/** The outputs a start needs; if any is gone (a deleted or half-written .next), the build runs again. */
export const BUILD_OUTPUTS = [".next/BUILD_ID", ".next/warroom-server/main.mjs", ".next/warroom-server/runbook-worker.mjs"] as const;

/**
 * Whether a file under BUILD_INPUTS counts. Generated code (lib/generated, written by the build
 * itself from prisma/) and tests (never part of what is served) do not; neither do editor and OS
 * leftovers, which change without anyone touching the sources.
 */
export function isBuildInput(relPath: string): boolean {
  const p = relPath.split("\\").join("/");
  if (p === "lib/generated" || p.startsWith("lib/generated/")) return false;
  const parts = p.split("/");
  if (parts.some((s) => s === "node_modules" || s === ".DS_Store" || s.startsWith(".#"))) return false;
  const base = parts[parts.length - 1] ?? "";
  if (base.endsWith("~") || base.endsWith(".swp") || base.endsWith(".swo")) return false;
  if (/\.(test|spec)\.(ts|tsx|mts|js|mjs)$/.test(base)) return false;
  return true;
}

/**
 * One hash over the sources: every input file's path and content, in a fixed order, and the
 * NEXT_PUBLIC_* variables, which Next writes into the browser's code at build time.
 */
export function fingerprint(files: ReadonlyArray<{ path: string; content: Buffer | string }>, env: Record<string, string | undefined>): string {
  const h = createHash("sha256");
  h.update(`format ${STAMP_FORMAT}\n`);
  for (const f of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    const content = typeof f.content === "string" ? Buffer.from(f.content) : f.content;
    // Length-prefixed so that moving bytes from one file to the next changes the hash.
    h.update(`file ${f.path} ${content.length}\n`);
    h.update(content);
  }
  for (const key of Object.keys(env).filter((k) => k.startsWith("NEXT_PUBLIC_")).sort()) {
    h.update(`env ${key}=${env[key] ?? ""}\n`);
  }
  return h.digest("hex");
}

/** Reads a stamp file's text; anything unreadable or of another format counts as no stamp. */
export function parseStamp(text: string | null): BuildStamp | null {
  if (text === null) return null;
  try {
    const v = JSON.parse(text) as Partial<BuildStamp> | null;
    if (!v || typeof v !== "object" || v.format !== STAMP_FORMAT || typeof v.fingerprint !== "string" || !/^[0-9a-f]{64}$/.test(v.fingerprint)) return null;
    if (typeof v.buildId !== "string" || v.buildId === "") return null;
    return { format: v.format, fingerprint: v.fingerprint, buildId: v.buildId, builtAt: typeof v.builtAt === "string" ? v.builtAt : "" };
  } catch {
    return null;
  }
}

export type BuildDecision = { build: true; reason: string } | { build: false; reason: string };

/**
 * The decision itself: build when asked, when an output is missing, when the build in .next is not
 * the one the stamp describes (made by `npm run build` from sources that may since have been put
 * back), or when the sources differ from the last build's.
 */
export function decideBuild(facts: { rebuildRequested: boolean; stamp: BuildStamp | null; current: string; buildId: string | null; missingOutputs: readonly string[] }): BuildDecision {
  if (facts.rebuildRequested) return { build: true, reason: "a rebuild was asked for (--rebuild)" };
  if (facts.missingOutputs.length > 0) return { build: true, reason: `no build yet (${facts.missingOutputs.join(", ")} missing)` };
  if (!facts.stamp) return { build: true, reason: "the last build left no stamp of its sources" };
  if (facts.stamp.buildId !== facts.buildId) return { build: true, reason: "the build in .next is not the one the stamp describes" };
  if (facts.stamp.fingerprint !== facts.current) return { build: true, reason: "the sources changed since the last build" };
  return { build: false, reason: `the sources are unchanged since the build of ${facts.stamp.builtAt || "an earlier start"}` };
}

/** The arguments `npm start -- …` passes on: only --rebuild is known; anything else is an error, not a silent no-op. */
export function parseStartArgs(argv: readonly string[]): { rebuild: boolean } {
  let rebuild = false;
  for (const a of argv) {
    if (a === "--rebuild") rebuild = true;
    else throw new Error(`unknown option ${a} (npm start accepts only --rebuild)`);
  }
  return { rebuild };
}
