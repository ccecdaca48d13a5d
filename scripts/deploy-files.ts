// Readers for the deployment files (Dockerfile, .dockerignore, compose.yaml, deploy/**) and for
// what the app really serves and reads, so that scripts/deploy-files.test.ts compares the two
// instead of repeating either by hand.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { parseAllDocuments } from "yaml";

export interface DockerInstruction {
  /** Upper-case keyword: FROM, RUN, COPY, ... */
  op: string;
  /** Everything after the keyword, continuation lines joined. */
  args: string;
  /** The stage it belongs to (its `AS` name, or its index when it has none). */
  stage: string;
}

/** The instructions of a Dockerfile: comments dropped, `\` continuations joined. */
export function parseDockerfile(text: string): DockerInstruction[] {
  const out: DockerInstruction[] = [];
  let stage = "";
  let stages = 0;
  let pending = "";
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (pending === "" && (line === "" || line.startsWith("#"))) continue;
    if (pending !== "" && line.startsWith("#")) continue; // a comment inside a continued instruction
    if (line.endsWith("\\")) {
      pending += `${line.slice(0, -1).trim()} `;
      continue;
    }
    const whole = (pending + line).trim();
    pending = "";
    const m = /^(\w+)\s+([\s\S]*)$/.exec(whole);
    if (!m) continue;
    const op = m[1]!.toUpperCase();
    const args = m[2]!.trim();
    if (op === "FROM") {
      stage = /\s+AS\s+(\S+)\s*$/i.exec(args)?.[1] ?? String(stages);
      stages += 1;
    }
    out.push({ op, args, stage });
  }
  return out;
}

/** The stage names in order, and the last one (what `docker build` produces). */
export function dockerStages(instructions: DockerInstruction[]): string[] {
  return instructions.filter((i) => i.op === "FROM").map((i) => i.stage);
}

/** The JSON ("exec") form of CMD/ENTRYPOINT/HEALTHCHECK CMD; null for the shell form. */
export function execForm(args: string): string[] | null {
  const at = args.indexOf("[");
  if (at < 0) return null;
  try {
    const parsed: unknown = JSON.parse(args.slice(at));
    return Array.isArray(parsed) && parsed.every((p) => typeof p === "string") ? parsed : null;
  } catch {
    return null;
  }
}

/** ENV instructions of one stage as a map (`ENV A=1 B=2` form). */
export function dockerEnv(instructions: DockerInstruction[], stage: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const i of instructions) {
    if (i.stage !== stage || i.op !== "ENV") continue;
    for (const m of i.args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|\S+)/g)) env[m[1]!] = m[2]!.replace(/^"|"$/g, "");
  }
  return env;
}

/** The default of an `ARG NAME=value` before the first FROM. */
export function dockerArgDefault(text: string, name: string): string | null {
  return new RegExp(`^ARG\\s+${name}=(\\S+)`, "m").exec(text)?.[1] ?? null;
}

/**
 * Whether `.dockerignore` keeps `relPath` out of the build context: a pattern excludes a path
 * when it matches the path or one of its parent folders (Docker's rule). No `!` exceptions are
 * used by ours; one would be refused here rather than half-understood.
 */
export function dockerIgnored(patterns: string[], relPath: string): boolean {
  const parts = relPath.split("/");
  for (const pattern of patterns) {
    if (pattern.startsWith("!")) throw new Error(`.dockerignore exception patterns are not understood here: ${pattern}`);
    const p = pattern.replace(/^\/+|\/+$/g, "");
    for (let n = 1; n <= parts.length; n++) if (path.posix.matchesGlob(parts.slice(0, n).join("/"), p)) return true;
  }
  return false;
}

export function readDockerignore(root: string): string[] {
  return readFileSync(path.join(root, ".dockerignore"), "utf8")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"));
}

/** Every document of a YAML file (Kubernetes files may hold several), parse errors thrown. */
export function readYamlDocuments(file: string): unknown[] {
  return parseAllDocuments(readFileSync(file, "utf8")).map((doc) => {
    if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0]!.message}`);
    return doc.toJS() as unknown;
  });
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const abs = path.join(dir, name);
    if (statSync(abs).isDirectory()) {
      if (name === "node_modules" || name === "generated" || name === "testing") continue;
      out.push(...sourceFiles(abs));
    } else if (/\.(ts|tsx|js|mjs)$/.test(name) && !/\.test\.tsx?$/.test(name)) {
      out.push(abs);
    }
  }
  return out;
}

/** The server's own source files: lib/, app/, components/, proxy.ts, next.config.js, no tests. */
function appSourceFiles(root: string): string[] {
  return [...sourceFiles(path.join(root, "lib")), ...sourceFiles(path.join(root, "app")), ...sourceFiles(path.join(root, "components")), path.join(root, "proxy.ts"), path.join(root, "next.config.js")];
}

/**
 * The npm packages the server's source imports at run time (type-only imports left out): each
 * must be a production dependency, since the image installs no others.
 */
export function packagesImportedByApp(root: string): Set<string> {
  const names = new Set<string>();
  for (const file of appSourceFiles(root)) {
    const text = readFileSync(file, "utf8");
    const specifiers = [
      ...[...text.matchAll(/(?:^|\n)\s*(?:import|export)\s+(type\s+)?[^;]*?\sfrom\s+["']([^"']+)["']/g)].filter((m) => !m[1]).map((m) => m[2]!),
      ...[...text.matchAll(/(?:^|\n)\s*import\s+["']([^"']+)["']/g)].map((m) => m[1]!),
      ...[...text.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]!),
    ];
    for (const spec of specifiers) {
      if (spec.startsWith(".") || spec.startsWith("@/") || spec.startsWith("node:")) continue;
      const parts = spec.split("/");
      names.add(spec.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!);
    }
  }
  return names;
}

/**
 * The environment variables the server's own code reads (`process.env.NAME` or
 * `process.env["NAME"]` in the server's source; tests and test helpers excluded).
 */
export function envVarsReadByApp(root: string): Set<string> {
  const names = new Set<string>();
  for (const file of appSourceFiles(root)) {
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(/process\.env(?:\.([A-Z_][A-Z0-9_]*)|\[\s*["'`]([A-Z_][A-Z0-9_]*)["'`]\s*\])/g)) names.add((m[1] ?? m[2])!);
  }
  return names;
}

/**
 * The route handler that answers `urlPath` (app/<path>/route.ts with a GET), or null. Our probe
 * and scrape paths are plain folders: no dynamic segments or route groups to resolve.
 */
export function routeHandlerFor(root: string, urlPath: string): string | null {
  const rel = path.join("app", ...urlPath.split("/").filter(Boolean), "route.ts");
  const file = path.join(root, rel);
  if (!existsSync(file)) return null;
  return /export\s+(async\s+)?function\s+GET\b|export\s+const\s+GET\b/.test(readFileSync(file, "utf8")) ? rel : null;
}

/** `KEY=value` lines of an env file (compose's env_file format, without quoting). */
export function parseEnvFile(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (m) env[m[1]!] = m[2]!;
  }
  return env;
}
