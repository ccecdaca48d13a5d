// Applies prisma/migrations to a database without the Prisma CLI: Prisma's own schema engine,
// shipped as WebAssembly, driven through the pg driver adapter. The result is recorded in
// _prisma_migrations exactly as `prisma migrate deploy` would, so both stay interchangeable.
// This is an internal Prisma API: it lives only here, with exact version pins in package.json.
import { readFile, readdir } from "node:fs/promises";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";

type EngineFactory = { new: (options: unknown, log: (line: string) => void, adapter: object) => Promise<Engine> };
type Engine = {
  applyMigrations(input: unknown): Promise<{ appliedMigrationNames: string[] }>;
  diff(input: unknown): Promise<{ exitCode: number; stdout: string | null }>;
  free(): void;
};

let wasmReady: Promise<{ SchemaEngine: EngineFactory }> | null = null;

async function loadWasm() {
  wasmReady ??= (async () => {
    const bg = (await import("@prisma/schema-engine-wasm/schema_engine_bg")) as unknown as Record<string, unknown> & {
      __wbg_set_wasm(exports: WebAssembly.Exports): void;
      SchemaEngine: EngineFactory;
    };
    // Resolved through require: the package exports no package.json, and vitest's module
    // runner has no import.meta.resolve.
    const jsPath = createRequire(import.meta.url).resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const wasmPath = path.join(path.dirname(jsPath), "schema_engine_bg.wasm");
    const wasmModule = await WebAssembly.compile(new Uint8Array(await readFile(wasmPath)));
    const instance = await WebAssembly.instantiate(wasmModule, { "./schema_engine_bg.js": bg as WebAssembly.ModuleImports });
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as (() => void) | undefined)?.();
    return { SchemaEngine: bg.SchemaEngine };
  })();
  return wasmReady;
}

export const PRISMA_DIR = path.resolve(process.cwd(), "prisma");
const filters = { externalTables: [], externalEnums: [] };

type ScriptAdapter = { executeScript(script: string): Promise<void>; underlyingDriver(): { query(sql: string): Promise<unknown> }; onError(err: unknown): never; dispose(): Promise<void> };

/**
 * PrismaPg's executeScript splits a migration on every ";", which breaks dollar-quoted function
 * bodies (our audit trigger). The native engine that `prisma migrate deploy` uses sends the
 * script whole; so do we: one simple-protocol query runs all its statements.
 */
function wholeScriptAdapter(connectionString: string, opened: ScriptAdapter[]) {
  const factory = new PrismaPg({ connectionString });
  const patch = <F extends () => Promise<unknown>>(open: F): F =>
    (async () => {
      const adapter = (await open()) as ScriptAdapter;
      opened.push(adapter);
      adapter.executeScript = async (script: string) => {
        try {
          await adapter.underlyingDriver().query(script);
        } catch (err) {
          adapter.onError(err);
        }
      };
      return adapter;
    }) as F;
  // The shadow database (used to replay migrations for a diff) gets the same treatment.
  factory.connect = patch(factory.connect.bind(factory));
  factory.connectToShadowDb = patch(factory.connectToShadowDb.bind(factory));
  return factory;
}

async function withEngine<T>(connectionString: string, schemaText: string, fn: (engine: Engine, logs: string[]) => Promise<T>): Promise<T> {
  const { SchemaEngine } = await loadWasm();
  const logs: string[] = [];
  const opened: ScriptAdapter[] = [];
  const adapter = bindMigrationAwareSqlAdapterFactory(wholeScriptAdapter(connectionString, opened));
  const engine = await SchemaEngine.new({ datamodels: [["schema.prisma", schemaText]] }, (line: string) => logs.push(line), adapter);
  try {
    return await fn(engine, logs);
  } finally {
    engine.free();
    // The engine does not close its pools: without this each run leaves connections open.
    await Promise.all(opened.map((a) => a.dispose().catch(() => {})));
  }
}

export async function readMigrationList(prismaDir = PRISMA_DIR) {
  const baseDir = path.join(prismaDir, "migrations");
  const lockPath = path.join(baseDir, "migration_lock.toml");
  const dirs = existsSync(baseDir) ? (await readdir(baseDir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort() : [];
  const migrationDirectories = await Promise.all(
    dirs.map(async (name) => {
      const file = path.join(baseDir, name, "migration.sql");
      const content = existsSync(file)
        ? { tag: "ok" as const, value: await readFile(file, "utf8") }
        : { tag: "error" as const, value: `missing ${file}` };
      return { path: name, migrationFile: { path: "migration.sql", content } };
    }),
  );
  return {
    baseDir,
    lockfile: { path: "migration_lock.toml", content: existsSync(lockPath) ? await readFile(lockPath, "utf8") : null },
    shadowDbInitScript: "",
    migrationDirectories,
  };
}

/** Applies pending migrations; returns the names applied now (empty when up to date). */
export async function applyMigrations(connectionString: string, prismaDir = PRISMA_DIR): Promise<string[]> {
  const schema = await readFile(path.join(prismaDir, "schema.prisma"), "utf8");
  const migrationsList = await readMigrationList(prismaDir);
  return withEngine(connectionString, schema, async (engine) => {
    const out = await engine.applyMigrations({ migrationsList, filters });
    return out.appliedMigrationNames;
  });
}

/**
 * SQL that takes a database from the datamodel `from` (null = empty) to `toDatamodel`; used by
 * scripts/new-migration.ts. No database is touched by the diff itself.
 */
export async function diffSql(connectionString: string, from: string | null, toDatamodel: string): Promise<string> {
  return withEngine(connectionString, toDatamodel, async (engine) => {
    const out = await engine.diff({
      from: from === null ? { tag: "empty" } : { tag: "schemaDatamodel", files: [{ path: "schema.prisma", content: from }] },
      to: { tag: "schemaDatamodel", files: [{ path: "schema.prisma", content: toDatamodel }] },
      script: true,
      exitCode: null,
      filters,
    });
    return out.stdout ?? "";
  });
}
