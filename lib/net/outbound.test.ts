// The guard against a real local listener: every refused request must leave it untouched (no
// connection at all), every allowed one must really reach it.
import http from "node:http";
import type net from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { useFreshDatabase } from "@/lib/testing/fixtures";
import { addAllowListSource, invalidateAllowList } from "./allow-list";
import { assertAllowedTcpTarget, guardedLookup, OutboundError, outboundRequest, statusMessage } from "./outbound";

let port = 0;
let connections = 0;
const paths: string[] = [];
const authHeaders: (string | undefined)[] = [];
const server = http.createServer((req, res) => {
  paths.push(req.url ?? "");
  authHeaders.push(req.headers.authorization);
  if (req.url === "/redirect") {
    res.writeHead(302, { location: "/target" });
    return res.end();
  }
  if (req.url === "/hang") return; // never answers
  if (req.url === "/big") {
    // No content-length: the client must count while streaming.
    const chunk = Buffer.alloc(64 * 1024, "x");
    let sent = 0;
    const pump = () => {
      while (sent < 40) {
        sent++;
        if (!res.write(chunk)) return void res.once("drain", pump);
      }
      res.end();
    };
    return pump();
  }
  if (req.url === "/big-declared") {
    res.writeHead(200, { "content-length": String(5 * 1024 * 1024) });
    return res.write("x");
  }
  if (req.url === "/500") {
    res.statusCode = 500;
    return res.end("SECRET-BODY-TEXT: internal details");
  }
  res.setHeader("content-type", "application/json");
  res.setHeader("x-thing", "yes");
  res.end(JSON.stringify({ hello: "world", method: req.method }));
});
server.on("connection", () => connections++);

const reset = () => {
  connections = 0;
  paths.length = 0;
  authHeaders.length = 0;
};

beforeAll(async () => {
  await useFreshDatabase();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as net.AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});
let undo: (() => void) | null = null;
afterEach(() => {
  undo?.();
  undo = null;
  delete process.env.WARROOM_OUTBOUND_ALLOW;
});

const allow = (...entries: string[]) => (undo = addAllowListSource(() => entries));

async function refusal(url: string): Promise<OutboundError> {
  const err = await outboundRequest(url, { timeoutMs: 2000 }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(OutboundError);
  return err as OutboundError;
}

describe("without the allow-list, local and private targets are refused before any connection", () => {
  it.each([
    ["127.0.0.1", "refused: 127.0.0.1 is a loopback address (ask an administrator to allow-list the host)"],
    ["localhost", "is a loopback address"],
    ["[::ffff:127.0.0.1]", "is a loopback address"],
    ["2130706433", "refused: 127.0.0.1 is a loopback address"],
    ["0x7f.0.0.1", "refused: 127.0.0.1 is a loopback address"],
    ["0.0.0.0", "refused: 0.0.0.0 is the unspecified address"],
    ["[::1]", "refused: ::1 is a loopback address"],
  ])("http://%s:<port>/", async (host, message) => {
    reset();
    const err = await refusal(`http://${host}:${port}/`);
    expect(err.code).toBe("refused");
    expect(err.message).toContain(message);
    expect(connections).toBe(0);
    expect(paths).toEqual([]);
  });

  it("the metadata and private addresses are refused with their name, without trying to connect", async () => {
    // Nothing listens at these here; the point is the refusal comes first, whatever is there.
    expect((await refusal("http://169.254.169.254/latest/meta-data/")).message).toBe("refused: 169.254.169.254 is the cloud metadata address (ask an administrator to allow-list the host)");
    expect((await refusal("http://10.0.0.5:9090/api/v1/query")).message).toBe("refused: 10.0.0.5 is a private address (ask an administrator to allow-list the host)");
    expect((await refusal("https://[fd00::1]/")).message).toContain("is a unique-local address");
  });

  it("the lookup of a connecting socket refuses a name that resolves to a forbidden address", async () => {
    const err = await new Promise<Error | null>((resolve) => guardedLookup("localhost", { all: true }, (e) => resolve(e)));
    expect(err).toBeInstanceOf(OutboundError);
    expect(err!.message).toMatch(/^refused: .* is a loopback address/);
  });

  it("only http and https", async () => {
    for (const url of ["file:///etc/passwd", "ftp://example.com/x", "gopher://127.0.0.1:70/", "not a url"]) {
      const err = await refusal(url);
      expect(err.code).toBe("invalid_url");
      expect(err.message).not.toContain("passwd");
    }
  });
});

describe("allow-listed targets", () => {
  it("an entry from a registered source opens the way; the answer is read whole", async () => {
    reset();
    allow("127.0.0.1");
    const res = await outboundRequest(`http://127.0.0.1:${port}/ok`, { method: "POST", body: "{}", headers: { "content-type": "application/json" }, timeoutMs: 2000 });
    expect(res).toMatchObject({ status: 200, ok: true, where: `127.0.0.1:${port}` });
    expect(res.json()).toEqual({ hello: "world", method: "POST" });
    expect(res.headers.get("x-thing")).toBe("yes");
    expect(paths).toEqual(["/ok"]);
  });

  it("a host-name entry allows that name (resolved at connect time)", async () => {
    reset();
    allow("localhost");
    const res = await outboundRequest(`http://localhost:${port}/ok`, { timeoutMs: 2000 });
    expect(res.status).toBe(200);
    expect(paths).toEqual(["/ok"]);
    // The entry is the name, not the address: the address itself stays refused.
    expect((await refusal(`http://127.0.0.1:${port}/`)).code).toBe("refused");
  });

  it("the operator's WARROOM_OUTBOUND_ALLOW counts", async () => {
    process.env.WARROOM_OUTBOUND_ALLOW = "prom.internal, 127.0.0.0/8";
    expect((await outboundRequest(`http://127.0.0.1:${port}/ok`, { timeoutMs: 2000 })).status).toBe(200);
  });

  it("the administrators' table counts, and a change is seen after invalidateAllowList()", async () => {
    expect((await refusal(`http://127.0.0.1:${port}/`)).code).toBe("refused");
    await db().outboundAllowedHost.create({ data: { host: "127.0.0.1", note: "test listener" } });
    invalidateAllowList();
    expect((await outboundRequest(`http://127.0.0.1:${port}/ok`, { timeoutMs: 2000 })).status).toBe(200);
    await db().outboundAllowedHost.deleteMany({});
    invalidateAllowList();
    expect((await refusal(`http://127.0.0.1:${port}/`)).code).toBe("refused");
  });

  it("a redirect is an error and is not followed", async () => {
    reset();
    allow("127.0.0.1");
    const err = await refusal(`http://127.0.0.1:${port}/redirect`);
    expect(err).toMatchObject({ code: "redirect", message: `HTTP 302 from 127.0.0.1:${port} (redirects are not followed)` });
    expect(paths).toEqual(["/redirect"]);
  });

  it("time is bounded", async () => {
    allow("127.0.0.1");
    const err = await outboundRequest(`http://127.0.0.1:${port}/hang`, { timeoutMs: 200 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "timeout", message: `127.0.0.1:${port} did not answer within 200 ms` });
    const ctl = new AbortController();
    const pending = outboundRequest(`http://127.0.0.1:${port}/hang`, { timeoutMs: 5000, signal: ctl.signal }).catch((e: unknown) => e);
    ctl.abort();
    expect(await pending).toMatchObject({ code: "aborted" });
  });

  it("size is bounded, whether announced or streamed", async () => {
    allow("127.0.0.1");
    expect(await outboundRequest(`http://127.0.0.1:${port}/big`, { timeoutMs: 5000, maxBytes: 256 * 1024 }).catch((e: unknown) => e)).toMatchObject({ code: "too_large", message: `the answer from 127.0.0.1:${port} is larger than 262144 bytes` });
    expect(await outboundRequest(`http://127.0.0.1:${port}/big-declared`, { timeoutMs: 5000 }).catch((e: unknown) => e)).toMatchObject({ code: "too_large" });
    expect((await outboundRequest(`http://127.0.0.1:${port}/big`, { timeoutMs: 5000, maxBytes: 4 * 1024 * 1024 })).text()).toHaveLength(40 * 64 * 1024);
  });

  it("errors name host:port only: no credentials, path, query or body", async () => {
    reset();
    allow("127.0.0.1");
    const res = await outboundRequest(`http://user:hunter2@127.0.0.1:${port}/ok?token=abc`, { timeoutMs: 2000 });
    // URL credentials become Basic auth, as a browser would send them.
    expect(authHeaders[0]).toBe(`Basic ${Buffer.from("user:hunter2").toString("base64")}`);
    expect(res.status).toBe(200);
    const r500 = await outboundRequest(`http://127.0.0.1:${port}/500`, { timeoutMs: 2000 });
    expect(statusMessage(r500)).toBe(`HTTP 500 from 127.0.0.1:${port}`);
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const closedPort = (closed.address() as net.AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const err = await refusal(`http://user:hunter2@127.0.0.1:${closedPort}/secret-path?token=abc`);
    expect(err).toMatchObject({ code: "connection_refused", message: `connection refused by 127.0.0.1:${closedPort} (nothing listens there)` });
    const malformed = await outboundRequest(`http://127.0.0.1:${port}/ok`, { headers: { "x-sig": "a\r\nx-injected: secret-header-value" }, timeoutMs: 2000 }).catch((e: unknown) => e);
    expect(malformed).toMatchObject({ code: "invalid_request" });
    expect((malformed as Error).message).not.toContain("secret-header-value");
    const notJson = await outboundRequest(`http://127.0.0.1:${port}/500`, { timeoutMs: 2000 });
    expect(() => notJson.json()).toThrow(`the answer from 127.0.0.1:${port} is not JSON (HTTP 500)`);
  });
});

describe("assertAllowedTcpTarget", () => {
  it("applies the same policy to raw TCP targets and returns the address that was checked", async () => {
    await expect(assertAllowedTcpTarget("127.0.0.1", 9999)).rejects.toThrow("refused: 127.0.0.1 is a loopback address");
    await expect(assertAllowedTcpTarget("localhost", 9999)).rejects.toThrow(/is a loopback address/);
    await expect(assertAllowedTcpTarget("10.1.1.1", 9999)).rejects.toThrow("is a private address");
    await expect(assertAllowedTcpTarget("127.0.0.1", 0)).rejects.toThrow("port 0 is not 1..65535");
    allow("127.0.0.1", "localhost");
    expect(await assertAllowedTcpTarget("127.0.0.1", 9999)).toEqual({ address: "127.0.0.1", family: 4 });
    expect((await assertAllowedTcpTarget("localhost", 9999)).address).toMatch(/^(127\.0\.0\.1|::1)$/);
    expect(await assertAllowedTcpTarget("8.8.8.8", 53)).toEqual({ address: "8.8.8.8", family: 4 });
  });
});
