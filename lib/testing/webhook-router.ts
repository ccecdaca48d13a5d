// For tests only: a webhook router on 127.0.0.1 that remembers the split it was told (POST {to})
// and answers it when read ({percent}), as a load balancer's API would.
import http from "node:http";
import type { AddressInfo } from "node:net";

export async function startWebhookRouter(): Promise<{ url: string; close(): void }> {
  let percent = 0;
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      if (req.method === "POST") percent = (JSON.parse(body || "{}") as { to?: number }).to ?? percent;
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ percent }));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/router`, close: () => void server.close() };
}
