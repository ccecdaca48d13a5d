// Row 7: a webhook router that never answers (a local HTTP server that accepts and stays silent).
// The shift must time out with a clear error and be recorded as failed, and the button must work
// again after: once the receiver answers, the next shift is verified.
import http from "node:http";
import { freePort } from "../support/app";
import { Api, embeddedOwnerUrl, oneLine, seconds, type FaultRow } from "../support/faults";
import { appFor, configure, shift, trafficRecord, type RowContext } from "../support/fault-setup";

export const title = "A router that hangs";
const ROUTER_TIMEOUT_MS = 3000;
const TO = 50;

export async function run(ctx: RowContext): Promise<FaultRow> {
  let answering = false;
  const silent = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    if (!answering) {
      silent.add(res);
      return;
    }
    req.resume();
    req.on("end", () => res.writeHead(200, { "content-type": "application/json" }).end("{}"));
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  ctx.cleanup.add("webhook receiver", () => {
    for (const res of silent) res.destroy();
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const app = await appFor(ctx);
  await configure(app, null, [{ name: "faults-hanging", type: "router", kind: "webhook", config: { url: `http://127.0.0.1:${port}/split`, secret: "faults-webhook-secret-0123456789", timeoutMs: ROUTER_TIMEOUT_MS } }]);
  const api = new Api(app.url);
  const db = embeddedOwnerUrl(app.postgresRoot);
  const cutoverId = await api.createCutover({ name: "Faults: hanging router", router: "faults-hanging" });

  const before = await trafficRecord(db, cutoverId);
  const press = await shift(api, cutoverId, TO, 120_000);
  const after = await trafficRecord(db, cutoverId);
  const recordedFailed = after.failed === before.failed + 1 && after.verified === before.verified && after.percent === before.percent;

  answering = true;
  const again = await shift(api, cutoverId, TO);
  const final = await trafficRecord(db, cutoverId);
  const usable = again.status === 200 && final.percent === TO;
  const clear = press.status >= 400 && /time|answer/i.test(press.message);
  return {
    fault: title,
    done: `webhook router (timeout ${ROUTER_TIMEOUT_MS / 1000} s) whose receiver never answers; shift ${before.percent} → ${TO} % pressed; then the receiver answers and the shift is pressed again`,
    users: `shift answered ${press.status || "nothing"} after ${seconds(press.ms)}: "${oneLine(press.message, 140)}"; recorded: failed changes ${before.failed} → ${after.failed}, verified ${before.verified} → ${after.verified}, split ${after.percent} %; next press answered ${again.status}${again.status === 200 ? "" : `: ${again.message}`}`,
    recover: usable ? `${seconds(press.ms)} (the button answered and was usable again)` : `the next press answered ${again.status}: ${again.message}`,
    lost: "n/a (the timed-out shift was not acknowledged)",
    recovered: clear && recordedFailed && usable,
  };
}
