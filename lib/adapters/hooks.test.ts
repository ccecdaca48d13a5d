// Rollback hooks with real processes and a real local receiver: what a hook gets (environment,
// signed body), what is kept of its answer, and that a receiver the allow-list does not name is
// never contacted.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import type net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addAllowListSource } from "@/lib/net/allow-list";
import { childEnv } from "./child-env";
import { createHookRunner, redactHookConfig, runHook } from "./hooks";
import { verifyWebhookSignature } from "./traffic/webhook";

const context = { WARROOM_CUTOVER_ID: "cut-1", WARROOM_ROLLBACK_ID: "rb-1", WARROOM_REASON: "error rate" };
let dir: string;
let base = "";
let connections = 0;
const bodies: { url: string; body: string; signature: string }[] = [];
const server = http.createServer((req, res) => {
  let body = "";
  req.on("data", (d) => (body += d));
  req.on("end", () => {
    bodies.push({ url: req.url ?? "", body, signature: String(req.headers["x-warroom-signature"] ?? "") });
    if (req.url === "/redirect") {
      res.writeHead(307, { location: "/elsewhere" });
      return res.end();
    }
    if (req.url === "/fail") {
      res.statusCode = 500;
      return res.end("stack trace with DATABASE_URL=postgres://x:y@db");
    }
    res.end("receiver says: internal-answer-text");
  });
});
server.on("connection", () => connections++);

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "warroom-hooks-"));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe("command hooks", () => {
  it("get PATH, LANG and the rollback's WARROOM_* variables, none of the server's secrets", async () => {
    const secrets = { NEXTAUTH_SECRET: "nextauth-secret-value", DATABASE_URL: "postgres://app:dbpass@db/warroom", WARROOM_SECRET_KEY: "c2VjcmV0LWtleS12YWx1ZQ==", AUTH_SECRET: "auth-secret-value" };
    const before = { ...process.env };
    Object.assign(process.env, secrets);
    let r;
    try {
      r = await runHook("command", { argv: ["env"] }, context);
    } finally {
      for (const k of Object.keys(secrets)) if (before[k] === undefined) delete process.env[k];
      else process.env[k] = before[k];
    }
    expect(r).toMatchObject({ ok: true, status: "exit 0" });
    const env = Object.fromEntries(r.output.split("\n").map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]));
    expect(Object.keys(env).sort()).toEqual(["LANG", "PATH", "WARROOM_CUTOVER_ID", "WARROOM_REASON", "WARROOM_ROLLBACK_ID"]);
    expect(env).toMatchObject({ LANG: "C.UTF-8", WARROOM_CUTOVER_ID: "cut-1", WARROOM_ROLLBACK_ID: "rb-1", WARROOM_REASON: "error rate" });
    for (const value of Object.values(secrets)) expect(r.output).not.toContain(value);
  });

  it("keep a redacted, capped output and a short status", async () => {
    const script = path.join(dir, "noisy.sh");
    writeFileSync(script, 'for i in $(seq 1 400); do echo "line $i of noise"; done; echo "password=hunter2-value"; echo "passed ${1#--token=}" >&2; exit 4\n');
    const r = await runHook("command", { argv: ["sh", script, "--token=tok-abcdef"] }, context);
    expect(r).toMatchObject({ ok: false, status: "exit 4" });
    expect(r.output.length).toBeLessThanOrEqual(1001 + "exit 4\n".length);
    expect(r.output).toContain("password=••••");
    expect(r.output).not.toContain("hunter2-value");
    expect(r.output).not.toContain("tok-abcdef");
    expect(r.output).toMatch(/^exit 4\n…/);
  });

  it("report a timeout and a missing program without more", async () => {
    expect(await runHook("command", { argv: ["sleep", "5"], timeoutMs: 200 }, context)).toMatchObject({ ok: false, status: "timed out after 200 ms" });
    expect(await runHook("command", { argv: ["/nonexistent/tool"] }, context)).toMatchObject({ ok: false, status: "could not start" });
  });

  it("refuse a context variable that is not a documented WARROOM_* name", () => {
    expect(() => childEnv({ LD_PRELOAD: "/tmp/x.so" })).toThrow("LD_PRELOAD is not a context variable");
    expect(() => childEnv({ WARROOM_SECRET_KEY: "x" })).toThrow();
    expect(childEnv({ WARROOM_X: "a\0b" })).toMatchObject({ WARROOM_X: "ab", LANG: "C.UTF-8" });
  });

  it("show their settings with argv secrets and URL credentials hidden", () => {
    const shown = JSON.stringify(redactHookConfig("command", { argv: ["deploy", "--token", "t0k-value", "--password=p4ss-value", "sh -c 'curl https://u:pw-value@h/x'"] }));
    for (const s of ["t0k-value", "p4ss-value", "pw-value"]) expect(shown).not.toContain(s);
    expect(JSON.stringify(redactHookConfig("webhook", { url: "https://u:pw-value@hooks.example/x?token=q-value", secret: "the-webhook-secret" }))).not.toMatch(/pw-value|q-value|the-webhook-secret/);
  });
});

describe("webhook hooks", () => {
  it("without the allow-list, a local receiver is refused and never contacted", async () => {
    connections = 0;
    bodies.length = 0;
    const r = await runHook("webhook", { url: `${base}/hook`, secret: "hook-secret-1" }, context);
    expect(r).toMatchObject({ ok: false, status: "refused: 127.0.0.1 is a loopback address (ask an administrator to allow-list the host)" });
    expect(connections).toBe(0);
    expect(bodies).toEqual([]);
  });

  it("allow-listed: a signed POST; only the status is kept, never the answer's body", async () => {
    const undo = addAllowListSource(() => ["127.0.0.1"]);
    try {
      bodies.length = 0;
      const r = await runHook("webhook", { url: `${base}/hook`, secret: "hook-secret-1" }, context);
      expect(r).toMatchObject({ ok: true, status: `HTTP 200 from ${base.slice("http://".length)}` });
      expect(JSON.stringify(r)).not.toContain("internal-answer-text");
      expect(bodies).toHaveLength(1);
      expect(verifyWebhookSignature(bodies[0]!.body, bodies[0]!.signature, "hook-secret-1")).toBe(true);
      expect(JSON.parse(bodies[0]!.body)).toMatchObject(context);

      const failed = await runHook("webhook", { url: `${base}/fail` }, context);
      expect(failed).toMatchObject({ ok: false, status: `HTTP 500 from ${base.slice("http://".length)}` });
      expect(JSON.stringify(failed)).not.toContain("DATABASE_URL");
    } finally {
      undo();
    }
  });

  it("do not follow redirects", async () => {
    const undo = addAllowListSource(() => ["127.0.0.1"]);
    try {
      bodies.length = 0;
      const r = await runHook("webhook", { url: `${base}/redirect` }, context);
      expect(r).toMatchObject({ ok: false, status: expect.stringContaining("HTTP 307 from 127.0.0.1") });
      expect(bodies.map((b) => b.url)).toEqual(["/redirect"]);
    } finally {
      undo();
    }
  });
});


describe("the hook port", () => {
  it("one factory turns settings into a runner of the right kind; bad settings fail before anything runs", async () => {
    expect(createHookRunner("command", { argv: ["true"] }).kind).toBe("command");
    expect(createHookRunner("webhook", { url: `${base}/hook` }).kind).toBe("webhook");
    expect(() => createHookRunner("command", { argv: [] })).toThrow();
    const before = bodies.length;
    expect(() => createHookRunner("webhook", { url: "ftp://x/y" })).toThrow();
    await expect(runHook("command", { argv: "rm -rf /" }, context)).rejects.toThrow();
    expect(bodies.length).toBe(before);
  });
});
