// The operator's configuration file: validated with the adapters' own schemas, one clear line
// for anything wrong (the server refuses to start with it), and PROMETHEUS_URL as the default source.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadServerConfig, parseServerConfigFile, ServerConfigError } from "./server-config";

const dir = mkdtempSync(path.join(os.tmpdir(), "wr-server-config-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const parse = (value: unknown) => parseServerConfigFile("warroom.config.json", typeof value === "string" ? value : JSON.stringify(value));
const failure = (value: unknown) => {
  try {
    parse(value);
  } catch (err) {
    expect(err).toBeInstanceOf(ServerConfigError);
    return (err as Error).message;
  }
  throw new Error("expected the file to be refused");
};

describe("the server configuration file", () => {
  it("reads every kind, fills in the adapters' defaults, and the allow-list", () => {
    const c = parse({
      integrations: [
        { name: "edge", type: "router", kind: "haproxy", config: { socket: "/run/haproxy/admin.sock", backend: "be_app", oldServer: "old", newServer: "new", stateFile: "/var/lib/haproxy/state" } },
        { name: "argo", type: "router", kind: "command", config: { setCommand: ["/usr/local/bin/set-weight"], readCommand: ["/usr/local/bin/get-weight"] } },
        { name: "ng", type: "router", kind: "nginx", config: { upstreamFile: "/etc/nginx/warroom.conf", upstreamName: "app", oldServer: "10.0.0.1:80", newServer: "10.0.0.2:80" } },
        { name: "read-only", type: "hook", kind: "command", config: { argv: ["/usr/local/bin/read-only", "on"] } },
        { name: "prom", type: "prometheus", kind: "prometheus", config: { url: "http://prometheus.internal:9090", auth: { kind: "basic", username: "u", password: "p" } } },
      ],
      outbound: { allowHosts: ["prometheus.internal", "10.0.0.0/8"] },
    });
    expect(c.integrations.map((i) => [i.name, i.type, i.kind])).toEqual([
      ["edge", "router", "haproxy"],
      ["argo", "router", "command"],
      ["ng", "router", "nginx"],
      ["read-only", "hook", "command"],
      ["prom", "prometheus", "prometheus"],
    ]);
    expect(c.integrations[1]!.config).toMatchObject({ timeoutMs: 30_000 });
    expect(c.integrations[2]!.config).toMatchObject({ nginxBinary: "nginx" });
    expect(c.allowHosts).toEqual(["prometheus.internal", "10.0.0.0/8"]);
    expect(parse({})).toEqual({ integrations: [], allowHosts: [] });
  });

  it("refuses a bad file with one line naming the file, the entry and the problem", () => {
    const cases: [unknown, RegExp][] = [
      ["{ not json", /not valid JSON/],
      [{ integrations: [{ name: "x", type: "router", kind: "ftp", config: {} }] }, /integrations\.0 \("x"\): a router is one of: haproxy, nginx, webhook, command/],
      [{ integrations: [{ name: "x", type: "router", kind: "haproxy", config: { socket: "/s", backend: "a; disable", oldServer: "o", newServer: "n" } }] }, /integrations\.0 \("x"\): backend: /],
      [{ integrations: [{ name: "x", type: "prometheus", kind: "prometheus", config: { url: "file:///etc/passwd" } }] }, /url: expected an http\(s\) URL/],
      [{ integrations: [{ name: "a b", type: "hook", kind: "command", config: { argv: ["true"] } }] }, /integrations\.0\.name/],
      [{ integrations: [{ name: "x", type: "hook", kind: "command", config: { argv: ["true"] } }, { name: "x", type: "hook", kind: "command", config: { argv: ["true"] } }] }, /"x" is used twice/],
      [{ integration: [] }, /Unrecognized key/],
    ];
    for (const [value, pattern] of cases) {
      const message = failure(value);
      expect(message).toMatch(/^server configuration warroom\.config\.json: /);
      expect(message).toMatch(pattern);
      expect(message).not.toContain("\n");
    }
  });

  it("PROMETHEUS_URL is the server-wide source named \"default\", unless the file defines that name", () => {
    const file = path.join(dir, "a.json");
    writeFileSync(file, JSON.stringify({ integrations: [] }));
    process.env.WARROOM_CONFIG = file;
    process.env.PROMETHEUS_URL = "http://127.0.0.1:9090";
    try {
      expect(loadServerConfig().integrations).toMatchObject([{ name: "default", type: "prometheus", config: { url: "http://127.0.0.1:9090" } }]);
      writeFileSync(file, JSON.stringify({ integrations: [{ name: "default", type: "prometheus", kind: "prometheus", config: { url: "http://prom.internal:9090" } }] }));
      expect(loadServerConfig().integrations).toMatchObject([{ name: "default", config: { url: "http://prom.internal:9090" } }]);
      process.env.WARROOM_CONFIG = path.join(dir, "missing.json");
      expect(() => loadServerConfig()).toThrow(/does not exist/);
    } finally {
      delete process.env.WARROOM_CONFIG;
      delete process.env.PROMETHEUS_URL;
    }
  });

  it("the server does not start with a bad file: one line, no stack trace, exit 1", () => {
    const file = path.join(dir, "bad.json");
    writeFileSync(file, JSON.stringify({ integrations: [{ name: "x", type: "router", kind: "command", config: { setCommand: [] } }] }));
    const r = spawnSync(process.execPath, ["--import", "tsx", "lib/server/main.ts"], {
      env: { ...process.env, WARROOM_CONFIG: file, WARROOM_DATA_DIR: path.join(dir, "data"), DATABASE_URL: "postgres://nobody@127.0.0.1:1/none" },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(r.status).toBe(1);
    const lines = r.stderr.trim().split("\n").filter((l) => l.startsWith("[warroom]") || /^\s+at /.test(l));
    expect(lines).toEqual([expect.stringMatching(/^\[warroom\] server configuration .*bad\.json: integrations\.0 \("x"\): setCommand: the command needs at least the program$/)]);
  }, 60_000);
});
