// A sign-off made through the REST API reaching 50 other connected socket.io clients of the same
// cutover: time from sending the request to each client receiving the event. Target: p95 < 150 ms.
// Usage: npx tsx bench/signoff-fanout.ts [--clients 50] [--signoffs 200]
import { io, type Socket } from "socket.io-client";
import { BENCH_TOKEN, machine, percentile, sessionCookie, startApp, numberArg } from "./support/app";

const CLIENTS = numberArg("clients", 50);
const SIGNOFFS = numberArg("signoffs", 200);
const auth = { Authorization: `Bearer ${BENCH_TOKEN}`, "content-type": "application/json" };

const app = await startApp({ dataDir: ".data/bench-fanout" });
try {
  const list = (await (await fetch(`${app.url}/api/v1/cutovers`, { headers: auth })).json()) as { cutovers: { id: string }[] };
  const cutoverId = list.cutovers[0]!.id;
  const state = (await (await fetch(`${app.url}/api/v1/cutovers/${cutoverId}`, { headers: auth })).json()) as {
    phases: { sections: { items: { id: string; ownerRole: string; state: string }[] }[] }[];
  };
  const items = state.phases.flatMap((p) => p.sections.flatMap((s) => s.items)).filter((i) => i.ownerRole === "DEPLOYMENT_LEAD" && i.state === "open");
  const cookie = await sessionCookie(app.url, "observer@demo.warroom");

  const sockets: Socket[] = [];
  const pending = new Map<string, { sentAt: number; received: number }>();
  const latencies: number[] = [];
  for (let i = 0; i < CLIENTS; i++) {
    const s = io(app.url, { path: "/socket.io", transports: ["websocket"], extraHeaders: { cookie }, forceNew: true });
    await new Promise<void>((resolve, reject) => {
      s.once("connect_error", reject);
      s.once("connect", () => s.emit("join", { cutoverId }, (r: { ok: boolean }) => (r.ok ? resolve() : reject(new Error("join refused")))));
    });
    s.on("event", (e: { type: string; subject?: string }) => {
      if (e.type !== "item.signed_off" || !e.subject) return;
      const p = pending.get(e.subject);
      if (!p) return;
      latencies.push(performance.now() - p.sentAt);
      p.received++;
    });
    sockets.push(s);
  }

  const t0 = performance.now();
  for (let n = 0; n < SIGNOFFS; n++) {
    const item = items[n % items.length]!;
    const subject = `item:${item.id}`;
    pending.set(subject, { sentAt: performance.now(), received: 0 });
    const res = await fetch(`${app.url}/api/v1/cutovers/${cutoverId}/items/${item.id}/signoff`, { method: "POST", headers: auth, body: "{}" });
    if (res.status !== 200) throw new Error(`sign-off failed: ${res.status} ${await res.text()}`);
    // Wait until every client has it (or 2 s), then undo so the item can be signed again.
    const deadline = performance.now() + 2000;
    while (pending.get(subject)!.received < CLIENTS && performance.now() < deadline) await new Promise((r) => setTimeout(r, 1));
    pending.delete(subject);
    await fetch(`${app.url}/api/v1/cutovers/${cutoverId}/items/${item.id}/undo`, { method: "POST", headers: auth, body: JSON.stringify({ reason: "benchmark" }) });
  }
  const elapsed = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const expected = SIGNOFFS * CLIENTS;
  console.log(`## Sign-off fan-out (${new Date().toISOString().slice(0, 10)}, ${machine()})`);
  console.log(`clients=${CLIENTS} signoffs=${SIGNOFFS} deliveries=${latencies.length}/${expected} (${((100 * latencies.length) / expected).toFixed(1)} %) in ${elapsed.toFixed(1)} s`);
  console.log(`latency request→client ms: p50=${percentile(latencies, 50).toFixed(1)} p95=${percentile(latencies, 95).toFixed(1)} p99=${percentile(latencies, 99).toFixed(1)} max=${latencies.at(-1)?.toFixed(1)}`);
  sockets.forEach((s) => s.disconnect());
} finally {
  await app.stop();
}
