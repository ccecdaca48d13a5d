// The old and the new system as two in-test HTTP servers behind a real load balancer (HAProxy,
// nginx), each answering with its name: the split is measured by counting who answered real requests.
import http from "node:http";
import type net from "node:net";

export type Split = { old: number; new: number };

/** Listens on a free port of 127.0.0.1; resolves to that port. */
export async function listenLocal(server: net.Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return (server.address() as net.AddressInfo).port;
}

/** Polls fn every 20 ms until it returns something truthy; the error names what and adds log(). */
export async function waitUntil<T>(what: string, fn: () => Promise<T | null | undefined | false>, log: () => string, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => null);
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${log()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export interface TwoBackends {
  /** The ports of the old and the new server on 127.0.0.1. */
  ports: { old: number; new: number };
  /** Sends n GET requests to url (20 at a time), each expected to answer 200; who answered how often. */
  count(url: string, n: number, init?: RequestInit): Promise<Split>;
  close(): Promise<void>;
}

/** delays: a path answered only after that many ms (a long request, to hold a connection open). */
export async function startTwoBackends(delays: Record<string, number> = {}): Promise<TwoBackends> {
  const hits: Split = { old: 0, new: 0 };
  const servers: http.Server[] = [];
  const ports = { old: 0, new: 0 };
  for (const name of ["old", "new"] as const) {
    const s = http.createServer((req, res) => {
      hits[name]++;
      const ms = delays[req.url ?? ""];
      if (ms) setTimeout(() => res.end(name), ms);
      else res.end(name);
    });
    servers.push(s);
    ports[name] = await listenLocal(s);
  }
  return {
    ports,
    async count(url, n, init) {
      hits.old = hits.new = 0;
      let next = 0;
      const worker = async () => {
        while (next < n) {
          next++;
          const res = await fetch(url, init);
          if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
          await res.text();
        }
      };
      await Promise.all(Array.from({ length: 20 }, worker));
      return { ...hits };
    },
    async close() {
      for (const s of servers) await new Promise((r) => s.close(r));
    },
  };
}
