// The operator's server configuration file (WARROOM_CONFIG, or $WARROOM_DATA_DIR/warroom.config.json
// when it exists): the only place where integrations that run a program or name a server path are
// defined, plus the hosts outbound requests may reach. It is read at start (a bad file stops the
// start with one line) and again whenever it changes on disk (a bad edit keeps the last good one).
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { INTEGRATION_TYPES, integrationName, parseIntegrationSettings, type IntegrationSettings } from "@/lib/integrations/schemas";

export class ServerConfigError extends Error {}

export type FileIntegration = IntegrationSettings & { name: string; file: string };

export interface ServerConfig {
  integrations: FileIntegration[];
  allowHosts: string[];
}

const fileSchema = z
  .object({
    integrations: z
      .array(
        z.object({
          name: integrationName,
          type: z.enum(INTEGRATION_TYPES),
          kind: z.string(),
          config: z.record(z.string(), z.unknown()).default({}),
        }),
      )
      .default([]),
    outbound: z.object({ allowHosts: z.array(z.string().trim().min(1).max(255)).default([]) }).strict().default({ allowHosts: [] }),
  })
  .strict();

/** Parses one configuration file; throws ServerConfigError with one line saying what and where. */
export function parseServerConfigFile(file: string, text: string): ServerConfig {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ServerConfigError(`server configuration ${file}: not valid JSON (${(err as Error).message.split("\n")[0]})`);
  }
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new ServerConfigError(`server configuration ${file}: ${i.path.map(String).join(".") || "(top level)"}: ${i.message}`);
  }
  const integrations: FileIntegration[] = [];
  const seen = new Set<string>();
  parsed.data.integrations.forEach((entry, index) => {
    if (seen.has(entry.name)) throw new ServerConfigError(`server configuration ${file}: integrations.${index}: the name "${entry.name}" is used twice`);
    seen.add(entry.name);
    let settings: ReturnType<typeof parseIntegrationSettings>;
    try {
      settings = parseIntegrationSettings(entry.type, entry.kind, entry.config);
    } catch (err) {
      // A schema that throws instead of reporting still ends in one line, not a stack trace.
      settings = { ok: false, error: (err as Error).message.split("\n")[0] ?? "invalid settings" };
    }
    if (!settings.ok) throw new ServerConfigError(`server configuration ${file}: integrations.${index} ("${entry.name}"): ${settings.error}`);
    integrations.push({ ...settings.value, name: entry.name, file } as FileIntegration);
  });
  return { integrations, allowHosts: parsed.data.outbound.allowHosts };
}

function mainFile(): { file: string; required: boolean } | null {
  if (process.env.WARROOM_CONFIG) return { file: path.resolve(/*turbopackIgnore: true*/ process.env.WARROOM_CONFIG), required: true };
  const dataDir = path.resolve(/*turbopackIgnore: true*/ process.env.WARROOM_DATA_DIR ?? ".data");
  return { file: path.join(dataDir, "warroom.config.json"), required: false };
}

interface Loaded {
  file: string;
  stamp: string;
  config: ServerConfig;
}

// Files added at run time (the lab's). Also kept in the environment: Next's route handlers run
// their own copy of this module in the same process, and must read the same files.
const EXTRA_ENV = "WARROOM_CONFIG_EXTRA";
const extraFiles = (): string[] => (process.env[EXTRA_ENV] ?? "").split(path.delimiter).filter(Boolean);
interface State {
  loaded: Map<string, Loaded>;
  checkedAt: number;
  merged: ServerConfig | null;
  onChange: (() => void) | null;
  warn: (line: string) => void;
  lastEnvUrl: string | undefined;
}
// One state per process, shared through globalThis: the custom server and Next's route handlers
// load their own copies of this module, and must never disagree on which integrations exist (a
// router picked through one and used through the other a moment later).
const holder = globalThis as unknown as { __warroomServerConfig?: State };
const state: State = (holder.__warroomServerConfig ??= {
  loaded: new Map(),
  checkedAt: 0,
  merged: null,
  onChange: null,
  warn: (line) => console.error(`[warroom] ${line}`),
  lastEnvUrl: undefined,
});
const loaded = state.loaded;

function stampOf(file: string): string | null {
  try {
    const s = statSync(/*turbopackIgnore: true*/ file);
    return `${s.mtimeMs}:${s.size}`;
  } catch {
    return null;
  }
}

/** Reads the files again when they changed; strict (throws) at start, forgiving afterwards. */
function refresh(strict: boolean): void {
  const main = mainFile();
  const files = [...(main ? [main] : []), ...extraFiles().map((file) => ({ file, required: true }))];
  let changed = false;
  for (const { file, required } of files) {
    const stamp = stampOf(file);
    if (stamp === null) {
      if (required && strict) throw new ServerConfigError(`server configuration ${file}: the file does not exist (WARROOM_CONFIG names it)`);
      if (loaded.delete(file)) changed = true;
      continue;
    }
    if (loaded.get(file)?.stamp === stamp) continue;
    try {
      loaded.set(file, { file, stamp, config: parseServerConfigFile(file, readFileSync(/*turbopackIgnore: true*/ file, "utf8")) });
      changed = true;
    } catch (err) {
      if (strict) throw err;
      state.warn(`${(err as Error).message}; keeping the configuration read before`);
      // Remember the stamp so the same bad edit is reported once.
      const prev = loaded.get(file);
      if (prev) loaded.set(file, { ...prev, stamp });
    }
  }
  for (const file of [...loaded.keys()]) if (!files.some((f) => f.file === file)) loaded.delete(file) && (changed = true);
  if (!changed && state.merged) return;
  const integrations: FileIntegration[] = [];
  for (const l of loaded.values()) {
    for (const i of l.config.integrations) {
      const clash = integrations.find((x) => x.name === i.name);
      if (clash) {
        const line = `server configuration: "${i.name}" is defined in both ${clash.file} and ${i.file}`;
        if (strict) throw new ServerConfigError(line);
        state.warn(`${line}; the first one is used`);
        continue;
      }
      integrations.push(i);
    }
  }
  // PROMETHEUS_URL stays the shortcut it was: a server-wide source named "default".
  const envUrl = process.env.PROMETHEUS_URL;
  if (envUrl && !integrations.some((i) => i.name === DEFAULT_PROMETHEUS_SOURCE)) {
    const settings = parseIntegrationSettings("prometheus", "prometheus", { url: envUrl });
    if (settings.ok) integrations.push({ ...settings.value, name: DEFAULT_PROMETHEUS_SOURCE, file: "PROMETHEUS_URL" } as FileIntegration);
    else if (strict) throw new ServerConfigError(`PROMETHEUS_URL: ${settings.error}`);
  }
  state.merged = { integrations, allowHosts: [...new Set([...loaded.values()].flatMap((l) => l.config.allowHosts))] };
  state.onChange?.();
}

/** The source a cutover without its own Prometheus source reads (PROMETHEUS_URL, or one the operator names so). */
export const DEFAULT_PROMETHEUS_SOURCE = "default";


/** The configuration in force: the files are looked at again at most once a second. */
export function serverConfig(): ServerConfig {
  const now = Date.now();
  if (!state.merged || now - state.checkedAt > 1000 || state.lastEnvUrl !== process.env.PROMETHEUS_URL) {
    state.checkedAt = now;
    if (state.lastEnvUrl !== process.env.PROMETHEUS_URL) state.merged = null;
    state.lastEnvUrl = process.env.PROMETHEUS_URL;
    refresh(false);
  }
  return state.merged!;
}

/** At start: reads every file strictly, so a bad one stops the start with one clear line. */
export function loadServerConfig(opts: { log?: (line: string) => void; onChange?: () => void } = {}): ServerConfig {
  if (opts.log) state.warn = opts.log;
  if (opts.onChange) state.onChange = opts.onChange;
  state.merged = null;
  loaded.clear();
  state.lastEnvUrl = process.env.PROMETHEUS_URL;
  state.checkedAt = Date.now();
  refresh(true);
  return state.merged!;
}

/** A further file owned by this process (the lab writes its own), read like the main one. */
export function addServerConfigFile(file: string): ServerConfig {
  const abs = path.resolve(/*turbopackIgnore: true*/ file);
  if (!extraFiles().includes(abs)) process.env[EXTRA_ENV] = [...extraFiles(), abs].join(path.delimiter);
  state.merged = null;
  state.checkedAt = Date.now();
  refresh(true);
  return state.merged!;
}

export function setServerConfigChangeListener(fn: () => void): void {
  state.onChange = fn;
}

/** Whether the main file exists (for the start-up log line). */
export function serverConfigFile(): string | null {
  const main = mainFile();
  return main && existsSync(/*turbopackIgnore: true*/ main.file) ? main.file : null;
}
