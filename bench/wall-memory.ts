// Hours on the wall: does the wall screen's page grow? The production build (as `npm start` runs
// it) with the lab streaming metrics into the demo cutover (WARROOM_LAB=1: samples every 2 s,
// trigger ticks, the load moving), its wall opened in Chromium at 1920×1080 by the demo observer.
// Every `--every` seconds (default 60): a forced garbage collection (CDP HeapProfiler.collectGarbage),
// then the JS heap in use, the DOM node count and the event listeners (CDP Performance.getMetrics).
// Prints a table and the least-squares slope per hour of each: over the samples after the first
// minute (start-up: the code of the page, the first fetches), and over those after the wall's
// sample window has filled (it keeps the last 15 minutes of samples per metric, so the heap grows
// for 15 minutes by design; a leak is growth after that).
// Usage: npx tsx bench/wall-memory.ts [--minutes 10] [--every 60]   (two hours: --minutes 120)
//        npx tsx bench/wall-memory.ts --url http://127.0.0.1:3000   (a running demo; localhost only)
import { chromium } from "@playwright/test";
import { LAB_NODE_ARGS } from "../scripts/lab/war-room";
import { machine, numberArg, sessionCookie, startApp, type BenchApp } from "./support/app";

const minutes = numberArg("minutes", 10);
const everySec = numberArg("every", 60);
const urlArg = process.argv.includes("--url") ? process.argv[process.argv.indexOf("--url") + 1] : undefined;
if (urlArg && !["127.0.0.1", "localhost", "[::1]"].includes(new URL(urlArg).hostname)) throw new Error("--url: localhost only");

// The wall's metrics range (components/war-room/wall/wall-metrics.tsx): samples older fall out.
const WINDOW_MIN = 15;

interface Row {
  minute: number;
  heapMB: number;
  nodes: number;
  listeners: number;
}

/** Least-squares slope of y over x. */
export function slope(points: readonly { x: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return NaN;
  const mx = points.reduce((a, p) => a + p.x, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  const num = points.reduce((a, p) => a + (p.x - mx) * (p.y - my), 0);
  const den = points.reduce((a, p) => a + (p.x - mx) ** 2, 0);
  return den === 0 ? NaN : num / den;
}

const app: BenchApp | null = urlArg ? null : await startApp({ dataDir: ".data/bench-wall", nodeArgs: LAB_NODE_ARGS, env: { WARROOM_LAB: "1" } });
const base = urlArg ?? app!.url;
console.log(`app: ${base}`);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});
try {
  const [name, ...rest] = (await sessionCookie(base, "observer@demo.warroom")).split("=");
  const context = await browser.newContext({ baseURL: base, viewport: { width: 1920, height: 1080 } });
  await context.addCookies([{ name: name!, value: rest.join("="), url: base }]);
  const page = await context.newPage();
  await page.goto("/cutovers");
  await page.getByRole("link", { name: /demo/i }).first().click();
  await page.getByTestId("cutover-name").waitFor();
  await page.goto(`${page.url().split("?")[0]}?wall=1`);
  await page.getByTestId("wall").waitFor();
  // The lab's samples reach the wall: a key number is on screen before the clock starts.
  await page.getByTestId("wall-value").first().waitFor({ timeout: 60_000 });

  const cdp = await context.newCDPSession(page);
  await cdp.send("Performance.enable");
  const sample = async (minute: number): Promise<Row> => {
    await cdp.send("HeapProfiler.collectGarbage");
    const { metrics } = await cdp.send("Performance.getMetrics");
    const get = (n: string) => metrics.find((m) => m.name === n)?.value ?? NaN;
    return { minute, heapMB: get("JSHeapUsedSize") / 2 ** 20, nodes: get("Nodes"), listeners: get("JSEventListeners") };
  };

  const rows: Row[] = [await sample(0)];
  const print = (r: Row) => console.log(`| ${r.minute.toFixed(1).padStart(6)} | ${r.heapMB.toFixed(2).padStart(8)} | ${String(r.nodes).padStart(6)} | ${String(r.listeners).padStart(9)} |`);
  console.log(`machine: ${machine()}, ${new Date().toISOString()}; ${minutes} min, a sample every ${everySec} s`);
  console.log("| minute | heap MB | nodes | listeners |\n|---|---|---|---|");
  print(rows[0]!);
  const started = Date.now();
  for (let i = 1; (i * everySec) / 60 <= minutes; i++) {
    await page.waitForTimeout(Math.max(0, started + i * everySec * 1000 - Date.now()));
    const r = await sample((Date.now() - started) / 60_000);
    rows.push(r);
    print(r);
  }
  for (const from of [1, WINDOW_MIN]) {
    const steady = rows.filter((r) => r.minute >= from);
    if (steady.length < 3) {
      console.log(`slope from minute ${from}: too few samples (run longer than ${from + 2} minutes)`);
      continue;
    }
    const per = (f: (r: Row) => number) => slope(steady.map((r) => ({ x: r.minute / 60, y: f(r) })));
    console.log(`slope per hour from minute ${from}: heap ${per((r) => r.heapMB).toFixed(3)} MB/h, nodes ${per((r) => r.nodes).toFixed(1)}/h, listeners ${per((r) => r.listeners).toFixed(1)}/h`);
  }
  const last = rows.at(-1)!;
  console.log(`first → last: heap ${rows[0]!.heapMB.toFixed(2)} → ${last.heapMB.toFixed(2)} MB, nodes ${rows[0]!.nodes} → ${last.nodes}, listeners ${rows[0]!.listeners} → ${last.listeners}`);
} finally {
  await browser.close();
  await app?.stop();
}
