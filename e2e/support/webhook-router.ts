// A webhook router for the tests: remembers the split it was told (POST {"to": n}) and answers it
// when read, so a cutover's shift and rollback run end to end without HAProxy. And a rehearsal
// cutover on it, with a "Canary" phase and its "Checks" section, created through the API.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { asAdmin } from "./fixtures";

/** Starts a router before the file's tests and stops it after; returns its URL's getter. */
export function useWebhookRouter(): () => string {
  let server: http.Server | undefined;
  let url = "";
  test.beforeAll(async () => {
    let percent = 0;
    server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        if (req.method === "POST") percent = (JSON.parse(body) as { to: number }).to;
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify({ percent }));
      });
    });
    await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/router`;
  });
  test.afterAll(() => server?.close());
  return () => url;
}

/** A command through the API as the demo lead (the admin token), which must succeed. */
export function commandsOf(request: APIRequestContext) {
  return async (name: string, data: unknown) => {
    const res = await request.post(`/api/v1/commands/${name}`, { headers: asAdmin, data });
    expect(res.status(), `${name}: ${await res.text()}`).toBeLessThan(300);
    return res.json();
  };
}

/** A rehearsal routed through the webhook router at `routerUrl`, not started, with one empty section. */
export async function rehearsalOnRouter(request: APIRequestContext, routerUrl: string, label: string, systems: [string, string]) {
  const cmd = commandsOf(request);
  const stamp = Date.now();
  const router = `${label.toLowerCase()}-router-${stamp}`;
  await cmd("integration.save", { name: router, type: "router", kind: "webhook", config: { url: routerUrl, readUrl: routerUrl, secret: `0123456789abcdef-${label.toLowerCase()}` } });
  const name = `${label} rehearsal ${stamp}`;
  const created = await request.post("/api/v1/cutovers", { headers: asAdmin, data: { name, systemFrom: systems[0], systemTo: systems[1], tZero: new Date().toISOString(), mode: "rehearsal" } });
  expect(created.status()).toBe(201);
  const { cutoverId } = (await created.json()) as { cutoverId: string };
  const { phaseId } = await cmd("phase.add", { cutoverId, name: "Canary" });
  const { sectionId } = await cmd("section.add", { cutoverId, phaseId, name: "Checks" });
  await cmd("router.set", { cutoverId, integration: router });
  return { cmd, cutoverId, sectionId, name };
}
