// `npm run lab`: old and new demo services behind HAProxy, Prometheus scraping them (and the war
// room with --war-room), and a steady load; Ctrl-C stops everything.
//   npm run lab -- --rate 50 --duration 300 --war-room http://127.0.0.1:3000
import { parseArgs } from "node:util";
import { startLab, type Lab } from "./lab/index";
import { MAX_DURATION_S, MAX_RATE, type LoadCounts } from "./lab/load";

const USAGE = `usage: npm run lab -- [options]
  --rate N              load through HAProxy in requests/s (default 20, 0 = none, max ${MAX_RATE})
  --duration S          load duration in seconds (default ${MAX_DURATION_S}, max ${MAX_DURATION_S})
  --war-room URL        also scrape the war room's metrics (e.g. http://127.0.0.1:3000)
  --port-haproxy N      HAProxy frontend port        (default: a free port)
  --port-stats N        HAProxy stats/exporter port  (default: a free port)
  --port-prometheus N   Prometheus port              (default: a free port)
  --port-old N, --port-new N   demo service ports     (default: free ports)
  --data-dir DIR        default .data/lab
  --verbose             echo the children's output`;

function fail(message: string): never {
  console.error(`[lab] ${message}`);
  process.exit(1);
}

function parse() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        rate: { type: "string" },
        duration: { type: "string" },
        "war-room": { type: "string" },
        "port-haproxy": { type: "string" },
        "port-stats": { type: "string" },
        "port-prometheus": { type: "string" },
        "port-old": { type: "string" },
        "port-new": { type: "string" },
        "data-dir": { type: "string" },
        verbose: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (err) {
    fail(`${(err as Error).message}\n${USAGE}`);
  }
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const num = (flag: string, raw: string | undefined, min: number, max: number): number | undefined => {
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < min || n > max) fail(`--${flag} must be a number from ${min} to ${max}, got ${JSON.stringify(raw)}`);
    return n;
  };
  const port = (flag: string) => {
    const n = num(flag, values[flag as keyof typeof values] as string | undefined, 1, 65535);
    if (n !== undefined && !Number.isInteger(n)) fail(`--${flag} must be an integer`);
    return n;
  };
  const warRoom = values["war-room"];
  if (warRoom !== undefined) {
    try {
      const u = new URL(warRoom);
      if (u.protocol !== "http:") throw new Error("only http:// is supported");
    } catch (err) {
      fail(`--war-room must be an http:// URL (${(err as Error).message}): ${warRoom}`);
    }
  }
  return {
    rate: num("rate", values.rate, 0, MAX_RATE) ?? 20,
    durationS: num("duration", values.duration, 1, MAX_DURATION_S) ?? MAX_DURATION_S,
    warRoom,
    dataDir: values["data-dir"],
    verbose: values.verbose ?? false,
    ports: { haproxy: port("port-haproxy"), stats: port("port-stats"), prometheus: port("port-prometheus"), old: port("port-old"), new: port("port-new") },
  };
}

async function weights(lab: Lab): Promise<string> {
  try {
    const w = async (srv: string) => (await lab.haproxy.command(`get weight be_app/${srv}`)).split(" ")[0]?.trim();
    return `weights old ${await w("old")} / new ${await w("new")}`;
  } catch {
    return "weights unknown";
  }
}

function line(c: LoadCounts, prev: LoadCounts): string {
  const d = { old: c.old - prev.old, new: c.new - prev.new, errors: c.errors - prev.errors, total: c.total - prev.total };
  const share = d.total ? ` (new ${((d.new / d.total) * 100).toFixed(1)} %)` : "";
  return `last 5 s: old ${d.old}, new ${d.new}, errors ${d.errors}${share} | total: old ${c.old}, new ${c.new}, errors ${c.errors}${c.dropped ? `, dropped ${c.dropped}` : ""}`;
}

async function main() {
  const args = parse();
  let lab: Lab;
  try {
    lab = await startLab({
      dataDir: args.dataDir,
      warRoomMetricsUrl: args.warRoom,
      rate: args.rate,
      durationS: args.durationS,
      ports: args.ports,
      handleSignals: false,
      onLine: args.verbose ? (source, l) => console.log(`[${source}] ${l}`) : undefined,
    });
  } catch (err) {
    fail((err as Error).message);
  }

  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log("\n[lab] stopping…");
    const final = lab.load?.counts();
    await lab.stop();
    if (final) console.log(`[lab] load total: old ${final.old}, new ${final.new}, errors ${final.errors}, other ${final.other}`);
    console.log("[lab] stopped");
    process.exit(code);
  };
  process.on("SIGINT", () => void shutdown(130));
  process.on("SIGTERM", () => void shutdown(143));
  process.on("SIGHUP", () => void shutdown(129));

  const h = lab.haproxy;
  console.log(`[lab] up, data in ${lab.dataDir}
  HAProxy        ${h.url}   (be_app: old = 100 - p, new = p)
  runtime API    ${h.socketPath}
                 echo "set weight be_app/new 25" | socat stdio ${h.socketPath}
  HAProxy stats  ${h.statsUrl}${h.metricsUrl ? `   metrics ${h.metricsUrl}` : "   (no Prometheus exporter in this HAProxy)"}
  Prometheus     ${lab.prometheus.url}
  old            ${lab.old.url}   admin ${lab.old.adminUrl}
  new            ${lab.new.url}   admin ${lab.new.adminUrl}
                 curl -X POST ${lab.new.adminUrl} -H 'content-type: application/json' -d '{"errorRate":0.2,"latencyMs":50,"dbErrorRate":0}'
  load           ${lab.load ? `${lab.load.rate} req/s for ${lab.load.durationS} s through HAProxy` : "none (--rate 0)"}${args.warRoom ? `\n  war room       scraped at ${args.warRoom}` : ""}
[lab] Ctrl-C stops everything.`);

  const load = lab.load;
  if (!load) return;
  let prev = load.counts();
  const every = setInterval(async () => {
    const now = load.counts();
    console.log(`[load] ${line(now, prev)} | ${await weights(lab)}`);
    prev = now;
  }, 5000);
  void load.done.then((c) => {
    clearInterval(every);
    if (stopping) return;
    console.log(`[load] finished: old ${c.old}, new ${c.new}, errors ${c.errors}, other ${c.other}; the lab keeps running until Ctrl-C`);
  });
}

void main();
